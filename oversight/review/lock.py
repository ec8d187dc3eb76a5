"""The lock that approval puts on a year of the year-end review.

Once the liaison office approves a street committee's handbooks of a year (Art. 8(二)), that year's
records of the street's deputies are final: `assert_year_open` is the one check. OversightConfig.ready()
registers it as core's year lock (`dutyadmin.year_lock`), which the shared write path
(dutyadmin.services.record_save / record_delete), the bulk upserts of attendance and participations,
the leave services and the spreadsheet import call, so pages, API and imports refuse alike until the
liaison office reopens the year.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import models

from activities.models import Participation
from deputies.models import Deputy, StreetCommittee, Term
from deputies.selectors import deputy_list
from dutyadmin.scope import scope_for
from dutyadmin.year_lock import YEAR_LOCKED, LockedYear, YearLock

from ..choices import ReviewStatus
from ..models import YearReview

LOCKED_MESSAGE = (
    "{street}{year}年度的履职记录已由代表联络机构审核通过并锁定,不能再新增、修改或删除。"
    "如确需更正,请联系代表联络机构重新开放该年度。"
)


def assert_year_open(*, deputies: Iterable[Deputy | int], dates: Iterable[dt.date | None]) -> None:
    """Refuse (ValidationError, in Chinese) a change to records of these deputies dated in these days'
    years when the liaison office has approved the year for a deputy's street committee.

    Two queries at most (deputies given by id are looked up once), none when there is nothing to check.
    """
    years = {day.year for day in dates if day is not None}
    if not years:
        return
    places: set[tuple[int, int]] = set()  # (term id, street committee id)
    ids: set[int] = set()
    for deputy in deputies:
        if isinstance(deputy, Deputy):
            # Read the loaded values only: a deputy fetched with .only() must not cost a query each.
            term_id, street_id = deputy.__dict__.get("term_id"), deputy.__dict__.get("street_committee_id")
            if term_id and street_id:
                places.add((term_id, street_id))
            elif deputy.pk:
                ids.add(deputy.pk)
        elif deputy is not None:
            ids.add(int(deputy))
    if ids:
        places.update(Deputy.objects.filter(pk__in=ids).values_list("term_id", "street_committee_id"))
    if not places:
        return
    streets = {street for _, street in places}
    locked = (
        YearReview.objects.filter(status=ReviewStatus.APPROVED, year__in=years, street_committee_id__in=streets)
        .values_list("term_id", "street_committee_id", "year", "street_committee__name")
        .order_by("year", "street_committee__code")
    )
    for term_id, street_id, year, street_name in locked:
        if (term_id, street_id) in places:
            raise ValidationError({"__all__": ValidationError(LOCKED_MESSAGE.format(street=street_name, year=year),
                                                                  code=YEAR_LOCKED)})


def _attendance(record) -> tuple[list, list]:
    meeting = record.meeting if record.meeting_id else None
    return [record.deputy_id], [meeting.date if meeting else None]


def _participation(record) -> tuple[list, list]:
    activity = record.activity if record.activity_id else None
    return [record.deputy_id], [activity.date if activity else None]


def _dated(record) -> tuple[list, list]:
    return [record.deputy_id], [record.date]


def _leave(record) -> tuple[list, list]:
    session = record.session if record.session_id else None
    return [record.deputy_id], ([session.start_date, session.end_date] if session else [])


def _activity(record) -> tuple[list, list]:
    if record.pk is None:
        return [], []  # a new activity has no participants yet (its street's lock: _assert_activity_open)
    return list(Participation.objects.filter(activity_id=record.pk).values_list("deputy_id", flat=True)), [record.date]


def _assert_activity_open(activity, stored) -> None:
    """An activity dated in a year locked for its street committee (or, organised for the district, for every
    street of the term) could never get a participant: refused at its own form, next to the date, not only at
    the invitation after it was saved. A stored activity moved out of such a year is refused too."""
    for record in (activity, stored):
        if record is None or record.date is None or not record.term_id:
            continue
        locked = YearReview.objects.filter(status=ReviewStatus.APPROVED, term_id=record.term_id, year=record.date.year)
        if record.street_committee_id:
            name = locked.filter(street_committee_id=record.street_committee_id).values_list(
                "street_committee__name", flat=True).first()
        else:
            streets = StreetCommittee.objects.count()
            name = "" if streets and locked.values("street_committee_id").distinct().count() >= streets else None
        if name is not None:
            message = LOCKED_MESSAGE.format(street=name, year=record.date.year)
            raise ValidationError({"date": ValidationError(message, code=YEAR_LOCKED)})


def _lock_targets() -> dict[str, Callable[[Any], tuple[list, list]]]:
    """Records whose change would alter a deputy's handbook of a year: how to find the deputies and days."""
    return {
        "meetings.attendance": _attendance,
        "meetings.leaverequest": _leave,
        "meetings.contribution": _dated,
        "activities.participation": _participation,
        "activities.activity": _activity,
        "activities.selfregistration": _dated,
        "oversight.intervention": _dated,
    }


