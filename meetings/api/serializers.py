"""JSON of sessions, meetings, attendance, leave requests and contributions (DESIGN.md API)."""
from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from deputies.models import Deputy
from deputies.selectors import deputy_list
from dutyadmin.api.fields import DateField, IdRelatedField
from dutyadmin.api.serializers import ModelSerializer

from ..choices import LeaveStatus, StepStatus
from ..models import Attendance, CongressSession, Contribution, LeaveApprovalStep, LeaveRequest, Meeting
from ..services import DECIDING_STEPS, FILING_STEPS, STEP_KINDS, STEP_LABELS
from ..validators import CERTIFICATE_MESSAGES, validate_certificate

def scoped_deputy_field(**kwargs) -> IdRelatedField:
    """A deputy reference: only deputies in the user's scope can be named."""
    return IdRelatedField(label="代表", queryset=Deputy.objects.all(), selector=deputy_list, **kwargs)


class CongressSessionSerializer(ModelSerializer):
    class Meta:
        model = CongressSession
        fields = ["id", "term", "number", "name", "start_date", "end_date"]


class MeetingSerializer(ModelSerializer):
    class Meta:
        model = Meeting
        fields = ["id", "session", "kind", "title", "date", "half_day"]


class AttendanceSerializer(ModelSerializer):
    deputy = scoped_deputy_field()
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    excused = serializers.BooleanField(read_only=True, default=False, help_text="已有批准的请假覆盖该会议。")

    class Meta:
        model = Attendance
        fields = ["id", "meeting", "deputy", "deputy_name", "status", "excused", "self_checked_in", "self_checked_in_at"]
        read_only_fields = ["self_checked_in", "self_checked_in_at"]  # only by scanning the code (check-in/)


class LeaveApprovalStepSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()
    kind = serializers.SerializerMethodField(help_text="deciding: 决定步骤(批准后请假即生效);filing: 备案(只作记录);routing: 其他环节。")
    acted_by_display = serializers.SerializerMethodField()

    class Meta:
        model = LeaveApprovalStep
        fields = [
            "order",
            "code",
            "label",
            "kind",
            "role",
            "status",
            "acted_by",
            "acted_by_display",
            "acted_by_name",
            "acted_at",
            "comment",
            "stood_in",
        ]
        read_only_fields = fields

    def get_label(self, step) -> str:
        return STEP_LABELS.get(step.code, step.code)

    def get_kind(self, step) -> str:
        return STEP_KINDS.get(step.code, "routing")

    def get_acted_by_display(self, step) -> str:
        if step.acted_by is None:
            return step.acted_by_name
        return step.acted_by.get_full_name() or step.acted_by.get_username()


@extend_schema_field(OpenApiTypes.BINARY)
class CertificateField(serializers.FileField):
    """Upload: pdf/jpg/png, at most 10 MB. Read: the scoped download URL, not the media path."""

    default_error_messages = {
        **serializers.FileField.default_error_messages,
        **CERTIFICATE_MESSAGES,
        "invalid": "请通过 multipart/form-data 上传文件。",
    }

    def to_representation(self, value):
        if not value:
            return None
        url = reverse("api:leave-request-certificate", kwargs={"pk": value.instance.pk})
        request = self.context.get("request")
        return request.build_absolute_uri(url) if request is not None else url

    def to_internal_value(self, data):
        upload = super().to_internal_value(data)
        try:
            validate_certificate(upload)
        except DjangoValidationError as exc:
            self.fail(exc.code)
        return upload


class LeaveRequestSerializer(ModelSerializer):
    deputy = scoped_deputy_field()
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    meetings = IdRelatedField(label="请假会议", queryset=Meeting.objects.all(), many=True, required=False)
    certificate = CertificateField(label="单位请假证明", required=False, allow_null=True)
    steps = LeaveApprovalStepSerializer(many=True, read_only=True)
    deciding_step = serializers.SerializerMethodField(help_text="决定步骤的环节代码:该步同意后请假即批准。")
    filing_step = serializers.SerializerMethodField(help_text="备案环节的代码;没有备案环节的路线为 null。")
    filed = serializers.SerializerMethodField(
        help_text="已批准的请假是否已备案:true 已备案,false 待备案;没有备案环节或尚未批准为 null。")

    class Meta:
        model = LeaveRequest
        fields = [
            "id",
            "deputy",
            "deputy_name",
            "session",
            "route",
            "meetings",
            "reason",
            "certificate",
            "status",
            "steps",
            "deciding_step",
            "filing_step",
            "filed",
            "backfilled",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["status", "steps", "deciding_step", "filing_step", "filed", "backfilled", "created_by",
                            "created_at"]

    def get_deciding_step(self, leave) -> str | None:
        spec = DECIDING_STEPS.get(leave.route)
        return spec.code if spec else None

    def get_filing_step(self, leave) -> str | None:
        spec = FILING_STEPS.get(leave.route)
        return spec.code if spec else None

    def get_filed(self, leave) -> bool | None:
        spec = FILING_STEPS.get(leave.route)
        if spec is None or leave.status != LeaveStatus.APPROVED:
            return None
        return any(s.code == spec.code and s.status == StepStatus.DONE for s in leave.steps.all())

    def validate_certificate(self, value):
        # null clears the certificate.
        return "" if value is None else value


class PaperStepSerializer(serializers.Serializer):
    """One signed step of a paper leave form (the service checks names, dates and order)."""

    acted_by_name = serializers.CharField(label="办理人", max_length=50, allow_blank=True, default="")
    acted_at = DateField(label="办理日期", allow_null=True, default=None)
    comment = serializers.CharField(label="意见", max_length=2000, allow_blank=True, default="")


class LeaveBackfillSerializer(LeaveRequestSerializer):
    """Body of POST leave-requests/backfill/: a request decided on paper, with its signed steps."""

    status = serializers.ChoiceField(
        label="审批结果",
        choices=[(LeaveStatus.APPROVED, "已批准"), (LeaveStatus.REJECTED, "已驳回")],
        help_text="approved: 签批到决定步骤为止的环节,已备案的再加备案环节(未填的备案环节为待备案);"
                  "rejected: 填写到驳回的那一步(最迟为决定步骤),其意见即驳回理由。",
    )
    steps = PaperStepSerializer(many=True, label="审批环节", help_text="按审批顺序,每步 {acted_by_name, acted_at, comment}。")

    class Meta(LeaveRequestSerializer.Meta):
        read_only_fields = ["backfilled", "created_by", "created_at"]


class ContributionSerializer(ModelSerializer):
    deputy = scoped_deputy_field()
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    confirmed = serializers.BooleanField(
        read_only=True, help_text="工作人员登记或确认的为 true;代表本人登记、尚待确认的为 false(不计入履职规则)。"
    )

    class Meta:
        model = Contribution
        fields = [
            "id",
            "deputy",
            "deputy_name",
            "session",
            "kind",
            "date",
            "title",
            "confirmed",
            "confirmed_by",
            "confirmed_at",
            "return_reason",
        ]
        read_only_fields = ["confirmed", "confirmed_by", "confirmed_at", "return_reason"]


class AttendanceBulkSerializer(serializers.Serializer):
    """Body of POST meetings/{id}/attendance/; each row is checked by the service."""

    records = serializers.JSONField(help_text='[{"deputy": id, "status": "present" | "absent"}, ...]')
