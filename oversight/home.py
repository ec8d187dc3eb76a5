"""The home page: what the user must do now (待办, oversight.todo), for a deputy this year's progress on
every rule, then the counts of the user's scope. It reads every app (deputies, meetings, activities,
interventions), so it lives in the highest layer; dutyadmin/urls.py wires it as `home`.

The findings are read once per request (the action_required ones in the user's scope for whoever records
interventions, a deputy's own for a deputy), so the page costs a fixed number of queries."""
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

from oversight.rules.catalog import ACTION_REQUIRED, THRESHOLD_RULES

from .findings.explain import percent_of
from .findings.selectors import data_checks_for, deputy_findings, deputy_names, findings_for
from .interventions.selectors import intervention_list
from .labels import RULE_LABELS, STATUS_TONES, status_label
from .todo import TodoContext, todo_list, wants_data_checks, wants_findings


def _status_counts(deputies) -> list[dict]:
    """[{status, label, count}] for every status, zeros included, in the choices' order."""
    counts = dict(deputies.order_by().values_list("status").annotate(n=Count("id")))
    return [{"status": s.value, "label": s.label, "count": counts.get(s.value, 0)} for s in DeputyStatus]


def deputy_progress(findings, *, today: dt.date) -> dict:
    """A deputy's progress for the home page: each threshold rule's current period (this year's, or the
    term's) as count / required with a bar; each action rule that has fired as numbers only (absences and
    days are not progress toward anything)."""
    current = {}
    for f in findings:
        if f.rule in RULE_LABELS and f.period_start <= today:
            if f.rule not in current or f.period_start > current[f.rule].period_start:
                current[f.rule] = f
    rules = []
    for rule in THRESHOLD_RULES:
        f = current.get(rule.id)
        if f is None:
            continue
        rules.append({"finding": f, "label": rule.label, "window": "本年" if rule.window == "year" else "本届",
                      "percent": percent_of(f), "status_label": status_label(f.status), "tone": STATUS_TONES[f.status]})
    thresholds = {r.id for r in THRESHOLD_RULES}
    actions = [
        {"finding": f, "label": RULE_LABELS[f.rule], "status_label": status_label(f.status),
         "tone": STATUS_TONES[f.status]}
        for f in findings if f.rule not in thresholds and f.status == ACTION_REQUIRED
    ]
    return {"rules": rules, "actions": actions}


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
    today = timezone.localdate()
    todo = TodoContext(user=request.user, scope=scope, term=term, today=today)
    if term is not None and wants_findings(scope):
        todo.findings = findings_for(user=request.user, term=term, as_of=today, filters={"status": ACTION_REQUIRED})
        todo.deputies = deputy_names(f.deputy for f in todo.findings)
    if term is not None and wants_data_checks(scope):
        todo.data_checks = data_checks_for(user=request.user, term=term, as_of=today)
    context["todo"] = todo_list(todo)
    if allows(scope, "see_own_records_only") or allows(scope, "act_as_deputy"):
        own = Deputy.objects.select_related("street_committee", "delegation", "term").filter(pk=scope.deputy_id).first()
        if allows(scope, "see_own_records_only"):
            context["own_deputy"] = own
        if own is not None:
            context["progress"] = deputy_progress(deputy_findings(deputy=own, as_of=today), today=today)
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
