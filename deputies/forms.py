"""The deputy form of the browser UI (liaison office and admins only)."""
from __future__ import annotations

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from dutyadmin.forms import DateInput, FriendlyFormMixin

from .models import Delegation, Deputy, Suspension


class DelegationChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: Delegation) -> str:
        return f"{obj.name}({obj.term.name})"


class DeputyForm(FriendlyFormMixin, forms.ModelForm):
    """Profile fields of a deputy; the model's clean() checks dates against the term."""

    delegation = DelegationChoiceField(
        label=_("代表团"), queryset=Delegation.objects.select_related("term"), required=False
    )

    class Meta:
        model = Deputy
        fields = [
            "term", "name", "gender", "street_committee", "delegation", "status", "service_start",
            "service_end", "unit", "position", "constituency", "party_member", "phone",
        ]
        labels = {
            "term": _("届"),
            "name": _("姓名"),
            "gender": _("性别"),
            "street_committee": _("人大街工委"),
            "status": _("状态"),
            "service_start": _("任职开始"),
            "service_end": _("任职结束"),
            "unit": _("工作单位"),
            "position": _("职务"),
            "constituency": _("选区"),
            "party_member": _("中共党员"),
            "phone": _("电话"),
        }
        help_texts = {
            "service_end": _("状态不是“在任”时必填。"),
        }
        widgets = {
            "service_start": DateInput(),
            "service_end": DateInput(),
        }


class SuspensionForm(FriendlyFormMixin, forms.ModelForm):
    """A deputy's suspension (暂时停止执行代表职务); the model's clean() checks the dates and overlaps."""

    class Meta:
        model = Suspension
        fields = ["start_date", "end_date", "reason"]
        labels = {
            "start_date": _("暂停开始日期"),
            "end_date": _("暂停结束日期"),
            "reason": _("暂停原因"),
        }
        help_texts = {
            "start_date": _("暂停执行代表职务的第一天。"),
            "end_date": _("恢复执行代表职务前的最后一天；尚未恢复的留空（至今）。"),
            "reason": _("例如：因涉嫌犯罪被羁押，依法暂时停止执行代表职务（代表法第六十一条）。"),
        }
        widgets = {
            "start_date": DateInput(),
            "end_date": DateInput(),
            "reason": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, deputy: Deputy, suspension: Suspension | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.deputy = deputy
        self.suspension = suspension
        self.fields["reason"].required = True
        self.fields["reason"].error_messages["required"] = _("请填写暂停原因。")
        self.fields["start_date"].error_messages["required"] = _("请填写暂停开始日期。")

    def _post_clean(self) -> None:
        """Every error at once, next to its field: the model's checks (dates, service period, overlap) run even
        when the reason is still missing. The service checks the same again when it saves."""
        data = self.cleaned_data
        if "start_date" not in data:
            return
        probe = Suspension(pk=self.suspension.pk if self.suspension else None, deputy=self.deputy,
                           start_date=data["start_date"], end_date=data.get("end_date"),
                           reason=data.get("reason") or "-")
        try:
            probe.clean()
        except ValidationError as exc:
            for field, errors in exc.error_dict.items():
                if field in self.fields and field not in self.errors:
                    self.add_error(field, errors)


class SuspensionEndForm(FriendlyFormMixin, forms.Form):
    """The last day of an open suspension."""

    end_date = forms.DateField(label=_("暂停结束日期"), widget=DateInput(),
                               help_text=_("恢复执行代表职务前的最后一天。"),
                               error_messages={"required": _("请填写暂停结束日期。"), "invalid": _("请填写有效的日期。")})
