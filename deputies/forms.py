"""The deputy form of the browser UI (liaison office and admins only)."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from dutyadmin.forms import DateInput, FriendlyFormMixin

from .models import Delegation, Deputy


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
