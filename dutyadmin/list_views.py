"""The HTML lists as declarations: `ScopedListView` (NetBox's ObjectListView is the model).

A list page names its selector (the user's rows, scoped), the app's FilterSet (the one the API and
the export use too), its template and its export; the base does what every list did by hand:
the permission check, "the current term unless the user asks for another (or all)", the notice
naming an invalid filter (the page ignores it, the API answers 400), the pagination with its
notice, and the export link that carries the page's query string.

Core imports no higher app: selectors, the current term and the deputies that bound the filter
choices are given by the declaration as plain functions (read from the class, never bound).
"""
from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import QuerySet
from django.forms import HiddenInput
from django.http import HttpRequest, HttpResponse, QueryDict
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django_filters import FilterSet

from dutyadmin.scope import Scope, scope_for
from dutyadmin.permissions import allows

PAGE_SIZE = 50  # rows per page of every list


def page_of(request: HttpRequest, queryset, notices: list[str], per_page: int = PAGE_SIZE,
            count: int | None = None) -> Page:
    """The requested page; a page number that is not one shows the nearest page and says so.

    ``count``: the rows' number when the caller has it already (no COUNT query of the paginator's own)."""
    paginator = Paginator(queryset, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is not computed
    raw = request.GET.get("page")
    page = paginator.get_page(raw)
    if raw is not None and not (raw.strip().isdigit() and int(raw) == page.number):
        notices.append(_("页码“%(page)s”无效,已显示第 %(number)s 页。") % {"page": raw, "number": page.number})
    return page


def invalid_filter_notice(form) -> str:
    """The notice naming a form's invalid filters, which the page ignores (the others still apply)."""
    fields = form.fields
    labels = "、".join(str(fields[name].label or name) if name in fields else name for name in form.errors)
    return _("筛选条件无效,已忽略:%(fields)s。") % {"fields": labels}


def filtered(filterset: FilterSet, notices: list[str]) -> QuerySet:
    """The filterset's results; a page ignores an invalid filter and says which (the API answers 400)."""
    if filterset.is_bound and not filterset.is_valid():
        notices.append(invalid_filter_notice(filterset.form))
    # django-filter leaves a field that failed validation out of cleaned_data: the others still apply.
    return filterset.qs


def offer_scope_choices(filterset: FilterSet, *, scope: Scope, deputies: QuerySet) -> None:
    """Offer only the terms and streets of the deputies the user sees; the rows are scoped by the selector.

    Only the select's options change, not what the filter accepts, so a query string filters the page
    and the API alike (another street gives no rows in both).
    """
    if scope.is_district:
        return
    for name, column in (("term", "term_id"), ("street_committee", "street_committee_id")):
        field = filterset.form.fields.get(name)
        if field is None:
            continue
        shown = field.queryset.filter(pk__in=deputies.values(column))
        field.widget.choices = [("", field.empty_label or "")] + [(str(o.pk), str(o)) for o in shown]


class ScopedListView(LoginRequiredMixin, View):
    """One HTML list: declare the attributes, override the hooks only for what the page adds.

    Attributes (functions are given plain, e.g. ``selector = contribution_list``):
      selector              (user=) → the rows the user may see
      filterset_class       the app's FilterSet, bound to the query string; None for a list without filters
      template_name, section
      exporter              identifier of the export of the same rows (context ``export_url``), or None
      default_current_term  () → the current term: the page shows it unless the query names a term
                            (``?term=`` shows every term); None for no default
      filter_fields         the query keys the template echoes (context ``current``; ``filtered``
                            says whether any but the term is set)
      deputies              (user=) → the deputies the user sees: the term and street selects offer only
                            theirs; None: every term and street
      deputy_filter         the FilterSet field a deputy's page link sets: not a select but the deputy
                            named in the head (context ``deputy``, one of ``deputies``, or None)
      ordering              applied after filtering, or ()
      per_page
      totals                (queryset) → a dict of counts over the filtered rows, one query, whose ``total``
                            is the paginator's count (the view keeps it as ``row_totals``); None: none
      denied_message        the 403's message when ``allowed`` says no
    Hooks: ``allowed(scope)``, ``elsewhere(scope)`` (a redirect instead of the list),
    ``current_term()`` (instead of ``default_current_term``), ``prepare(filterset)`` (the bound form before
    it is validated),
    ``refine(queryset)`` (annotations), ``get_extra_context(...)`` (what the template adds).
    """

    selector: ClassVar[Callable[..., QuerySet]]
    filterset_class: ClassVar[type[FilterSet] | None] = None
    template_name: ClassVar[str]
    section: ClassVar[str]
    exporter: ClassVar[str | None] = None
    default_current_term: ClassVar[Callable[[], Any] | None] = None
    filter_fields: ClassVar[tuple[str, ...]] = ()
    deputies: ClassVar[Callable[..., QuerySet] | None] = None
    deputy_filter: ClassVar[str | None] = None
    ordering: ClassVar[tuple[str, ...]] = ()
    per_page: ClassVar[int] = PAGE_SIZE
    totals: ClassVar[Callable[[QuerySet], dict[str, int]] | None] = None
    denied_message: ClassVar[str] = ""

    def _function(self, name: str) -> Callable | None:
        """A declared function, read from the class: a plain function read from the instance would be bound."""
        return getattr(type(self), name)

    # --- hooks ------------------------------------------------------------------------------------

    def allowed(self, scope: Scope) -> bool:
        return True

    def elsewhere(self, scope: Scope) -> HttpResponse | None:
        return None

    def refine(self, queryset: QuerySet) -> QuerySet:
        return queryset

    def prepare(self, filterset: FilterSet) -> None:
        return None

    def get_extra_context(self, *, scope: Scope, filterset: FilterSet | None, page: Page) -> dict:
        return {}

    # --- the page ---------------------------------------------------------------------------------

    def current_term(self) -> Any:
        """The term the page shows unless the query names one: ``default_current_term``'s, or None."""
        current_term = self._function("default_current_term")
        return current_term() if current_term is not None else None

    def filter_data(self) -> QueryDict:
        data = self.request.GET.copy()
        if "term" not in data and (term := self.current_term()) is not None:
            data["term"] = str(term.pk)  # the current term unless the user asks for another (or all)
        return data

    def get(self, request: HttpRequest, *args, **kwargs) -> HttpResponse:
        scope = scope_for(request.user)
        if (response := self.elsewhere(scope)) is not None:
            return response
        if not self.allowed(scope):
            raise PermissionDenied(self.denied_message)
        data = self.filter_data()
        queryset = self._function("selector")(user=request.user)
        notices: list[str] = []
        filterset = None
        deputies = self._function("deputies")
        deputies = deputies(user=request.user) if deputies is not None else None
        if self.filterset_class is not None:
            filterset = self.filterset_class(data, queryset=queryset, request=request)
            if self.deputy_filter:
                filterset.form.fields[self.deputy_filter].widget = HiddenInput()
            if deputies is not None:
                offer_scope_choices(filterset, scope=scope, deputies=deputies)
            self.prepare(filterset)
            queryset = filtered(filterset, notices)
        queryset = self.refine(queryset)
        if self.ordering:
            queryset = queryset.order_by(*self.ordering)
        totals = self._function("totals")
        self.row_totals = totals(queryset) if totals is not None else None
        page = page_of(request, queryset, notices, per_page=self.per_page,
                       count=self.row_totals["total"] if self.row_totals is not None else None)
        context: dict[str, Any] = {"section": self.section, "page": page, "notices": notices}
        if filterset is not None:
            context["form"] = filterset.form
            if self.deputy_filter and deputies is not None:
                pk = filterset.form.cleaned_data.get(self.deputy_filter)
                context["deputy"] = deputies.filter(pk=pk).first() if pk else None
        if self.filter_fields:
            context["current"] = {name: data.get(name, "") for name in self.filter_fields}
            context["filtered"] = any(data.get(name) for name in self.filter_fields if name != "term")
        if self.exporter:
            context["export_url"] = f"{reverse('exports:form', args=[self.exporter])}?{request.GET.urlencode()}"
        context.update(self.get_extra_context(scope=scope, filterset=filterset, page=page))
        return render(request, self.template_name, context)


class RecordListView(ScopedListView):
    """A list of the deputies' dated records (contributions, interventions): newest first, for the roles
    that see records, filtered to one deputy by the link on the deputy's page."""

    deputy_filter = "deputy"
    ordering = ("-date", "-id")

    def allowed(self, scope: Scope) -> bool:
        return allows(scope, "see_records")
