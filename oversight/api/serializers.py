"""JSON of interventions, findings, data checks and handbooks (DESIGN.md API)."""
from __future__ import annotations

from rest_framework import serializers

from deputies.models import Deputy
from deputies.selectors import deputy_list
from dutyadmin.api.fields import DateField, IdRelatedField
from dutyadmin.api.serializers import ModelSerializer
from oversight.office_checks import OFFICE_CHECK_LABELS
from oversight.rules.classify import MEETING_STATUSES, PARTICIPATION_REASONS

from ..interventions.selectors import intervention_resolves_finding
from ..labels import DATA_CHECK_LABELS, RULE_LABELS, responsible_label, status_label
from ..models import Intervention


class InterventionSerializer(ModelSerializer):
    deputy = IdRelatedField(label="代表", queryset=Deputy.objects.all(), selector=deputy_list)
    deputy_name = serializers.CharField(source="deputy.name", read_only=True)
    resolves_finding = serializers.SerializerMethodField(
        help_text="该处置是否使一条提示变为“已处置”(false:日期早于触发日期,或没有待处置的提示);"
                  "单条记录(新增、修改、详情)中给出,列表中为 null(逐条计算代价太大)。",
    )

    class Meta:
        model = Intervention
        fields = ["id", "deputy", "deputy_name", "rule", "kind", "date", "conducted_by", "notes", "resolves_finding"]

    def get_resolves_finding(self, obj) -> bool | None:
        if hasattr(obj, "resolves_finding"):
            return obj.resolves_finding
        if self.parent is not None:  # one of a list
            return None
        return intervention_resolves_finding(intervention=obj)


# --- findings, data checks and handbooks (read-only, computed by the rules) ---------------------------


class EvidenceSerializer(serializers.Serializer):
    """One record behind a finding: {type, id, date}."""

    type = serializers.CharField()
    id = serializers.IntegerField()
    date = DateField()


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
    period_start = DateField()
    period_end = DateField()
    count = serializers.IntegerField()
    required = serializers.IntegerField()
    trigger_date = DateField(allow_null=True)
    settings_from = DateField(
        allow_null=True, help_text="评估所依据的设置自哪天起施行:所依据的最近一次阈值调整的生效日期,没有调整时为本届开始日期",
    )
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
    deputy = serializers.IntegerField(allow_null=True, help_text="代表;contact_assignment_size(关于常委会组成人员)为 null")
    deputy_name = serializers.SerializerMethodField()
    type = serializers.CharField()
    id = serializers.IntegerField()
    date = DateField()
    detail = serializers.CharField()
    # --- gaps14b: the A10.5 contact checks are about a standing-committee member (null for the other checks)
    member = serializers.SerializerMethodField(help_text="常委会组成人员(用户 id);仅联系代表的检查项")
    member_name = serializers.SerializerMethodField()
    year = serializers.SerializerMethodField(help_text="contact_missing:全年未联系的年度")

    def get_check_label(self, check) -> str:
        return str(DATA_CHECK_LABELS.get(check.check) or OFFICE_CHECK_LABELS.get(check.check, check.check))

    def get_member(self, check) -> int | None:
        return getattr(check, "member", None)

    def get_member_name(self, check) -> str | None:
        return getattr(check, "member_name", None) or None

    def get_year(self, check) -> int | None:
        return getattr(check, "year", None)

    def get_deputy_name(self, check) -> str | None:
        deputy = self.context.get("deputies", {}).get(check.deputy)
        return deputy.name if deputy is not None else None


# The handbook (oversight.handbook.build.Handbook) as JSON: the same typed model the page and the PDF render.
# Whether a meeting was excused and what an activity counts toward are the classification's
# (oversight.rules.classify): `status` / `excused` / `leave`, `counts_for` / `reason`.


class HandbookActivitySerializer(serializers.Serializer):
    participation = serializers.IntegerField()
    activity = serializers.IntegerField()
    title = serializers.CharField()
    date = DateField()
    end_date = DateField(allow_null=True)
    confirmed = serializers.BooleanField()
    outcome = serializers.CharField()
    counts_for = serializers.CharField(allow_null=True, help_text="计入的规则编号(rule);不计入的为 null")
    reason = serializers.ChoiceField(
        choices=PARTICIPATION_REASONS,
        help_text="counts(计入)、confirmed_absence(应邀确定参加而无故不参加,计入 A9.3)、outside_service(不在任职期间)、"
                  "after_as_of(评估日期之后)、not_attended(未参加)、counts_for_nothing(参加,但该类活动不计入任何规则)",
    )


class HandbookMeetingSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    date = DateField()
    half_day = serializers.CharField()
    attendance = serializers.CharField(allow_null=True, help_text="present、absent,或 null(未录入)")
    excused = serializers.BooleanField(help_text="已批准的请假覆盖该会议(无论是否录入出席情况)")
    status = serializers.ChoiceField(
        choices=MEETING_STATUSES,
        help_text="present(出席)、excused(请假)、unexcused(未经批准缺席)、not_recorded(未记录)、not_in_service(不在任职期间)",
    )
    leave = serializers.IntegerField(allow_null=True, help_text="覆盖该会议的已批准请假申请编号")


class HandbookSessionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    start_date = DateField()
    end_date = DateField()
    meetings = HandbookMeetingSerializer(many=True)
    non_attendance = serializers.BooleanField(help_text="未经批准不出席本次大会(第九条第一项)")


class HandbookLeaveSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField()
    route = serializers.CharField()
    status = serializers.CharField()
    meetings = serializers.ListField(child=serializers.IntegerField())


class HandbookContributionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    session = serializers.IntegerField(allow_null=True)
    date = DateField()
    title = serializers.CharField()
    confirmed = serializers.BooleanField(help_text="代表本人登记、尚待工作人员确认的为 false(不计入规则)")


class HandbookInterventionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    rule = serializers.CharField()
    kind = serializers.CharField()
    date = DateField()
    conducted_by = serializers.CharField()
    notes = serializers.CharField(allow_blank=True)


class HandbookSuspensionSerializer(serializers.Serializer):
    start_date = DateField()
    end_date = DateField(allow_null=True)
    reason = serializers.CharField()
    days_in_year = serializers.IntegerField()


class HandbookSerializer(serializers.Serializer):
    """履职手册 of one year: records grouped by kind (activity kind, contribution kind) and the findings."""

    deputy = serializers.IntegerField(source="deputy.pk")
    name = serializers.CharField()
    year = serializers.IntegerField()
    as_of = DateField()
    activities = serializers.DictField(child=HandbookActivitySerializer(many=True))
    sessions = HandbookSessionSerializer(many=True)
    leave_requests = HandbookLeaveSerializer(many=True)
    contributions = serializers.DictField(child=HandbookContributionSerializer(many=True), source="contributions_by_kind")
    interventions = HandbookInterventionSerializer(many=True)
    suspensions = HandbookSuspensionSerializer(many=True)
    findings = FindingSerializer(many=True)
