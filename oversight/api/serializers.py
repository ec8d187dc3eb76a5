"""JSON of interventions, findings, data checks and handbooks (DESIGN.md API)."""
from __future__ import annotations

from rest_framework import serializers

from deputies.models import Deputy
from deputies.selectors import deputy_list
from dutyadmin.api.fields import IdRelatedField
from dutyadmin.api.serializers import ModelSerializer

from ..labels import DATA_CHECK_LABELS, RULE_LABELS, responsible_label, status_label
from ..models import Intervention


class InterventionSerializer(ModelSerializer):
    deputy = IdRelatedField(label="代表", queryset=Deputy.objects.all(), selector=deputy_list)
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)

    class Meta:
        model = Intervention
        fields = ["id", "deputy", "deputy_name", "rule", "kind", "date", "conducted_by", "notes"]


# --- findings, data checks and handbooks (read-only, computed by the rules) ---------------------------


class EvidenceSerializer(serializers.Serializer):
    """One record behind a finding: {type, id, date}."""

    type = serializers.CharField()
    id = serializers.IntegerField()
    date = serializers.DateField()


class FindingSerializer(serializers.Serializer):
    """A finding (履职提示) with the contract's fields; *_label and deputy_name are for people."""

    deputy = serializers.IntegerField()
    deputy_name = serializers.SerializerMethodField()
    rule = serializers.CharField()
    rule_label = serializers.SerializerMethodField()
    article = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.SerializerMethodField()
    action = serializers.CharField()
    responsible = serializers.CharField()
    responsible_label = serializers.SerializerMethodField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    count = serializers.IntegerField()
    required = serializers.IntegerField()
    trigger_date = serializers.DateField(allow_null=True)
    evidence = EvidenceSerializer(many=True)

    def get_deputy_name(self, finding) -> str | None:
        deputy = self.context.get("deputies", {}).get(finding.deputy)
        return deputy.name if deputy is not None else None

    def get_rule_label(self, finding) -> str:
        return RULE_LABELS.get(finding.rule, finding.rule)

    def get_status_label(self, finding) -> str:
        return status_label(finding.status)

    def get_responsible_label(self, finding) -> str:
        return responsible_label(finding.responsible, finding.rule)


class DataCheckSerializer(serializers.Serializer):
    """A data-quality warning: check, deputy, the record (type, id, date) and what is wrong."""

    check = serializers.CharField()
    check_label = serializers.SerializerMethodField()
    deputy = serializers.IntegerField()
    deputy_name = serializers.SerializerMethodField()
    type = serializers.CharField()
    id = serializers.IntegerField()
    date = serializers.DateField()
    detail = serializers.CharField()

    def get_check_label(self, check) -> str:
        return str(DATA_CHECK_LABELS.get(check.check, check.check))

    def get_deputy_name(self, check) -> str | None:
        deputy = self.context.get("deputies", {}).get(check.deputy)
        return deputy.name if deputy is not None else None


class HandbookActivitySerializer(serializers.Serializer):
    participation = serializers.IntegerField()
    activity = serializers.IntegerField()
    title = serializers.CharField()
    date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    confirmed = serializers.BooleanField()
    outcome = serializers.CharField()


class HandbookMeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    date = serializers.DateField()
    half_day = serializers.CharField()
    attendance = serializers.CharField(allow_null=True, help_text="present、absent,或 null(未录入)")
    excused = serializers.BooleanField()


class HandbookSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    meetings = HandbookMeetingSerializer(many=True)


class HandbookLeaveSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField()
    route = serializers.CharField()
    status = serializers.CharField()
    meetings = serializers.ListField(child=serializers.IntegerField())


class HandbookContributionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField(allow_null=True)
    date = serializers.DateField()
    title = serializers.CharField()
    confirmed = serializers.BooleanField(help_text="代表本人登记、尚待工作人员确认的为 false(不计入规则)")


class HandbookInterventionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rule = serializers.CharField()
    kind = serializers.CharField()
    date = serializers.DateField()
    conducted_by = serializers.CharField()
    notes = serializers.CharField(allow_blank=True)


class HandbookSerializer(serializers.Serializer):
    """履职手册 of one year: records grouped by kind (activity kind, contribution kind) and the findings."""

    deputy = serializers.IntegerField()
    name = serializers.CharField()
    year = serializers.IntegerField()
    as_of = serializers.DateField()
    activities = serializers.DictField(child=HandbookActivitySerializer(many=True))
    sessions = HandbookSessionSerializer(many=True)
    leave_requests = HandbookLeaveSerializer(many=True)
    contributions = serializers.DictField(child=HandbookContributionSerializer(many=True))
    interventions = HandbookInterventionSerializer(many=True)
    findings = FindingSerializer(many=True)
