"""Reads of sessions, meetings, attendance, leave and contributions, scoped by user."""
from __future__ import annotations

from django.db.models import Exists, OuterRef, QuerySet, Subquery

from dutyadmin.history import record_history
from dutyadmin.scope import scope_for

from dutyadmin.permissions import leave_step_q

from .choices import LeaveStatus, StepStatus
from .services import FILING_CODES
from .models import Attendance, CongressSession, Contribution, LeaveApprovalStep, LeaveRequest, Meeting



def session_list(*, user) -> QuerySet[CongressSession]:
    return CongressSession.objects.select_related("term")


def meeting_list(*, user) -> QuerySet[Meeting]:
    return Meeting.objects.select_related("session")


def attendance_records(*, user) -> QuerySet[Attendance]:
    """Attendance records in scope, as recorded (what they mean is oversight's classification)."""
    scope = scope_for(user)
    return Attendance.objects.filter(scope.deputy_q("deputy__")).select_related("meeting", "meeting__session", "deputy")


def leave_request_list(*, user) -> QuerySet[LeaveRequest]:
    """Leave requests in scope; each carries filing_open: its filing step (备案) still waits."""
    scope = scope_for(user)
    filing_open = Exists(LeaveApprovalStep.objects.filter(
        leave_request_id=OuterRef("pk"), status=StepStatus.WAITING, code__in=FILING_CODES))
    return (
        LeaveRequest.objects.filter(scope.deputy_q("deputy__"))
        .annotate(filing_open=filing_open)
        .select_related("deputy", "session", "created_by")
        .prefetch_related("meetings", "steps", "steps__acted_by")
    )


def contribution_list(*, user) -> QuerySet[Contribution]:
    scope = scope_for(user)
    return Contribution.objects.filter(scope.deputy_q("deputy__")).select_related("deputy", "session")


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


def leave_filings_waiting(*, user) -> QuerySet[LeaveRequest]:
    """待备案: approved requests whose filing step (备案) is still open and is the user's to act on.

    The filing step is read from the route specs (services.LEAVE_CHAINS, kind FILING); who may act is
    decide_leave_step in SQL, as in leave_inbox (the secretariat, the SC office; an admin sees all).
    """
    scope = scope_for(user)
    filing_role = Subquery(
        LeaveApprovalStep.objects.filter(leave_request_id=OuterRef("pk"), status=StepStatus.WAITING,
                                         code__in=FILING_CODES)
        .order_by("order")
        .values("role")[:1]
    )
    approved = (
        leave_request_list(user=user)
        .select_related("deputy__street_committee", "deputy__delegation")
        .filter(status=LeaveStatus.APPROVED)
        .annotate(filing_role=filing_role)
        .filter(filing_role__isnull=False)
    )
    return approved.filter(leave_step_q(scope, role="filing_role", deputy="deputy__"))


def leave_request_history(*, leave: LeaveRequest) -> list:
    """Every change to the request and to its approval steps: who, when, before → after."""
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
