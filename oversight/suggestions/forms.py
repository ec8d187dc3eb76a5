"""Browser forms of a suggestion's steps (submit, assign, extend, reply, evaluate, close, withdraw).

Forms only read input; every rule (state, role, dates, clocks) is the services'. A service's ValidationError
lands next to the field it names (dutyadmin.forms.apply_errors)."""
from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from dutyadmin.forms import DateInput, DeputyChoiceField, DeputySelect, FriendlyFormMixin
from meetings.models import CongressSession

from .choices import Resolution, Satisfaction


class SessionChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj: CongressSession) -> str:
        return obj.full_name


class DeputyMultipleSelect(DeputySelect, forms.SelectMultiple):
    """Several deputies in one <select multiple>, with the same filter box as DeputySelect."""

    allow_multiple_selected = True


class DeputiesChoiceField(forms.ModelMultipleChoiceField):
    """Deputies shown with their street committee (names repeat across a district)."""

    widget = DeputyMultipleSelect

    def label_from_instance(self, obj) -> str:
        return f"{obj.name}（{obj.street_committee.name}）"


class SuggestionSubmitForm(FriendlyFormMixin, forms.Form):
    """A suggestion led by a deputy: the deputy's own, or one staff enter from a session's paper form."""

    lead_deputy = DeputyChoiceField(label=_("领衔代表"), queryset=None)
    title = forms.CharField(label=_("标题"), max_length=300)
    content = forms.CharField(label=_("内容"), widget=forms.Textarea(attrs={"rows": 8}))
    session = SessionChoiceField(
        label=_("提出时间"), queryset=CongressSession.objects.none(), required=False,
        empty_label=_("闭会期间"), help_text=_("在大会期间提出的建议请选择该次大会；其他时间提出的选“闭会期间”。"),
    )
    cosigners = DeputiesChoiceField(
        label=_("附议代表"), queryset=None, required=False,
        help_text=_("可多选（电脑上按住 Ctrl 点选）；没有附议代表可不选。"),
    )
    submitted_on = forms.DateField(label=_("提出日期"), widget=DateInput())

    wide_fields = ("title", "content", "cosigners")
    # Staff copy a paper form: who, when, then what.
    PAPER_ORDER = ["lead_deputy", "session", "submitted_on", "title", "content", "cosigners"]

    def __init__(self, *args, deputies: QuerySet, sessions: QuerySet, cosigners: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_deputy"].queryset = deputies
        self.fields["session"].queryset = sessions
        self.fields["cosigners"].queryset = cosigners
        self.fields["cosigners"].widget.attrs.update({"size": 6, "data-filter-placeholder": "输入姓名或街工委筛选附议代表"})


class UnitChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj) -> str:
        return obj.name


class AssignForm(FriendlyFormMixin, forms.Form):
    """交办: a lead unit, co-units, the day (today unless the assignment was made earlier)."""

    lead_unit = UnitChoiceField(label=_("主办单位"), queryset=None, error_messages={
        "required": _("请选择主办单位。"), "invalid_choice": _("请从列表中选择主办单位。")})
    co_units = forms.ModelMultipleChoiceField(
        label=_("协办单位"), queryset=None, required=False, widget=forms.CheckboxSelectMultiple,
    )
    date = forms.DateField(label=_("交办日期"), widget=DateInput(), error_messages={
        "required": _("请填写交办日期。"), "invalid": _("请填写有效的日期。")})

    def __init__(self, *args, units: QuerySet, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].queryset = units
        self.fields["co_units"].queryset = units
        self.fields["co_units"].label_from_instance = lambda unit: unit.name


class ExtendForm(FriendlyFormMixin, forms.Form):
    reason = forms.CharField(
        label=_("延期理由"), max_length=2000, widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("请填写延期理由（如涉及面广、处理难度大）。")},
        help_text=_("如涉及面广、处理难度大；经交办机构同意，答复期限改为交办之日起六个月。"),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by the service (type, size, content)."""

    def __init__(self, *args, **kwargs) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data]
        return [single(data, initial)] if data else []


class ReplyForm(FriendlyFormMixin, forms.Form):
    """答复 by the lead unit: the day, the text, what it resolves, the reply letter and other files."""

    date = forms.DateField(label=_("答复日期"), widget=DateInput())
    text = forms.CharField(label=_("答复内容"), widget=forms.Textarea(attrs={"rows": 6}),
                           error_messages={"required": _("请填写答复内容。")})
    resolution = forms.ChoiceField(
        label=_("办理结果"), choices=Resolution.choices, widget=forms.RadioSelect,
        error_messages={"required": _("请选择办理结果。"), "invalid_choice": _("请选择办理结果。")},
    )
    files = MultipleFileField(
        label=_("附件"), required=False,
        help_text=_("答复函、照片等：pdf、Word、Excel、jpg、png，每个不超过 20 MB，可多选。"),
    )

    wide_fields = ("text", "resolution", "files")


class EvaluateForm(FriendlyFormMixin, forms.Form):
    """The lead deputy's evaluation of the reply."""

    satisfaction = forms.ChoiceField(
        label=_("我的评价"), choices=Satisfaction.choices, widget=forms.RadioSelect,
        error_messages={"required": _("请选择满意、基本满意或不满意。")},
    )
    comment = forms.CharField(
        label=_("评价意见"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("不满意时请写明理由，承办单位将据此重新办理。"),
    )

    wide_fields = ("satisfaction", "comment")


class CloseForm(FriendlyFormMixin, forms.Form):
    date = forms.DateField(label=_("办结日期"), widget=DateInput())
    note = forms.CharField(label=_("办结说明"), max_length=2000, required=False, widget=forms.Textarea(attrs={"rows": 2}))


class ChaseForm(FriendlyFormMixin, forms.Form):
    note = forms.CharField(label=_("催办意见"), max_length=2000, required=False,
                           widget=forms.Textarea(attrs={"rows": 2}))


class WithdrawForm(forms.Form):
    confirm = forms.BooleanField(
        label=_("我确认撤回这条建议"), error_messages={"required": _("请勾选确认后再撤回。")},
    )
