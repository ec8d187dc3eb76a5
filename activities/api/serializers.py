"""JSON of activities and participations (DESIGN.md API)."""
from __future__ import annotations

from rest_framework import serializers

from deputies.models import Deputy
from deputies.selectors import deputy_list
from dutyadmin.api.fields import IdRelatedField
from dutyadmin.api.serializers import ModelSerializer

from ..models import Activity, Participation
from ..selectors import activity_list


class ActivitySerializer(ModelSerializer):
    class Meta:
        model = Activity
        fields = [
            "id",
            "term",
            "kind",
            "title",
            "date",
            "end_date",
            "organizer_level",
            "street_committee",
            "location",
            "description",
        ]


class ParticipationSerializer(ModelSerializer):
    activity = IdRelatedField(label="活动", queryset=Activity.objects.all(), selector=activity_list)
    deputy = IdRelatedField(label="代表", queryset=Deputy.objects.all(), selector=deputy_list)
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    activity_title = serializers.CharField(source="activity.title", read_only=True)

    class Meta:
        model = Participation
        fields = ["id", "activity", "activity_title", "deputy", "deputy_name", "confirmed", "outcome"]


class ParticipationBulkSerializer(serializers.Serializer):
    """Body of POST activities/{id}/participations/; each row is checked by the service."""

    records = serializers.JSONField(
        help_text='[{"deputy": id, "confirmed": true, "outcome": "pending" | "attended" | "excused" | "absent"}, ...]'
    )
