"""Writes of oversight: interventions (约谈、通报、资格终止、劝辞) that resolve action findings."""
from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from deputies.models import Deputy
from dutyadmin.dates import chinese_date
from dutyadmin.scope import scope_for
from dutyadmin.permissions import allows, ForRule
from dutyadmin.services import record_save
from meetings.models import CongressSession
from oversight.rules.catalog import ACTION_REQUIRED, ACTION_RULES_BY_ID
from oversight.rules.resolution import unmet_trigger

from ..models import Intervention
from .selectors import ABSENCE_NOTICE, session_absence_notices


def early_message(trigger: dt.date) -> str:
    """Why an intervention dated before its finding's trigger date leaves the finding 待处置."""
    return (f"该处置日期早于触发日期{chinese_date(trigger)},保存后该提示仍为“待处置”:"
            f"处置须在触发日期当天或之后。")


def intervention_record(*, user, deputy: Deputy, rule: str, date: dt.date, conducted_by: str, notes: str = "",
                        kind: str | None = None) -> Intervention:
    """Record what was done about an action finding; the kind defaults to the rule's own and must be it.

    An intervention dated on or after the finding's trigger date resolves it (RULES.md, action rules);
    one dated earlier is saved all the same (the form asks first; the API says resolves_finding: false).
    A date after today is refused (Intervention.clean).
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


def intervention_publish(*, user, intervention: Intervention, published: bool) -> Intervention:
    """Show or hide an intervention on the public duty pages (the liaison office's call, 条例第九条第（十）项).
    Not a change of what happened, so a year approved in the year-end review does not lock it; it has history."""
    if not allows(scope_for(user), "manage_public_pages"):
        raise PermissionDenied("只有代表联络机构可以公开履职处置。")
    intervention.published = published
    intervention._history_user = user
    intervention.save(update_fields=["published"])
    return intervention


def absence_notices_record(*, user, session: CongressSession, deputies: list[Deputy], date: dt.date,
                           conducted_by: str, notes: str = "") -> list[Intervention]:
    """Record the A3 notice (通报) of each of these deputies for the session, all of them or none.

    Each deputy must have the session's absence_notice finding still 待处置, and the date must resolve
    it (on or after the trigger date, not after today); each notice is one intervention_record, with history.
    """
    if not deputies:
        raise ValidationError({"deputies": "请至少选择一位代表。"})
    pending = session_absence_notices(session=session, deputy_ids=[d.pk for d in deputies])
    errors = []
    for deputy in deputies:
        finding = pending.get(deputy.pk)
        if finding is None or finding.status != ACTION_REQUIRED:
            errors.append(f"{deputy.name}:本次大会的缺席通报已处置或无需通报。")
        elif unmet_trigger(date, [finding]) is not None:
            errors.append(f"{deputy.name}:{early_message(finding.trigger_date)}")
    if errors:
        raise ValidationError({"deputies": errors})
    with transaction.atomic():
        return [
            intervention_record(user=user, deputy=deputy, rule=ABSENCE_NOTICE, date=date,
                                conducted_by=conducted_by, notes=notes)
            for deputy in deputies
        ]
