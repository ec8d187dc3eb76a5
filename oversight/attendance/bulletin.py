"""The absence bulletin of a session (缺席通报, Art. 3, last paragraph): by meeting, who was on
approved leave, who was absent without approval, and, apart, who has no record at all (a roll call
never entered is not an absence). Scoped by user; a fixed number of queries whatever the number of deputies.

Built from the classification (selectors.session_reading): a meeting is on leave, unexcused or not
recorded as its MeetingMark says, and "未出席本次大会" is exactly SessionMark.non_attendance (the session
has ended, present at none, an unexcused absence and no roll call missing). Only the notes about a
request that was not approved read the leave requests themselves.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from deputies.models import Deputy
from meetings.choices import AttendanceStatus, LeaveStatus
from meetings.models import CongressSession, LeaveRequest, Meeting
from oversight.rules import Finding
from oversight.rules.classify import EXCUSED, NOT_RECORDED, PRESENT, UNEXCUSED

from .selectors import session_reading


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
    # 未经批准不出席 (A9.1): SessionMark.non_attendance.
    whole_session: bool
    notice: Finding | None = None  # the A3 finding (absence_notice) of the session, set by the page

    @property
    def notice_date(self) -> dt.date | None:
        """The date of the notice that resolved the A3 finding (its intervention evidence), if any."""
        found = [e.date for e in self.notice.evidence if e.type == "intervention"] if self.notice else []
        return found[0] if found else None


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


def session_bulletin(*, user, session: CongressSession, today: dt.date | None = None) -> Bulletin:
    """The bulletin of the session for the deputies in the user's scope, as of today."""
    reading = session_reading(user=user, session=session, as_of=today)
    by_meeting = []
    unexcused_of: dict[int, list[Meeting]] = {}
    for meeting in reading.meetings:
        block = BulletinMeeting(meeting=meeting)
        for deputy in reading.deputies:
            mark = reading.mark(deputy.pk, meeting.pk)
            recorded = {True: AttendanceStatus.PRESENT, False: AttendanceStatus.ABSENT}.get(mark.recorded)
            if mark.status == EXCUSED or (mark.status == PRESENT and mark.leave_id is not None):
                note = "已请假但记录为出席,请核对" if mark.status == PRESENT else (
                    "未登记出席情况" if mark.recorded is None else "")
                block.on_leave.append(BulletinEntry(deputy, recorded, reading.approved_leave(mark), note))
            elif mark.status == UNEXCUSED:
                behind = reading.unapproved.get((deputy.pk, meeting.pk))
                other = behind[-1] if behind else None  # the latest request gives the note
                note = UNAPPROVED_NOTES.get(other.status, "") if other else ""
                block.unexcused.append(BulletinEntry(deputy, recorded, other, note))
                unexcused_of.setdefault(deputy.pk, []).append(meeting)
            elif mark.status == NOT_RECORDED:
                block.unrecorded.append(BulletinEntry(deputy, None, None, "未登记,不作缺席"))
            elif mark.status == PRESENT:
                block.present += 1
        by_meeting.append(block)

    by_deputy = []
    for deputy in reading.deputies:
        if deputy.pk in unexcused_of:
            session_mark = reading.session_marks.get(deputy.pk)
            whole = session_mark is not None and session_mark.non_attendance
            by_deputy.append(DeputyAbsences(deputy=deputy, meetings=unexcused_of[deputy.pk], whole_session=whole))
    return Bulletin(session=session, meetings=by_meeting, by_deputy=by_deputy, ended=reading.ended)
