"""法定节假日安排: the clocks on a supplemented calendar, the entered year's checks, the page, and a suggestion's
due date in an entered year. 2099 and its dates are made up for the tests (never a real year's schedule);
2024 "entered" below copies the package's own 2024 data, with the package made to forget that year."""
from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test import Client
from rest_framework.test import APIClient

from dutyadmin.models import HolidaySchedule
from oversight.holidays import current_calendar
from oversight.holidays.forms import parse_dates
from oversight.holidays.services import holiday_schedule_delete, holiday_schedule_save
from oversight.rules import clocks
from oversight.rules.clocks import (
    PACKAGE_CALENDAR,
    Calendar,
    CalendarUnknown,
    YearDays,
    feedback_due,
    is_working_day,
    known_years,
    next_working_day,
    suggestion_due,
    working_days_in_year,
)
from tests import factories

from .suggestion_fixtures import D, assign, submit

URL = "/oversight/holidays/"
# A made-up 2099: 1月1日 (Thu) to 1月3日 (Sat) off, Sunday 1月4日 worked.
HOLIDAYS_2099 = frozenset({D(2099, 1, 1), D(2099, 1, 2), D(2099, 1, 3)})
WORKDAYS_2099 = frozenset({D(2099, 1, 4)})
CAL_2099 = PACKAGE_CALENDAR.with_years([YearDays(2099, HOLIDAYS_2099, WORKDAYS_2099)])


# --- clocks on a supplemented calendar ------------------------------------------------------------


def test_a_supplemented_year_has_its_holidays_and_swapped_working_days():
    assert D(2099, 1, 1).weekday() == 3 and D(2099, 1, 4).weekday() == 6
    assert not is_working_day(D(2099, 1, 2), cal=CAL_2099)  # a Friday off
    assert is_working_day(D(2099, 1, 4), cal=CAL_2099)  # a Sunday worked (调休上班)
    assert not is_working_day(D(2099, 1, 10), cal=CAL_2099)  # an ordinary Saturday
    assert is_working_day(D(2099, 1, 5), cal=CAL_2099)
    assert next_working_day(D(2099, 1, 1), cal=CAL_2099) == D(2099, 1, 4)
    assert working_days_in_year(2099, cal=CAL_2099) == 261 - 2 + 1  # 261 weekdays, two of them off, a Sunday worked


def test_with_years_returns_a_new_calendar_and_leaves_the_package_one_alone():
    assert known_years(CAL_2099) == (*range(2004, 2027), 2099)
    assert 2099 not in known_years() and known_years() == PACKAGE_CALENDAR.years
    with pytest.raises(CalendarUnknown):
        is_working_day(D(2099, 1, 5))  # the default calendar is still the package's


def test_the_clocks_take_the_calendar_and_a_gap_year_stays_unknown():
    # The start day's year need not be known (2098 is not): the clocks look at the days they count and the end.
    # 2099-01-02 (Fri) and 01-03 (Sat) are off; Sunday 01-04 is worked, so the period ends then.
    assert suggestion_due(D(2098, 10, 2), cal=CAL_2099) == D(2099, 1, 4)
    with pytest.raises(CalendarUnknown) as raised:
        feedback_due(D(2098, 12, 28), cal=CAL_2099)
    assert str(raised.value).startswith("法定节假日日历只覆盖2004年至2026年、2099年，无法计算2098年12月29日")
    assert "录入国务院办公厅公布的2098年节假日安排（系统管理员或代表联络机构）。" in str(raised.value)
    assert raised.value.years == CAL_2099.years


def test_a_year_is_added_once_and_only_with_its_own_dates():
    with pytest.raises(ValueError, match="2025年"):
        PACKAGE_CALENDAR.with_years([YearDays(2025, frozenset(), frozenset())])
    with pytest.raises(ValueError, match="不在2099年"):
        PACKAGE_CALENDAR.with_years([YearDays(2099, frozenset({D(2098, 12, 31)}), frozenset())])
    with pytest.raises(ValueError, match="既是放假日又是调休上班日"):
        PACKAGE_CALENDAR.with_years([YearDays(2099, HOLIDAYS_2099, frozenset({D(2099, 1, 3)}))])
    with pytest.raises(ValueError):
        CAL_2099.with_years([YearDays(2099, HOLIDAYS_2099, WORKDAYS_2099)])


def test_the_package_calendar_is_a_calendar_of_explicit_years():
    assert isinstance(PACKAGE_CALENDAR, Calendar)
    assert PACKAGE_CALENDAR.years == tuple(range(2004, 2027))
    assert D(2025, 10, 1) in PACKAGE_CALENDAR.holidays and D(2025, 9, 28) in PACKAGE_CALENDAR.workdays


# --- the dates typed on the page ---------------------------------------------------------------


def test_dates_are_read_one_a_line_or_comma_separated_in_either_writing():
    text = "2099-01-01\n2099年1月2日，2099/1/3\n\n 2099-01-01 "
    assert parse_dates(text, year=2099) == sorted(HOLIDAYS_2099)


