"""Reads of the public duty pages: only approved years, never phones, citizens, findings or sanctions."""
from __future__ import annotations

from collections import defaultdict

import datetime as dt

from django.core.cache import cache

from deputies.models import Deputy, Term
from dutyadmin.permissions import allows

from ..choices import ReviewStatus
from ..handbook.build import ABSENT, ON_LEAVE, PRESENT, UNRECORDED, handbook_build
from ..rules import classify
from ..models import Intervention, PublicDutySettings, YearReview
from ..suggestions.models import Suggestion

VERSION_KEY = "public_duty:version"
TTL = 600


def data_version() -> int:
    return cache.get_or_set(VERSION_KEY, 1, None)


def bump_version(**_kwargs) -> None:
    """Invalidate every cached public page (on approval/reopen, publish, settings change)."""
    try:
        cache.incr(VERSION_KEY)
    except ValueError:
        cache.set(VERSION_KEY, 2, None)


def public_settings() -> PublicDutySettings | None:
    """The settings when the pages are on, else None."""
    row = PublicDutySettings.objects.filter(pk=1).first()
    return row if row is not None and row.enabled else None


def can_publish(scope) -> bool:
    """Whether the publish button shows: the public pages are on and the user sets them."""
    return allows(scope, "manage_public_pages") and public_settings() is not None


def current_term() -> Term | None:
    return Term.objects.order_by("-start_date").first()


def public_index(term: Term) -> list[dict]:
    """The term's deputies grouped by street committee (one query)."""
    rows = (Deputy.objects.filter(term=term).select_related("street_committee", "delegation")
            .only("id", "name", "street_committee__name", "street_committee__code", "delegation__name"))
    groups: dict[str, list] = defaultdict(list)
    for deputy in rows:
        groups[deputy.street_committee.name if deputy.street_committee_id else "未分街道"].append(deputy)
    return [{"street": street, "deputies": deputies} for street, deputies in groups.items()]


def approved_years(deputy: Deputy) -> list[int]:
    if not deputy.street_committee_id:
        return []
    return sorted(YearReview.objects.filter(
        term_id=deputy.term_id, street_committee_id=deputy.street_committee_id, status=ReviewStatus.APPROVED,
    ).values_list("year", flat=True), reverse=True)


# The year's meetings as the handbook tallies them (the classification's statuses), in the handbook's words.
ATTENDANCE_LINES = (
    (classify.PRESENT, PRESENT), (classify.EXCUSED, ON_LEAVE), (classify.UNEXCUSED, ABSENT),
    (classify.NOT_RECORDED, UNRECORDED),
)


def public_duty(deputy: Deputy, today: dt.date) -> list[dict]:
    """Per approved year, newest first: attended activities by kind and the session meetings by
    出席 / 请假 / 缺席 (/ 未记录), read from that year's handbook (so the engine's reading: approved leave
    is 请假, unapproved absence 缺席, suspended days not the deputy's), the suggestions led with their
    handling status, and the interventions the office published. No finding or sanction otherwise."""
    years = approved_years(deputy)
    if not years:
        return []
    data = {year: {"year": year, "activities": {}, "attendance": {}, "suggestions": [], "interventions": []}
            for year in years}
    for year in years:
        handbook = handbook_build(deputy=deputy, year=year, today=today)
        data[year]["activities"] = {group.label: group.counted for section in handbook.activity_sections
                                    for group in section.groups if group.counted}
        meetings = handbook.figures.meetings
        data[year]["attendance"] = {label: meetings[status] for status, label in ATTENDANCE_LINES
                                    if meetings.get(status)}
    for s in (Suggestion.objects.filter(lead_deputy=deputy, submitted_on__year__in=years)
              .select_related("lead_unit").only("title", "submitted_on", "status", "resolution", "lead_unit__name")
              .order_by("submitted_on", "id")):
        data[s.submitted_on.year]["suggestions"].append({
            "title": s.title, "date": s.submitted_on, "unit": s.lead_unit.name if s.lead_unit_id else "",
            "status": s.get_status_display(), "resolution": s.get_resolution_display() if s.resolution else "",
        })
    for i in Intervention.objects.filter(deputy=deputy, published=True, date__year__in=years).only(
            "kind", "date", "rule"):
        data[i.date.year]["interventions"].append(
            {"kind": i.get_kind_display(), "date": i.date, "rule": i.get_rule_display()})
    return [data[y] for y in years]
