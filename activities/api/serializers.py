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
                  "decline_reason", "self_checked_in", "self_checked_in_at"]
        # The deputy's own answer: written only through POST participations/{id}/answer/; the check-in mark
        # only by scanning the code (POST check-in/).
        read_only_fields = ["answered_at", "decline_reason", "self_checked_in", "self_checked_in_at"]


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


# --- gaps14a: check-in by QR code through the API (a phone app scans the printed code)
CHECKIN_KINDS = [("activity", "闭会期间活动"), ("meeting", "大会会议")]  # named CheckinKindEnum in the schema


class CheckinSerializer(serializers.Serializer):
    """Body of POST check-in/: the scanned address, or the kind, id and token it holds."""

    url = serializers.CharField(label="签到码中的网址", required=False, allow_blank=True, max_length=2000)
    kind = serializers.ChoiceField(label="签到对象", choices=CHECKIN_KINDS,
                                   required=False, error_messages={"invalid_choice": "kind 应为 activity 或 meeting。"})
    id = serializers.IntegerField(label="活动或会议编号", required=False, min_value=1, max_value=2**31 - 1)
    token = serializers.CharField(label="签到令牌", required=False, max_length=500)
    record = serializers.BooleanField(label="是否登记", required=False, default=True,
                                      help_text="false 只检查签到码是否有效，不登记。")

    def validate(self, attrs):
        if attrs.get("url"):
            return attrs
        missing = [name for name in ("kind", "id", "token") if not attrs.get(name)]
        if missing:
            raise serializers.ValidationError(
                {name: "请提供扫码得到的网址（url）或 kind、id 和 token。" for name in missing})
        return attrs


class CheckinResultSerializer(serializers.Serializer):
    kind = serializers.CharField()
    id = serializers.IntegerField()
    title = serializers.CharField()
    deputy = serializers.IntegerField()
    recorded = serializers.CharField(help_text="attended(活动：出席)或 present(会议：出席)")
    already = serializers.BooleanField(help_text="此前已签到，本次未作改动")
    self_checked_in_at = serializers.DateTimeField(allow_null=True)
