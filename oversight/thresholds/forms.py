"""The form of a threshold change: its effective day, the values to change (each key its own field), a reason."""
from __future__ import annotations

import datetime as dt

from django import forms

from dutyadmin.forms import DateInput
from oversight.rules.catalog import DEFAULT_THRESHOLDS, THRESHOLD_ARTICLES, THRESHOLD_LABELS

from ..articles import ARTICLE_HEADINGS


def value_field_name(key: str) -> str:
    return f"value_{key}"


def next_new_year(today: dt.date) -> dt.date:
    """The default effective day: the next 1月1日, so no year already begun is judged by the new numbers."""
    return dt.date(today.year + 1, 1, 1)


class ThresholdChangeForm(forms.Form):
    """生效日期, the keys to change (empty: unchanged), 调整原因 (required)."""

    wide_fields = ("reason",)

    effective_from = forms.DateField(
        label="生效日期", widget=DateInput(),
        help_text="从这一天起按新的阈值评估;已经开始的年度仍按原来的阈值(所以默认下一个1月1日)。",
        error_messages={"required": "请填写生效日期。", "invalid": "日期格式应为 YYYY-MM-DD。"},
    )
    reason = forms.CharField(
        label="调整原因", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000,
        help_text="例如:区人大常委会主任会议决定的文号和内容。",
        error_messages={"required": "请填写调整原因。"},
    )

    def __init__(self, *args, in_force: dict[str, int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for key in DEFAULT_THRESHOLDS:
            article = THRESHOLD_ARTICLES[key]
            self.fields[value_field_name(key)] = forms.IntegerField(
                label=THRESHOLD_LABELS[key], required=False, min_value=1,
                help_text=f"{ARTICLE_HEADINGS.get(article, article)};现行 {in_force[key]},不调整的请留空",
                widget=forms.NumberInput(attrs={"min": 1, "inputmode": "numeric", "placeholder": "不调整"}),
                error_messages={"invalid": "必须是正整数。", "min_value": "必须是正整数。"},
            )
        # The reason last, after the values it explains.
        self.order_fields(["effective_from", *(value_field_name(k) for k in DEFAULT_THRESHOLDS), "reason"])

    def clean(self) -> dict:
        data = super().clean()
        if not self.values() and not any(self.has_error(value_field_name(k)) for k in DEFAULT_THRESHOLDS):
            raise forms.ValidationError("请至少填写一项要调整的阈值。")
        return data

    def values(self) -> dict[str, int]:
        """The keys given a value, with it."""
        data = getattr(self, "cleaned_data", {})
        return {key: data[value_field_name(key)] for key in DEFAULT_THRESHOLDS
                if data.get(value_field_name(key)) is not None}
