"""Reads of sessions, meetings, attendance, leave and contributions, scoped by user."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, F, OuterRef, Q, QuerySet, Subquery

from deputies.models import Deputy
from deputies.scope import scope_for
from deputies.selectors import deputy_list
from dutyadmin.permissions import leave_step_q

from .choices import AttendanceStatus, LeaveRoute, LeaveStatus, StepStatus
from .models import Attendance, CongressSession, Contribution, LeaveApprovalStep, LeaveRequest, Meeting



def session_list(*, user) -> QuerySet[CongressSession]:
    return CongressSession.objects.select_related("term")


def meeting_list(*, user) -> QuerySet[Meeting]:
    return Meeting.objects.select_related("session")


def approved_leave_covering(meeting_ref: str = "meeting_id", deputy_ref: str = "deputy_id"):
    """Exists(): an approved leave of the deputy covers the meeting (whole session or naming it)."""
    return Exists(
        LeaveRequest.objects.filter(
            deputy_id=OuterRef(deputy_ref),
            status=LeaveStatus.APPROVED,
        ).filter(
            Q(route=LeaveRoute.WHOLE_SESSION, session__meetings__id=OuterRef(meeting_ref))
            | Q(meetings__id=OuterRef(meeting_ref))
        )
    )


def attendance_list(*, user) -> QuerySet[Attendance]:
    """Attendance in scope, each annotated with `excused`: an approved leave covers it."""
    scope = scope_for(user)
    return (
        Attendance.objects.filter(scope.deputy_q("deputy__"))
        .select_related("meeting", "meeting__session", "deputy")
        .annotate(excused=approved_leave_covering())
    )


def leave_request_list(*, user) -> QuerySet[LeaveRequest]:
    scope = scope_for(user)
    return (
        LeaveRequest.objects.filter(scope.deputy_q("deputy__"))
        .select_related("deputy", "session", "created_by")
        .prefetch_related("meetings", "steps", "steps__acted_by")
    )


def contribution_list(*, user) -> QuerySet[Contribution]:
    scope = scope_for(user)
    return Contribution.objects.filter(scope.deputy_q("deputy__")).select_related("deputy", "session")


# --- Attendance sheets and session tallies ---------------------------------------------------


def in_service_on(day: dt.date, prefix: str = "") -> Q:
    """Q: the deputy served on that day (a deputy sworn in later or gone earlier was not expected)."""
    return Q(**{f"{prefix}service_start__lte": day}) & (
        Q(**{f"{prefix}service_end__isnull": True}) | Q(**{f"{prefix}service_end__gte": day})
    )


def deputies_expected_at(*, user, meeting: Meeting) -> QuerySet[Deputy]:
    """Deputies in scope expected at the meeting (in service that day), and anyone already recorded there."""
    recorded = Exists(Attendance.objects.filter(meeting_id=meeting.pk, deputy_id=OuterRef("pk")))
    return (
        deputy_list(user=user)
        .filter(term_id=meeting.session.term_id)
        .filter(in_service_on(meeting.date) | Q(recorded))
    )


def leaves_covering(meeting: Meeting) -> QuerySet[LeaveRequest]:
    """Submitted leave requests (any status but draft) whose route covers the meeting."""
    naming = LeaveRequest.meetings.through.objects.filter(meeting_id=meeting.pk).values("leaverequest_id")
    return (
        LeaveRequest.objects.filter(session_id=meeting.session_id)
        .exclude(status=LeaveStatus.DRAFT)
        .filter(Q(route=LeaveRoute.WHOLE_SESSION) | Q(pk__in=naming))
        .order_by("-created_at", "-id")
    )


@dataclass
class SheetRow:
    """One deputy on a meeting's attendance sheet."""

    deputy: Deputy
    status: str | None  # present / absent / None (not recorded)
    approved_leave: LeaveRequest | None  # excuses an absence
    other_leaves: list[LeaveRequest] = field(default_factory=list)  # pending, rejected, withdrawn: excuse nothing

    @property
    def excused(self) -> bool:
        return self.status == AttendanceStatus.ABSENT and self.approved_leave is not None


