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
    # The second confirmation of a date before the finding's trigger date (shown only with that warning).
    confirm_early = forms.BooleanField(
        label=_("我已知晓该处置不能使提示变为“已处置”,仍然保存"), required=False, widget=forms.HiddenInput,
    )

    wide_fields = ("notes", "confirm_early")

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

    def warn_early(self, message: str) -> None:
        """Show why the date will not resolve the finding, and the checkbox that confirms saving anyway."""
        self.add_error("date", message)
        self.fields["confirm_early"].widget = forms.CheckboxInput()


class AbsenceNoticesForm(FriendlyFormMixin, forms.Form):
    """The bulletin's bulk form: the A3 notice (通报) of every ticked deputy, one date and one 实施人 for all."""

    deputies = forms.TypedMultipleChoiceField(
        label=_("通报的代表"), coerce=int, widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("请至少选择一位代表。"),
                        "invalid_choice": _("所选代表不在待通报的名单中,请刷新页面后重试。")},
    )
    date = forms.DateField(label=_("通报日期"), widget=DateInput())
    conducted_by = forms.CharField(label=_("实施人"), max_length=100, help_text=_("例如:大会秘书处"))
    notes = forms.CharField(label=_("备注"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    wide_fields = ("deputies", "notes")

    def __init__(self, *args, choices: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputies"].choices = choices
