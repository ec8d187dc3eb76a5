"""The liaison office's suggestion pages: the work list (代表建议), the bulk assignment after a session (批量交办),
the bulk close of replies left without feedback (代表未反馈), and the handling units (承办单位).

Every write is a service of oversight/suggestions/services.py; every date a clock of oversight.rules.clocks.
"""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from deputies.selectors import current_term, deputy_list
from dutyadmin.dates import chinese_date
from dutyadmin.forms import apply_errors
from dutyadmin.list_views import ScopedListView, filtered, page_of
from dutyadmin.permissions import allows, unit_of
from dutyadmin.scope import Scope, scope_for
from oversight.holidays import current_calendar
from oversight.rules import clocks

from . import services
from .choices import SuggestionStatus
from .forms_office import (
    DEFAULT_CLOSE_NOTE,
    DUE_SOON,
    DUE_SOON_DAYS,
    FEEDBACK_MISSING,
    OVERDUE,
    AssignDateForm,
    AssignFormSet,
    CloseBulkForm,
    HandlingUnitForm,
    SuggestionWorkListFilterSet,
)
from .models import Suggestion
from .selectors import (
    feedback_missing_q,
    handling_unit_list,
    handling_unit_usage_list,
    reply_due_at,
    suggestion_work_list,
)

S = SuggestionStatus
ASSIGN_LIMIT = 300  # rows of one bulk assignment page: a session's suggestions, with room to spare


# --- the clocks of one row, as a page shows them ----------------------------------------------------------


@dataclass(frozen=True)
class ReplyClock:
    """The reply's due date and how it stands today: `state` is overdue, today, soon (within 15 days), running, or
    empty when no reply is awaited (then `due` is the first reply's due date, for the record)."""

    due: dt.date | None
    days: int | None
    state: str
    feedback_missing: bool = False

    @property
    def days_late(self) -> int:
        return -self.days if self.days is not None else 0


def reply_clock(suggestion: Suggestion, today: dt.date) -> ReplyClock:
    """What the 答复期限 column shows: days left or 逾期N天, from the stored clocks (never recomputed here)."""
    due = suggestion.reply_due
    if due is None:
        return ReplyClock(suggestion.due_date, None, "", suggestion.feedback_missing_on(today))
    days = clocks.days_left(due, today)
    if suggestion.overdue_on(today):
        state = "overdue"
    elif days == 0:
        state = "today"
    elif days <= DUE_SOON_DAYS:
        state = "soon"
    else:
        state = "running"
    return ReplyClock(due, days, state)


def with_clocks(rows, today: dt.date) -> None:
    for row in rows:
        row.clock = reply_clock(row, today)


# --- the work list ------------------------------------------------------------------------------------------


def _office_page_allowed(scope: Scope) -> bool:
    """The work list: staff who see deputies (district roles all; a street's staff their street's deputies)."""
    return allows(scope, "see_deputy_list")


class SuggestionListView(ScopedListView):
    """代表建议: every suggestion in the user's scope with its unit, clocks, status and evaluation, 50 a page.

    The API's FilterSet keys (term, session, status, lead_unit, q …) filter it, plus `clock`; the current term
    unless the query names another (``?term=`` for all)."""

    selector = suggestion_work_list
    filterset_class = SuggestionWorkListFilterSet
    template_name = "oversight/suggestions/list.html"
    section = "suggestions"
    default_current_term = current_term
    deputies = deputy_list
    denied_message = gettext_lazy("代表建议的办理清单供工作人员使用；代表请在“我的建议”中查看自己的建议。")

    def allowed(self, scope: Scope) -> bool:
        return _office_page_allowed(scope)

    def elsewhere(self, scope: Scope) -> HttpResponse | None:
        if unit_of(scope) is not None and not _office_page_allowed(scope):
            return redirect("suggestions:unit_list")  # a unit's staff: what is assigned to them
        return None

    def refine(self, queryset):
        clock = self.request.GET.get("clock")
        if clock in (OVERDUE, DUE_SOON):
            return queryset.annotate(reply_due_at=reply_due_at()).order_by("reply_due_at", "id")  # earliest due first
        if clock == FEEDBACK_MISSING:
            return queryset.order_by("feedback_due", "id")
        return queryset

    def get_extra_context(self, *, scope, filterset, page) -> dict:
        today = timezone.localdate()
        with_clocks(page.object_list, today)
        can_assign = allows(scope, "assign_suggestion")
        context = {"today": today, "can_assign": can_assign, "shown_fields": filterset.shown_fields(),
                   "filtered": any(self.request.GET.get(k) for k in filterset.SHOWN if k != "term")}
        if can_assign:
            mine = suggestion_work_list(user=self.request.user)
            context["waiting_assignment"] = mine.filter(status=S.SUBMITTED).count()
            context["waiting_close"] = mine.filter(feedback_missing_q(today)).count()
        return context


