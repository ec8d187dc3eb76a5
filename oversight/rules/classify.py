"""One reading of every meeting, session and participation of a deputy: what the regulation makes of it.

The rules read their facts through these functions (DeputyContext), and so does every page, export and
API that shows whether a meeting was excused or an activity counts (STYLE.md 8: read, never re-derive).
`classify` builds the read model of a set of deputies; `read_*` are the single definitions it and the
rules share.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import NamedTuple

from .catalog import (
    A93_RULE as A93_RULE,  # the rule a confirmed absence counts toward, read here by pages
    ALL_DEPUTY_MEETING_KINDS,
    ATTENDED,
    LEAVE_APPROVED,
    WHOLE_SESSION,
    counted_toward,
)
from .facts import Facts, LeaveFact, MeetingFacts, ParticipationFact, SessionFacts, TermFacts
from .windows import NO_SPANS, Spans, is_suspended, service_window, served_days, suspended_spans

# --- meetings ------------------------------------------------------------------------------------
PRESENT = "present"  # recorded present
EXCUSED = "excused"  # an approved leave covers it (recorded absent, or not recorded)
UNEXCUSED = "unexcused"  # recorded absent, no approved leave covers it (未经批准不到会的,一律按缺席对待)
NOT_RECORDED = "not_recorded"  # no record (as of the day): never an absence, nor a presence
NOT_IN_SERVICE = "not_in_service"  # outside the deputy's service period, or suspended: not expected, not counted
MEETING_STATUSES = (PRESENT, EXCUSED, UNEXCUSED, NOT_RECORDED, NOT_IN_SERVICE)

# --- participations: why a record counts or not ----------------------------------------------------
COUNTS = "counts"  # attended, in service, by as_of: counts toward `rule` (a threshold rule)
CONFIRMED_ABSENCE = "confirmed_absence"  # 应邀确定参加而无故不参加 at an A9.3 kind: counts toward A9.3
OUTSIDE_SERVICE = "outside_service"
AFTER_AS_OF = "after_as_of"
NOT_ATTENDED = "not_attended"  # pending, excused, or absent without a confirmed invitation (or not an A9.3 kind)
COUNTS_FOR_NOTHING = "counts_for_nothing"  # attended, but its kind counts toward no rule (handbook only)
PARTICIPATION_REASONS = (COUNTS, CONFIRMED_ABSENCE, OUTSIDE_SERVICE, AFTER_AS_OF, NOT_ATTENDED, COUNTS_FOR_NOTHING)


@dataclass(frozen=True, slots=True)
class LeaveCover:
    """What a deputy's approved leave excuses: whole sessions and named meetings, each with the leave."""

    whole: Mapping[int, int]  # session id → approved whole_session leave id
    meetings: Mapping[int, int]  # meeting id → approved meeting leave id

    def leave_for(self, meeting: MeetingFacts) -> int | None:
        """The approved leave that covers the meeting, or None (whole-session leave first)."""
        leave_id = self.whole.get(meeting.session_id)
        return leave_id if leave_id is not None else self.meetings.get(meeting.id)


def read_leave(leaves: Iterable[LeaveFact]) -> LeaveCover:
    """Only approved leave excuses (Art. 3(一)); whatever the as-of date, leave is read with its current status."""
    whole: dict[int, int] = {}
    meetings: dict[int, int] = {}
    for leave in sorted(leaves, key=lambda leave: leave.id):  # the earliest approved request names the cover
        if leave.status != LEAVE_APPROVED:
            continue
        if leave.route == WHOLE_SESSION:
            whole.setdefault(leave.session_id, leave.id)
        else:
            for meeting_id in leave.meeting_ids:
                meetings.setdefault(meeting_id, leave.id)
    return LeaveCover(whole, meetings)


class MeetingMark(NamedTuple):
    """One deputy at one meeting: the status, what was recorded (True present, False absent, None), the leave.

    A tuple, immutable as the dataclasses are: a city's term reads about a million (one per deputy and meeting of
    their sessions), and a frozen dataclass sets each field through object.__setattr__ (ParticipationFact likewise)."""

    meeting: MeetingFacts
    deputy_id: int
    status: str
    recorded: bool | None
    leave_id: int | None  # the approved leave covering the meeting (also when recorded present: leave_conflict)

    @property
    def excused(self) -> bool:
        return self.status == EXCUSED


