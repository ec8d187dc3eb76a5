"""Writes of oversight: interventions (约谈、通报、资格终止、劝辞) that resolve action findings."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from deputies.models import Deputy
from dutyadmin.scope import scope_for
from dutyadmin.permissions import allows, ForRule
from dutyadmin.services import record_save
from oversight.rules.catalog import ACTION_RULES_BY_ID

from ..models import Intervention


def intervention_record(*, user, deputy: Deputy, rule: str, date: dt.date, conducted_by: str, notes: str = "",
                        kind: str | None = None) -> Intervention:
    """Record what was done about an action finding; the kind defaults to the rule's own and must be it.

    An intervention dated on or after the finding's trigger date resolves it (RULES.md, action rules).
    """
    action_rule = ACTION_RULES_BY_ID.get(rule)
    if action_rule is None:
        raise ValidationError({"rule": f"“{rule}”不是需要处置的规则。"})
    intervention = Intervention(
        deputy=deputy, rule=rule, kind=kind or action_rule.kind, date=date, conducted_by=conducted_by, notes=notes,
    )
    allowed = allows(scope_for(user), "record_intervention", ForRule(deputy, rule))
    return record_save(intervention, user=user, allowed=allowed)


def intervention_update(*, user, intervention: Intervention, data: dict[str, Any]) -> Intervention:
    """Change a recorded intervention; the user must be allowed for its deputy before and after."""
    scope = scope_for(user)
    if not allows(scope, "record_intervention", intervention):
        return record_save(intervention, user=user, allowed=False)
    for name, value in data.items():
        setattr(intervention, name, value)
    allowed = allows(scope, "record_intervention", intervention)
    return record_save(intervention, user=user, allowed=allowed)
