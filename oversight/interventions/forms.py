"""Forms of interventions (约谈、通报、资格终止、劝辞)."""
from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dutyadmin.forms import DateInput, DeputyChoiceField, FriendlyFormMixin
from oversight.rules.catalog import ACTION_RULES

from ..models import Intervention


class InterventionForm(FriendlyFormMixin, forms.ModelForm):
    """What the office did about an action finding; the kind must be the rule's own kind."""

    deputy = DeputyChoiceField(label=_("代表"), queryset=None)

    wide_fields = ("notes",)

    class Meta:
        model = Intervention
        fields = ["deputy", "rule", "kind", "date", "conducted_by", "notes"]
        labels = {
            "rule": _("规则"),
            "kind": _("处置方式"),
            "date": _("日期"),
            "conducted_by": _("实施人"),
            "notes": _("备注"),
        }
        help_texts = {
            "kind": _("每条规则只有一种处置方式:选择规则后会自动填写。"),
            "conducted_by": _("例如:东四街工委主任 王某"),
        }
        widgets = {"date": DateInput(), "notes": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, deputies: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies
        # The page's script fills the kind from the rule; without script the model's check still holds.
        self.fields["rule"].widget.attrs["data-rule-kinds"] = ",".join(f"{r.id}:{r.kind}" for r in ACTION_RULES)
