"""Browser forms of meetings: contributions (审议意见、建议、议案、询问)."""
from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dutyadmin.forms import DateInput, DeputyChoiceField, FriendlyFormMixin

from .models import CongressSession, Contribution


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CongressSession) -> str:
        return f"{obj.term.name}{obj.name}"


class ContributionForm(FriendlyFormMixin, forms.ModelForm):
    """A contribution of a deputy the user may record for; no session means the closed period."""

    deputy = DeputyChoiceField(label=_("代表"), queryset=None)
    session = SessionChoiceField(
        label=_("大会"),
        queryset=CongressSession.objects.select_related("term").order_by("-start_date"),
        required=False,
        empty_label=_("闭会期间(不属于大会)"),
        help_text=_("在大会期间提出的审议意见、建议请选择该次大会。"),
    )

    wide_fields = ("title",)

    class Meta:
        model = Contribution
        fields = ["deputy", "session", "kind", "date", "title"]
        labels = {"kind": _("类型"), "date": _("日期"), "title": _("标题")}
        widgets = {"date": DateInput()}

    def __init__(self, *args, deputies: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["deputy"].queryset = deputies


class ContributionSearchForm(forms.Form):
    """The filters above the contribution list; every field optional."""

    q = forms.CharField(label=_("搜索"), required=False, max_length=100)
    kind = forms.ChoiceField(label=_("类型"), required=False)
    year = forms.IntegerField(label=_("年份"), required=False, min_value=1949, max_value=2100)
    deputy = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)

    def __init__(self, *args, **kwargs) -> None:
        from .choices import ContributionKind

        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("全部"))] + list(ContributionKind.choices)
