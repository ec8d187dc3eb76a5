"""The one entry point: a term's facts and an as-of date in, findings out (RULES.md, evaluation contract)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from .contact import no_contact_talk, resignation_advice
from .context import DeputyContext
from .facts import Facts, TermFacts
from .findings import Finding
from .invitations import activity_absence_notice, activity_absence_talk
from .sessions import absence_notice, qualification_termination, session_absence_talk, silent_in_sessions_talk
from .settings import SettingsTimeline, term_settings
from .thresholds import (
    closed_session_activities,
    duty_report,
    group_activities,
    lectures,
    sc_meeting_attendance,
    station_receptions,
    training,
)
from .windows import service_window

# Every rule, in the order findings are listed for a deputy (the catalog's order).
RULES: tuple[Callable[[DeputyContext], list[Finding]], ...] = (
    closed_session_activities,
    group_activities,
    station_receptions,
    training,
    lectures,
    sc_meeting_attendance,
    duty_report,
    absence_notice,
    session_absence_talk,
    qualification_termination,
    silent_in_sessions_talk,
    activity_absence_notice,
    activity_absence_talk,
    no_contact_talk,
    resignation_advice,
)


def deputy_context(term: TermFacts, facts: Facts, deputy_id: int, as_of: dt.date, include_met: bool = False,
                   settings: SettingsTimeline | None = None) -> DeputyContext | None:
    """The sifted facts of one deputy, or None when their service has not begun by as_of (nothing to say yet)."""
    deputy = facts.deputies.get(deputy_id)
    if deputy is None:
        return None
    window = service_window(term.start, term.end, deputy.service_start, deputy.service_end)
    if window is None or window[0] > as_of:
        return None
    return DeputyContext(
        term=term, facts=facts, deputy=deputy, as_of=as_of,
        settings=settings if settings is not None else term_settings(term),
        window=window, include_met=include_met,
    )


def evaluate_deputy(term: TermFacts, facts: Facts, deputy_id: int, as_of: dt.date, include_met: bool = False,
                    *, settings: SettingsTimeline | None = None) -> list[Finding]:
    """Every rule's findings for one deputy at as_of (met ones only with include_met)."""
    ctx = deputy_context(term, facts, deputy_id, as_of, include_met, settings)
    if ctx is None:
        return []
    findings: list[Finding] = []
    for rule in RULES:
        findings.extend(rule(ctx))
    return findings


def evaluate(term: TermFacts, facts: Facts, as_of: dt.date, deputy_ids: Iterable[int] | None = None,
             include_met: bool = False) -> list[Finding]:
    """Findings of the term's deputies (or the given ones) at as_of, by deputy id then rule."""
    settings = term_settings(term)  # once per term: each window then looks its settings up by day
    ids = sorted(facts.deputies) if deputy_ids is None else sorted(set(deputy_ids) & facts.deputies.keys())
    findings: list[Finding] = []
    for deputy_id in ids:
        findings.extend(evaluate_deputy(term, facts, deputy_id, as_of, include_met, settings=settings))
    return findings
