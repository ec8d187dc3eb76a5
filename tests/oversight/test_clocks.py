"""RULES.md "Suggestions and constituents' opinions": the clocks, counted as 民法典 Arts. 201–203 count periods."""
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from oversight.rules.clocks import (
    CalendarUnknown,
    add_months,
    add_working_days,
    days_left,
    feedback_due,
    is_overdue,
    is_working_day,
    known_years,
    next_working_day,
    opinion_reply_due,
    period_end_months,
    rehandling_due,
    suggestion_due,
)

D = dt.date
SATURDAY, SUNDAY = 5, 6


# Month arithmetic (民法典 Art. 202)

def test_the_31st_ends_on_the_last_day_of_a_shorter_month():
    assert add_months(D(2025, 1, 31), 3) == D(2025, 4, 30)
    assert period_end_months(D(2025, 1, 31), 3) == D(2025, 4, 30)
    assert suggestion_due(D(2025, 1, 31)) == D(2025, 4, 30)


def test_january_31st_plus_one_month_is_february_29th_in_a_leap_year_and_28th_otherwise():
    assert add_months(D(2024, 1, 31), 1) == D(2024, 2, 29)
    assert add_months(D(2025, 1, 31), 1) == D(2025, 2, 28)
    assert add_months(D(2100, 1, 31), 1) == D(2100, 2, 28)  # not a leap year
    assert add_months(D(2000, 1, 31), 1) == D(2000, 2, 29)
    assert period_end_months(D(2024, 1, 31), 1) == D(2024, 2, 29)  # a Thursday


def test_november_30th_plus_three_months_is_february_29th_of_a_leap_year():
    assert suggestion_due(D(2023, 11, 30)) == D(2024, 2, 29)


def test_february_29th_plus_a_year_is_february_28th():
    assert add_months(D(2024, 2, 29), 12) == D(2025, 2, 28)
    assert add_months(D(2024, 2, 29), 1) == D(2024, 3, 29)


def test_months_cross_the_year_and_go_backwards():
    assert add_months(D(2025, 11, 15), 3) == D(2026, 2, 15)
    assert add_months(D(2025, 3, 31), -1) == D(2025, 2, 28)
    assert add_months(D(2025, 3, 7), 0) == D(2025, 3, 7)


# A last day that is a rest day moves (民法典 Art. 203)

def test_a_due_date_on_a_saturday_moves_to_monday():
    assert D(2025, 6, 7).weekday() == SATURDAY
    assert suggestion_due(D(2025, 3, 7)) == D(2025, 6, 9)


def test_a_due_date_in_the_national_day_holiday_moves_to_the_first_working_day_after_it():
    # 2025: 10月1日至8日放假
    assert suggestion_due(D(2025, 7, 1)) == D(2025, 10, 9)
    assert suggestion_due(D(2025, 7, 8)) == D(2025, 10, 9)
    # 2024: 10月1日至7日放假
    assert suggestion_due(D(2024, 7, 3)) == D(2024, 10, 8)


def test_a_due_date_on_a_swapped_working_saturday_stays_on_that_saturday():
    for assigned, saturday in ((D(2025, 7, 11), D(2025, 10, 11)), (D(2024, 7, 12), D(2024, 10, 12))):
        assert saturday.weekday() == SATURDAY
        assert is_working_day(saturday)
        assert suggestion_due(assigned) == saturday


def test_a_swapped_working_sunday_is_a_working_day():
    assert D(2025, 9, 28).weekday() == SUNDAY
    assert is_working_day(D(2025, 9, 28))
    assert next_working_day(D(2025, 9, 27)) == D(2025, 9, 28)


def test_a_due_date_in_the_spring_festival_moves_past_the_holiday():
    # 2025: 1月28日至2月4日放假
    assert suggestion_due(D(2024, 10, 29)) == D(2025, 2, 5)
    # 2026: 2月15日至23日放假; extended to six months
    assert suggestion_due(D(2025, 8, 16), extended=True) == D(2026, 2, 24)


def test_an_extended_suggestion_has_six_months():
    assert suggestion_due(D(2025, 3, 7), extended=True) == D(2025, 9, 8)  # 9月7日 is a Sunday
    assert suggestion_due(D(2025, 8, 31), extended=True) == D(2026, 2, 28)  # a swapped working Saturday


def test_rehandling_is_due_two_months_after_the_evaluation():
    assert rehandling_due(D(2025, 7, 31)) == D(2025, 9, 30)
    assert rehandling_due(D(2025, 12, 31)) == D(2026, 2, 28)  # swapped working Saturday, 2月28日 exists
    assert rehandling_due(D(2025, 8, 1)) == D(2025, 10, 9)  # 10月1日 in the holiday


def test_next_working_day_is_the_day_itself_when_it_works():
    assert next_working_day(D(2025, 6, 9)) == D(2025, 6, 9)
    assert next_working_day(D(2025, 1, 1)) == D(2025, 1, 2)


# Working days (北京市代表建议条例 Art. 23)

def test_fifteen_working_days_across_the_national_day_holiday():
    # 9月28日 (Sun) and 10月11日 (Sat) work; 10月1日至8日 rest
    assert feedback_due(D(2025, 9, 26)) == D(2025, 10, 23)


def test_fifteen_working_days_in_an_ordinary_fortnight_are_three_weeks():
    assert feedback_due(D(2025, 6, 6)) == D(2025, 6, 27)