suggestion_list_view = SuggestionListView.as_view()


# --- bulk assignment after a session ----------------------------------------------------------------------


def _assign_filter_data(request: HttpRequest):
    data = request.GET.copy()
    if "term" not in data and (term := current_term()) is not None:
        data["term"] = str(term.pk)
    return data


def _strip_row_prefix(message: str, index: int, title: str) -> str:
    """suggestion_assign_bulk names a line by its place among the chosen ones (第N条（“…”）：): next to its own
    row on this page the reason alone reads better."""
    prefix = f"第{index + 1}条（“{title}”）："
    return message[len(prefix):] if message.startswith(prefix) else message


@login_required
def assign_bulk_view(request: HttpRequest) -> HttpResponse:
    """批量交办: the submitted suggestions of a session (or of the chosen filters), a lead unit (and co-units) per
    row, one date; one submit assigns every row that has a lead unit, all or none (suggestion_assign_bulk)."""
    scope = scope_for(request.user)
    if not allows(scope, "assign_suggestion"):
        raise PermissionDenied("只有代表联络机构可以交办建议。")
    waiting = suggestion_work_list(user=request.user).filter(status=S.SUBMITTED)
    filterset = SuggestionWorkListFilterSet(_assign_filter_data(request), queryset=waiting, request=request)
    notices: list[str] = []
    units = list(handling_unit_list(user=request.user).values_list("pk", "name"))
    units_by_id = {unit.pk: unit for unit in handling_unit_list(user=request.user)} if request.method == "POST" else {}
    today = timezone.localdate()
    top_errors: list[str] = []

    if request.method == "POST":
        date_form = AssignDateForm(request.POST)
        formset = AssignFormSet(request.POST, prefix="a", form_kwargs={"units": units})
        posted_ids = [_int(form["suggestion"].value()) for form in formset.forms]
        by_id = {s.pk: s for s in suggestion_work_list(user=request.user).filter(pk__in=[i for i in posted_ids if i])}
        rows = [by_id.get(i) for i in posted_ids]
        if date_form.is_valid() & formset.is_valid():  # both validated: every error shows at once
            chosen: list[tuple[object, services.SuggestionAssignment]] = []
            for form, suggestion in zip(formset.forms, rows):
                data = form.cleaned_data
                if suggestion is None:
                    form.add_error(None, "这条建议已不存在或不在您的范围内，请刷新页面。")
                    continue
                if data.get("lead_unit") is None and not data.get("co_units"):
                    continue  # left for later
                chosen.append((form, services.SuggestionAssignment(
                    suggestion=suggestion, lead_unit=units_by_id.get(data.get("lead_unit")),
                    co_units=tuple(units_by_id[i] for i in data.get("co_units") or () if i in units_by_id),
                )))
            if not chosen and not formset.total_error_count():
                top_errors.append("请至少为一条建议选择主办单位。")
            elif not formset.total_error_count():
                day = date_form.cleaned_data["date"]
                try:
                    done = services.suggestion_assign_bulk(
                        user=request.user, assignments=[line for _, line in chosen], date=day,
                    )
                except ValidationError as exc:
                    top_errors = _assign_errors(exc, chosen, date_form)
                else:
                    due = done[0].due_date
                    messages.success(request, f"已交办 {len(done)} 条建议，交办日期{chinese_date(day)}，"
                                              f"答复期限{chinese_date(due)}。")
                    query = {"status": S.ASSIGNED}
                    if request.GET.get("session"):
                        query["session"] = request.GET["session"]
                    return redirect(f"{reverse('suggestions:list')}?{urlencode(query)}")
        if formset.total_error_count() or top_errors or date_form.errors:
            top_errors.insert(0, "交办未完成，没有一条建议被交办：请修改标出的内容后重新提交。")
    else:
        listed = list(filtered(filterset, notices).order_by("lead_deputy__street_committee__code",
                                                             "lead_deputy__name", "id")[: ASSIGN_LIMIT + 1])
        if len(listed) > ASSIGN_LIMIT:
            listed = listed[:ASSIGN_LIMIT]
            notices.append(f"只列出前 {ASSIGN_LIMIT} 条待交办的建议，请按大会或搜索缩小范围。")
        rows = listed
        date_form = AssignDateForm(initial={"date": today})
        formset = AssignFormSet(initial=[{"suggestion": s.pk} for s in rows], prefix="a",
                                form_kwargs={"units": units})
        try:
            clocks.suggestion_due(today, cal=current_calendar())  # say it before the office fills a page of rows
        except clocks.CalendarUnknown as exc:
            notices.append(f"今天交办无法计算答复期限：{exc}")
    context = {
        "section": "suggestions",
        "filter_form": filterset.form,
        "date_form": date_form,
        "formset": formset,
        "rows": list(zip(formset.forms, rows)),
        "units": units,
        "notices": notices,
        "top_errors": top_errors,
        "query": request.GET.urlencode(),
    }
    return render(request, "oversight/suggestions/assign_bulk.html", context, status=400 if top_errors else 200)


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _assign_errors(exc: ValidationError, chosen, date_form) -> list[str]:
    """Put suggestion_assign_bulk's line errors on their rows (lead unit, co-units, else the row), the date's next to
    the date once; return every reason for the summary above the table."""
    summary: list[str] = []
    error_dict = exc.error_dict if hasattr(exc, "error_dict") else {"__all__": exc.error_list}
    date_messages: list[str] = []
    for key, errors in error_dict.items():
        for error in errors:
            params = error.params or {}
            index = params.get("index")
            if key != "records" or not isinstance(index, int) or not 0 <= index < len(chosen):
                summary.extend(error.messages)
                continue
            form, line = chosen[index]
            reason = _strip_row_prefix(error.message, index, line.suggestion.title)
            field = params.get("field")
            if field == "date":
                if reason not in date_messages:
                    date_messages.append(reason)
                form.add_error(None, reason)
            elif field in ("lead_unit", "co_units"):
                form.add_error(field, reason)
            else:
                form.add_error(None, reason)
            summary.append(f"“{line.suggestion.title}”：{reason}")
    for reason in date_messages:
        date_form.add_error("date", reason)
    return summary


