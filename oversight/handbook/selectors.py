"""Reads of the duty handbook (履职手册): one deputy's records of a calendar year grouped by kind, with
every rule's finding for that year (the API's handbook; oversight.handbook.build lays it out)."""
from __future__ import annotations

import datetime as dt
from typing import Any

from activities.choices import ActivityKind
from activities.models import Participation
from deputies.models import Deputy, Term
from meetings.choices import ContributionKind
from meetings.models import Attendance, CongressSession, Contribution, LeaveRequest, Meeting
from meetings.selectors import approved_leave_covering
from oversight.rules import Finding
from oversight.rules.catalog import THRESHOLD_RULES_BY_ID

from ..models import Intervention
from ..findings.selectors import deputy_findings


def handbook_year_bounds(term: Term) -> tuple[int, int]:
    """The first and last calendar year of a term: the years a handbook can be asked for."""
    return term.start_date.year, term.end_date.year


def handbook_for(*, deputy: Deputy, year: int, today: dt.date) -> dict[str, Any]:
    """One deputy's records of a calendar year grouped by kind, and every rule's finding for that year.

    Findings are evaluated as of the day after the year, so a past year's outcome is final (met or
    missed), or as of today for the current year: yearly rules give that year's window, term rules
    the term so far, action rules those triggered in the year.
    """
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    as_of = min(last + dt.timedelta(days=1), today)
    in_year = {"date__gte": first, "date__lte": last}

    participations = list(
        Participation.objects.filter(deputy=deputy, activity__date__gte=first, activity__date__lte=last)
        .select_related("activity").order_by("activity__date", "activity_id")
    )
    activities: dict[str, list[dict]] = {kind: [] for kind in ActivityKind.values}
    for p in participations:
        activity = p.activity
        activities[activity.kind].append({
            "participation": p.pk, "activity": activity.pk, "title": activity.title, "date": activity.date,
            "end_date": activity.end_date, "confirmed": p.confirmed, "outcome": p.outcome,
        })

    sessions = list(CongressSession.objects.filter(term_id=deputy.term_id, start_date__lte=last,
                                                   end_date__gte=first).order_by("start_date", "id"))
    marks = {
        a.meeting_id: a for a in Attendance.objects.filter(deputy=deputy, meeting__session__in=sessions)
        .annotate(excused=approved_leave_covering())
    }
    meetings_of: dict[int, list[dict]] = {s.pk: [] for s in sessions}
    for meeting in Meeting.objects.filter(session__in=sessions).order_by("date", "half_day", "id"):
        mark = marks.get(meeting.pk)
        meetings_of[meeting.session_id].append({
            "id": meeting.pk, "kind": meeting.kind, "title": meeting.title, "date": meeting.date,
            "half_day": meeting.half_day, "attendance": mark.status if mark else None,
            "excused": bool(mark.excused) if mark else False,
        })
    leaves = list(LeaveRequest.objects.filter(deputy=deputy, session__in=sessions)
                  .prefetch_related("meetings").order_by("session__start_date", "id"))

    contributions: dict[str, list[dict]] = {kind: [] for kind in ContributionKind.values}
    for c in Contribution.objects.filter(deputy=deputy, confirmed=True, **in_year).order_by("date", "id"):
        contributions[c.kind].append({"id": c.pk, "session": c.session_id, "date": c.date, "title": c.title,
                                      "confirmed": c.confirmed})

    interventions = [
        {"id": i.pk, "rule": i.rule, "kind": i.kind, "date": i.date, "conducted_by": i.conducted_by, "notes": i.notes}
        for i in Intervention.objects.filter(deputy=deputy, **in_year).order_by("date", "id")
    ]

    findings = [
        f for f in deputy_findings(deputy=deputy, as_of=as_of)
        if _about_year(f, first, last)
    ]
    return {
        "deputy": deputy.pk,
        "name": deputy.name,
        "year": year,
        "as_of": as_of,
        "activities": activities,
        "sessions": [
            {"id": s.pk, "name": s.name, "start_date": s.start_date, "end_date": s.end_date,
             "meetings": meetings_of[s.pk]}
            for s in sessions
        ],
        "leave_requests": [
            {"id": leave.pk, "session": leave.session_id, "route": leave.route, "status": leave.status,
             "meetings": sorted(m.pk for m in leave.meetings.all())}
            for leave in leaves
        ],
        "contributions": contributions,
        "interventions": interventions,
        "findings": findings,
    }


def _about_year(finding: Finding, first: dt.date, last: dt.date) -> bool:
    if finding.trigger_date is not None:
        return first <= finding.trigger_date <= last  # action rules: triggered in the year
    rule = THRESHOLD_RULES_BY_ID[finding.rule]
    if rule.window == "year":
        return finding.period_start.year == first.year
    return finding.period_start <= last and finding.period_end >= first  # the term, as at the year's end