@pytest.mark.parametrize(("text", "words"), [
    ("2099-01-01\n2099-13-01", "第2行“2099-13-01”不是日期"),
    ("2099-01-01\n\n一月三日", "第3行“一月三日”不是日期"),
    ("2098年12月31日", "第1行2098年12月31日不在2099年。"),
])
def test_a_bad_entry_is_named_by_its_line(text, words):
    with pytest.raises(ValidationError) as raised:
        parse_dates(text, year=2099)
    assert any(words in message for message in raised.value.messages)


def test_a_swapped_working_day_must_be_a_weekend_day():
    with pytest.raises(ValidationError, match="第1行2099年1月5日是星期一，本来就是工作日"):
        parse_dates("2099-01-05", year=2099, weekend_only=True)


# --- the record and its service ------------------------------------------------------------------


@pytest.fixture
def office(db):
    return factories.make_user("liaison_office", username="office")


def save_2099(user, **kwargs):
    values = {"year": 2099, "notice": "测试用通知（虚构）", "holidays": HOLIDAYS_2099, "workdays": WORKDAYS_2099}
    values.update(kwargs)
    return holiday_schedule_save(user=user, **values)


def test_the_office_enters_a_year_and_the_calendar_knows_it_in_one_query(office, django_assert_num_queries):
    schedule = save_2099(office)
    assert (schedule.holidays, schedule.workdays) == (["2099-01-01", "2099-01-02", "2099-01-03"], ["2099-01-04"])
    assert schedule.created_by == office and schedule.history.get().history_user == office
    with django_assert_num_queries(1):
        cal = current_calendar()
    assert cal == CAL_2099


def test_a_year_the_package_knows_is_refused_in_words(office):
    with pytest.raises(ValidationError) as raised:
        save_2099(office, year=2026, holidays=[D(2026, 1, 1)], workdays=[])
    assert raised.value.message_dict["year"] == ["2026年的节假日安排已内置在软件中（chinesecalendar），不需要也不能再录入。"]
    assert not HolidaySchedule.objects.exists()


def test_a_row_for_a_package_year_never_overrides_the_package(db):
    HolidaySchedule.objects.create(year=2025, notice="x", holidays=["2025-03-03"], workdays=[])
    assert is_working_day(D(2025, 3, 3), cal=current_calendar())


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"workdays": [D(2099, 1, 5)]}, "workdays", "星期一，本来就是工作日"),
    ({"workdays": [D(2099, 1, 3)]}, "workdays", "同时填在放假日期和调休上班日期中"),
    ({"holidays": [D(2098, 12, 31)]}, "holidays", "不在2099年"),
    ({"holidays": []}, "holidays", "请至少填写一个放假日期"),
    ({"notice": "  "}, "notice", "请填写国务院办公厅通知"),
])
def test_the_record_checks_its_dates(office, changes, field, words):
    with pytest.raises(ValidationError) as raised:
        save_2099(office, **changes)
    assert words in raised.value.message_dict[field][0]
    assert not HolidaySchedule.objects.exists()


def test_a_year_is_entered_once_and_keeps_its_year(office):
    schedule = save_2099(office)
    with pytest.raises(ValidationError, match="已经录入"):
        save_2099(office)
    with pytest.raises(ValidationError, match="不能修改"):
        save_2099(office, schedule=schedule, year=2098)
    save_2099(office, schedule=schedule, workdays=[])
    schedule.refresh_from_db()
    assert schedule.workdays == [] and schedule.history.count() == 2


def test_only_the_office_and_the_administrator_enter_or_delete(office, db):
    staff = factories.make_user("street_staff", username="staff", street_committee=factories.StreetCommitteeFactory())
    with pytest.raises(PermissionDenied):
        save_2099(staff)
    schedule = save_2099(factories.make_user("admin", username="admin"))
    with pytest.raises(PermissionDenied):
        holiday_schedule_delete(user=staff, schedule=schedule)
    holiday_schedule_delete(user=office, schedule=schedule)
    assert not HolidaySchedule.objects.exists()
    assert list(HolidaySchedule.history.filter(year=2099).values_list("history_type", flat=True)) == ["-", "+"]


# --- the page ------------------------------------------------------------------------------------


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def form(**fields):
    data = {"year": "2099", "notice": "测试用通知（虚构）", "holidays": "2099-01-01\n2099年1月2日\n2099-01-03",
            "workdays": "2099-01-04", "action": "save"}
    data.update(fields)
    return data


def test_the_page_lists_the_package_years_as_built_in(office):
    page = logged_in(office).get(URL).content.decode()
    assert "软件内置" in page and 'id="year-2004"' in page and 'id="year-2026"' in page
    assert 'id="year-2027"' not in page
    assert "法定节假日安排" in page and f'href="{URL}"' in page  # the menu entry


