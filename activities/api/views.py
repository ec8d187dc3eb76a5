"""API viewsets of activities and participations."""
from __future__ import annotations

from django.core.exceptions import ValidationError
from drf_spectacular.utils import extend_schema
from rest_framework import exceptions, permissions
from rest_framework.decorators import action
from rest_framework.response import Response

from dutyadmin.permissions import allows
from dutyadmin.api.serializers import BulkResultSerializer
from dutyadmin.api.viewsets import ScopedModelViewSet, bulk_response

from .. import selectors, services
from ..filtersets import ActivityFilterSet, ParticipationFilterSet
from .serializers import (
    ActivitySerializer,
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
