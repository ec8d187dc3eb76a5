"""API viewsets of sessions, meetings, attendance, leave requests and contributions."""
from __future__ import annotations

from django.http import FileResponse, Http404
from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action
from rest_framework.response import Response

from dutyadmin.permissions import allows
from dutyadmin.api.serializers import BulkResultSerializer, CommentSerializer
from dutyadmin.api.viewsets import ScopedModelViewSet, SessionWritesMixin, bulk_response

from .. import selectors, services
from ..filtersets import (
    AttendanceFilterSet,
    CongressSessionFilterSet,
    ContributionFilterSet,
    LeaveRequestFilterSet,
    MeetingFilterSet,
)
from .serializers import (
    AttendanceBulkSerializer,
    AttendanceSerializer,
    CongressSessionSerializer,
    ContributionSerializer,
    LeaveBackfillSerializer,
    LeaveRequestSerializer,
    MeetingSerializer,
)


class CongressSessionViewSet(SessionWritesMixin, ScopedModelViewSet):
    """区人民代表大会会议: readable by every user; the secretariat records them."""

    selector = staticmethod(selectors.session_list)
    serializer_class = CongressSessionSerializer
    filterset_class = CongressSessionFilterSet


class MeetingViewSet(SessionWritesMixin, ScopedModelViewSet):
    """会议 of a session; POST {id}/attendance/ records a whole roll call at once."""

    selector = staticmethod(selectors.meeting_list)
    serializer_class = MeetingSerializer
    filterset_class = MeetingFilterSet

    @extend_schema(request=AttendanceBulkSerializer, responses=BulkResultSerializer)
    @action(detail=True, methods=["post"], url_path="attendance", filterset_class=None)
    def attendance(self, request, pk=None):
        """Create or update the attendance of many deputies at this meeting, all rows or none."""
        meeting = self.get_object()
        body = AttendanceBulkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return bulk_response(
            lambda: services.attendance_bulk_upsert(
                user=request.user, meeting=meeting, records=body.validated_data["records"]
            )
        )


class AttendanceViewSet(SessionWritesMixin, ScopedModelViewSet):
    """出席记录, one per meeting and deputy; `excused` says an approved leave covers it."""

    selector = staticmethod(selectors.attendance_records)
    serializer_class = AttendanceSerializer
    filterset_class = AttendanceFilterSet

    def save_record(self, instance, data):
        return services.attendance_save(user=self.request.user, attendance=instance, data=data)

    def delete_record(self, instance) -> None:
        services.attendance_delete(user=self.request.user, attendance=instance)


LEAVE_ACTIONS = ("submit", "approve", "reject", "withdraw")


class LeaveRequestViewSet(ScopedModelViewSet):
    """请假申请 on one of three routes; actions move it along its approval chain."""

    selector = staticmethod(selectors.leave_request_list)
    serializer_class = LeaveRequestSerializer
    filterset_class = LeaveRequestFilterSet

    def can_write(self, scope, obj) -> bool:
        if self.action in LEAVE_ACTIONS:
            return True  # each action's service decides who may act on which step
        return allows(scope, "file_leave", obj.deputy)

    def save_record(self, instance, data):
        return services.leave_request_save(user=self.request.user, leave_request=instance, data=data)

    def delete_record(self, instance) -> None:
        services.leave_request_delete(user=self.request.user, leave_request=instance)

    def _act(self, request, service, *, with_comment: bool = True):
        leave = self.get_object()
        kwargs = {}
        if with_comment:
            body = CommentSerializer(data=request.data)
            body.is_valid(raise_exception=True)
            kwargs["comment"] = body.validated_data["comment"]
            kwargs["step"] = body.validated_data.get("step")
        service(user=request.user, leave_request=leave, **kwargs)
        return Response(self.get_serializer(self.reload(leave)).data)

    @extend_schema(request=None, responses=LeaveRequestSerializer)
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        """草稿 → 审批中: the route's approval steps are laid out."""
        return self._act(request, services.leave_request_submit, with_comment=False)

    @extend_schema(request=CommentSerializer, responses=LeaveRequestSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Complete the current step: the deciding step approves the request; a filing step (备案) after it
        records the filing and leaves it approved."""
        return self._act(request, services.leave_request_approve)

    @extend_schema(request=CommentSerializer, responses=LeaveRequestSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        """Reject at the current step (a reason is required); the request ends. A filing step cannot reject."""
        return self._act(request, services.leave_request_reject)

    @extend_schema(request=CommentSerializer, responses=LeaveRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The deputy (or staff for them) withdraws a draft or pending request."""
        return self._act(request, services.leave_request_withdraw)

    @extend_schema(request=LeaveBackfillSerializer, responses={201: LeaveRequestSerializer})
    @action(detail=False, methods=["post"], filterset_class=None)
    def backfill(self, request):
        """补录: a leave of a session already held, decided on paper, with who signed each step and when."""
        body = LeaveBackfillSerializer(data=request.data, context=self.get_serializer_context())
        body.is_valid(raise_exception=True)
        data = dict(body.validated_data)
        status, steps = data.pop("status"), data.pop("steps")
        leave = services.leave_request_backfill(
            user=request.user, data=data, steps=[services.PaperStep(**step) for step in steps], status=status
        )
        return Response(self.get_serializer(self.reload(leave)).data, status=201)

    @extend_schema(responses={(200, "application/octet-stream"): bytes})
    @action(detail=True, methods=["get"])
    def certificate(self, request, pk=None):
        """Download the unit's certificate; only who may see the request may read it."""
        leave = self.get_object()
        if not leave.certificate:
            raise Http404("该请假申请没有上传单位请假证明。")
        try:
            handle = leave.certificate.open("rb")
        except FileNotFoundError as exc:
            raise Http404("单位请假证明文件已丢失。") from exc
        return FileResponse(handle, as_attachment=True, filename=leave.certificate.name.rsplit("/", 1)[-1])


class ContributionViewSet(ScopedModelViewSet):
    """审议意见、建议、议案、询问. Staff entries are confirmed; a deputy's own entry (POST for
    themself) is not, until staff confirm it (POST {id}/confirm/) or return it ({id}/return/)."""

    selector = staticmethod(selectors.contribution_list)
    serializer_class = ContributionSerializer
    filterset_class = ContributionFilterSet

    def can_write(self, scope, obj) -> bool:
        if services.contribution_editable(scope, obj):
            return True
        refusal = services.contribution_refusal(scope, obj)  # a deputy's own, confirmed: who and when, in the 403
        if refusal is not None:
            raise refusal
        return False

    def save_record(self, instance, data):
        return services.contribution_save(user=self.request.user, contribution=instance, data=data)

    def delete_record(self, instance) -> None:
        services.contribution_delete(user=self.request.user, contribution=instance)

    @extend_schema(request=None, responses=ContributionSerializer)
    @action(detail=True, methods=["post"], filterset_class=None)
    def confirm(self, request, pk=None):
        """Staff confirm a deputy's own entry; from then on it counts."""
        contribution = services.contribution_confirm(user=request.user, contribution=self.get_object())
        return Response(self.get_serializer(self.reload(contribution)).data)

    @extend_schema(request=CommentSerializer, responses=ContributionSerializer)
    @action(detail=True, methods=["post"], url_path="return", filterset_class=None)
    def return_to_deputy(self, request, pk=None):
        """Staff send a deputy's pending entry back; {"comment"} (the reason) is required."""
        contribution = self.get_object()
        body = CommentSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        contribution = services.contribution_return(
            user=request.user, contribution=contribution, comment=body.validated_data["comment"]
        )
        return Response(self.get_serializer(self.reload(contribution)).data)
