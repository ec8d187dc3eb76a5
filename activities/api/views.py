"""API viewsets of activities and participations."""
from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.decorators import action

from dutyadmin import policy
from dutyadmin.api.serializers import BulkResultSerializer
from dutyadmin.api.viewsets import ScopedModelViewSet, bulk_response

from .. import selectors, services
from ..filtersets import ActivityFilterSet, ParticipationFilterSet
from .serializers import ActivitySerializer, ParticipationBulkSerializer, ParticipationSerializer


class ActivityViewSet(ScopedModelViewSet):
    """闭会期间活动; POST {id}/participations/ records many deputies' participation at once."""

    selector = staticmethod(selectors.activity_list)
    serializer_class = ActivitySerializer
    filterset_class = ActivityFilterSet

    def can_write(self, scope, obj) -> bool:
        return policy.can_edit_activity(scope, street_committee_id=obj.street_committee_id)

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
        return policy.can_edit_participation(scope, activity=obj.activity, deputy=obj.deputy)

    def save_record(self, instance, data):
        return services.participation_save(user=self.request.user, participation=instance, data=data)

    def delete_record(self, instance) -> None:
        services.participation_delete(user=self.request.user, participation=instance)
