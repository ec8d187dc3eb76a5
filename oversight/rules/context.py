"""One deputy's facts, sifted once (service window, as-of date, approved leave) for every rule to read."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from .catalog import (
    A93_KINDS,
    ABSENT,
    ACTION_RULES_BY_ID,
    ATTENDED,
    LEAVE_APPROVED,
    THRESHOLD_RULE_OF_KIND,
    WHOLE_SESSION,
)
from .facts import DeputyFacts, Facts, InterventionFact, MeetingFacts, ParticipationFact, SessionFacts, TermFacts


class SessionOutcome:
    """How one deputy fared at one session that lies in their service period and has ended by the as-of date."""

    __slots__ = ("session", "whole_leave", "present_any", "unexcused")

    def __init__(self, session: SessionFacts, whole_leave: bool, present_any: bool,
                 unexcused: tuple[MeetingFacts, ...]) -> None:
        self.session = session
        self.whole_leave = whole_leave  # an approved whole_session leave covers it
        self.present_any = present_any  # recorded present at one of its meetings at least
        self.unexcused = unexcused  # meetings recorded absent with no approved leave covering them

    @property
    def non_attendance(self) -> bool:
        """未经批准不出席: no approved whole-session leave, present at none, at least one unexcused absence."""
        return not self.whole_leave and not self.present_any and bool(self.unexcused)


class DeputyContext:
    """What the rules need about one deputy at one as-of date; records outside service or after as_of are dropped."""

    __slots__ = (
        "term", "facts", "deputy", "as_of", "thresholds", "include_met",
        "start", "end", "limit",
        "attended", "a93_absences", "interventions",
        "approved_whole", "sessions_in_service", "session_outcomes",
    )

    def __init__(self, *, term: TermFacts, facts: Facts, deputy: DeputyFacts, as_of: dt.date,
                 thresholds: Mapping[str, int], window: tuple[dt.date, dt.date], include_met: bool) -> None:
        self.term = term
        self.facts = facts
        self.deputy = deputy
        self.as_of = as_of
        self.thresholds = thresholds
        self.include_met = include_met
        start, end = window
        self.start = start  # term ∩ service period
        self.end = end
        # A record counts only if dated inside the service period and on or before as_of.
        limit = self.limit = min(as_of, end)

        attended: dict[str, list[ParticipationFact]] = {}
        a93: list[ParticipationFact] = []
        rule_of_kind = THRESHOLD_RULE_OF_KIND
        for p in facts.participations.get(deputy.id, ()):
            day = p.date
            if day < start or day > limit:
                continue
            outcome = p.outcome
            if outcome == ATTENDED:
                rule_id = rule_of_kind.get(p.kind)
                if rule_id is not None:
                    bucket = attended.get(rule_id)
                    if bucket is None:
                        attended[rule_id] = [p]
                    else:
                        bucket.append(p)
            elif outcome == ABSENT and p.confirmed and p.kind in A93_KINDS:
                a93.append(p)
        self.attended = attended
        a93.sort(key=_by_date_and_activity)
        self.a93_absences = a93

        # Only an intervention of the rule's own kind, already done by as_of, can resolve a finding.
        interventions: dict[str, list[InterventionFact]] = {}
        for record in facts.interventions.get(deputy.id, ()):
            rule = ACTION_RULES_BY_ID.get(record.rule)
            if rule is None or record.kind != rule.kind or record.date > as_of:
                continue
            interventions.setdefault(record.rule, []).append(record)
        for records in interventions.values():
            records.sort(key=_by_date_and_id)
        self.interventions = interventions

        # Leave is read with its current status whatever the as-of date; only approved leave excuses.
        approved_whole: set[int] = set()
        excused_meetings: set[int] = set()
        for leave in facts.leaves.get(deputy.id, ()):
            if leave.status != LEAVE_APPROVED:
                continue
            if leave.route == WHOLE_SESSION:
                approved_whole.add(leave.session_id)
            else:
                excused_meetings.update(leave.meeting_ids)
        self.approved_whole = approved_whole

        marks = facts.attendance.get(deputy.id, {})
        in_service: list[SessionFacts] = []
        outcomes: list[SessionOutcome] = []
        for session in facts.sessions:
            if session.end < start or session.start > end:
                continue
            in_service.append(session)
            if session.end > as_of:
                continue  # judged once it has ended (its last day is every session rule's trigger)
            whole = session.id in approved_whole
            present_any = False
            unexcused: list[MeetingFacts] = []
            for meeting in facts.session_meetings.get(session.id, ()):
                if meeting.date < start or meeting.date > limit:
                    continue
                present = marks.get(meeting.id)
                if present is None:
                    continue  # not recorded is never an absence
                if present:
                    present_any = True
                elif not whole and meeting.id not in excused_meetings:
                    unexcused.append(meeting)
            outcomes.append(SessionOutcome(session, whole, present_any, tuple(unexcused)))
        self.sessions_in_service = in_service
        outcomes.sort(key=lambda o: (o.session.end, o.session.start, o.session.id))
        self.session_outcomes = outcomes


def _by_date_and_activity(p: ParticipationFact) -> tuple[dt.date, int]:
    return (p.date, p.activity_id)


def _by_date_and_id(record: InterventionFact) -> tuple[dt.date, int]:
    return (record.date, record.id)
