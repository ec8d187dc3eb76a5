"""API viewsets of activities and participations."""
from __future__ import annotations

from urllib.parse import urlsplit

from django.core.exceptions import ValidationError
from django.urls import Resolver404, resolve
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from dutyadmin.checkin import CheckinRefused
from dutyadmin.permissions import allows
from dutyadmin.scope import scope_for
from meetings import services as meeting_services
from meetings.choices import AttendanceStatus
from meetings.models import Meeting
from dutyadmin.api.serializers import BulkResultSerializer
from dutyadmin.api.viewsets import ScopedModelViewSet, bulk_response

from .. import selectors, services
from ..choices import Outcome
from ..models import Activity
from ..filtersets import ActivityFilterSet, ParticipationFilterSet
from .serializers import (
    ActivitySerializer,
    CheckinResultSerializer,
    CheckinSerializer,
    InvitationAnswerSerializer,
    ParticipationBulkSerializer,
    ParticipationSerializer,
    ReturnReasonSerializer,
    SelfRegistrationSerializer,
)


class ActivityViewSet(ScopedModelViewSet):
    """闭会期间活动; POST {id}/participations/ records many deputies' participation at once."""

    selector = staticmethod(selectors.activity_list)
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet

    def can_write(self, scope, obj) -> bool:
        return allows(scope, "enter_activity", obj)

    def save_record(self, instance, data):
        return services.activity_save(user=self.request.user, activity=instance, data=data)

    def delete_record(self, instance) -> None:
        services.activity_delete(user=self.request.user, activity=instance)

    @extend_schema(request=ParticipationBulkSerializer, responses=BulkResultSerializer)
    @action(detail=True, methods=["post"], url_path="participations", filterset_class=None)
    def participations(self, request, pk=None):
        """Create or update the participation of many deputies in this activity, all rows or none."""
        activity = self.get_object()
        body = ParticipationBulkSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return bulk_response(
            lambda: services.participation_bulk_upsert(
                user=request.user, activity=activity, records=body.validated_data["records"]
            )
        )


class ParticipationViewSet(ScopedModelViewSet):
    """参加记录, one per activity and deputy."""

    selector = staticmethod(selectors.participation_list)
    serializer_class = ParticipationSerializer
    filterset_class = ParticipationFilterSet

    def can_write(self, scope, obj) -> bool:
        return allows(scope, "enter_participation", obj)

    def save_record(self, instance, data):
        return services.participation_save(user=self.request.user, participation=instance, data=data)

    def delete_record(self, instance) -> None:
        services.participation_delete(user=self.request.user, participation=instance)

    @extend_schema(request=InvitationAnswerSerializer, responses=ParticipationSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated], filterset_class=None)
    def answer(self, request, pk=None):
        """The invited deputy answers before the activity: {"attend": true} 确定参加, or {"attend": false,
        "reason": "…"} 不能参加 (the reason asks the organizer for leave). Deputy only; 400 once the activity has
        taken place or the organizer has recorded the outcome."""
        participation = self.get_object()
        if not allows(self.scope, "answer_invitation", participation):
            raise exceptions.PermissionDenied("只有受邀代表本人可以答复邀请。")
        body = InvitationAnswerSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        try:
            saved = services.invitation_answer(user=request.user, participation=participation,
                                               attend=body.validated_data["attend"],
                                               reason=body.validated_data["reason"])
        except ValidationError as exc:  # the service names the model's field; the body calls it "reason"
            if hasattr(exc, "error_dict"):
                raise ValidationError({"reason" if field == "decline_reason" else field: errors
                                       for field, errors in exc.error_dict.items()}) from exc
            raise
        return Response(self.get_serializer(self.reload(saved)).data)


