"""Reads of a session's attendance as the regulation reads it, scoped by user: a meeting's attendance sheet
and the session's tallies (the absence bulletin is bulletin.py, the API's `excused` is api.py).

Whether a meeting is present, excused (and by which leave), unexcused, not recorded or outside the
deputy's service comes from the classification (oversight.rules.classify, loaded by
oversight.findings.selectors.classification_for for the session only): nothing here re-reads leave or
service dates. What the page shows beside it (the leave requests that were not approved, the mark
saved for a meeting still to come) is read from the records as they are.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from deputies.models import Deputy
from dutyadmin.scope import scope_for
from deputies.selectors import deputy_list
from meetings.choices import LeaveRoute, LeaveStatus
from meetings.models import Attendance, CongressSession, LeaveRequest, Meeting
from oversight.rules.classify import (
    EXCUSED,
    NOT_IN_SERVICE,
    NOT_RECORDED,
    PRESENT,
    UNEXCUSED,
    MeetingMark,
    SessionMark,
)

from ..findings.selectors import classification_for

# A leave request that was asked but excuses nothing (Art. 3: 未经批准不到会的,一律按缺席对待): its words and tone.
UNAPPROVED_LABELS = {
    LeaveStatus.PENDING: ("请假审批中(未批准)", "warn"),
    LeaveStatus.REJECTED: ("请假已驳回", "bad"),
    LeaveStatus.WITHDRAWN: ("请假已撤回", ""),
}

DEPUTY_ORDER = (F("delegation__name").asc(nulls_last=True), "street_committee__code", "name", "id")


@dataclass
class SessionReading:
    """A session's meetings and the deputies in a user's scope, each (deputy, meeting) read by the classification."""

    session: CongressSession
    meetings: list[Meeting]
    deputies: list[Deputy]  # in scope, of the session's term, by delegation, street, name
    marks: dict[tuple[int, int], MeetingMark]  # (deputy id, meeting id) → mark
    session_marks: dict[int, SessionMark]  # deputy id → mark, once the session has ended (deputies in service)
    requests: dict[int, LeaveRequest]  # every submitted request of the session in scope, by id
    unapproved: dict[tuple[int, int], list[LeaveRequest]]  # (deputy id, meeting id) → requests excusing nothing
    as_of: dt.date
    ended: bool  # the session is over by as_of (SessionMark.ended)

    def mark(self, deputy_id: int, meeting_id: int) -> MeetingMark:
        return self.marks[(deputy_id, meeting_id)]

    def approved_leave(self, mark: MeetingMark) -> LeaveRequest | None:
        """The approved request the classification says covers the meeting (also behind a present mark)."""
        return self.requests.get(mark.leave_id) if mark.leave_id is not None else None


def _requests(session: CongressSession, scope) -> tuple[list[LeaveRequest], dict[int, list[int]]]:
    """The session's submitted requests in scope, and the meetings each names (two queries, none or many)."""
    requests = list(
        LeaveRequest.objects.filter(session_id=session.pk).filter(scope.deputy_q("deputy__"))
        .exclude(status=LeaveStatus.DRAFT).order_by("created_at", "id")
    )
    named: dict[int, list[int]] = defaultdict(list)
    through = LeaveRequest.meetings.through.objects.filter(leaverequest__session_id=session.pk).order_by()
    for leave_id, meeting_id in through.values_list("leaverequest_id", "meeting_id"):
        named[leave_id].append(meeting_id)
    return requests, named


def session_reading(*, user, session: CongressSession, as_of: dt.date | None = None,
                    meeting: Meeting | None = None) -> SessionReading:
    """The session (or one of its meetings) for the deputies in the user's scope, in ten queries.

    These pages show the roll calls as entered, so the classification is read as of the session's last day
    when that is later than as_of (a mark saved ahead of a meeting is shown, not dropped as "not known yet");
    as of that day the session has ended, so its SessionMarks are kept only when it has ended by as_of
    itself: while it runs, nobody is an unapproved non-attendance (A9.1 judges an ended session).
    """
    as_of = as_of or timezone.localdate()
    scope = scope_for(user)
    if meeting is not None:
        meetings = [meeting]
    else:
        meetings = list(session.meetings.order_by("date", "half_day", "id"))
    in_scope = deputy_list(user=user).filter(term_id=session.term_id)
    deputies = list(in_scope.order_by(*DEPUTY_ORDER))
    records_as_of = max(as_of, session.end_date)
    classification = classification_for(term=session.term, as_of=records_as_of, deputies=in_scope,
                                        attendance_only=True, session=session.pk)
    marks: dict[tuple[int, int], MeetingMark] = {}
    session_marks: dict[int, SessionMark] = {}
    ended = False
    for deputy in deputies:
        reading = classification.deputies[deputy.pk]
        for m in meetings:
            marks[(deputy.pk, m.pk)] = reading.meetings[m.pk]
        mark = reading.sessions.get(session.pk)
        if mark is not None and records_as_of == as_of:
            session_marks[deputy.pk] = mark
            ended = mark.ended
    if not session_marks:
        ended = records_as_of == as_of  # SessionMark.ended (its last day is on or before as_of), no deputy to ask
    requests, named_by = _requests(session, scope)
    unapproved: dict[tuple[int, int], list[LeaveRequest]] = defaultdict(list)
    every = [m.pk for m in meetings]
    for leave in requests:
        if leave.status == LeaveStatus.APPROVED:
            continue  # approved leave is the classification's (mark.leave_id)
        named = every if leave.route == LeaveRoute.WHOLE_SESSION else named_by.get(leave.pk, [])
        for meeting_id in named:
            unapproved[(leave.deputy_id, meeting_id)].append(leave)
    return SessionReading(session, meetings, deputies, marks, session_marks, {r.pk: r for r in requests},
                          dict(unapproved), as_of, ended)


