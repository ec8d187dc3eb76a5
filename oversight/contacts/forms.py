"""Browser forms of A10.5: the liaison office's assignment of a member's deputies, the member's contact log.
Forms only read input; the rules are the services' (deputies.contacts) and the data checks'."""
from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from deputies.choices import ContactMode
from dutyadmin.forms import DateInput, FriendlyFormMixin
from oversight.suggestions.forms import DeputiesChoiceField


class AssignedDeputiesField(DeputiesChoiceField):
    """Deputies with their street, and who already contacts them (another member), so the office spreads them."""

    taken: dict[int, str] = {}

    def label_from_instance(self, obj) -> str:
        label = super().label_from_instance(obj)
        other = self.taken.get(obj.pk)
        return f"{label}（已由{other}联系）" if other else label


class AssignmentForm(FriendlyFormMixin, forms.Form):
    """A member's deputies of the term, picked with the deputy filter box (DeputySelect)."""

    deputies = AssignedDeputiesField(
        label=_("联系代表"), queryset=None, required=False,
        help_text=_("按第十条（五），每位常委会组成人员直接联系 5–6 名代表；可多选（电脑上按住 Ctrl 点选）。"),
    )
    wide_fields = ("deputies",)

    def __init__(self, *args, deputies: QuerySet, taken: dict[int, str] | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputies"].queryset = deputies
        self.fields["deputies"].taken = taken or {}
        self.fields["deputies"].widget.attrs.update({"size": 10, "data-filter-placeholder": "输入姓名或街工委筛选代表"})


class AssignmentChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return f"{obj.deputy.name}（{obj.deputy.street_committee.name}）"


class ContactLogForm(FriendlyFormMixin, forms.Form):
    """One contact: with which deputy, when (today unless earlier), how, what was said."""

    assignment = AssignmentChoiceField(label=_("联系代表"), queryset=None, error_messages={
        "required": _("请选择联系的代表。"), "invalid_choice": _("请从列表中选择您联系的代表。")})
    date = forms.DateField(label=_("联系日期"), widget=DateInput(), error_messages={
        "required": _("请填写联系日期。"), "invalid": _("请填写有效的日期。")})
    mode = forms.ChoiceField(label=_("联系方式"), choices=[("", "---------"), *ContactMode.choices], error_messages={
        "required": _("请选择联系方式。"), "invalid_choice": _("请从列表中选择联系方式。")})
    notes = forms.CharField(label=_("情况记录"), required=False, widget=forms.Textarea(attrs={"rows": 3}),
                            help_text=_("例如：了解的情况、代表反映的意见。"))
    wide_fields = ("notes",)

    def __init__(self, *args, assignments: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assignment"].queryset = assignments