def test_the_reply_day_itself_is_not_counted():
    assert add_working_days(D(2025, 6, 9), 1) == D(2025, 6, 10)
    assert add_working_days(D(2025, 6, 6), 1) == D(2025, 6, 9)  # Friday → Monday
    assert add_working_days(D(2025, 6, 9), 0) == D(2025, 6, 9)


def test_negative_working_days_are_refused():
    with pytest.raises(ValueError):
        add_working_days(D(2025, 6, 9), -1)


# Constituents' opinions: calendar days, a rest-day end moves as in Art. 203

def test_an_opinion_is_due_thirty_calendar_days_after_forwarding():
    assert opinion_reply_due(D(2025, 3, 3), 30) == D(2025, 4, 2)


def test_an_opinion_due_on_a_rest_day_moves_to_the_next_working_day():
    assert opinion_reply_due(D(2025, 9, 1), 30) == D(2025, 10, 9)  # 10月1日 in the holiday
    assert opinion_reply_due(D(2025, 9, 11), 30) == D(2025, 10, 11)  # swapped working Saturday stays
    assert opinion_reply_due(D(2025, 5, 8), 30) == D(2025, 6, 9)  # 6月7日 Saturday


def test_an_opinion_period_of_no_days_is_refused():
    with pytest.raises(ValueError):
        opinion_reply_due(D(2025, 3, 3), 0)


# The calendar's years

def test_the_calendar_says_which_years_it_knows():
    years = known_years()
    assert years[0] == 2004
    assert 2025 in years and 2026 in years
    assert 2027 not in years  # chinesecalendar 1.11.0; an update that adds 2027 must update this test


def test_a_due_date_beyond_the_calendar_is_an_error_the_office_can_read():
    with pytest.raises(CalendarUnknown) as raised:
        suggestion_due(D(2027, 2, 6))
    assert str(raised.value) == (
        "法定节假日日历只覆盖2004年至2026年，无法计算2027年5月6日所在年份的期限；请在「法定节假日安排」页面录入"
        "国务院办公厅公布的2027年节假日安排（系统管理员或代表联络机构）。"
    )
    assert raised.value.day == D(2027, 5, 6)
    assert isinstance(raised.value, ValueError)


def test_working_days_that_run_into_an_unknown_year_are_an_error_not_a_guess():
    with pytest.raises(CalendarUnknown, match="2027年1月1日"):
        feedback_due(D(2026, 12, 25))


def test_a_year_before_the_calendar_is_an_error():
    with pytest.raises(CalendarUnknown, match="2003年"):
        is_working_day(D(2003, 6, 2))


def test_a_datetime_is_refused_rather_than_silently_missing_the_holidays():
    with pytest.raises(TypeError):
        is_working_day(dt.datetime(2025, 10, 1, 9, 0))


# Overdue and days left

def test_a_suggestion_without_reply_is_not_overdue_on_its_due_day_and_overdue_the_day_after():
    due = D(2025, 6, 9)
    assert not is_overdue(due, None, due)
    assert is_overdue(due, None, D(2025, 6, 10))


def test_a_reply_on_the_due_day_is_on_time_for_ever():
    due = D(2025, 6, 9)
    assert not is_overdue(due, due, D(2026, 1, 1))


def test_a_late_reply_stays_overdue():
    due = D(2025, 6, 9)
    assert is_overdue(due, D(2025, 6, 10), D(2025, 6, 20))


def test_days_left_counts_down_to_zero_then_negative():
    due = D(2025, 6, 9)
    assert days_left(due, D(2025, 5, 25)) == 15
    assert days_left(due, due) == 0
    assert days_left(due, D(2025, 6, 16)) == -7


# Properties

def _calendar_days(last: dt.date):
    return st.dates(min_value=D(known_years()[0], 1, 1), max_value=last)


@settings(suppress_health_check=[HealthCheck.too_slow])  # a shared, loaded machine; the inputs are cheap
@given(start=_calendar_days(D(known_years()[-1], 6, 30)), n=st.integers(min_value=1, max_value=6))
def test_a_period_ends_on_the_first_working_day_on_or_after_its_month_end(start, n):
    end = period_end_months(start, n)
    nominal = add_months(start, n)
    assert is_working_day(end)
    assert end >= nominal
    day = nominal
    while day < end:
        assert not is_working_day(day)
        day += dt.timedelta(days=1)


@settings(suppress_health_check=[HealthCheck.too_slow])  # a shared, loaded machine; the inputs are cheap
@given(start=_calendar_days(D(known_years()[-1], 11, 30)), n=st.integers(min_value=1, max_value=15))
def test_the_nth_working_day_after_start_has_exactly_n_working_days_up_to_it(start, n):
    end = add_working_days(start, n)
    assert is_working_day(end)
    count = sum(is_working_day(start + dt.timedelta(days=k)) for k in range(1, (end - start).days + 1))
    assert count == n


@settings(suppress_health_check=[HealthCheck.too_slow])  # a shared, loaded machine; the inputs are cheap
@given(day=st.dates(min_value=D(1900, 1, 1), max_value=D(2199, 12, 31)), n=st.integers(min_value=-36, max_value=36))
def test_add_months_keeps_the_day_number_when_the_month_has_it(day, n):
    result = add_months(day, n)
    assert (result.year * 12 + result.month) - (day.year * 12 + day.month) == n
    assert result.day == day.day or (result.day < day.day and (result + dt.timedelta(days=1)).day == 1)