# --- a meeting's attendance sheet -------------------------------------------------------------------


@dataclass
class SheetRow:
    """One deputy on a meeting's attendance sheet."""

    deputy: Deputy
    status: str | None  # the mark saved for the meeting: present / absent / None (what the form shows)
    mark: MeetingMark  # what the regulation makes of it
    approved_leave: LeaveRequest | None  # the approved leave covering the meeting (the mark's)
    other_leaves: list[LeaveRequest] = field(default_factory=list)  # pending, rejected, withdrawn: excuse nothing
    self_checked_in_at: dt.datetime | None = None  # --- checkin: when the deputy scanned the code (自助签到)

    @property
    def excused(self) -> bool:
        return self.mark.status == EXCUSED

    @property
    def leave_notes(self) -> list[tuple[str, str]]:
        """(words, tone) of each request behind the row that excuses nothing, newest first."""
        return [UNAPPROVED_LABELS.get(leave.status, ("", "")) for leave in self.other_leaves]


def attendance_sheet(*, user, meeting: Meeting, as_of: dt.date | None = None) -> list[SheetRow]:
    """The meeting's deputies in scope by delegation and name: those in service that day, and anyone already
    recorded there, each with the saved mark, the classification's reading and the leave behind it."""
    reading = session_reading(user=user, session=meeting.session, as_of=as_of, meeting=meeting)
    records = Attendance.objects.filter(meeting_id=meeting.pk).order_by()
    saved, checked_in = {}, {}
    for deputy_id, status, self_checked_in, at in records.values_list("deputy_id", "status", "self_checked_in",
                                                                      "self_checked_in_at"):
        saved[deputy_id] = status
        if self_checked_in:
            checked_in[deputy_id] = at
    rows = []
    for deputy in reading.deputies:
        mark = reading.mark(deputy.pk, meeting.pk)
        status = saved.get(deputy.pk)
        if mark.status == NOT_IN_SERVICE and status is None:
            continue  # not expected: sworn in later, or gone earlier
        others = sorted(reading.unapproved.get((deputy.pk, meeting.pk), []), key=lambda r: (r.created_at, r.pk),
                        reverse=True)
        rows.append(SheetRow(deputy, status, mark, reading.approved_leave(mark), others,
                             self_checked_in_at=checked_in.get(deputy.pk)))
    return rows


def sheet_counts(rows: list[SheetRow]) -> dict[str, int]:
    """The sheet's tallies, from the rows' marks: 应到, 出席, 缺席 (of which on leave), 未登记, 已批准请假."""
    return {
        "total": len(rows),
        "present": sum(1 for r in rows if r.mark.status == PRESENT),
        "absent": sum(1 for r in rows if r.mark.status == UNEXCUSED or (r.excused and r.mark.recorded is False)),
        "excused": sum(1 for r in rows if r.excused and r.mark.recorded is False),
        "unrecorded": sum(1 for r in rows if r.mark.recorded is None and r.mark.status != NOT_IN_SERVICE),
        "on_leave": sum(1 for r in rows if r.mark.leave_id is not None),
    }


# --- the session's tallies ---------------------------------------------------------------------------


@dataclass
class MeetingTally:
    """How a meeting's roll call stands for the deputies in scope (those in service that day)."""

    meeting: Meeting
    expected: int = 0
    present: int = 0
    excused: int = 0  # an approved leave covers it (absent, or not recorded)
    unexcused: int = 0  # absent without approval
    unrecorded: int = 0  # no record, no approved leave: not an absence
    recorded: int = 0  # a mark is known (present or absent)

    @property
    def absent(self) -> int:
        return self.excused + self.unexcused


def tallies_of(reading: SessionReading) -> list[MeetingTally]:
    """One tally per meeting of the reading, from its marks."""
    tallies = []
    for meeting in reading.meetings:
        tally = MeetingTally(meeting=meeting)
        for deputy in reading.deputies:
            mark = reading.mark(deputy.pk, meeting.pk)
            if mark.status == NOT_IN_SERVICE:
                continue
            tally.expected += 1
            if mark.recorded is not None:
                tally.recorded += 1
            if mark.status == PRESENT:
                tally.present += 1
            elif mark.status == EXCUSED:
                tally.excused += 1
            elif mark.status == UNEXCUSED:
                tally.unexcused += 1
            elif mark.status == NOT_RECORDED:
                tally.unrecorded += 1
        tallies.append(tally)
    return tallies


def session_tallies(*, user, session: CongressSession, as_of: dt.date | None = None) -> list[MeetingTally]:
    """One tally per meeting of the session, in a fixed number of queries whatever the number of deputies."""
    return tallies_of(session_reading(user=user, session=session, as_of=as_of))

