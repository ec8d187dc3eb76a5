"""Reads of sessions, meetings, attendance, leave and contributions, scoped by user."""
from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from deputies.scope import scope_for

from .choices import LeaveRoute, LeaveStatus
from .models import Attendance, CongressSession, Contribution, LeaveRequest, Meeting


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