# --- bulk close of replies left without feedback (代表未反馈) ------------------------------------------------


@login_required
def close_bulk_view(request: HttpRequest) -> HttpResponse:
    """代表未反馈: replied suggestions whose feedback deadline has ended; the office closes the chosen ones on one day
    with one note, all or none (each through suggestion_close, which checks the deadline again)."""
    scope = scope_for(request.user)
    if not allows(scope, "close_suggestion"):
        raise PermissionDenied("只有代表联络机构可以办结建议。")
    today = timezone.localdate()
    rows = list(suggestion_work_list(user=request.user).filter(feedback_missing_q(today))
                .order_by("feedback_due", "id"))
    by_id = {s.pk: s for s in rows}
    form = CloseBulkForm(request.POST or None, ids=list(by_id),
                         initial={"date": today, "note": DEFAULT_CLOSE_NOTE, "suggestions": list(by_id)})
    errors: list[str] = []
    if request.method == "POST" and form.is_valid():
        chosen = [by_id[i] for i in form.cleaned_data["suggestions"]]
        try:
            _close_all(request.user, chosen, form.cleaned_data["date"], form.cleaned_data["note"])
        except ValidationError as exc:
            errors = exc.messages
        else:
            messages.success(request, f"已办结 {len(chosen)} 条代表未反馈的建议。")
            return redirect(f"{reverse('suggestions:list')}?{urlencode({'status': S.CLOSED})}")
    with_clocks(rows, today)
    context = {"section": "suggestions", "form": form, "rows": rows, "errors": errors, "today": today}
    return render(request, "oversight/suggestions/close_bulk.html", context,
                  status=400 if request.method == "POST" else 200)


