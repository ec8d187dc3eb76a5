"""Writes of the 法定节假日安排: one year entered, changed or deleted by the liaison office or the administrator,
kept in history (the clocks of every suggestion assigned afterwards read it)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied, ValidationError

from dutyadmin.models import HolidaySchedule
from dutyadmin.permissions import allows
from dutyadmin.services import record_delete, record_save
from oversight.rules import clocks


def _allowed(user) -> None:
    if not allows(user, "manage_holidays"):
        raise PermissionDenied("只有系统管理员或代表联络机构可以录入法定节假日安排。")


def check_year_open(year: int, *, schedule: HolidaySchedule | None = None) -> None:
    """Can this year be entered (schedule None) or this schedule be saved for it? Else a ValidationError on year."""
    if schedule is not None and schedule.year != year:
        raise ValidationError({"year": "已录入的年份不能修改；如年份有误，请删除后重新录入。"})
    if clocks.PACKAGE_CALENDAR.knows(year):
        raise ValidationError({"year": f"{year}年的节假日安排已内置在软件中（chinesecalendar），不需要也不能再录入。"})
    if schedule is None and HolidaySchedule.objects.filter(year=year).exists():
        raise ValidationError({"year": f"{year}年的节假日安排已经录入，请在列表中修改。"})


def holiday_schedule_save(*, user, schedule: HolidaySchedule | None = None, year: int, notice: str,
                          holidays: Iterable[dt.date], workdays: Iterable[dt.date]) -> HolidaySchedule:
    """Enter (schedule None) or change one year's schedule. A year the chinesecalendar package knows is refused:
    its data stays the source for that year. The year of an entered schedule does not change."""
    _allowed(user)
    check_year_open(year, schedule=schedule)
    instance = schedule if schedule is not None else HolidaySchedule(year=year, created_by=user)
    return record_save(instance, user=user, data={
        "notice": (notice or "").strip(),
        "holidays": [day.isoformat() for day in holidays],
        "workdays": [day.isoformat() for day in workdays],
    })


def holiday_schedule_delete(*, user, schedule: HolidaySchedule) -> None:
    """Delete an entered year (kept in history); due dates already computed from it stay as they are."""
    _allowed(user)
    record_delete(schedule, user=user)
