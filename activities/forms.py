"""Browser forms of activities: the activity, its materials, invitations, outcomes, personal
registration and its review, the spreadsheet upload. Validation of records lives in the models
and services; these forms only shape the input."""
from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from deputies.models import StreetCommittee, Term
from dutyadmin.forms import DateInput, FriendlyFormMixin
from dutyadmin.roles import Role
from dutyadmin.scope import Scope

from .choices import SELF_REGISTRATION_KINDS, OrganizerLevel, Outcome
from .models import Activity, SelfRegistration


def term_for_date(date) -> Term | None:
    """The term whose span holds the date (the newest, should two overlap)."""
    return Term.objects.filter(start_date__lte=date, end_date__gte=date).order_by("-number").first()


def forced_street_id(scope: Scope) -> int | None:
    """A street's staff register their own street's activities only; the liaison office any."""
    if scope.has(Role.LIAISON_OFFICE):
        return None
    return scope.street_committee_id


class ActivityForm(FriendlyFormMixin, forms.ModelForm):
    """An activity of any kind; its term follows from its date."""

    wide_fields = ("title", "description")

    class Meta:
        model = Activity
        fields = ["title", "kind", "organizer_level", "date", "end_date", "location", "street_committee", "description"]
        labels = {
            "kind": _("活动类型"),
            "title": _("活动名称"),
            "date": _("日期"),
            "end_date": _("结束日期"),
            "location": _("地点"),
            "organizer_level": _("组织方"),
            "street_committee": _("组织街工委"),
            "description": _("说明"),
        }
        help_texts = {
            "date": _("多日活动填第一天;活动按这一天计入履职统计。"),
            "end_date": _("一天的活动不填。"),
            "location": _("如“东四街道代表之家”“区人大常委会第一会议室”。"),
            "street_committee": _("街工委组织的活动必填;区人大常委会组织的活动不填。"),
        }
        widgets = {
            "date": DateInput(),
            "end_date": DateInput(),
            "description": forms.Textarea(attrs={"rows": 4}),
        }

    def __init__(self, *args, scope: Scope, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.street_id = forced_street_id(scope)
        if self.street_id is not None:
            # A street's own activity: the street is not a choice, and the district's levels are not theirs.
            del self.fields["street_committee"]
            self.fields["organizer_level"].choices = [
                (value, label) for value, label in self.fields["organizer_level"].choices
                if value != OrganizerLevel.STANDING_COMMITTEE
            ]
            if not self.instance.pk:
                self.initial.setdefault("organizer_level", OrganizerLevel.STREET_COMMITTEE)
            street = StreetCommittee.objects.filter(pk=self.street_id).first()
            if street is not None:
                self.fields["organizer_level"].help_text = _("登记为%(street)s街工委的活动。") % {"street": street.name}
        elif not self.instance.pk:
            self.initial.setdefault("organizer_level", OrganizerLevel.STANDING_COMMITTEE)
        self.fields["title"].widget.attrs.setdefault("placeholder", _("如“东四街道代表之家接待选民”"))

    def clean(self):
        cleaned = super().clean()
        if self.street_id is not None:
            self.instance.street_committee_id = self.street_id
        date = cleaned.get("date")
        if date:
            term = term_for_date(date)
            if term is None:
                self.add_error("date", _("这个日期不在任何一届的任期内。"))
            elif self.instance.pk and term.pk != self.instance.term_id and self.instance.participations.exists():
                self.add_error("date", _("已有参加记录的活动不能改到另一届的日期。"))
            else:
                self.instance.term = term
        return cleaned

    def service_data(self) -> dict:
        """The values for activities.services.activity_save."""
        data = {name: self.cleaned_data[name] for name in self.Meta.fields if name in self.cleaned_data}
        data["term"] = self.instance.term
        if self.street_id is not None:
            data["street_committee_id"] = self.street_id
            data.pop("street_committee", None)
        return data


class MaterialForm(forms.Form):
    file = forms.FileField(
        label=_("材料文件"),
        help_text=_("pdf、Word(doc/docx)、Excel(xls/xlsx)、jpg 或 png,每个不超过 20 MB。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.doc,.docx,.xls,.xlsx,.jpg,.jpeg,.png"}),
    )


class DeputySearchForm(forms.Form):
    """Filters of the invitation page's list of deputies."""

    q = forms.CharField(label=_("搜索"), required=False, max_length=50)
    street_committee = forms.TypedChoiceField(label=_("人大街工委"), required=False, coerce=int, empty_value=None)
    delegation = forms.TypedChoiceField(label=_("代表团"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args, streets: list[tuple[int, str]], delegations: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["street_committee"].choices = [("", _("全部"))] + streets
        self.fields["delegation"].choices = [("", _("全部"))] + delegations


class ParticipationRowForm(forms.Form):
    """One invitee's line on the outcomes screen."""

    deputy = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    confirmed = forms.BooleanField(label=_("应邀确定参加"), required=False)
    outcome = forms.ChoiceField(label=_("参加情况"), choices=Outcome.choices)
    remove = forms.BooleanField(label=_("移除"), required=False)


ParticipationFormSet = forms.formset_factory(ParticipationRowForm, extra=0, max_num=5000, validate_max=True)


class SelfRegistrationForm(FriendlyFormMixin, forms.ModelForm):
    """个人登记: an activity the deputy took part in."""

    wide_fields = ("title", "description")

    class Meta:
        model = SelfRegistration
        fields = ["kind", "title", "date", "location", "description"]
        labels = {
            "kind": _("活动类型"),
            "title": _("活动名称"),
            "date": _("日期"),
            "location": _("地点"),
            "description": _("活动情况"),
        }
        help_texts = {
            "date": _("只能登记已经参加过的活动。"),
            "description": _("简要写明做了什么,如接待群众人数、反映的问题。"),
        }
        widgets = {"date": DateInput(), "description": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("请选择"))] + [(k.value, k.label) for k in SELF_REGISTRATION_KINDS]
        self.fields["title"].widget.attrs.setdefault("placeholder", _("如“在东四街道代表联络站接待选民”"))


class ReturnForm(forms.Form):
    return_reason = forms.CharField(
        label=_("退回原因"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("告诉代表需要补充或修改什么。"),
        error_messages={"required": _("请填写退回原因,告诉代表需要补充或修改什么。")},
    )


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("活动表格(.xlsx)"),
        help_text=_("请使用下载的模板填写;不超过 10 MB,最多 20000 行。"),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx"}),
        error_messages={"required": _("请选择要上传的 .xlsx 表格。"), "empty": _("上传的文件是空的(0 字节)。")},
    )


class InvitationAnswerForm(FriendlyFormMixin, forms.Form):
    """A deputy's answer to one invitation: the button pressed (确定参加 / 不能参加) and, to decline, why."""

    attend = forms.TypedChoiceField(
        label=_("答复"), choices=[("yes", _("确定参加")), ("no", _("不能参加"))],
        coerce=lambda value: value == "yes", error_messages={"required": _("请选择确定参加或不能参加。"),
                                                             "invalid_choice": _("请选择确定参加或不能参加。")},
    )
    decline_reason = forms.CharField(
        label=_("不能参加的原因"), required=False, max_length=500,
        widget=forms.Textarea(attrs={"rows": 2, "placeholder": _("不能参加时必填,如“出差在外”")}),
        help_text=_("不能参加时填写;这就是向组织方请假,由组织方决定是否准假。"),
    )
