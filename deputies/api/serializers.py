"""JSON of terms, street committees, delegations, deputies and contact assignments (DESIGN.md API)."""
from __future__ import annotations

from django.contrib.auth import get_user_model
from rest_framework import serializers

from dutyadmin.api.fields import DateField, IdRelatedField, JSONObjectField
from dutyadmin.api.serializers import ModelSerializer
from dutyadmin.roles import Role

from ..choices import ContactMode
from ..contacts import contact_assignment_list
from ..models import Contact, ContactAssignment, Delegation, Deputy, StreetCommittee, Suspension, Term, ThresholdChange
from ..models import HandlingUnit
from ..selectors import deputy_list
from ..users import user_full_name, user_role, user_scope_ids
from ..thresholds import thresholds_with_defaults, validate_thresholds


class ThresholdsField(JSONObjectField):
    """Every threshold key of RULES.md, defaults filled; input keys must be known, values positive."""

    def to_representation(self, value):
        return thresholds_with_defaults(value if isinstance(value, dict) else None)

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        errors = validate_thresholds(data)
        if errors:
            raise serializers.ValidationError(errors)
        return data


class TermSerializer(ModelSerializer):
    number = serializers.IntegerField(label="届次", min_value=1)
    thresholds = ThresholdsField(label="履职阈值", required=False)
    notice_days_before = serializers.IntegerField(label="提前通知天数", min_value=1, max_value=90, required=False)

    class Meta:
        model = Term
        fields = ["id", "number", "name", "start_date", "end_date", "thresholds", "notice_days_before"]

    def validate_thresholds(self, value: dict) -> dict:
        # A PATCH may send some keys: the others keep the term's current values.
        current = self.instance.thresholds if self.instance is not None else None
        return thresholds_with_defaults({**thresholds_with_defaults(current), **value})


class ThresholdChangeValuesField(JSONObjectField):
    """Some threshold keys of RULES.md with their new values (positive integers); at least one."""

    def to_internal_value(self, data):
        data = super().to_internal_value(data)
        if not data:
            raise serializers.ValidationError("请至少填写一项要调整的阈值。")
        errors = validate_thresholds(data)
        if errors:
            raise serializers.ValidationError(errors)
        return data


class ThresholdChangeSerializer(ModelSerializer):
    """阈值调整: from effective_from on, these keys take these values (no update; delete before it takes effect)."""

    effective_from = DateField(
        label="生效日期", error_messages={"required": "请填写生效日期。", "null": "请填写生效日期。",
                                      "invalid": "日期格式应为 YYYY-MM-DD。"},
    )
    values = ThresholdChangeValuesField(label="调整的阈值")
    reason = serializers.CharField(
        label="调整原因", max_length=2000,
        error_messages={"required": "请填写调整原因。", "blank": "请填写调整原因。", "null": "请填写调整原因。"},
    )
    created_by = serializers.IntegerField(source="created_by_id", read_only=True, allow_null=True)
    created_by_name = serializers.SerializerMethodField()
    created_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = ThresholdChange
        fields = ["id", "term", "effective_from", "values", "reason", "created_by", "created_by_name", "created_at"]

    def get_created_by_name(self, change) -> str | None:
        user = change.created_by
        if user is None:
            return None
        return f"{user.last_name}{user.first_name}".strip() or user.get_username()


class StreetCommitteeSerializer(ModelSerializer):
    class Meta:
        model = StreetCommittee
        fields = ["id", "name", "code"]


class DelegationSerializer(ModelSerializer):
    head = IdRelatedField(
        label="团长", queryset=Deputy.objects.all(), selector=deputy_list, allow_null=True, required=False
    )

    class Meta:
        model = Delegation
        fields = ["id", "term", "name", "head"]


class DeputySerializer(ModelSerializer):
    class Meta:
        model = Deputy
        fields = [
            "id",
            "term",
            "name",
            "gender",
            "street_committee",
            "delegation",
            "status",
            "service_start",
            "service_end",
            "unit",
            "position",
            "constituency",
            "party_member",
            "phone",
        ]


class ContactAssignmentSerializer(ModelSerializer):
    """DESIGN.md contact-assignments/: term, member (user id of a sc_member), deputy; the rest read-only."""

    deputy = IdRelatedField(label="联系代表", queryset=Deputy.objects.all(), selector=deputy_list)
    member = IdRelatedField(label="常委会组成人员", queryset=get_user_model().objects.all())
    member_name = serializers.CharField(source="member_display", read_only=True)
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)

    class Meta:
        model = ContactAssignment
        fields = ["id", "term", "member", "member_name", "deputy", "deputy_name"]
        validators = []  # the service says which deputy is assigned twice, in Chinese, next to `deputy`


