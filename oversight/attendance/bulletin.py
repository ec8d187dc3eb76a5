"""The absence bulletin of a session (缺席通报, Art. 3, last paragraph): by meeting, who was on
approved leave, who was absent without approval, and, apart, who has no record at all (a roll call
never entered is not an absence). Scoped by user; five queries whatever the number of deputies."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from deputies.models import Deputy
from deputies.selectors import deputy_list
from dutyadmin.scope import scope_for
from meetings.choices import AttendanceStatus, LeaveRoute, LeaveStatus
from meetings.models import Attendance, CongressSession, LeaveRequest, Meeting


@dataclass
class BulletinEntry:
    """One deputy under one heading of one meeting."""

    deputy: Deputy
    status: str | None  # what the secretariat recorded: present / absent / None
    leave: LeaveRequest | None  # the approved leave (on leave), or the unapproved one behind an absence
    note: str = ""


@dataclass
class BulletinMeeting:
    meeting: Meeting
    on_leave: list[BulletinEntry] = field(default_factory=list)
    unexcused: list[BulletinEntry] = field(default_factory=list)
    unrecorded: list[BulletinEntry] = field(default_factory=list)
    present: int = 0


@dataclass
class DeputyAbsences:
    """A deputy absent without approval from one or more meetings of the session."""

    deputy: Deputy
    meetings: list[Meeting]
    # Present at none of the session's meetings and absent without approval (A9.1 非出席).
    whole_session: bool


@dataclass
class Bulletin:
    session: CongressSession
    meetings: list[BulletinMeeting]
    by_deputy: list[DeputyAbsences]
    ended: bool  # the session is over: the bulletin is final, not a snapshot

    @property
    def totals(self) -> dict[str, int]:
        return {
            "on_leave": sum(len(m.on_leave) for m in self.meetings),
            "unexcused": sum(len(m.unexcused) for m in self.meetings),
            "unrecorded": sum(len(m.unrecorded) for m in self.meetings),
            "deputies": len(self.by_deputy),
        }


UNAPPROVED_NOTES = {
    LeaveStatus.PENDING: "请假申请审批中,未获批准",
    LeaveStatus.REJECTED: "请假申请已被驳回",
    LeaveStatus.WITHDRAWN: "请假申请已撤回",
}


def _serves_on(deputy: Deputy, day: dt.date) -> bool:
    return deputy.service_start <= day and (deputy.service_end is None or deputy.service_end >= day)


def session_bulletin(*, user, session: CongressSession, today: dt.date | None = None) -> Bulletin:
    """The bulletin of the session for the deputies in the user's scope."""
    today = today or timezone.localdate()
    scope = scope_for(user)
    meetings = list(session.meetings.order_by("date", "half_day", "id"))
    deputies = list(
        deputy_list(user=user)
        .filter(term_id=session.term_id)
        .order_by(F("delegation__name").asc(nulls_last=True), "street_committee__code", "name", "id")
    )
    wanted = {d.pk for d in deputies}
    marks = {
        (meeting_id, deputy_id): status
        for meeting_id, deputy_id, status in Attendance.objects.filter(meeting__session_id=session.pk)
        .order_by()
        .values_list("meeting_id", "deputy_id", "status")
        if deputy_id in wanted
    }
    leaves = list(
        LeaveRequest.objects.filter(session_id=session.pk)
        .filter(scope.deputy_q("deputy__"))
        .exclude(status=LeaveStatus.DRAFT)
        .order_by("created_at", "id")
    )
    named: dict[int, set[int]] = defaultdict(set)
    for leave_id, meeting_id in LeaveRequest.meetings.through.objects.filter(
        leaverequest__session_id=session.pk
    ).values_list("leaverequest_id", "meeting_id"):
        named[leave_id].add(meeting_id)
    all_meetings = {m.pk for m in meetings}
    approved: dict[tuple[int, int], LeaveRequest] = {}
    unapproved: dict[tuple[int, int], LeaveRequest] = {}
    for leave in leaves:
        covered = all_meetings if leave.route == LeaveRoute.WHOLE_SESSION else named.get(leave.pk, set())
        target = approved if leave.status == LeaveStatus.APPROVED else unapproved
        for meeting_id in covered:
            target[(meeting_id, leave.deputy_id)] = leave  # the latest request wins the note

    by_meeting = []
    unexcused_of: dict[int, list[Meeting]] = defaultdict(list)
    present_somewhere: set[int] = set()
    for meeting in meetings:
        block = BulletinMeeting(meeting=meeting)
        for deputy in deputies:
            key = (meeting.pk, deputy.pk)
            status = marks.get(key)
            if status == AttendanceStatus.PRESENT:
                present_somewhere.add(deputy.pk)
            leave = approved.get(key)
            if leave is not None:
                note = {AttendanceStatus.PRESENT: "已请假但记录为出席,请核对", None: "未登记出席情况"}.get(status, "")
                block.on_leave.append(BulletinEntry(deputy, status, leave, note))
            elif status == AttendanceStatus.ABSENT:
                other = unapproved.get(key)
                note = UNAPPROVED_NOTES.get(other.status, "") if other else ""
                block.unexcused.append(BulletinEntry(deputy, status, other, note))
                unexcused_of[deputy.pk].append(meeting)
            elif status is None and _serves_on(deputy, meeting.date):
                block.unrecorded.append(BulletinEntry(deputy, None, None, "未登记,不作缺席"))
            elif status == AttendanceStatus.PRESENT:
                block.present += 1
        by_meeting.append(block)

    by_deputy = [
        DeputyAbsences(deputy=d, meetings=unexcused_of[d.pk], whole_session=d.pk not in present_somewhere)
        for d in deputies
        if unexcused_of.get(d.pk)
    ]
    return Bulletin(session=session, meetings=by_meeting, by_deputy=by_deputy, ended=session.end_date < today)
