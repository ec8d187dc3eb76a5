"""Pages of deputies: the list and the profile form (one deputy's page and change history read their
records in every app: oversight/profile_views.py)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deputies.filtersets import DeputyFilterSet
from deputies.models import Delegation, Deputy, StreetCommittee, Term
from deputies.selectors import current_term, deputy_list
from dutyadmin.forms import apply_errors
from dutyadmin.scope import scope_for
from dutyadmin.permissions import allows
from dutyadmin.services import record_save
from dutyadmin.list_views import ScopedListView

from .choices import DeputyStatus, Gender
from .forms import DeputyForm

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


class DeputyListView(ScopedListView):
    """Search and filter the deputies in the user's scope, 50 a page."""

    selector = deputy_list
    filterset_class = DeputyFilterSet
    template_name = "deputies/deputy_list.html"
    section = "deputies"
    exporter = "roster"
    default_current_term = current_term
    filter_fields = FILTER_FIELDS
    denied_message = gettext_lazy("您的角色不能查看代表名册。")

    def elsewhere(self, scope):
        return redirect("deputies:detail", pk=scope.deputy_id) if allows(scope, "see_own_records_only") else None

    def allowed(self, scope) -> bool:
        return allows(scope, "see_deputy_list")

    def get_extra_context(self, *, scope, filterset, page) -> dict:
        counts = dict(filterset.qs.order_by().values_list("status").annotate(n=Count("id")))
        return {
            "choices": _filter_choices(scope, filterset.queryset),
            "deputies": page.object_list,
            "total": page.paginator.count,
            "status_counts": [(s.label, counts.get(s.value, 0)) for s in DeputyStatus if counts.get(s.value)],
            "can_create": allows(scope, "manage_roster"),
        }


deputy_list_view = DeputyListView.as_view()


@login_required
def deputy_mine_view(request: HttpRequest) -> HttpResponse:
    """A deputy's own page."""
    scope = scope_for(request.user)
    if scope.deputy_id is None:
        raise Http404(_("您的账号没有关联代表。"))
    return redirect("deputies:detail", pk=scope.deputy_id)


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
