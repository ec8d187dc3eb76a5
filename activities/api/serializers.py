"""JSON of activities and participations (DESIGN.md API)."""
from __future__ import annotations

from rest_framework import serializers

from deputies.models import Deputy
from deputies.selectors import deputy_list
from dutyadmin.api.fields import IdRelatedField
from dutyadmin.api.serializers import ModelSerializer

from ..choices import SELF_REGISTRATION_KINDS
from ..models import Activity, Participation, SelfRegistration
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
        fields = ["id", "activity", "activity_title", "deputy", "deputy_name", "confirmed", "outcome", "answered_at",
                  "decline_reason"]
        # The deputy's own answer: written only through POST participations/{id}/answer/.
        read_only_fields = ["answered_at", "decline_reason"]


class InvitationAnswerSerializer(serializers.Serializer):
    """Body of POST participations/{id}/answer/: the deputy's 确定参加 (true) or 不能参加 (false, with a reason)."""

    attend = serializers.BooleanField(
        label="是否确定参加", required=True,
        error_messages={"required": "请说明是否确定参加(attend 为 true 或 false)。",
                        "invalid": "attend 应为 true(确定参加)或 false(不能参加)。",
                        "null": "attend 应为 true(确定参加)或 false(不能参加)。"},
    )
    reason = serializers.CharField(
        label="不能参加的原因", required=False, allow_blank=True, default="", max_length=500, trim_whitespace=True,
        error_messages={"max_length": "原因最多500个字。", "invalid": "原因应为文字。", "null": "原因应为文字。"},
    )


class ParticipationBulkSerializer(serializers.Serializer):
    """Body of POST activities/{id}/participations/; each row is checked by the service."""

    records = serializers.JSONField(
        help_text='[{"deputy": id, "confirmed": true, "outcome": "pending" | "attended" | "excused" | "absent"}, ...]'
    )


class SelfRegistrationSerializer(ModelSerializer):
    """个人登记: a deputy writes kind, title, date, location, description; the rest is the review's."""

    deputy_name = serializers.CharField(source="deputy.name", read_only=True)

    class Meta:
        model = SelfRegistration
        fields = [
            "id", "deputy", "deputy_name", "kind", "title", "date", "location", "description", "status",
            "submitted_at", "reviewed_by", "reviewed_at", "return_reason", "activity",
        ]
        read_only_fields = [
            "deputy", "status", "submitted_at", "reviewed_by", "reviewed_at", "return_reason", "activity",
        ]

    def validate_kind(self, value: str) -> str:
        if value not in SELF_REGISTRATION_KINDS:
            allowed = "、".join(k.value for k in SELF_REGISTRATION_KINDS)
            raise serializers.ValidationError(f"这类活动由组织方登记,不能个人登记;可选:{allowed}。")
        return value


class ReturnReasonSerializer(serializers.Serializer):
    """Body of POST self-registrations/{id}/return/."""

    reason = serializers.CharField(max_length=1000, allow_blank=True, required=False, default="")