class SelfRegistrationViewSet(ScopedModelViewSet):
    """个人登记: a deputy registers what they took part in; the street's staff approve or return it.

    Only an approved registration counts: approval creates the activity (organized by the deputy)
    and an attended participation. POST {id}/approve/, POST {id}/return/ {"reason"}.
    """

    selector = staticmethod(selectors.self_registration_list)
    serializer_class = SelfRegistrationSerializer
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def can_write_any(self, scope) -> bool:
        return allows(scope, "self_register")

    def can_write(self, scope, obj) -> bool:
        return allows(scope, "self_register", obj)

    def save_record(self, instance, data):
        return services.self_registration_save(user=self.request.user, registration=instance, data=data)

    def _review(self, request, run):
        registration = self.get_object()
        run(registration)
        return Response(self.get_serializer(self.reload(registration)).data)

    @extend_schema(request=None, responses=SelfRegistrationSerializer)
    @action(detail=True, methods=["post"], permission_classes=[permissions.IsAuthenticated])
    def approve(self, request, pk=None):
        """Approve: the activity and the deputy's attended participation are created; it now counts."""
        return self._review(
            request, lambda r: services.self_registration_approve(user=request.user, registration=r)
        )

    @extend_schema(request=ReturnReasonSerializer, responses=SelfRegistrationSerializer)
    @action(detail=True, methods=["post"], url_path="return", permission_classes=[permissions.IsAuthenticated])
    def return_(self, request, pk=None):
        """Return to the deputy with a reason (required); they may correct it and submit again."""
        body = ReturnReasonSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        return self._review(
            request,
            lambda r: services.self_registration_return(user=request.user, registration=r,
                                                        reason=body.validated_data["reason"]),
        )


# --- gaps14a: check-in by QR code through the API -------------------------------------------------------
SCANNED_VIEWS = {"activities:checkin": "activity", "meetings:checkin": "meeting"}


def _scanned(url: str) -> tuple[str, int, str]:
    """(kind, id, token) of a check-in address as printed on the code (absolute or a path)."""
    try:
        match = resolve(urlsplit(url).path)
    except Resolver404 as exc:
        raise exceptions.ValidationError({"url": ["这不是本系统的签到码网址。请扫描工作人员现场出示的签到码。"]}) from exc
    kind = SCANNED_VIEWS.get(match.view_name)
    if kind is None:
        raise exceptions.ValidationError({"url": ["这不是本系统的签到码网址。请扫描工作人员现场出示的签到码。"]})
    return kind, match.kwargs["pk"], match.kwargs["token"]


class CheckinView(APIView):
    """POST check-in/: a deputy's scan of a check-in code (自助签到), as the page the code opens.

    Records the deputy attended (activity) or present (meeting), marked self_checked_in; a repeat changes
    nothing (`already`). A forged code, another object's or day's code, outside service, suspended or a
    locked year is a 400 with the reason; an account that is not a deputy's is a 403."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(request=CheckinSerializer, responses={200: CheckinResultSerializer})
    def post(self, request):
        body = CheckinSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        kind, pk, token = _scanned(data["url"]) if data.get("url") else (data["kind"], data["id"], data["token"])
        try:
            if kind == "activity":
                target = Activity.objects.filter(pk=pk).first()
                if target is None:
                    raise exceptions.NotFound("没有这项活动。")
                record, already = services.participation_self_check_in(
                    user=request.user, activity=target, token=token, record=data["record"])
                recorded = Outcome.ATTENDED
            else:
                target = Meeting.objects.select_related("session").filter(pk=pk).first()
                if target is None:
                    raise exceptions.NotFound("没有这场会议。")
                record, already = meeting_services.attendance_self_check_in(
                    user=request.user, meeting=target, token=token, record=data["record"])
                recorded = AttendanceStatus.PRESENT
        except CheckinRefused as refusal:
            if refusal.not_a_deputy:
                raise exceptions.PermissionDenied(refusal.message) from refusal
            raise exceptions.ValidationError({"detail": [refusal.message], "reason": [refusal.title]}) from refusal
        return Response(CheckinResultSerializer({
            "kind": kind, "id": target.pk, "title": target.title,
            "deputy": scope_for(request.user).deputy_id, "recorded": recorded if record is not None else "",
            "already": already, "self_checked_in_at": record.self_checked_in_at if record is not None else None,
        }).data)
