"""A10.6 (Art. 10(六)): "区人大常委会代表联络机构每年安排7次主任会议成员接待代表活动，根据工作需要，每个人大街工委
每次推荐1名代表参加". Pure: the year's receptions against 7, and the streets that have not recommended a deputy.

Not a finding about a deputy: the duty is the office's (to hold 7 a year) and each street's (to recommend one per
reception), so these are rows of their own, like the A10.5 contact checks (datachecks.ContactCheck)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .facts import DeputyFacts
from .windows import is_suspended, prorated_required, threshold_status, year_windows

DIRECTOR_RECEPTIONS_PER_YEAR = 7  # Art. 10(六): 每年安排7次
RECOMMENDATIONS_PER_STREET = 1  # Art. 10(六): 每个人大街工委每次推荐1名代表


@dataclass(frozen=True, slots=True)
class ReceptionFact:
    """One 主任会议成员接待代表 activity (kind director_reception) of the term."""

    id: int
    date: dt.date
    title: str = ""


@dataclass(frozen=True, slots=True)
class ReceptionYear:
    """A calendar year of the term: the receptions held by as_of against the number owed (7, pro rata in a year the
    term covers only in part); `planned` counts those of the year dated after as_of too."""

    year: int
    first: dt.date
    last: dt.date
    required: int
    held: int
    planned: int
    status: str  # met / missed / behind / on_track (windows.threshold_status)


@dataclass(frozen=True, slots=True)
class ReceptionCheck:
    check: str  # director_receptions_short
    year: int
    held: int
    required: int
    message: str


def reception_year(year: int, first: dt.date, last: dt.date, receptions: Iterable[ReceptionFact],
                   as_of: dt.date) -> ReceptionYear:
    """The year's window [first, last] (inside the term). (choice) A term that covers part of a year owes the
    receptions pro rata, ⌈7 × days of the year in the term / days in the year⌉, as every yearly count does (RULES.md
    "Partial years"); a reception counts once held, i.e. on its day (dated on or before as_of)."""
    in_year = [r for r in receptions if first <= r.date <= last]
    required = prorated_required(DIRECTOR_RECEPTIONS_PER_YEAR, year, first, last)
    held = sum(1 for r in in_year if r.date <= as_of)
    return ReceptionYear(year, first, last, required, held, len(in_year),
                         threshold_status(held, required, as_of, first, last))


def reception_years(term_start: dt.date, term_end: dt.date, receptions: Iterable[ReceptionFact],
                    as_of: dt.date) -> list[ReceptionYear]:
    """Each calendar year of the term that has begun by as_of, oldest first."""
    receptions = tuple(receptions)
    return [reception_year(year, first, last, receptions, as_of)
            for year, first, last in year_windows(term_start, term_end) if first <= as_of]


def receptions_short(years: Iterable[ReceptionYear], as_of: dt.date) -> list[ReceptionCheck]:
    """A data check for each year that has ended (its last day before as_of) with fewer receptions than owed.
    (choice) The current year is not a data check: the office still has until its end; its page shows the count."""
    checks = []
    for y in years:
        if y.last < as_of and y.held < y.required:
            checks.append(ReceptionCheck(
                "director_receptions_short", y.year, y.held, y.required,
                f"{y.year}年只安排了 {y.held} 次主任会议成员接待代表活动，少于第十条（六）规定的每年 {y.required} 次"
                + ("（按本届在该年的天数折算）" if y.required != DIRECTOR_RECEPTIONS_PER_YEAR else "") + "。",
            ))
    return checks


def may_recommend(deputy: DeputyFacts, day: dt.date) -> bool:
    """Can this deputy be recommended for a reception on `day`: in service that day and not suspended."""
    if deputy.service_start > day or (deputy.service_end is not None and deputy.service_end < day):
        return False
    return not is_suspended(day, tuple((first, last or day) for first, last in deputy.suspensions))


def streets_expected(reception: ReceptionFact, deputies_by_street: Mapping[int, Iterable[DeputyFacts]]) -> set[int]:
    """The streets asked to recommend for this reception: those with at least one deputy who may be recommended on its
    day (a street with nobody in service cannot recommend anyone)."""
    return {street for street, deputies in deputies_by_street.items()
            if any(may_recommend(d, reception.date) for d in deputies)}


def streets_missing(reception: ReceptionFact, deputies_by_street: Mapping[int, Iterable[DeputyFacts]],
                    recommended: Iterable[int]) -> list[int]:
    """The streets expected for this reception that have not recommended a deputy (ids, sorted)."""
    return sorted(streets_expected(reception, deputies_by_street) - set(recommended))
