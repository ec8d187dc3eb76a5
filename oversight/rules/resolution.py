"""Action rules → status (RULES.md): which intervention resolves an action finding — one of the rule's own
kind, done by the as-of date, dated on or after the finding's trigger; the first such one (by date, then id).
Pure: the engine, the findings export, the intervention form and the API ask these functions, none decides
it again."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol, TypeVar

from .catalog import ACTION_RULES_BY_ID
from .findings import Finding


class InterventionLike(Protocol):
    """An InterventionFact or an Intervention record: what resolving needs of it."""

    id: int
    rule: str
    kind: str
    date: dt.date


I = TypeVar("I", bound=InterventionLike)  # noqa: E741


def intervention_resolves(day: dt.date, trigger_date: dt.date) -> bool:
    """An intervention resolves its finding when dated on or after the trigger date (not before it)."""
    return day >= trigger_date


def may_resolve(record: InterventionLike, as_of: dt.date) -> bool:
    """The intervention counts for its rule at all: an action rule's own kind, done by as_of."""
    rule = ACTION_RULES_BY_ID.get(record.rule)
    return rule is not None and record.kind == rule.kind and record.date <= as_of


def resolving_intervention(rule_id: str, trigger_date: dt.date | None, interventions: Iterable[I],
                           as_of: dt.date) -> I | None:
    """The intervention that resolves the finding of `rule_id` triggered on `trigger_date`, among the
    deputy's `interventions` (of any rule); None while the action is still required (or for a finding with
    no trigger, which no intervention resolves)."""
    if trigger_date is None:
        return None
    candidates = [i for i in interventions
                  if i.rule == rule_id and may_resolve(i, as_of) and intervention_resolves(i.date, trigger_date)]
    return min(candidates, key=lambda i: (i.date, i.id), default=None)


def unmet_trigger(day: dt.date, findings: Iterable[Finding]) -> dt.date | None:
    """The earliest trigger date of the findings when an intervention dated `day` resolves none of them, else None."""
    triggers = [f.trigger_date for f in findings if f.trigger_date is not None]
    if not triggers or any(intervention_resolves(day, t) for t in triggers):
        return None
    return min(triggers)
