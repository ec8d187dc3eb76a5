"""Writes of oversight: interventions (约谈、通报、资格终止、劝辞) that resolve action findings."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError

from deputies.models import Deputy
from dutyadmin import policy
from dutyadmin.scope import scope_for
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
    allowed = policy.can_edit_intervention(scope_for(user), deputy=deputy, rule=rule)
    return record_save(intervention, user=user, allowed=allowed)


def intervention_update(*, user, intervention: Intervention, data: dict[str, Any]) -> Intervention:
    """Change a recorded intervention; the user must be allowed for its deputy before and after."""
    scope = scope_for(user)
    if not policy.can_edit_intervention(scope, deputy=intervention.deputy, rule=intervention.rule):
        return record_save(intervention, user=user, allowed=False)
    for name, value in data.items():
        setattr(intervention, name, value)
    allowed = policy.can_edit_intervention(scope, deputy=intervention.deputy, rule=intervention.rule)
    return record_save(intervention, user=user, allowed=allowed)