def _close_all(user, chosen: list[Suggestion], day: dt.date, note: str) -> None:
    """suggestion_close for each, in one transaction: any refusal rolls all back and names every refused one."""
    refused: list[str] = []
    with transaction.atomic():
        for suggestion in chosen:
            try:
                with transaction.atomic():
                    services.suggestion_close(user=user, suggestion=suggestion, date=day, note=note)
            except ValidationError as exc:
                refused.extend(f"“{suggestion.title}”：{message}" for message in exc.messages)
        if refused:
            transaction.set_rollback(True)
            raise ValidationError(["办结未完成，没有一条建议被办结：", *refused])


# --- handling units -------------------------------------------------------------------------------------------


def _units_page(request: HttpRequest, form: HandlingUnitForm, *, editing=None, editing_name: str = "",
                status: int = 200) -> HttpResponse:
    units = handling_unit_usage_list(user=request.user)
    notices: list[str] = []
    page = page_of(request, units, notices, per_page=100)
    context = {"section": "suggestion_units", "form": form, "editing": editing, "editing_name": editing_name,
               "page": page, "notices": notices}
    return render(request, "oversight/suggestions/units.html", context, status=status)


def _unit_manager(request: HttpRequest) -> None:
    if not allows(scope_for(request.user), "manage_handling_units"):
        raise PermissionDenied("只有代表联络机构可以维护承办单位。")


def _unit_save(request: HttpRequest, unit) -> HttpResponse:
    editing_name = unit.name if unit is not None else ""  # before the form writes the posted name onto the instance
    form = HandlingUnitForm(request.POST or None, instance=unit)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.handling_unit_save(
                user=request.user, unit=unit, data={k: form.cleaned_data[k] for k in ("name", "code", "kind")},
            )
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, f"已保存承办单位“{saved.name}”。")
            return redirect("suggestions:units")
    status = 400 if request.method == "POST" else 200
    return _units_page(request, form, editing=unit, editing_name=editing_name, status=status)


@login_required
def units_view(request: HttpRequest) -> HttpResponse:
    """承办单位: the list (with how many suggestions each handles) and the form adding one."""
    _unit_manager(request)
    return _unit_save(request, None)


@login_required
def unit_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    _unit_manager(request)
    unit = get_object_or_404(handling_unit_list(user=request.user), pk=pk)
    return _unit_save(request, unit)


@login_required
@require_POST
def unit_delete_view(request: HttpRequest, pk: int) -> HttpResponse:
    _unit_manager(request)
    unit = get_object_or_404(handling_unit_list(user=request.user), pk=pk)
    try:
        services.handling_unit_delete(user=request.user, unit=unit)
    except ValidationError as exc:
        reason = "；".join(exc.messages)
        messages.error(request, f"不能删除“{unit.name}”：{reason}")
    else:
        messages.success(request, f"已删除承办单位“{unit.name}”。")
    return redirect("suggestions:units")