# --- contacts: A10.5 contacts -------------------------------------------------------------------------
class ContactSerializer(ModelSerializer):
    """DESIGN.md contacts/: assignment, date, mode, notes."""

    assignment = IdRelatedField(label="联系关系", queryset=ContactAssignment.objects.all(),
                                selector=contact_assignment_list)
    date = DateField(label="联系日期", required=False, error_messages={
        "invalid": "日期格式应为 YYYY-MM-DD。", "null": "请填写联系日期。"})
    mode = serializers.ChoiceField(label="联系方式", choices=ContactMode.choices, error_messages={
        "invalid_choice": "联系方式“{input}”无效，应为 research、inspection、visit、phone、letter、group_activity、forum 之一。",
        "required": "请选择联系方式。"})
    mode_label = serializers.CharField(source="get_mode_display", read_only=True)
    deputy = serializers.IntegerField(source="assignment.deputy_id", read_only=True)
    member = serializers.IntegerField(source="assignment.member_id", read_only=True)

    class Meta:
        model = Contact
        fields = ["id", "assignment", "date", "mode", "mode_label", "notes", "deputy", "member"]


class SuspensionSerializer(ModelSerializer):
    """暂时停止执行代表职务 (代表法 Art. 61): end_date null while the suspension is open (至今)."""

    deputy = IdRelatedField(label="代表", queryset=Deputy.objects.all(), selector=deputy_list)
    start_date = DateField(
        label="暂停开始日期", error_messages={"required": "请填写暂停开始日期。", "null": "请填写暂停开始日期。",
                                         "invalid": "日期格式应为 YYYY-MM-DD。"},
    )
    end_date = DateField(
        label="暂停结束日期", allow_null=True, required=False, error_messages={"invalid": "日期格式应为 YYYY-MM-DD。"},
    )
    reason = serializers.CharField(
        label="暂停原因", max_length=2000,
        error_messages={"required": "请填写暂停原因。", "blank": "请填写暂停原因。", "null": "请填写暂停原因。"},
    )
    created_by = serializers.IntegerField(source="created_by_id", read_only=True, allow_null=True)
    created_at = serializers.DateTimeField(read_only=True)

    class Meta:
        model = Suspension
        fields = ["id", "deputy", "start_date", "end_date", "reason", "created_by", "created_at"]


# --- users15: user accounts (/api/v1/users/, the administrator's) -------------------------------------------
class UserSerializer(serializers.Serializer):
    """DESIGN.md users/: username, password (write-only), full_name, role, the scope the role needs, is_active.

    Only translates JSON: the viewset saves through deputies.users (which validates the role's scope and the
    password with Django's validators, in Chinese)."""

    id = serializers.IntegerField(read_only=True)
    username = serializers.CharField(label="用户名", max_length=150, trim_whitespace=True)
    password = serializers.CharField(
        label="密码", write_only=True, required=False, trim_whitespace=False, max_length=128,
        style={"input_type": "password"},
        help_text="只写：新建账户时必填，修改时给出即更换密码（并使该用户的 API 令牌和登录会话失效）。")
    full_name = serializers.CharField(label="姓名", max_length=150, required=False, allow_blank=True, default="")
    role = serializers.ChoiceField(label="角色", choices=Role.choices)
    street_committee = IdRelatedField(label="人大街工委", queryset=StreetCommittee.objects.all(), required=False,
                                      allow_null=True, default=None,
                                      help_text="街工委工作人员、街工委主任必填；其他角色留空。")
    delegation = IdRelatedField(label="代表团", queryset=Delegation.objects.all(), required=False, allow_null=True,
                                default=None, help_text="代表团团长必填；其他角色留空。")
    deputy = IdRelatedField(label="代表", queryset=Deputy.objects.all(), required=False, allow_null=True,
                            default=None, help_text="代表必填；代表团团长可填其本人的代表记录；其他角色留空。")
    handling_unit = IdRelatedField(label="承办单位", queryset=HandlingUnit.objects.all(), required=False,
                                   allow_null=True, default=None, help_text="承办单位角色必填；其他角色留空。")
    is_active = serializers.BooleanField(label="启用", required=False, default=True,
                                         help_text="false 即停用：该用户不能再登录，其 API 令牌和登录会话失效。")

    def to_representation(self, user) -> dict:
        return {
            "id": user.pk,
            "username": user.username,
            "full_name": user_full_name(user),
            "role": user_role(user),
            **user_scope_ids(user),
            "is_active": user.is_active,
        }

    def create(self, validated_data):  # pragma: no cover - the viewset saves through deputies.users
        raise NotImplementedError

    def update(self, instance, validated_data):  # pragma: no cover
        raise NotImplementedError