def test_the_office_previews_then_adds_a_year(office):
    client = logged_in(office)
    preview = client.post(URL, form(action="preview"))
    assert preview.status_code == 200
    assert "按这些日期，2099年共有 260 个工作日。" in preview.content.decode()
    assert not HolidaySchedule.objects.exists()
    saved = client.post(URL, form())
    assert saved.status_code == 302
    page = client.get(URL).content.decode()
    assert "已保存2099年的法定节假日安排。" in page and "测试用通知（虚构）" in page and 'id="year-2099"' in page
    assert HolidaySchedule.objects.get().workdays == ["2099-01-04"]


def test_a_bad_date_line_is_an_error_next_to_the_field_and_saves_nothing(office):
    answer = logged_in(office).post(URL, form(holidays="2099-01-01\n2099-02-30"))
    assert answer.status_code == 400
    assert "第2行“2099-02-30”不是日期" in answer.content.decode()
    assert answer.context["form"].errors["holidays"]
    assert not HolidaySchedule.objects.exists()


def test_a_package_year_is_refused_on_the_page(office):
    answer = logged_in(office).post(URL, form(year="2025", holidays="2025-01-01", workdays=""))
    assert answer.status_code == 400 and "已内置在软件中" in str(answer.context["form"].errors["year"])


def test_the_office_edits_and_deletes_an_entered_year(office):
    client = logged_in(office)
    save_2099(office)
    edit = client.get(f"{URL}2099/")
    assert edit.status_code == 200 and "2099-01-04" in edit.content.decode()
    assert client.post(f"{URL}2099/", form(year="2098", workdays="")).status_code == 302  # the year field is fixed
    assert HolidaySchedule.objects.get().year == 2099 and HolidaySchedule.objects.get().workdays == []
    assert client.post(f"{URL}2099/delete/").status_code == 302
    assert not HolidaySchedule.objects.exists()
    assert client.get(f"{URL}2099/").status_code == 404


def test_street_staff_and_deputies_are_refused(db):
    staff = factories.make_user("street_staff", username="staff", street_committee=factories.StreetCommitteeFactory())
    client = logged_in(staff)
    assert client.get(URL).status_code == 403
    assert client.post(URL, form()).status_code == 403
    assert not HolidaySchedule.objects.exists()
    assert "法定节假日安排" not in client.get("/").content.decode()


def test_the_administrator_may_use_the_page(db):
    assert logged_in(factories.make_user("admin", username="admin")).get(URL).status_code == 200


# --- a suggestion's due date in an entered year -------------------------------------------------


@pytest.fixture
def package_without_2024(monkeypatch):
    """The package as if it knew only 2004–2023, so 2024 can be entered (from the package's own 2024 data)."""
    package = clocks.PACKAGE_CALENDAR
    monkeypatch.setattr(clocks, "PACKAGE_CALENDAR", Calendar(package.holidays, package.workdays, tuple(range(2004, 2024))))
    return SimpleNamespace(
        holidays=sorted(d for d in package.holidays if d.year == 2024),
        workdays=sorted(d for d in package.workdays if d.year == 2024),
    )


def test_assigning_needs_the_due_date_year_entered(sw, package_without_2024):
    suggestion = submit(sw)
    with pytest.raises(ValidationError) as raised:
        assign(sw, suggestion, on=D(2024, 3, 7))
    assert "请在「法定节假日安排」页面录入国务院办公厅公布的2024年节假日安排" in raised.value.message_dict["date"][0]
    holiday_schedule_save(user=sw.office, year=2024, notice="国务院办公厅关于2024年部分节假日安排的通知",
                          holidays=package_without_2024.holidays, workdays=package_without_2024.workdays)
    assign(sw, suggestion, on=D(2024, 3, 7))
    suggestion.refresh_from_db()
    assert suggestion.status == "assigned" and suggestion.due_date == D(2024, 6, 7)


def test_through_the_api_an_unentered_year_is_a_400_and_an_entered_one_assigns(sw, package_without_2024):
    suggestion = submit(sw)
    api = APIClient()
    api.force_authenticate(sw.office)
    url = f"/api/v1/suggestions/{suggestion.pk}/assign/"
    body = {"lead_unit": sw.road.pk, "date": "2024-03-07"}
    refused = api.post(url, body, format="json")
    assert refused.status_code == 400 and "2024年节假日安排" in str(refused.json()["date"])
    holiday_schedule_save(user=sw.office, year=2024, notice="国务院办公厅关于2024年部分节假日安排的通知",
                          holidays=package_without_2024.holidays, workdays=package_without_2024.workdays)
    answer = api.post(url, body, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["due_date"] == "2024-06-07"


def test_the_page_reads_in_a_fixed_number_of_queries(office, django_assert_max_num_queries):
    for year in (2097, 2098, 2099):
        holiday_schedule_save(user=office, year=year, notice=f"测试{year}", holidays=[D(year, 1, 1)], workdays=[])
    client = logged_in(office)
    with django_assert_max_num_queries(10):
        page = client.get(URL).content.decode()
    assert all(f'id="year-{year}"' in page for year in (2097, 2098, 2099))