def read_meeting(meeting: MeetingFacts, deputy_id: int, recorded: bool | None, cover: LeaveCover,
                 window: tuple[dt.date, dt.date] | None, as_of: dt.date, spans: Spans = NO_SPANS) -> MeetingMark:
    """The status of one meeting for one deputy; a record dated after as_of is not known yet.

    A meeting on a suspended day (spans) is outside the service period: not expected, an absence there is none."""
    leave_id = cover.leave_for(meeting)
    if window is None or not window[0] <= meeting.date <= window[1] or (spans and is_suspended(meeting.date, spans)):
        return MeetingMark(meeting, deputy_id, NOT_IN_SERVICE, recorded, leave_id)
    if meeting.date > as_of:
        recorded = None
    if recorded:
        status = PRESENT
    elif leave_id is not None:
        status = EXCUSED
    elif recorded is None:
        status = NOT_RECORDED
    else:
        status = UNEXCUSED
    return MeetingMark(meeting, deputy_id, status, recorded, leave_id)


@dataclass(frozen=True, slots=True)
class SessionMark:
    """One deputy at one session of their service period, judged once it has ended by the as-of date."""

    session: SessionFacts
    deputy_id: int
    ended: bool
    whole_leave_id: int | None  # approved whole_session leave
    meetings: tuple[MeetingMark, ...]  # every meeting of the session, by (date, id)

    @property
    def present_any(self) -> bool:
        return any(mark.status == PRESENT for mark in self.meetings)

    @property
    def unexcused(self) -> tuple[MeetingFacts, ...]:
        """The meetings recorded absent with no approved leave covering them."""
        return tuple(mark.meeting for mark in self.meetings if mark.status == UNEXCUSED)

    @property
    def missing(self) -> tuple[MeetingFacts, ...]:
        """Meetings every deputy is expected at (Art. 3(一)) with no record and no approved leave."""
        return tuple(
            mark.meeting for mark in self.meetings
            if mark.status == NOT_RECORDED and mark.meeting.kind in ALL_DEPUTY_MEETING_KINDS
        )

    @property
    def non_attendance(self) -> bool:
        """未经批准不出席 (A9.1): the session has ended, no approved whole-session leave, present at none of its
        meetings, at least one unexcused absence, and no roll call missing: a meeting not recorded may have seen
        the deputy, so 'present at none' is known only once every meeting is recorded or excused. (choice)"""
        return (
            self.ended and self.whole_leave_id is None and not self.present_any
            and bool(self.unexcused) and not self.missing
        )


def read_session(session: SessionFacts, meetings: Iterable[MeetingFacts], deputy_id: int,
                 marks: Mapping[int, bool], cover: LeaveCover, window: tuple[dt.date, dt.date] | None,
                 as_of: dt.date, spans: Spans = NO_SPANS) -> SessionMark:
    """How one deputy fared at one session: each meeting read by read_meeting."""
    return SessionMark(
        session, deputy_id, session.end <= as_of, cover.whole.get(session.id),
        tuple(read_meeting(m, deputy_id, marks.get(m.id), cover, window, as_of, spans) for m in meetings),
    )


def in_window(session: SessionFacts, window: tuple[dt.date, dt.date] | None, spans: Spans = NO_SPANS) -> bool:
    """The session lies (at least partly) in the deputy's service period, on a day not suspended."""
    if window is None or session.end < window[0] or session.start > window[1]:
        return False
    return not spans or served_days(max(session.start, window[0]), min(session.end, window[1]), spans) > 0


def deputy_spans(deputy, window: tuple[dt.date, dt.date] | None, as_of: dt.date) -> Spans:
    """The deputy's suspended days inside their service window, as known by as_of (RULES.md "Suspension")."""
    if window is None or not deputy.suspensions:
        return NO_SPANS
    return suspended_spans(deputy.suspensions, window[0], window[1], as_of)