def attendance_sheet(*, user, meeting: Meeting) -> list[SheetRow]:
    """The meeting's deputies in scope by delegation and name, each with their mark and leave (3 queries)."""
    deputies = list(
        deputies_expected_at(user=user, meeting=meeting).order_by(
            F("delegation__name").asc(nulls_last=True), "street_committee__code", "name", "id"
        )
    )
    marks = dict(
        Attendance.objects.filter(meeting_id=meeting.pk).order_by().values_list("deputy_id", "status")
    )
    approved: dict[int, LeaveRequest] = {}
    others: dict[int, list[LeaveRequest]] = defaultdict(list)
    for leave in leaves_covering(meeting):
        if leave.status == LeaveStatus.APPROVED:
            approved.setdefault(leave.deputy_id, leave)
        else:
            others[leave.deputy_id].append(leave)
    return [
        SheetRow(deputy=d, status=marks.get(d.pk), approved_leave=approved.get(d.pk), other_leaves=others.get(d.pk, []))
        for d in deputies
    ]


@dataclass
class MeetingTally:
    """How a meeting's roll call stands for the deputies in scope."""

    meeting: Meeting
    expected: int = 0
    present: int = 0
    excused: int = 0  # absent, covered by an approved leave
    unexcused: int = 0  # absent without approval
    unrecorded: int = 0  # expected, no record: not an absence

    @property
    def recorded(self) -> int:
        return self.present + self.excused + self.unexcused

    @property
    def absent(self) -> int:
        return self.excused + self.unexcused


def session_tallies(*, user, session: CongressSession) -> list[MeetingTally]:
    """One tally per meeting of the session, in three queries whatever the number of deputies."""
    meetings = list(session.meetings.order_by("date", "half_day", "id"))
    deputies = list(
        deputy_list(user=user).filter(term_id=session.term_id).order_by().values_list("id", "service_start", "service_end")
    )
    marks: dict[int, dict[int, tuple[str, bool]]] = defaultdict(dict)
    rows = attendance_list(user=user).filter(meeting__session_id=session.pk).order_by()
    for meeting_id, deputy_id, status, excused in rows.values_list("meeting_id", "deputy_id", "status", "excused"):
        marks[meeting_id][deputy_id] = (status, excused)
    tallies = []
    for meeting in meetings:
        tally = MeetingTally(meeting=meeting)
        recorded = marks.get(meeting.pk, {})
        for deputy_id, start, end in deputies:
            mark = recorded.get(deputy_id)
            if mark is None:
                if start <= meeting.date and (end is None or end >= meeting.date):
                    tally.expected += 1
                    tally.unrecorded += 1
                continue
            tally.expected += 1
            status, excused = mark
            if status == AttendanceStatus.PRESENT:
                tally.present += 1
            elif excused:
                tally.excused += 1
            else:
                tally.unexcused += 1
        tallies.append(tally)
    return tallies


# --- Leave: who must act next -------------------------------------------------------------------


def leave_inbox(*, user) -> QuerySet[LeaveRequest]:
    """Pending requests whose current step is for one of the user's roles, for a deputy in their scope.

    decide_leave_step in SQL (permissions.leave_step_q renders the same role → reach table): the
    street director of the deputy's street, the head of the deputy's delegation, the district roles
    for every deputy; an admin sees all.
    """
    scope = scope_for(user)
    current_role = Subquery(
        LeaveApprovalStep.objects.filter(leave_request_id=OuterRef("pk"), status=StepStatus.WAITING)
        .order_by("order")
        .values("role")[:1]
    )
    pending = (
        leave_request_list(user=user)
        .select_related("deputy__street_committee", "deputy__delegation")
        .filter(status=LeaveStatus.PENDING)
        .annotate(current_role=current_role)
    )
    return pending.filter(leave_step_q(scope, role="current_role", deputy="deputy__"))


def leave_request_history(*, leave: LeaveRequest) -> list:
    """Every change to the request and to its approval steps: who, when, before → after."""
    from oversight.profile import record_history  # oversight.profile reads this module's selectors

    return record_history(
        sources=[
            ("请假申请", LeaveRequest.history.filter(id=leave.pk)),
            ("请假审批", LeaveApprovalStep.history.filter(leave_request_id=leave.pk)),
        ]
    )


# --- Contributions waiting for staff ---------------------------------------------------------


def contribution_review_list(*, user) -> QuerySet[Contribution]:
    """Deputies' own entries in scope that wait for confirmation (returned ones included, last)."""
    return contribution_list(user=user).filter(confirmed=False).order_by("date", "id")
