"""The forms of the opinions' pages; each step's service decides (the forms only read the input)."""
from __future__ import annotations

from django import forms
from django.utils import timezone

from deputies.models import Deputy, HandlingUnit


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
