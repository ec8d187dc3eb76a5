"""Pages of deputies: the list, the profile form and a deputy's suspensions (one deputy's page and change history
read their records in every app: oversight/profile_views.py)."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deputies.filtersets import DeputyFilterSet
from deputies.filter_choices import FilterRows, filter_rows
from deputies.models import Deputy, Suspension
from deputies.selectors import current_term, deputy_list
from dutyadmin.forms import apply_errors
from dutyadmin.scope import scope_for
from dutyadmin.permissions import allows
from dutyadmin.services import record_save
from dutyadmin.list_views import ScopedListView

from .choices import DeputyStatus, Gender
from .forms import DeputyForm, SuspensionEndForm, SuspensionForm
from .services import suspension_delete, suspension_end, suspension_save

FILTER_FIELDS = ("term", "street_committee", "delegation", "status", "gender", "q")


def _filter_choices(scope, deputies, rows: FilterRows) -> dict:
    """The choices of the filter selects: only terms, streets and delegations the user can see.

    The rows come from the process's cache (deputies.filter_choices); a user with a narrower scope costs one
    query, for the terms, streets and delegations of their deputies."""
    terms, streets, delegations = rows.terms, rows.streets, rows.delegations
    if not scope.is_district:
        seen = list(deputies.order_by().values_list("term_id", "street_committee_id", "delegation_id").distinct())
        term_ids, street_ids, delegation_ids = (set(ids) for ids in zip(*seen)) if seen else (set(), set(), set())
        terms = [t for t in terms if t.pk in term_ids]
        streets = [s for s in streets if s.pk in street_ids]
        delegations = [d for d in delegations if d.pk in delegation_ids]
    return {
        "term": [(str(t.pk), t.name) for t in terms],
        "street_committee": [(str(s.pk), s.name) for s in streets],
        "delegation": [(str(d.pk), f"{d.name}({d.term.name})") for d in delegations],
        "status": list(DeputyStatus.choices),
        "gender": list(Gender.choices),
    }


def _status_totals(queryset) -> dict[str, int]:
    """The filtered rows' count by status and their total, in one query (the paginator's count too; a GROUP BY
    costs the database less than a COUNT … FILTER per status)."""
    counts = dict(queryset.order_by().values_list("status").annotate(n=Count("id")))
    return {**counts, "total": sum(counts.values())}


class DeputyListView(ScopedListView):
    """Search and filter the deputies in the user's scope, 50 a page."""

    selector = deputy_list
    filterset_class = DeputyFilterSet
    template_name = "deputies/deputy_list.html"
    section = "deputies"
    exporter = "roster"
    filter_fields = FILTER_FIELDS
    denied_message = gettext_lazy("您的角色不能查看代表名册。")
    totals = _status_totals

    def elsewhere(self, scope):
        return redirect("deputies:detail", pk=scope.deputy_id) if allows(scope, "see_own_records_only") else None

    def allowed(self, scope) -> bool:
        return allows(scope, "see_deputy_list")

    @cached_property
    def filter_rows(self) -> FilterRows:
        """Read once a request (a view instance): the default term, the term's check and the choices."""
        return filter_rows()

    def current_term(self):
        return self.filter_rows.current_term

    def prepare(self, filterset) -> None:
        # The term in the query (the current one by default) is one of the cached terms: checked without a query.
        filterset.form.fields["term"].known = {str(term.pk): term for term in self.filter_rows.terms}

    def get_extra_context(self, *, scope, filterset, page) -> dict:
        counts = self.row_totals
        genders, statuses = dict(Gender.choices), dict(DeputyStatus.choices)
        deputies = page.object_list
        for deputy in deputies:  # what each row shows, read here once rather than by a filter per cell
            deputy.gender_label = genders.get(deputy.gender, deputy.gender)
            deputy.status_label = statuses.get(deputy.status, deputy.status)
        return {
            "choices": _filter_choices(scope, filterset.queryset, self.filter_rows),
            "deputies": deputies,
            "total": page.paginator.count,
            "status_counts": [(s.label, counts[s.value]) for s in DeputyStatus if counts.get(s.value)],
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


SUSPENSION_DENIED = gettext_lazy("只有代表联络机构和系统管理员可以登记代表暂停执行代表职务。")


def _suspension_target(request: HttpRequest, pk: int, suspension_pk: int | None = None):
    """The deputy in scope (404 otherwise) and one of their suspensions; 403 for whoever may not manage them."""
    deputy = get_object_or_404(deputy_list(user=request.user), pk=pk)
    if not allows(scope_for(request.user), "manage_suspensions", deputy):
        raise PermissionDenied(SUSPENSION_DENIED)
    suspension = None
    if suspension_pk is not None:
        suspension = get_object_or_404(Suspension.objects.filter(deputy=deputy), pk=suspension_pk)
    return deputy, suspension


def _suspension_page(request, deputy, suspension, form, *, title: str, mode: str) -> HttpResponse:
    return render(request, "deputies/suspension_form.html", {
        "section": "deputies", "deputy": deputy, "suspension": suspension, "form": form, "title": title,
        "mode": mode,
    })


@login_required
def suspension_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    """Record that a deputy's duties are suspended (代表法 Art. 61), from a day on."""
    deputy, _none = _suspension_target(request, pk)
    form = SuspensionForm(request.POST or None, deputy=deputy)
    if request.method == "POST" and form.is_valid():
        try:
            suspension_save(user=request.user, deputy=deputy, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记%(name)s暂停执行代表职务。") % {"name": deputy.name})
            return redirect("deputies:detail", pk=deputy.pk)
    return _suspension_page(request, deputy, None, form, title=_("登记暂停执行代表职务"), mode="create")


@login_required
def suspension_edit_view(request: HttpRequest, pk: int, suspension_pk: int) -> HttpResponse:
    """Correct a suspension's dates or reason."""
    deputy, suspension = _suspension_target(request, pk, suspension_pk)
    initial = {"start_date": suspension.start_date, "end_date": suspension.end_date, "reason": suspension.reason}
    form = SuspensionForm(request.POST or None, initial=initial, deputy=deputy, suspension=suspension)
    if request.method == "POST" and form.is_valid():
        try:
            suspension_save(user=request.user, suspension=suspension, **form.cleaned_data)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已修改%(name)s的暂停执行代表职务记录。") % {"name": deputy.name})
            return redirect("deputies:detail", pk=deputy.pk)
    return _suspension_page(request, deputy, suspension, form, title=_("修改暂停执行代表职务"), mode="edit")


@login_required
def suspension_end_view(request: HttpRequest, pk: int, suspension_pk: int) -> HttpResponse:
    """End an open suspension: its last day; the deputy resumes their duties the day after."""
    deputy, suspension = _suspension_target(request, pk, suspension_pk)
    form = SuspensionEndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            suspension_end(user=request.user, suspension=suspension, end_date=form.cleaned_data["end_date"])
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已结束%(name)s的暂停，恢复执行代表职务。") % {"name": deputy.name})
            return redirect("deputies:detail", pk=deputy.pk)
    return _suspension_page(request, deputy, suspension, form, title=_("结束暂停执行代表职务"), mode="end")


@login_required
def suspension_delete_view(request: HttpRequest, pk: int, suspension_pk: int) -> HttpResponse:
    """Delete a suspension entered by mistake (asks first; its history keeps what it said)."""
    deputy, suspension = _suspension_target(request, pk, suspension_pk)
    if request.method == "POST":
        try:
            suspension_delete(user=request.user, suspension=suspension)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已删除%(name)s的暂停执行代表职务记录。") % {"name": deputy.name})
        return redirect("deputies:detail", pk=deputy.pk)
    return _suspension_page(request, deputy, suspension, None, title=_("删除暂停执行代表职务记录"), mode="delete")
