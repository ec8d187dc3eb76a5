"""Action rules about congress sessions: absences (A3), non-attendance (A9.1) and silence (A9.2)."""
from __future__ import annotations

import datetime as dt

from .builders import action_finding
from .catalog import A92_CONTRIBUTION_KINDS
from .classify import SessionMark
from .context import DeputyContext
from .facts import SessionFacts
from .findings import Evidence, Finding
from .windows import is_suspended


def _session_evidence(sessions: list[SessionFacts]) -> tuple[Evidence, ...]:
    # A session's evidence date is its last day (RULES.md, evidence).
    return tuple(Evidence("session", s.id, s.end) for s in sessions)


def absence_notice(ctx: DeputyContext) -> list[Finding]:
    """A3: one unexcused absence or more from a session's meetings → the secretariat's notice (通报)."""
    findings = []
    for outcome in ctx.session_outcomes:
        if not outcome.unexcused:
            continue
        session = outcome.session
        evidence = _session_evidence([session]) + tuple(Evidence("meeting", m.id, m.date) for m in outcome.unexcused)
        findings.append(action_finding(
            ctx, "absence_notice", session.start, session.end, len(outcome.unexcused), 1, session.end, evidence,
        ))
    return findings


def _non_attendances(ctx: DeputyContext) -> list[SessionMark]:
    return [outcome for outcome in ctx.session_outcomes if outcome.non_attendance]


def _nth_non_attendance(ctx: DeputyContext, rule_id: str, threshold_key: str) -> list[Finding]:
    """The finding when the term's unapproved non-attendances reach the rule's number (trigger: that session's end)."""
    required = ctx.thresholds[threshold_key]
    missed = _non_attendances(ctx)
    if len(missed) < required:
        return []
    trigger = missed[required - 1].session.end
    evidence = _session_evidence([outcome.session for outcome in missed])
    return [action_finding(ctx, rule_id, ctx.start, ctx.end, len(missed), required, trigger, evidence)]


def session_absence_talk(ctx: DeputyContext) -> list[Finding]:
    """A9.1: 未经批准一次不出席 → a talk by the delegation head (or the street committee director)."""
    return _nth_non_attendance(ctx, "session_absence_talk", "session_absence_talk_at")


def qualification_termination(ctx: DeputyContext) -> list[Finding]:
    """A9.1: 未经批准两次不出席 → the deputy's qualification ends (decided by the standing committee)."""
    return _nth_non_attendance(ctx, "qualification_termination", "termination_at")


def silent_in_sessions_talk(ctx: DeputyContext) -> list[Finding]:
    """A9.2: 连续两年在会议期间不发表审议意见、不提交建议 → a talk by the delegation head; one finding per run."""
    needed = ctx.thresholds["silent_years"]
    # (choice) a session belongs to the calendar year it opens in; sessions do not straddle New Year.
    session_year = {session.id: session.start.year for session in ctx.facts.sessions}
    spoken_years: set[int] = set()
    for contribution in ctx.facts.contributions.get(ctx.deputy.id, ()):
        # Motions, inquiries and closed-period contributions do not count; only records in service by as_of.
        if (
            contribution.kind in A92_CONTRIBUTION_KINDS
            and contribution.session_id is not None
            and ctx.start <= contribution.date <= ctx.limit
            and not is_suspended(contribution.date, ctx.suspended)
        ):
            year = session_year.get(contribution.session_id)
            if year is not None:
                spoken_years.add(year)

    expected_by_year: dict[int, list[SessionFacts]] = {}
    for session in ctx.sessions_in_service:
        if session.id not in ctx.approved_whole:  # approved whole-session leave: not expected there
            expected_by_year.setdefault(session.start.year, []).append(session)

    findings: list[Finding] = []
    run: list[tuple[int, list[SessionFacts]]] = []
    for year in range(ctx.start.year, ctx.end.year + 1):
        expected = expected_by_year.get(year)
        silent = (
            bool(expected)  # a year with no session expected of the deputy is not silent and breaks the run
            and all(session.end <= ctx.as_of for session in expected)
            and year not in spoken_years
        )
        if silent:
            run.append((year, expected))
            continue
        _close_silent_run(ctx, run, needed, findings)
        run = []
    _close_silent_run(ctx, run, needed, findings)
    return findings


def _close_silent_run(ctx: DeputyContext, run: list[tuple[int, list[SessionFacts]]], needed: int,
                      findings: list[Finding]) -> None:
    if len(run) < needed:
        return
    # (choice) "the last session of the run's second year" is the last one expected of the deputy: the year
    # became silent when it ended.
    trigger = max(session.end for session in run[needed - 1][1])
    start = max(ctx.start, dt.date(run[0][0], 1, 1))
    end = min(ctx.end, dt.date(run[-1][0], 12, 31))
    sessions = sorted((s for _, expected in run for s in expected), key=lambda s: (s.end, s.id))
    findings.append(action_finding(
        ctx, "silent_in_sessions_talk", start, end, len(run), needed, trigger, _session_evidence(sessions),
    ))