def read_participation(p: ParticipationFact, start: dt.date, end: dt.date, as_of: dt.date,
                       spans: Spans = NO_SPANS) -> tuple[str | None, str]:
    """(rule id it counts toward or None, reason): a record counts on its (first) date, in service, by as_of;
    a suspended day is outside the service period."""
    day = p.date
    if day < start or day > end or (spans and is_suspended(day, spans)):  # (spans first: most deputies have none)
        return None, OUTSIDE_SERVICE
    if day > as_of:
        return None, AFTER_AS_OF
    attended = p.outcome == ATTENDED
    rule_id = counted_toward(p.kind, p.outcome, p.confirmed)
    if rule_id is None:
        return None, COUNTS_FOR_NOTHING if attended else NOT_ATTENDED
    return rule_id, COUNTS if attended else CONFIRMED_ABSENCE


@dataclass(frozen=True, slots=True)
class ParticipationMark:
    """One deputy's participation and which rule it counts toward, or why it does not."""

    participation: ParticipationFact
    rule: str | None
    reason: str

    @property
    def counts(self) -> bool:
        return self.reason in (COUNTS, CONFIRMED_ABSENCE)


@dataclass(frozen=True, slots=True)
class DeputyReading:
    """Everything classify says about one deputy."""

    deputy_id: int
    window: tuple[dt.date, dt.date] | None  # term ∩ service period
    cover: LeaveCover
    sessions: Mapping[int, SessionMark]  # session id → mark, for the sessions of the service period
    meetings: Mapping[int, MeetingMark]  # meeting id → mark, every meeting of the term
    participations: Mapping[int, ParticipationMark]  # activity id → mark
    suspended: Spans = NO_SPANS  # suspended days inside the window as known by as_of (windows.suspended_spans)


@dataclass(frozen=True, slots=True)
class Classification:
    """The read model of a term for some deputies at an as-of date (RULES.md, facts the rules read)."""

    as_of: dt.date
    deputies: Mapping[int, DeputyReading]

    def meeting(self, deputy_id: int, meeting_id: int) -> MeetingMark | None:
        reading = self.deputies.get(deputy_id)
        return reading.meetings.get(meeting_id) if reading else None

    def session(self, deputy_id: int, session_id: int) -> SessionMark | None:
        """None when the session is outside the deputy's service period."""
        reading = self.deputies.get(deputy_id)
        return reading.sessions.get(session_id) if reading else None

    def participation(self, deputy_id: int, activity_id: int) -> ParticipationMark | None:
        reading = self.deputies.get(deputy_id)
        return reading.participations.get(activity_id) if reading else None


def read_deputy(term: TermFacts, facts: Facts, deputy_id: int, as_of: dt.date) -> DeputyReading:
    """Every meeting, session and participation of one deputy of the term, classified."""
    deputy = facts.deputies[deputy_id]
    window = service_window(term.start, term.end, deputy.service_start, deputy.service_end)
    spans = deputy_spans(deputy, window, as_of)
    cover = read_leave(facts.leaves.get(deputy_id, ()))
    marks = facts.attendance.get(deputy_id, {})
    sessions: dict[int, SessionMark] = {}
    meetings: dict[int, MeetingMark] = {}
    for session in facts.sessions:
        session_meetings = facts.session_meetings.get(session.id, ())
        if in_window(session, window, spans):
            mark = read_session(session, session_meetings, deputy_id, marks, cover, window, as_of, spans)
            sessions[session.id] = mark
            meetings.update((m.meeting.id, m) for m in mark.meetings)
        else:
            meetings.update(
                (m.id, read_meeting(m, deputy_id, marks.get(m.id), cover, window, as_of, spans))
                for m in session_meetings
            )
    participations: dict[int, ParticipationMark] = {}
    if window is not None:
        start, end = window
        for p in facts.participations.get(deputy_id, ()):
            participations[p.activity_id] = ParticipationMark(p, *read_participation(p, start, end, as_of, spans))
    else:
        for p in facts.participations.get(deputy_id, ()):
            participations[p.activity_id] = ParticipationMark(p, None, OUTSIDE_SERVICE)
    return DeputyReading(deputy_id, window, cover, sessions, meetings, participations, spans)


def classify(term: TermFacts, facts: Facts, as_of: dt.date, deputy_ids: Iterable[int] | None = None) -> Classification:
    """The read model of the term's deputies (or the given ones) at as_of."""
    ids = sorted(facts.deputies) if deputy_ids is None else sorted(set(deputy_ids) & facts.deputies.keys())
    return Classification(as_of, {deputy_id: read_deputy(term, facts, deputy_id, as_of) for deputy_id in ids})
