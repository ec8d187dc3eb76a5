"""Pages of findings: the list, one deputy's explanation, data checks."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from activities.selectors import invitation_counts, my_invitations
from deputies.models import StreetCommittee, Term
from deputies.selectors import current_term, deputy_list
from dutyadmin.scope import scope_for
from dutyadmin.list_views import invalid_filter_notice, page_of
from dutyadmin.permissions import allows, ForRule
from activities.selectors import activity_list
from oversight.rules import one_per_problem
from oversight.contacts.checks import CONTACT_CHECK_LABELS
from oversight.office_checks import OFFICE_CHECK_LABELS, office_data_checks
from oversight.receptions.checks import RECEPTION_CHECK_LABELS

from ..labels import (
    DATA_CHECK_LABELS,
    RULE_LABELS,
    STATUS_TONES,
    action_label,
    action_measure,
    responsible_label,
    status_label,
)
from .explain import percent_of, rule_sections
from .facts import settings_load
from .forms import DataCheckFilterForm, FindingFilterForm
from .selectors import (
    data_checks_for,
    deputy_findings,
    deputy_names,
    evidence_records,
    filter_findings,
    findings_for,
    status_counts,
)


def _query(request: HttpRequest, form_class) -> tuple[dict, list[str]]:
    """The page's filters: valid ones applied, invalid ones ignored and named in a notice."""
    form = form_class(request.GET or None, term_required=False)
    notices: list[str] = []
    if not form.is_bound:
        return {"form": form, "term": current_term(), "as_of": timezone.localdate(), "filters": {}}, notices
    if not form.is_valid():
        notices.append(invalid_filter_notice(form))
    data = form.cleaned_data
    filters = {name: value for name, value in data.items()
               if name not in ("term", "as_of") and value not in (None, "", False)}
    return {"form": form, "term": data.get("term") or current_term(), "as_of": data.get("as_of") or timezone.localdate(),
            "filters": filters}, notices


def _street_choices(request: HttpRequest) -> list[tuple[int, str]]:
    """The street committees the user's deputies belong to (all of them for district roles)."""
    scope = scope_for(request.user)
    streets = StreetCommittee.objects.all()
    if not scope.is_district:
        streets = streets.filter(pk__in=deputy_list(user=request.user).values("street_committee_id"))
    return [(street.pk, street.name) for street in streets]


def _staff_only(request: HttpRequest) -> HttpResponse | None:
    scope = scope_for(request.user)
    if allows(scope, "see_own_records_only"):
        return redirect("oversight:deputy_findings", pk=scope.deputy_id)
    if not allows(scope, "see_deputy_list"):
        raise PermissionDenied(_("您的角色不能查看履职提示。"))
    return None


@login_required
def finding_list_view(request: HttpRequest) -> HttpResponse:
    """The findings about the deputies in scope: counts per status, filters, 50 a page."""
    if (elsewhere := _staff_only(request)) is not None:
        return elsewhere
    query, notices = _query(request, FindingFilterForm)
    term, as_of, filters = query["term"], query["as_of"], query["filters"]
    form = query["form"]
    context = {"section": "findings", "form": form, "term": term, "as_of": as_of, "notices": notices,
               "streets": _street_choices(request), "terms": Term.objects.all(), "filters": dict(filters),
               "filter_fields": [form["rule"], form["status"], form["action"], form["include_met"]]}
    if term is None:
        notices.append(_("还没有建立任何一届,暂无履职提示。"))
        return render(request, "oversight/finding_list.html", context)
    status = filters.pop("status", None)
    include_met = bool(filters.pop("include_met", False))
    everything = findings_for(user=request.user, term=term, as_of=as_of, filters={**filters, "include_met": True})
    shown = filter_findings(everything, status=status, include_met=include_met)
    page = page_of(request, shown, notices)
    deputies = deputy_names(f.deputy for f in page.object_list)
    context.update({
        "counts": [
            {"status": key, "label": status_label(key), "tone": STATUS_TONES[key], "count": count}
            for key, count in status_counts(everything).items()
        ],
        "status": status,
        "page": page,
        "rows": [
            {"finding": f, "deputy": deputies.get(f.deputy), "rule_label": RULE_LABELS[f.rule],
             "status_label": status_label(f.status), "tone": STATUS_TONES[f.status],
             "who": responsible_label(f.responsible, f.rule), "action_label": action_label(f.action),
             "percent": percent_of(f),
             "measure": action_measure(f.rule, f.required) if f.action != "none" else ()}
            for f in page.object_list
        ],
    })
    return render(request, "oversight/finding_list.html", context)


@login_required
def my_findings_view(request: HttpRequest) -> HttpResponse:
    """A deputy's own findings page."""
    scope = scope_for(request.user)
    if scope.deputy_id is None:
        raise Http404(_("您的账号没有关联代表。"))
    return redirect("oversight:deputy_findings", pk=scope.deputy_id)


