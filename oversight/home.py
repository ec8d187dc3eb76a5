"""The home page: a dashboard per role, with the counts that exist now. It reads every app (deputies,
meetings, activities, interventions), so it lives in the highest layer; dutyadmin/urls.py wires it as
`home`."""
from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from activities.choices import Outcome
from activities.selectors import participation_list
from deputies.choices import DeputyStatus
from deputies.models import Deputy
from deputies.selectors import current_term, deputy_list
from dutyadmin.scope import scope_for
from dutyadmin.permissions import allows
from meetings.choices import LeaveStatus
from meetings.selectors import contribution_list, leave_request_list

from .interventions.selectors import intervention_list


def _status_counts(deputies) -> list[dict]:
    """[{status, label, count}] for every status, zeros included, in the choices' order."""
    counts = dict(deputies.order_by().values_list("status").annotate(n=Count("id")))
    return [{"status": s.value, "label": s.label, "count": counts.get(s.value, 0)} for s in DeputyStatus]


@login_required
def home(request: HttpRequest) -> HttpResponse:
    """What the user's roles are about, with the counts that exist now."""
    scope = scope_for(request.user)
    term = current_term()
    year = timezone.localdate().year
    year_start, year_end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    deputies = deputy_list(user=request.user)
    if term:
        deputies = deputies.filter(term=term)

    context = {
        "section": "home",
        "term": term,
        "year": year,
        "can_edit_reference": allows(scope, "manage_roster"),
        "may_enter_contributions": allows(scope, "enter_contribution"),
        "may_enter_interventions": allows(scope, "record_intervention"),
        "sees_deputy_list": allows(scope, "see_deputy_list"),
    }
    if allows(scope, "see_own_records_only"):
        context["own_deputy"] = Deputy.objects.select_related("street_committee", "delegation", "term").filter(
            pk=scope.deputy_id
        ).first()
    if allows(scope, "see_deputy_list"):
        context["deputy_total"] = sum(row["count"] for row in _status_counts(deputies))
        context["status_counts"] = _status_counts(deputies)
        if scope.is_district:
            # One row per street committee: where the active deputies are.
            context["by_street"] = (
                deputies.order_by("street_committee__code")
                .values("street_committee_id", "street_committee__name")
                .annotate(
                    total=Count("id"),
                    active=Count("id", filter=Q(status=DeputyStatus.ACTIVE)),
                )
            )
    in_year = {"date__gte": year_start, "date__lte": year_end}
    context["year_counts"] = {
        "contributions": contribution_list(user=request.user).filter(**in_year).count(),
        "interventions": intervention_list(user=request.user).filter(**in_year).count(),
        "participations": participation_list(user=request.user)
        .filter(activity__date__gte=year_start, activity__date__lte=year_end, outcome=Outcome.ATTENDED)
        .count(),
        "leave_pending": leave_request_list(user=request.user).filter(status=LeaveStatus.PENDING).count(),
    }
    return render(request, "dutyadmin/home.html", context)
