"""Pages of deputies: the list, one deputy's page and change history, the profile form."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from deputies.filtersets import DeputyFilterSet
from deputies.models import Delegation, Deputy, StreetCommittee, Term
from deputies.scope import scope_for
from deputies.selectors import contact_assignment_list, current_term, deputy_list
from dutyadmin.permissions import allows
from dutyadmin.forms import apply_errors
from dutyadmin.list_filters import filtered
from dutyadmin.services import record_save
from dutyadmin.views import page_of
from oversight.profile import deputy_history, deputy_records_summary

from .choices import DeputyStatus, Gender
from .forms import DeputyForm

HISTORY_ON_PAGE = 10


FILTER_FIELDS = ("term", "street_committee", "delegation", "status", "gender", "q")


def _filter_choices(scope, deputies) -> dict:
    """The choices of the filter selects: only terms, streets and delegations the user can see."""
    terms = Term.objects.all()
    streets = StreetCommittee.objects.all()
    delegations = Delegation.objects.select_related("term")
    if not scope.is_district:
        terms = terms.filter(pk__in=deputies.values("term_id"))
        streets = streets.filter(pk__in=deputies.values("street_committee_id"))
        delegations = delegations.filter(pk__in=deputies.values("delegation_id"))
    return {
        "term": [(str(t.pk), t.name) for t in terms],
        "street_committee": [(str(s.pk), s.name) for s in streets],
        "delegation": [(str(d.pk), f"{d.name}({d.term.name})") for d in delegations],
        "status": list(DeputyStatus.choices),
        "gender": list(Gender.choices),
    }


@login_required
def deputy_list_view(request: HttpRequest) -> HttpResponse:
    """Search and filter the deputies in the user's scope, 50 a page."""
    scope = scope_for(request.user)
    if allows(scope, "see_own_records_only"):
        return redirect("deputies:detail", pk=scope.deputy_id)
    if not allows(scope, "see_deputy_list"):
        raise PermissionDenied(_("您的角色不能查看代表名册。"))
    deputies = deputy_list(user=request.user)
    data = request.GET.copy()
    term = current_term()
    if "term" not in data and term is not None:
        data["term"] = str(term.pk)  # the current term unless the user asks for another (or all)
    filterset = DeputyFilterSet(data, queryset=deputies, request=request)
    notices: list[str] = []
    results = filtered(filterset, notices)
    counts = dict(results.order_by().values_list("status").annotate(n=Count("id")))
    page = page_of(request, results, notices)
    context = {
        "section": "deputies",
        "choices": _filter_choices(scope, deputies),
        "current": {name: data.get(name, "") for name in FILTER_FIELDS},
        "page": page,
        "deputies": page.object_list,
        "total": page.paginator.count,
        "status_counts": [(s.label, counts.get(s.value, 0)) for s in DeputyStatus if counts.get(s.value)],
        "notices": notices,
        "can_create": allows(scope, "manage_roster"),
        "filtered": any(data.get(k) for k in FILTER_FIELDS if k != "term"),
    }
    return render(request, "deputies/deputy_list.html", context)


@login_required
def deputy_mine_view(request: HttpRequest) -> HttpResponse:
    """A deputy's own page."""
    scope = scope_for(request.user)
    if scope.deputy_id is None:
        raise Http404(_("您的账号没有关联代表。"))
    return redirect("deputies:detail", pk=scope.deputy_id)


@login_required
def deputy_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Profile, records in summary and the latest changes of one deputy in scope."""
    deputy = get_object_or_404(deputy_list(user=request.user), pk=pk)
    scope = scope_for(request.user)
    history = deputy_history(deputy=deputy)
    context = {
        "section": "deputies",
        "deputy": deputy,
        "summary": deputy_records_summary(user=request.user, deputy=deputy),
        "contacts": list(contact_assignment_list(user=request.user).filter(deputy=deputy)),
        "history": history[:HISTORY_ON_PAGE],
        "history_total": len(history),
        "can_edit": allows(scope, "manage_roster"),
        "can_add_contribution": allows(scope, "enter_contribution", deputy),
        "can_add_intervention": allows(scope, "record_intervention", deputy),
    }
    return render(request, "deputies/deputy_detail.html", context)


@login_required
def deputy_history_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Every change to the deputy and their records: who, when, before → after."""
    deputy = get_object_or_404(deputy_list(user=request.user), pk=pk)
    context = {"section": "deputies", "deputy": deputy, "history": deputy_history(deputy=deputy)}
    return render(request, "deputies/deputy_history.html", context)


def _deputy_form(request: HttpRequest, deputy: Deputy | None) -> HttpResponse:
    scope = scope_for(request.user)
    allowed = allows(scope, "manage_roster")
    if not allowed:
        raise PermissionDenied(_("只有代表联络机构和系统管理员可以修改代表信息。"))
    initial = {}
    if deputy is None and (term := current_term()) is not None:
        initial = {"term": term, "service_start": term.start_date}
    form = DeputyForm(request.POST or None, instance=deputy, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = record_save(form.instance, user=request.user, allowed=allowed)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存代表“%(name)s”的信息。") % {"name": saved.name})
            return redirect("deputies:detail", pk=saved.pk)
    return render(request, "deputies/deputy_form.html", {"section": "deputies", "form": form, "deputy": deputy})


@login_required
def deputy_create_view(request: HttpRequest) -> HttpResponse:
    return _deputy_form(request, None)


@login_required
def deputy_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    if not allows(scope_for(request.user), "manage_roster"):
        raise PermissionDenied(_("只有代表联络机构和系统管理员可以修改代表信息。"))
    deputy = get_object_or_404(deputy_list(user=request.user), pk=pk)
    return _deputy_form(request, deputy)
