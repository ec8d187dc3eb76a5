"""The forms of the opinions' pages; each step's service decides (the forms only read the input)."""
from __future__ import annotations

from django import forms
from django.utils import timezone

from deputies.models import Deputy, HandlingUnit, StreetCommittee
from dutyadmin.forms import DateInput, FriendlyFormMixin
from oversight.suggestions.forms import DeputiesChoiceField


class OpinionRecordForm(forms.Form):
    content = forms.CharField(label="意见内容", widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)
    deputies = forms.ModelMultipleChoiceField(label="听取意见的代表", queryset=Deputy.objects.none(), required=False,
                                              widget=forms.CheckboxSelectMultiple)
    citizen_name = forms.CharField(label="群众姓名", max_length=50, required=False)
    citizen_phone = forms.CharField(label="联系电话", max_length=30, required=False,
                                    help_text="仅用于向群众反馈办理情况；除本街道工委工作人员外均隐去中间四位。")

    def __init__(self, *args, deputies=None, **kwargs):
        super().__init__(*args, **kwargs)
        if deputies is not None:
            self.fields["deputies"].queryset = deputies


class ForwardForm(forms.Form):
    unit = forms.ModelChoiceField(label="转办单位", queryset=HandlingUnit.objects.order_by("kind", "name"))
    date = forms.DateField(label="转办日期", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))


class ReplyForm(forms.Form):
    date = forms.DateField(label="答复日期", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    text = forms.CharField(label="答复内容", widget=forms.Textarea(attrs={"rows": 3}), max_length=20000)


class CloseForm(forms.Form):
    date = forms.DateField(label="反馈日期", initial=timezone.localdate, widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    note = forms.CharField(label="反馈情况", widget=forms.Textarea(attrs={"rows": 2}), max_length=5000, required=False,
                           help_text="如：已电话告知群众答复内容，群众表示认可。")


# --- gaps14b: an opinion taken at a visit (no reception), and correcting an opinion -----------------------


class OpinionVisitForm(FriendlyFormMixin, forms.Form):
    """An opinion heard on a visit (走访) or by other means: the date, the street, the deputies, what was said."""

    received_on = forms.DateField(label="收集日期", initial=timezone.localdate, widget=DateInput(), error_messages={
        "required": "请填写收集日期。", "invalid": "请填写有效的日期。"})
    street_committee = forms.ModelChoiceField(label="街道工委", queryset=StreetCommittee.objects.none(), error_messages={
        "required": "请选择街道工委。", "invalid_choice": "请从列表中选择街道工委。"})
    deputies = DeputiesChoiceField(label="听取意见的代表", queryset=Deputy.objects.none(), required=False,
                                   help_text="可多选（电脑上按住 Ctrl 点选）。")
    content = forms.CharField(label="意见内容", widget=forms.Textarea(attrs={"rows": 4}), max_length=20000,
                              error_messages={"required": "请填写意见内容。"})
    citizen_name = forms.CharField(label="群众姓名", max_length=50, required=False)
    citizen_phone = forms.CharField(label="联系电话", max_length=30, required=False,
                                    help_text="仅用于向群众反馈办理情况；除本街道工委工作人员外均隐去中间四位。")
    wide_fields = ("deputies", "content")

    def __init__(self, *args, streets, deputies, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["street_committee"].queryset = streets
        self.fields["deputies"].queryset = deputies
        self.fields["deputies"].widget.attrs.update({"size": 8, "data-filter-placeholder": "输入姓名或街工委筛选代表"})
        if streets.count() == 1:  # street staff: their street, nothing to choose
            self.fields["street_committee"].initial = streets.first().pk


class OpinionEditForm(OpinionVisitForm):
    """Correct what was recorded; the street stays (a reception's opinion keeps the reception's date)."""

    def __init__(self, *args, opinion, **kwargs):
        super().__init__(*args, **kwargs)
        del self.fields["street_committee"]
        if opinion.reception_id:
            self.fields["received_on"].disabled = True
            self.fields["received_on"].help_text = "在接待活动中收集的意见，收集日期为接待活动的日期。"
        now = f"现有号码{opinion.phone_masked}，" if opinion.citizen_phone else ""
        self.fields["citizen_phone"].help_text = (f"{now}留空则保留原号码；如需更正，请填写新的号码。"
                                                  "号码仅用于向群众反馈办理情况。")
