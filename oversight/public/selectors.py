"""Reads of the public duty pages: only approved years, never phones, citizens, findings or sanctions."""
from __future__ import annotations

from collections import defaultdict

from django.core.cache import cache
from django.db.models import Count
from django.db.models.functions import ExtractYear

from activities.choices import ActivityKind, Outcome
from activities.models import Participation
from deputies.models import Deputy, Term
from meetings.choices import AttendanceStatus
from meetings.models import Attendance

from ..choices import ReviewStatus
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


def public_duty(deputy: Deputy) -> list[dict]:
    """Per approved year: activity counts by kind, session attendance counts, suggestions; and the
    interventions the office published. Five queries at most."""
    years = approved_years(deputy)
    if not years:
        return []
    data = {year: {"year": year, "activities": {}, "attendance": {}, "suggestions": [], "interventions": []}
            for year in years}
    kinds = dict(ActivityKind.choices)
    for row in (Participation.objects.filter(deputy=deputy, outcome=Outcome.ATTENDED, activity__date__year__in=years)
                .annotate(y=ExtractYear("activity__date")).values("y", "activity__kind").annotate(n=Count("id"))):
        data[row["y"]]["activities"][kinds.get(row["activity__kind"], row["activity__kind"])] = row["n"]
    statuses = dict(AttendanceStatus.choices)
    for row in (Attendance.objects.filter(deputy=deputy, meeting__date__year__in=years)
                .annotate(y=ExtractYear("meeting__date")).values("y", "status").annotate(n=Count("id"))):
        data[row["y"]]["attendance"][statuses.get(row["status"], row["status"])] = row["n"]
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