LOCK_TARGETS = _lock_targets()


def assert_record_open(instance: models.Model) -> None:
    """assert_year_open for one record about to be saved or deleted: its new state and, when it exists
    already, its stored state (moving a record out of a locked year changes that year too)."""
    targets = LOCK_TARGETS.get(instance._meta.label_lower)
    if targets is None:
        return
    deputies, dates = targets(instance)
    stored = None
    if instance.pk is not None:
        stored = type(instance)._base_manager.filter(pk=instance.pk).first()
        if stored is not None:
            old_deputies, old_dates = targets(stored)
            deputies, dates = [*deputies, *old_deputies], [*dates, *old_dates]
    if instance._meta.label_lower == "activities.activity":
        _assert_activity_open(instance, stored)
        try:
            assert_year_open(deputies=[d for d in deputies if d is not None], dates=dates)
        except ValidationError as exc:  # an activity's year is its date: the message goes next to it
            raise ValidationError({"date": [ValidationError(m, code=YEAR_LOCKED) for m in exc.messages]}) from exc
        return
    assert_year_open(deputies=[d for d in deputies if d is not None], dates=dates)


def _ids(values: Iterable[Any]) -> list[int]:
    return [value.pk if isinstance(value, models.Model) else int(value) for value in values if value is not None]


def locked_years(*, user=None, term=None, street_committees=None, deputies=None, years=None) -> list[LockedYear]:
    """The years approved (so locked) for the street committees in question, by year: those given, else those
    of the deputies given, else those of the deputies the user sees (every street for a district user).
    Two queries at most."""
    reviews = YearReview.objects.filter(status=ReviewStatus.APPROVED)
    if term is not None:
        reviews = reviews.filter(term=term)
    if years is not None:
        reviews = reviews.filter(year__in=list(years))
    in_question = None  # a queryset of street committee ids, or a list; None: every street
    if street_committees is not None:
        in_question = _ids(street_committees)
    elif deputies is not None:
        in_question = Deputy.objects.filter(pk__in=_ids(deputies)).values("street_committee_id")
    elif user is not None and not (scope := scope_for(user)).is_district:
        if scope.street_committee_id and not scope.delegation_id and not scope.deputy_id:
            in_question = [scope.street_committee_id]  # a street's staff or director: known without a query
        else:
            in_question = deputy_list(user=user).order_by().values("street_committee_id")
    if in_question is not None:
        reviews = reviews.filter(street_committee_id__in=in_question)
        if isinstance(in_question, list):
            total = len(set(in_question))
        else:
            total = StreetCommittee.objects.filter(pk__in=in_question).count()
    else:
        total = StreetCommittee.objects.count()
    by_year: dict[int, list[str]] = {}
    for year, name in (reviews.order_by("year", "street_committee__code")
                       .values_list("year", "street_committee__name").distinct()):
        if name not in by_year.setdefault(year, []):
            by_year[year].append(name)
    return [LockedYear(year, tuple(names), len(names) >= total) for year, names in by_year.items()]


YEAR_LOCK = YearLock(
    assert_year_open=assert_year_open, assert_record_open=assert_record_open, locked_years=locked_years,
)


def is_year_locked(*, street_committee: StreetCommittee | int, term: Term | int, year: int) -> bool:
    """Has the liaison office approved this street's year (so its records are locked)?"""
    return YearReview.objects.filter(
        street_committee=street_committee, term=term, year=year, status=ReviewStatus.APPROVED
    ).exists()
