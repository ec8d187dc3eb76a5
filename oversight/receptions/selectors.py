"""Reads of the A10.6 receptions, scoped by user: the year's receptions against 7 and each reception's
recommendations and missing streets (the office's page, a street's page, the API, the 待办 line agree)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import QuerySet

from activities.choices import ActivityKind
from activities.models import Activity
from deputies.models import Deputy, StreetCommittee, Term
from dutyadmin.scope import scope_for
from dutyadmin.roles import STREET_ROLES
from oversight.findings.facts import deputy_facts
from oversight.rules.receptions import ReceptionFact, ReceptionYear, reception_year, reception_years, streets_missing
from oversight.rules.windows import year_windows

from .models import ReceptionRecommendation


def _street_scope(user) -> int | None:
    """None for district roles (every street); the street's id for a street committee's user; 0 for nobody."""
    scope = scope_for(user)
    if scope.is_district:
        return None
    if scope.roles & STREET_ROLES and scope.street_committee_id:
        return scope.street_committee_id
    return 0


def recommendation_list(*, user) -> QuerySet[ReceptionRecommendation]:
    """The recommendations the user sees: district roles all; a street committee its own street's."""
    rows = ReceptionRecommendation.objects.select_related("reception", "street_committee", "deputy", "created_by")
    street = _street_scope(user)
    return rows if street is None else rows.filter(street_committee_id=street)


def receptions_of(term: Term) -> QuerySet[Activity]:
    """The term's 主任会议成员接待代表 activities, by date."""
    return Activity.objects.filter(term=term, kind=ActivityKind.DIRECTOR_RECEPTION).order_by("date", "id")


def reception_facts(term: Term) -> list[ReceptionFact]:
    return [ReceptionFact(pk, day, title) for pk, day, title in receptions_of(term).values_list("pk", "date", "title")]


def deputies_by_street(term: Term) -> dict[int, list]:
    """The term's deputies' service facts by street (who may be recommended on a day), in two queries."""
    deputies = Deputy.objects.filter(term=term)
    facts = deputy_facts(deputies)
    streets: dict[int, list] = defaultdict(list)
    for pk, street in deputies.order_by().values_list("pk", "street_committee_id"):
        if street is not None:
            streets[street].append(facts[pk])
    return streets


@dataclass
class ReceptionRow:
    reception: Activity
    recommendations: list[ReceptionRecommendation] = field(default_factory=list)
    missing: list[StreetCommittee] = field(default_factory=list)  # streets in view that have not recommended
    expected: int = 0  # streets in view asked to recommend


@dataclass
class ReceptionYearPage:
    term: Term
    year: int
    summary: ReceptionYear | None
    rows: list[ReceptionRow]
    years: list[ReceptionYear]  # every year of the term begun by as_of, for the year links


def term_years(term: Term) -> list[int]:
    return [year for year, _first, _last in year_windows(term.start_date, term.end_date)]


def _rows(*, user, term: Term, receptions: list[Activity]) -> list[ReceptionRow]:
    """Each reception with the recommendations in the user's view and the streets in view that have not recommended
    (those with a deputy who may be recommended that day). Four queries whatever the number."""
    street_ids = _street_scope(user)
    streets = {s.pk: s for s in StreetCommittee.objects.all()}
    by_street = deputies_by_street(term)
    if street_ids is not None:
        by_street = {k: v for k, v in by_street.items() if k == street_ids}
    recs: dict[int, list[ReceptionRecommendation]] = defaultdict(list)
    for rec in recommendation_list(user=user).filter(reception__in=[r.pk for r in receptions]):
        recs[rec.reception_id].append(rec)
    rows = []
    for r in receptions:
        missing = streets_missing(ReceptionFact(r.pk, r.date, r.title), by_street,
                                  [x.street_committee_id for x in recs[r.pk]])
        expected = len(missing) + sum(1 for x in recs[r.pk] if x.street_committee_id in by_street)
        rows.append(ReceptionRow(r, sorted(recs[r.pk], key=lambda x: x.street_committee.code),
                                 sorted((streets[s] for s in missing), key=lambda s: s.code), expected))
    return rows


def reception_row(*, user, reception: Activity) -> ReceptionRow:
    """One reception's row (its page, the link on the activity's page)."""
    return _rows(user=user, term=reception.term, receptions=[reception])[0]


def reception_year_page(*, user, term: Term, year: int, as_of: dt.date) -> ReceptionYearPage:
    """The year's receptions (all of them: planned ones too) with the recommendations and missing streets in the
    user's view, and the year's count against 7 (pro rata in a partial year). Six queries whatever the size."""
    receptions = list(receptions_of(term).filter(date__year=year))
    facts = reception_facts(term)
    summary = next((reception_year(y, first, last, facts, as_of)
                    for y, first, last in year_windows(term.start_date, term.end_date) if y == year), None)
    return ReceptionYearPage(term, year, summary, _rows(user=user, term=term, receptions=receptions),
                             reception_years(term.start_date, term.end_date, facts, as_of))


def recommendations_owed(*, user, term: Term, today: dt.date) -> list[ReceptionRow]:
    """The receptions from today on for which the user's street has not recommended a deputy (a street's 待办)."""
    street = _street_scope(user)
    if not street:
        return []
    by_street = {k: v for k, v in deputies_by_street(term).items() if k == street}
    done = set(ReceptionRecommendation.objects.filter(street_committee_id=street, reception__term=term)
               .values_list("reception_id", flat=True))
    return [ReceptionRow(r) for r in receptions_of(term).filter(date__gte=today).exclude(pk__in=done)
            if streets_missing(ReceptionFact(r.pk, r.date, r.title), by_street, ())]


__all__ = ["ReceptionRow", "ReceptionYearPage", "deputies_by_street", "reception_facts", "reception_row", "reception_year_page",
           "receptions_of", "recommendation_list", "recommendations_owed", "term_years"]
