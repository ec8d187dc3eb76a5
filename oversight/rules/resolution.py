"""Which intervention resolves an action finding (RULES.md): one of the rule's own kind, done by the as-of
date, dated on or after the finding's trigger; the first such one (by date, then id). Pure: the engine, the
findings export and any page ask these two functions, none decides it again."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Protocol, TypeVar

from .catalog import ACTION_RULES_BY_ID


class InterventionLike(Protocol):
    """An InterventionFact or an Intervention record: what resolving needs of it."""

    id: int
    rule: str
    kind: str
    date: dt.date


I = TypeVar("I", bound=InterventionLike)  # noqa: E741


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
                  if i.rule == rule_id and may_resolve(i, as_of) and i.date >= trigger_date]
    return min(candidates, key=lambda i: (i.date, i.id), default=None)
