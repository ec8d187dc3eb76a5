"""A small in-memory world of facts for rule tests: a term, deputies, sessions and records, by hand."""
from __future__ import annotations

import dataclasses
import datetime as dt
import itertools

from oversight.rules import (
    AttendanceFact,
    ContributionFact,
    DeputyFacts,
    InterventionFact,
    LeaveFact,
    MeetingFacts,
    ParticipationFact,
    SessionFacts,
    TermFacts,
    ThresholdChangeFact,
    build_facts,
    data_checks,
    evaluate,
)
from oversight.rules.classify import classify

D = dt.date


class World:
    """Facts of one term built step by step; evaluate() runs the pure engine on them."""

    def __init__(self, start: dt.date = D(2022, 1, 1), end: dt.date = D(2026, 12, 31), **thresholds: int) -> None:
        self.term = TermFacts(1, start, end, thresholds)
        self._ids = itertools.count(1)
        self.deputies: list[DeputyFacts] = []
        self.sessions: list[SessionFacts] = []
        self.meetings: list[MeetingFacts] = []
        self.attendance: list[AttendanceFact] = []
        self.leaves: list[LeaveFact] = []
        self.participations: list[ParticipationFact] = []
        self.contributions: list[ContributionFact] = []
        self.interventions: list[InterventionFact] = []

    def next_id(self) -> int:
        return next(self._ids)

    def change(self, effective_from: dt.date, **values: int) -> None:
        """A change of the term's settings from that day on (RULES.md, settings change over time)."""
        change = ThresholdChangeFact(self.next_id(), effective_from, values)
        self.term = dataclasses.replace(self.term, changes=self.term.changes + (change,))

    def deputy(self, start: dt.date | None = None, end: dt.date | None = None, status: str = "active") -> int:
        deputy = DeputyFacts(self.next_id(), start or self.term.start, end, status)
        self.deputies.append(deputy)
        return deputy.id

    def suspend(self, deputy: int, start: dt.date, end: dt.date | None = None) -> None:
        """A suspension of the deputy's duties (代表法 Art. 61) from start to end (None: still open)."""
        self.deputies = [
            dataclasses.replace(d, suspensions=d.suspensions + ((start, end),)) if d.id == deputy else d
            for d in self.deputies
        ]

    def session(self, start: dt.date, end: dt.date, meetings: int = 1, kind: str = "plenary") -> SessionFacts:
        """A session with `meetings` meetings, one a day from its start (the last ones on its last day)."""
        session = SessionFacts(self.next_id(), start, end, f"第{len(self.sessions) + 1}次会议")
        self.sessions.append(session)
        for index in range(meetings):
            day = min(start + dt.timedelta(days=index), end)
            self.meetings.append(MeetingFacts(self.next_id(), session.id, day, kind))
        return session

    def meeting(self, session: SessionFacts, day: dt.date, kind: str = "plenary") -> int:
        meeting = MeetingFacts(self.next_id(), session.id, day, kind)
        self.meetings.append(meeting)
        return meeting.id

    def meeting_ids(self, session: SessionFacts) -> list[int]:
        return [m.id for m in self.meetings if m.session_id == session.id]

    def attend(self, deputy: int, meetings: int | list[int], present: bool = True) -> None:
        for meeting in [meetings] if isinstance(meetings, int) else meetings:
            self.attendance.append(AttendanceFact(meeting, deputy, present))

    def attend_session(self, deputy: int, session: SessionFacts, present: bool = True) -> None:
        self.attend(deputy, self.meeting_ids(session), present)

    def leave(self, deputy: int, session: SessionFacts, route: str = "whole_session", status: str = "approved",
              meetings: tuple[int, ...] = (), filing_open: bool = False) -> int:
        leave = LeaveFact(self.next_id(), deputy, session.id, route, status, frozenset(meetings), filing_open)
        self.leaves.append(leave)
        return leave.id

    def activity(self, deputy: int, kind: str, day: dt.date, outcome: str = "attended", confirmed: bool = True,
                 activity_id: int | None = None) -> int:
        activity_id = activity_id or self.next_id()
        self.participations.append(ParticipationFact(activity_id, kind, day, deputy, confirmed, outcome))
        return activity_id

    def contribution(self, deputy: int, session: SessionFacts | None, day: dt.date,
                     kind: str = "review_opinion") -> int:
        contribution = ContributionFact(self.next_id(), deputy, session.id if session else None, kind, day)
        self.contributions.append(contribution)
        return contribution.id

    def intervention(self, deputy: int, rule: str, kind: str, day: dt.date) -> int:
        intervention = InterventionFact(self.next_id(), deputy, rule, kind, day)
        self.interventions.append(intervention)
        return intervention.id

    def facts(self):
        return build_facts(
            deputies=self.deputies, sessions=self.sessions, meetings=self.meetings, attendance=self.attendance,
            leaves=self.leaves, participations=self.participations, contributions=self.contributions,
            interventions=self.interventions,
        )

    def evaluate(self, as_of: dt.date, include_met: bool = False, deputy_ids=None):
        return evaluate(self.term, self.facts(), as_of, deputy_ids=deputy_ids, include_met=include_met)

    def findings(self, as_of: dt.date, rule: str, deputy: int | None = None, include_met: bool = True):
        """Findings of one rule (met ones included by default, so a test sees every window)."""
        return [
            f for f in self.evaluate(as_of, include_met=include_met)
            if f.rule == rule and (deputy is None or f.deputy == deputy)
        ]

    def finding(self, as_of: dt.date, rule: str, deputy: int | None = None, year: int | None = None,
                include_met: bool = True):
        """The one finding of a rule (in a year's window if given), or None."""
        found = [
            f for f in self.findings(as_of, rule, deputy, include_met)
            if year is None or f.period_start.year == year
        ]
        assert len(found) <= 1, found
        return found[0] if found else None

    def checks(self, as_of: dt.date, check: str | None = None):
        return [c for c in data_checks(self.term, self.facts(), as_of) if check is None or c.check == check]

    def classify(self, as_of: dt.date, deputy_ids=None):
        return classify(self.term, self.facts(), as_of, deputy_ids)
