"""JSON of sessions, meetings, attendance, leave requests and contributions (DESIGN.md API)."""
from __future__ import annotations

from django.urls import reverse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from deputies.models import Deputy
from deputies.selectors import deputy_list
from dutyadmin.api.fields import IdRelatedField
from dutyadmin.api.serializers import ModelSerializer

from ..models import Attendance, CongressSession, Contribution, LeaveApprovalStep, LeaveRequest, Meeting
from ..services import STEP_LABELS

CERTIFICATE_MAX_BYTES = 10 * 1024 * 1024
# What a certificate's first bytes must be, by extension: a renamed file is refused.
CERTIFICATE_SIGNATURES = {
    "pdf": (b"%PDF",),
    "jpg": (b"\xff\xd8\xff",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}


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
        fields = ["id", "meeting", "deputy", "deputy_name", "status", "excused"]


class LeaveApprovalStepSerializer(serializers.ModelSerializer):
    label = serializers.SerializerMethodField()
    acted_by_display = serializers.SerializerMethodField()

    class Meta:
        model = LeaveApprovalStep
        fields = [
            "order",
            "code",
            "label",
            "role",
            "status",
            "acted_by",
            "acted_by_display",
            "acted_by_name",
            "acted_at",
            "comment",
        ]
        read_only_fields = fields

    def get_label(self, step) -> str:
        return STEP_LABELS.get(step.code, step.code)

    def get_acted_by_display(self, step) -> str:
        if step.acted_by is None:
            return step.acted_by_name
        return step.acted_by.get_full_name() or step.acted_by.get_username()


@extend_schema_field(OpenApiTypes.BINARY)
class CertificateField(serializers.FileField):
    """Upload: pdf/jpg/png, at most 10 MB. Read: the scoped download URL, not the media path."""

    default_error_messages = {
        **serializers.FileField.default_error_messages,
        "too_large": "单位请假证明不能超过 10 MB。",
        "extension": "单位请假证明只能是 pdf、jpg 或 png 文件。",
        "content": "文件内容与扩展名不符,请上传真实的 pdf、jpg 或 png 文件。",
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
        if upload.size > CERTIFICATE_MAX_BYTES:
            self.fail("too_large")
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in CERTIFICATE_SIGNATURES:
            self.fail("extension")
        head = upload.read(8)
        upload.seek(0)
        if not head.startswith(CERTIFICATE_SIGNATURES[extension]):
            self.fail("content")
        return upload


class LeaveRequestSerializer(ModelSerializer):
    deputy = scoped_deputy_field()
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    meetings = IdRelatedField(label="请假会议", queryset=Meeting.objects.all(), many=True, required=False)
    certificate = CertificateField(label="单位请假证明", required=False, allow_null=True)
    steps = LeaveApprovalStepSerializer(many=True, read_only=True)

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
            "backfilled",
            "created_by",
            "created_at",
        ]
        read_only_fields = ["status", "steps", "backfilled", "created_by", "created_at"]

    def validate_certificate(self, value):
        # null clears the certificate.
        return "" if value is None else value


class ContributionSerializer(ModelSerializer):
    deputy = scoped_deputy_field()
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)

    class Meta:
        model = Contribution
        fields = ["id", "deputy", "deputy_name", "session", "kind", "date", "title"]


class AttendanceBulkSerializer(serializers.Serializer):
    """Body of POST meetings/{id}/attendance/; each row is checked by the service."""

    records = serializers.JSONField(help_text='[{"deputy": id, "status": "present" | "absent"}, ...]')
