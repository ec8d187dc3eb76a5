"""Forms of the liaison office's suggestion pages: the work list's filters, the bulk assignment after a session,
the bulk close of replies left without feedback, and the handling units."""
from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from deputies.models import HandlingUnit
from dutyadmin.dates import after_today, chinese_date
from dutyadmin.forms import DateInput, FriendlyFormMixin
from meetings.models import CongressSession
from oversight.holidays import current_calendar
from oversight.rules import clocks

from .choices import SuggestionStatus
from .filtersets import SuggestionFilterSet
from .selectors import due_soon_q, feedback_missing_q, overdue_q

CLOSED_PERIOD = "closed"  # the session select's value for 闭会期间 (the API's closed_period=true)

OVERDUE, DUE_SOON, FEEDBACK_MISSING = "overdue", "due_soon", "feedback_missing"
CLOCK_CHOICES = [
    (OVERDUE, "已逾期未答复"),
    (DUE_SOON, "15日内到期"),
    (FEEDBACK_MISSING, "代表未反馈（反馈期限已过）"),
]
DUE_SOON_DAYS = 15  # RULES.md "Overdue": the unit is reminded 15 days before the due date


def session_choices() -> list[tuple[str, str]]:
    """Every session, then 闭会期间 (a suggestion made outside a session)."""
    sessions = CongressSession.objects.select_related("term").order_by("-term__number", "-number")
    return [(str(s.pk), s.name or str(s)) for s in sessions] + [(CLOSED_PERIOD, "闭会期间")]


class SuggestionWorkListFilterSet(SuggestionFilterSet):
    """SuggestionFilterSet as the work list's form: one 大会 select that also offers 闭会期间, the lead unit as a
    select, and the clocks (overdue, due within 15 days, 代表未反馈) as one choice. Every other key is the API's."""

    session = django_filters.ChoiceFilter(label="大会", choices=session_choices, method="filter_session",
                                          empty_label="全部")
    status = django_filters.ChoiceFilter(label="状态", choices=SuggestionStatus.choices, empty_label="全部")
    lead_unit = django_filters.ModelChoiceFilter(label="主办单位", queryset=HandlingUnit.objects.all(),
                                                 empty_label="全部")
    clock = django_filters.ChoiceFilter(label="办理期限", choices=CLOCK_CHOICES, method="filter_clock",
                                        empty_label="全部")

    # The work list's form shows these; the others stay usable in the query string (the API's names).
    SHOWN = ("q", "term", "session", "status", "lead_unit", "clock")

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.form.fields["term"].empty_label = "全部"
        self.form.fields["q"].label = "搜索"

    def filter_session(self, queryset, name, value):
        if not value:
            return queryset
        if value == CLOSED_PERIOD:
            return queryset.filter(session__isnull=True)
        return queryset.filter(session_id=int(value))

    def filter_clock(self, queryset, name, value):
        today = timezone.localdate()
        if value == OVERDUE:
            return queryset.filter(overdue_q(today))
        if value == DUE_SOON:
            return queryset.filter(due_soon_q(today, DUE_SOON_DAYS))
        if value == FEEDBACK_MISSING:
            return queryset.filter(feedback_missing_q(today))
        return queryset

    def shown_fields(self):
        return [self.form[name] for name in self.SHOWN if name in self.form.fields]


# --- bulk assignment -------------------------------------------------------------------------------------


def _checked_day(day: dt.date) -> dt.date:
    """A day the assignments can be dated: not in the future, and in a year the clocks' calendar knows (else
    its CalendarUnknown, said once next to the date rather than on every row)."""
    if after_today(day):
        raise ValidationError(f"日期{chinese_date(day)}晚于今天，不能登记将来的日期。")
    try:
        clocks.suggestion_due(day, cal=current_calendar())
    except clocks.CalendarUnknown as exc:
        raise ValidationError(str(exc)) from exc
    return day


class AssignDateForm(forms.Form):
    """The one date of a bulk assignment (交办日期), today unless the office says otherwise."""

    date = forms.DateField(label="交办日期", widget=DateInput,
                           help_text="答复期限自交办之日起按三个月计算（遇法定休假日顺延）。")

    def clean_date(self) -> dt.date:
        return _checked_day(self.cleaned_data["date"])


class AssignRowForm(forms.Form):
    """One suggestion's line: chosen or not, its lead unit and co-units (ids; the view maps them to units, so a
    page of rows costs no query per row)."""

    suggestion = forms.IntegerField(widget=forms.HiddenInput, min_value=1)
    include = forms.BooleanField(label="交办", required=False)
    lead_unit = forms.TypedChoiceField(label="主办单位", required=False, coerce=int, empty_value=None)
    co_units = forms.TypedMultipleChoiceField(label="协办单位", required=False, coerce=int,
                                              widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, units: list[tuple[int, str]], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.fields["lead_unit"].choices = [("", "请选择")] + units
        self.fields["co_units"].choices = units


AssignFormSet = forms.formset_factory(AssignRowForm, extra=0, max_num=1000, validate_max=True)


# --- bulk close (代表未反馈) ---------------------------------------------------------------------------------

DEFAULT_CLOSE_NOTE = "代表未在反馈期限内评价答复，按未反馈办结。"


class CloseBulkForm(forms.Form):
    """办结 many replies the lead deputies left without feedback past the deadline, on one day with one note."""

    date = forms.DateField(label="办结日期", widget=DateInput)
    note = forms.CharField(label="办结说明", max_length=500, widget=forms.Textarea(attrs={"rows": 2}))
    suggestions = forms.TypedMultipleChoiceField(label="建议", coerce=int, widget=forms.CheckboxSelectMultiple,
                                                 error_messages={"required": "请至少选择一条建议。"})

    def __init__(self, *args, ids: list[int], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # The posted ids are checked against the user's replied suggestions by the view (a stale row is named there).
        self.fields["suggestions"].choices = [(i, str(i)) for i in ids]
        self.fields["suggestions"].error_messages["invalid_choice"] = "所选建议已不在待办结之列，请刷新页面后重试。"

    def clean_date(self) -> dt.date:
        day = self.cleaned_data["date"]
        if after_today(day):
            raise ValidationError(f"日期{chinese_date(day)}晚于今天，不能登记将来的日期。")
        return day


# --- handling units --------------------------------------------------------------------------------------


class HandlingUnitForm(FriendlyFormMixin, forms.ModelForm):
    """承办单位: name, code and kind."""

    class Meta:
        model = HandlingUnit
        fields = ["name", "code", "kind"]
        help_texts = {"code": "单位的简短代码，如 G01；列表按类别和代码排序。"}

    def clean_name(self) -> str:
        return (self.cleaned_data.get("name") or "").strip()

    def clean_code(self) -> str:
        return (self.cleaned_data.get("code") or "").strip()

