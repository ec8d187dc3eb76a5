"""/oversight/holidays/: 法定节假日安排. The years the clocks' calendar knows (the package's, marked 软件内置, and those
the office entered with their notice); a year entered, changed or deleted from the State Council's notice."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from dutyadmin.forms import apply_errors
from dutyadmin.history import record_history
from dutyadmin.models import HolidaySchedule
from dutyadmin.permissions import allows
from oversight.rules import clocks

from .forms import HolidayScheduleForm, dates_text
from .selectors import calendar_years
from .services import check_year_open, holiday_schedule_delete, holiday_schedule_save

SAVE = "save"  # the button 保存; 预览 only counts the working days


def _allowed(request: HttpRequest) -> None:
    if not allows(request.user, "manage_holidays"):
        raise PermissionDenied(_("只有系统管理员或代表联络机构可以录入法定节假日安排。"))


def _preview(data: dict) -> dict:
    """The year's working days with these dates (for a year check_year_open let through)."""
    year = data["year"]
    supplement = clocks.YearDays(year, frozenset(data["holidays"]), frozenset(data["workdays"]))
    cal = clocks.PACKAGE_CALENDAR.with_years([supplement])
    return {"year": year, "working_days": clocks.working_days_in_year(year, cal=cal),
            "holidays": len(data["holidays"]), "workdays": len(data["workdays"])}


def _form_page(request: HttpRequest, schedule: HolidaySchedule | None) -> HttpResponse:
    initial = {}
    if schedule is not None:
        initial = {"year": schedule.year, "notice": schedule.notice,
                   "holidays": dates_text(schedule.holiday_dates()), "workdays": dates_text(schedule.workday_dates())}
    form = HolidayScheduleForm(request.POST or None, initial=initial,
                               fixed_year=schedule.year if schedule is not None else None)
    preview = None
    years = calendar_years()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if request.POST.get("action") == SAVE:
                saved = holiday_schedule_save(user=request.user, schedule=schedule, year=data["year"],
                                              notice=data["notice"], holidays=data["holidays"],
                                              workdays=data["workdays"])
                messages.success(request, _("已保存%(year)s年的法定节假日安排。") % {"year": saved.year})
                return redirect("oversight:holidays")
            check_year_open(data["year"], schedule=schedule)  # the service's refusals, said before a preview
            preview = _preview(data)
        except ValidationError as exc:
            apply_errors(form, exc)
    context = {
        "section": "holidays",
        "form": form,
        "schedule": schedule,
        "preview": preview,
        "years": [row for row in years if not row.builtin or row.schedule],
        "builtin": [row for row in years if row.builtin],
        "builtin_years": clocks.year_ranges(clocks.PACKAGE_CALENDAR.years),
        "history": record_history(sources=[(_("法定节假日安排"), HolidaySchedule.history.all())]),
    }
    return render(request, "oversight/holidays.html", context, status=400 if form.errors else 200)


@login_required
def holidays_view(request: HttpRequest) -> HttpResponse:
    """The calendar's years and the form for a new one."""
    _allowed(request)
    return _form_page(request, None)


@login_required
def holiday_edit_view(request: HttpRequest, year: int) -> HttpResponse:
    """Change an entered year (the package's years are not entered, so not here)."""
    _allowed(request)
    return _form_page(request, get_object_or_404(HolidaySchedule, year=year))


@login_required
@require_POST
def holiday_delete_view(request: HttpRequest, year: int) -> HttpResponse:
    _allowed(request)
    schedule = get_object_or_404(HolidaySchedule, year=year)
    try:
        holiday_schedule_delete(user=request.user, schedule=schedule)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已删除%(year)s年的法定节假日安排。") % {"year": year})
    return redirect("oversight:holidays")
