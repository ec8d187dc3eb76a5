"""A10.6 (Art. 10(六)) as pure rules: 7 receptions a year (pro rata in a partial year of the term), counted on their
day; a data check only once a year has ended short; who may be recommended on a reception's day (service, suspension);
which streets have not recommended."""
from __future__ import annotations

import datetime as dt

from oversight.rules.facts import DeputyFacts
from oversight.rules.receptions import (
    DIRECTOR_RECEPTIONS_PER_YEAR,
    ReceptionFact,
    may_recommend,
    reception_year,
    reception_years,
    receptions_short,
    streets_missing,
)

D = dt.date


def seven(year: int, n: int = 7) -> list[ReceptionFact]:
    return [ReceptionFact(i + 1, D(year, 1 + i, 15)) for i in range(n)]


def test_a_full_year_owes_seven_and_counts_a_reception_from_its_day():
    receptions = seven(2025)
    day = receptions[-1].date  # the seventh, 2025-07-15
    assert DIRECTOR_RECEPTIONS_PER_YEAR == 7
    before = reception_year(2025, D(2025, 1, 1), D(2025, 12, 31), receptions, day - dt.timedelta(days=1))
    on = reception_year(2025, D(2025, 1, 1), D(2025, 12, 31), receptions, day)
    assert (before.required, before.held, before.planned) == (7, 6, 7)
    assert before.status != "met"
    assert (on.held, on.status) == (7, "met")


def test_a_partial_year_of_the_term_owes_receptions_pro_rata():
    # A term from 2022-07-01: 184 of 365 days → ⌈7 × 184 / 365⌉ = 4.
    years = reception_years(D(2022, 7, 1), D(2026, 12, 31), [], D(2023, 1, 10))
    assert [(y.year, y.required) for y in years] == [(2022, 4), (2023, 7)]


def test_only_years_begun_are_listed():
    assert [y.year for y in reception_years(D(2022, 1, 1), D(2026, 12, 31), [], D(2023, 12, 31))] == [2022, 2023]


def test_short_year_is_a_data_check_only_once_it_has_ended():
    receptions = seven(2025, 6)
    years = lambda as_of: reception_years(D(2025, 1, 1), D(2026, 12, 31), receptions, as_of)  # noqa: E731
    assert receptions_short(years(D(2025, 12, 31)), D(2025, 12, 31)) == []  # still the year: its page shows it
    checks = receptions_short(years(D(2026, 1, 1)), D(2026, 1, 1))
    assert [(c.check, c.year, c.held, c.required) for c in checks] == [("director_receptions_short", 2025, 6, 7)]
    assert "2025年只安排了 6 次" in checks[0].message and "7 次" in checks[0].message


def test_seven_in_the_year_is_no_check_and_a_partial_year_names_the_proration():
    full = reception_years(D(2025, 1, 1), D(2026, 12, 31), seven(2025), D(2026, 1, 1))
    assert receptions_short(full, D(2026, 1, 1)) == []
    partial = reception_years(D(2022, 7, 1), D(2026, 12, 31), [ReceptionFact(1, D(2022, 9, 1))], D(2023, 1, 1))
    checks = receptions_short(partial, D(2023, 1, 1))
    assert [(c.year, c.held, c.required) for c in checks] == [(2022, 1, 4)]
    assert "折算" in checks[0].message


def test_may_recommend_on_the_edges_of_service_and_suspension():
    deputy = DeputyFacts(1, D(2024, 10, 1), D(2026, 3, 31), "resigned", ((D(2025, 3, 1), D(2025, 5, 31)),))
    assert not may_recommend(deputy, D(2024, 9, 30))
    assert may_recommend(deputy, D(2024, 10, 1))
    assert may_recommend(deputy, D(2025, 2, 28))
    assert not may_recommend(deputy, D(2025, 3, 1))
    assert not may_recommend(deputy, D(2025, 5, 31))
    assert may_recommend(deputy, D(2025, 6, 1))
    assert may_recommend(deputy, D(2026, 3, 31))
    assert not may_recommend(deputy, D(2026, 4, 1))
    open_ended = DeputyFacts(2, D(2022, 1, 1), None, "active", ((D(2026, 2, 1), None),))
    assert may_recommend(open_ended, D(2026, 1, 31)) and not may_recommend(open_ended, D(2026, 11, 1))


def test_streets_missing_leaves_out_streets_with_nobody_in_service_that_day():
    r = ReceptionFact(1, D(2025, 4, 8))
    serving = DeputyFacts(1, D(2022, 1, 1))
    gone = DeputyFacts(2, D(2022, 1, 1), D(2024, 12, 31), "resigned")
    suspended = DeputyFacts(3, D(2022, 1, 1), None, "active", ((D(2025, 4, 1), D(2025, 4, 30)),))
    by_street = {10: [serving], 20: [gone], 30: [suspended], 40: [gone, serving]}
    assert streets_missing(r, by_street, []) == [10, 40]
    assert streets_missing(r, by_street, [40]) == [10]
    assert streets_missing(r, by_street, [10, 40]) == []
