"""The form of one year's 法定节假日安排: the notice, and the dates typed one a line (or comma separated)."""
from __future__ import annotations

import datetime as dt
import re

from django import forms

from dutyadmin.dates import chinese_date
from dutyadmin.forms import FriendlyFormMixin

_SEPARATORS = re.compile(r"[,，、;；\s]+")
_CHINESE = re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$")
_NUMERIC = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$")
WEEKDAYS = "一二三四五六日"


def _one_date(text: str) -> dt.date | None:
    match = _CHINESE.match(text) or _NUMERIC.match(text)
    if not match:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def parse_dates(text: str, *, year: int | None, weekend_only: bool = False) -> list[dt.date]:
    """The dates of a text, one a line or separated by commas; 2027-01-01, 2027/1/1 and 2027年1月1日 are read.
    A bad entry is a ValidationError naming its line."""
    days: list[dt.date] = []
    errors: list[str] = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        for item in _SEPARATORS.split(line.strip()):
            if not item:
                continue
            day = _one_date(item)
            if day is None:
                errors.append(f"第{number}行“{item}”不是日期，请写成2026-01-01或2026年1月1日。")
            elif year is not None and day.year != year:
                errors.append(f"第{number}行{chinese_date(day)}不在{year}年。")
            elif weekend_only and day.weekday() < 5:
                errors.append(f"第{number}行{chinese_date(day)}是星期{WEEKDAYS[day.weekday()]}，本来就是工作日；"
                              "调休上班日只能是星期六或星期日。")
            else:
                days.append(day)
    if errors:
        raise forms.ValidationError(errors)
    return sorted(set(days))


class HolidayScheduleForm(FriendlyFormMixin, forms.Form):
    """年份 (fixed once entered), 通知, 放假日期, 调休上班日期."""

    wide_fields = ("notice",)

    year = forms.IntegerField(
        label="年份", min_value=2000, max_value=2100,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": "请填写年份。", "invalid": "年份应为四位数字。",
                        "min_value": "年份应在2000年至2100年之间。", "max_value": "年份应在2000年至2100年之间。"},
    )
    notice = forms.CharField(
        label="通知标题或文号", max_length=200,
        help_text="国务院办公厅关于该年部分节假日安排的通知，例如：国办发明电〔2025〕7号。",
        error_messages={"required": "请填写国务院办公厅通知的标题或文号。"},
    )
    holidays = forms.CharField(
        label="放假日期", widget=forms.Textarea(attrs={"rows": 8, "placeholder": "2026-01-01\n2026年1月2日"}),
        help_text="通知中放假的每一天，每行一个日期或用逗号分隔（含放假期间的周末）。",
        error_messages={"required": "请至少填写一个放假日期。"},
    )
    workdays = forms.CharField(
        label="调休上班日期", required=False, widget=forms.Textarea(attrs={"rows": 8}),
        help_text="通知中“上班”的星期六、星期日，每行一个日期；没有调休可留空。",
    )

    def __init__(self, *args, fixed_year: int | None = None, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fixed_year = fixed_year
        if fixed_year is not None:
            self.fields["year"].disabled = True
            self.fields["year"].initial = fixed_year
            self.fields["year"].help_text = "已录入的年份不能修改；如年份有误，请删除后重新录入。"

    def clean(self) -> dict:
        data = super().clean()
        year = data.get("year")
        for name, weekend_only in (("holidays", False), ("workdays", True)):
            if name in self.errors or name not in data:
                continue
            try:
                data[name] = parse_dates(data[name], year=year, weekend_only=weekend_only)
            except forms.ValidationError as exc:
                self.add_error(name, exc)
        if "holidays" in data and not self.has_error("holidays") and not data["holidays"]:
            self.add_error("holidays", "请至少填写一个放假日期。")
        if not self.has_error("holidays") and not self.has_error("workdays") and "holidays" in data:
            both = sorted(set(data["holidays"]) & set(data.get("workdays") or []))
            if both:
                self.add_error("workdays", f"{chinese_date(both[0])}同时填在放假日期和调休上班日期中。")
        return data


def dates_text(days) -> str:
    """The dates of a schedule as the form shows them again: one ISO date a line."""
    return "\n".join(day.isoformat() for day in days)
