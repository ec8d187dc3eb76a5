"""RULES.md "Windows, days and counting": inclusive spans, leap years, pro-rata years, elapsed days, status."""
import pytest

from oversight.rules.windows import (
    ceil_div,
    days_in_year,
    prorated_required,
    service_window,
    span_days,
    threshold_status,
    year_windows,
)

from .world import D


def test_a_span_includes_both_ends():
    assert span_days(D(2024, 1, 1), D(2024, 1, 1)) == 1
    assert span_days(D(2024, 1, 1), D(2024, 12, 31)) == 366
    assert span_days(D(2023, 1, 1), D(2023, 12, 31)) == 365


def test_2024_has_366_days_and_2023_has_365():
    assert days_in_year(2024) == 366
    assert days_in_year(2023) == 365
    assert days_in_year(2100) == 365
    assert days_in_year(2000) == 366


def test_ceil_div_is_exact_at_halves():
    assert ceil_div(3 * 183, 366) == 2  # ceil(1.5)
    assert ceil_div(3 * 122, 366) == 1  # exactly 1
    assert ceil_div(0, 366) == 0


@pytest.mark.parametrize(
    ("threshold", "year", "start", "end", "required"),
    [
        (2, 2024, D(2024, 10, 1), D(2024, 12, 31), 1),  # worked example 3: ceil(2 × 92 / 366)
        (3, 2024, D(2024, 1, 1), D(2024, 12, 31), 3),  # a whole year is owed in full
        (2, 2024, D(2024, 7, 2), D(2024, 12, 31), 1),  # 183 days of a leap year: 2 × 183 / 366 = 1 exactly
        (2, 2023, D(2023, 7, 2), D(2023, 12, 31), 2),  # the same 183 days of 2023: 2 × 183 / 365 > 1
        (3, 2024, D(2024, 12, 31), D(2024, 12, 31), 1),  # one day still owes one
        (3, 2024, D(2024, 1, 1), D(2024, 3, 31), 1),  # service ended on 31 March: ceil(3 × 91 / 366)
    ],
)
def test_a_partial_year_is_owed_pro_rata_rounded_up(threshold, year, start, end, required):
    assert prorated_required(threshold, year, start, end) == required


def test_the_service_window_is_the_term_intersected_with_the_service_period():
    assert service_window(D(2022, 1, 1), D(2026, 12, 31), D(2024, 10, 1), None) == (D(2024, 10, 1), D(2026, 12, 31))
    assert service_window(D(2022, 1, 1), D(2026, 12, 31), D(2022, 1, 1), D(2024, 3, 31)) == (
        D(2022, 1, 1), D(2024, 3, 31),
    )
    assert service_window(D(2022, 1, 1), D(2026, 12, 31), D(2021, 6, 1), D(2021, 12, 31)) is None


def test_yearly_windows_are_calendar_years_cut_by_the_service_period():
    assert year_windows(D(2024, 10, 1), D(2026, 3, 31)) == [
        (2024, D(2024, 10, 1), D(2024, 12, 31)),
        (2025, D(2025, 1, 1), D(2025, 12, 31)),
        (2026, D(2026, 1, 1), D(2026, 3, 31)),
    ]


def test_met_wins_whenever_the_count_reaches_the_requirement():
    assert threshold_status(3, 3, D(2024, 1, 2), D(2024, 1, 1), D(2024, 12, 31)) == "met"
    assert threshold_status(4, 3, D(2025, 6, 1), D(2024, 1, 1), D(2024, 12, 31)) == "met"


def test_missed_starts_the_day_after_the_window_ends():
    assert threshold_status(2, 3, D(2024, 12, 31), D(2024, 1, 1), D(2024, 12, 31)) == "behind"
    assert threshold_status(2, 3, D(2025, 1, 1), D(2024, 1, 1), D(2024, 12, 31)) == "missed"


def test_behind_starts_the_day_the_expected_share_goes_up():
    # 3 a year in 2024: the share owed rises from 1 to 2 after 122 of 366 days (1 May → 2 May)
    assert threshold_status(1, 3, D(2024, 5, 1), D(2024, 1, 1), D(2024, 12, 31)) == "on_track"
    assert threshold_status(1, 3, D(2024, 5, 2), D(2024, 1, 1), D(2024, 12, 31)) == "behind"
    assert threshold_status(0, 3, D(2024, 1, 1), D(2024, 1, 1), D(2024, 12, 31)) == "behind"


def test_two_of_three_are_on_track_until_two_thirds_of_the_leap_year_have_passed():
    assert threshold_status(2, 3, D(2024, 8, 31), D(2024, 1, 1), D(2024, 12, 31)) == "on_track"  # 3 × 244 / 366 = 2
    assert threshold_status(2, 3, D(2024, 9, 1), D(2024, 1, 1), D(2024, 12, 31)) == "behind"


def test_on_the_last_day_of_the_window_the_whole_requirement_is_expected():
    assert threshold_status(2, 3, D(2024, 12, 31), D(2024, 1, 1), D(2024, 12, 31)) == "behind"
    assert threshold_status(3, 3, D(2024, 12, 31), D(2024, 1, 1), D(2024, 12, 31)) == "met"


def test_elapsed_days_stop_at_the_window_length():
    # as_of past the end would be missed anyway; elapsed never exceeds the window (no division surprise)
    assert threshold_status(0, 1, D(2024, 1, 1), D(2024, 1, 1), D(2024, 1, 1)) == "behind"
    assert threshold_status(0, 1, D(2024, 1, 2), D(2024, 1, 1), D(2024, 1, 1)) == "missed"