@login_required
def deputy_findings_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every rule for one deputy in scope: count against required, status, the records, the article, next step."""
    deputy = get_object_or_404(deputy_list(user=request.user), pk=pk)
    scope = scope_for(request.user)
    notices: list[str] = []
    as_of = timezone.localdate()
    if raw := request.GET.get("as_of"):
        try:
            as_of = dt.date.fromisoformat(raw)
        except ValueError:
            notices.append(_("评估日期“%(value)s”无效(应为 YYYY-MM-DD),已按今天评估。") % {"value": raw[:20]})
    findings = deputy_findings(deputy=deputy, as_of=as_of)
    records = evidence_records(findings)
    here = request.get_full_path()

    def record_url(finding) -> str:
        if not allows(scope, "record_intervention", ForRule(deputy, finding.rule)):
            return ""
        query = urlencode({"deputy": deputy.pk, "rule": finding.rule, "next": here})
        return f"{reverse('oversight:intervention_create')}?{query}"

    def can_link(kind: str, record) -> bool:
        if kind == "contribution":
            return allows(scope, "enter_contribution", deputy)
        if kind == "intervention":
            return allows(scope, "record_intervention", ForRule(deputy, record.rule))
        return False

    settings = settings_load(deputy.term)
    sections = rule_sections(findings, thresholds=settings.on(as_of).values, as_of=as_of, records=records,
                             can_link=can_link, record_url=record_url, settings=settings)
    counts = status_counts(findings)
    context = {
        "section": "findings",
        "deputy": deputy,
        "as_of": as_of,
        "notices": notices,
        "sections": sections,
        "quiet_sections": [s for s in sections if s.kind == "action" and not s.findings],  # grouped in one card
        "counts": [{"status": key, "label": status_label(key), "tone": STATUS_TONES[key], "count": n}
                   for key, n in counts.items() if n],
        "open_actions": [view for section in sections for view in section.findings if view.is_open],
        "is_self": scope.deputy_id == deputy.pk,
        "sees_list": allows(scope, "see_deputy_list"),
        # Invitations to activities still to come (A9.3 counts an absence only after 确定参加).
        "invitations": invitation_counts(my_invitations(deputy_id=deputy.pk, today=timezone.localdate())),
        "answers": allows(scope, "see_own_activities") and scope.deputy_id == deputy.pk,
    }
    return render(request, "oversight/deputy_findings.html", context)


@login_required
def data_check_list_view(request: HttpRequest) -> HttpResponse:
    """Data-quality warnings about the deputies in scope: records to complete or correct."""
    if (elsewhere := _staff_only(request)) is not None:
        return elsewhere
    query, notices = _query(request, DataCheckFilterForm)
    term, as_of, filters = query["term"], query["as_of"], query["filters"]
    hidden = set()
    if not allows(request.user, "manage_contact_assignments"):
        hidden |= CONTACT_CHECK_LABELS.keys()
    if not allows(request.user, "manage_receptions"):
        hidden |= RECEPTION_CHECK_LABELS.keys()
    if hidden:  # the office's own checks are offered to whom they are for
        check_field = query["form"].fields["check"]
        check_field.choices = [c for c in check_field.choices if c[0] not in hidden]
    context = {"section": "data_checks", "form": query["form"], "term": term, "as_of": as_of, "notices": notices,
               "streets": _street_choices(request), "terms": Term.objects.all(), "filters": filters,
               "filter_fields": [query["form"]["check"]]}
    if term is None:
        notices.append(_("还没有建立任何一届。"))
        return render(request, "oversight/data_check_list.html", context)
    contact_only = (filters or {}).get("check") in OFFICE_CHECK_LABELS  # only the sections below
    checks = [] if contact_only else one_per_problem(data_checks_for(user=request.user, term=term, as_of=as_of,
                                                                     filters=filters))
    page = page_of(request, checks, notices)
    deputies = deputy_names(c.deputy for c in page.object_list)
    # The records of a problem about several (a duplicate), named by title and date with a link, in scope.
    ids = {pk for c in page.object_list if c.type == "activity" for pk in getattr(c, "group", ())}
    activities = {a.pk: a for a in activity_list(user=request.user).filter(pk__in=ids)}
    context.update({
        "page": page,
        "rows": [{"check": c, "label": DATA_CHECK_LABELS.get(c.check, c.check), "deputy": deputies.get(c.deputy),
                  "records": [activities[pk] for pk in getattr(c, "group", ()) if pk in activities]
                  if c.type == "activity" else []}
                 for c in page.object_list],
    })
    # --- contacts: the A10.5 checks (about members, not deputies) for the office that assigns them; gaps14b: the
    # same rows, with the same filters, as the API and the 待办 line (oversight.contacts.checks.contact_data_checks)
    office = office_data_checks(user=request.user, term=term, as_of=as_of, filters=filters)
    context["contact_checks"] = [{"label": OFFICE_CHECK_LABELS[c.check], "check": c}
                                 for c in office if c.check in CONTACT_CHECK_LABELS]
    # --- receptions: A10.6, a year ended with fewer than 7 (the liaison office's)
    context["reception_checks"] = [{"label": OFFICE_CHECK_LABELS[c.check], "check": c}
                                   for c in office if c.check in RECEPTION_CHECK_LABELS]
    if contact_only:
        context.pop("page")
    return render(request, "oversight/data_check_list.html", context)
