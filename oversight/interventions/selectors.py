"""Reads of interventions (约谈、通报、资格终止、劝辞), scoped by user, and what the rules make of one."""
from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet
from django.utils import timezone

from deputies.models import Deputy
from dutyadmin.scope import scope_for
from meetings.models import CongressSession
from oversight.rules import Finding
from oversight.rules.catalog import ACTION_REQUIRED
from oversight.rules.resolution import unmet_trigger

from ..findings.selectors import deputy_findings, term_findings
from ..models import Intervention

ABSENCE_NOTICE = "absence_notice"


def intervention_list(*, user) -> QuerySet[Intervention]:
    scope = scope_for(user)
    return Intervention.objects.filter(scope.deputy_q("deputy__")).select_related("deputy")


def _resolved_by(finding: Finding, intervention_id: int | None) -> bool:
    return intervention_id is not None and any(
        e.type == "intervention" and e.id == intervention_id for e in finding.evidence
    )


def intervention_unmet_trigger(*, deputy: Deputy, rule: str, date: dt.date,
                               intervention: Intervention | None = None) -> dt.date | None:
    """The trigger date an intervention dated `date` falls short of, when it would resolve none of the deputy's
    findings of the rule still 待处置 (or resolved by this very intervention, when it is changed); else None."""
    own = intervention.pk if intervention is not None else None
    findings = [
        f for f in deputy_findings(deputy=deputy, as_of=timezone.localdate(), include_met=False)
        if f.rule == rule and (f.status == ACTION_REQUIRED or _resolved_by(f, own))
    ]
    return unmet_trigger(date, findings)


def intervention_resolves_finding(*, intervention: Intervention) -> bool:
    """Does the engine, as of today, count this intervention as what resolved a finding of its deputy?"""
    findings = deputy_findings(deputy=intervention.deputy, as_of=timezone.localdate(), include_met=False)
    return any(f.rule == intervention.rule and _resolved_by(f, intervention.pk) for f in findings)


def session_absence_notices(*, session: CongressSession, deputy_ids: list[int],
                             as_of: dt.date | None = None) -> dict[int, Finding]:
    """The A3 findings (absence_notice) of the session about these deputies (already known to be in the
    caller's scope, e.g. the bulletin's), by deputy id; only the deputies' facts are loaded."""
    if not deputy_ids:
        return {}
    as_of = as_of or timezone.localdate()
    findings = term_findings(term=session.term, as_of=as_of, deputies=list(deputy_ids))
    return {
        f.deputy: f for f in findings
        if f.rule == ABSENCE_NOTICE and any(e.type == "session" and e.id == session.pk for e in f.evidence)
    }
