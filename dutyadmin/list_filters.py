"""The HTML lists' use of an app's FilterSet (the one the API and the export use too)."""
from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django_filters import FilterSet

from dutyadmin.scope import Scope


def filtered(filterset: FilterSet, notices: list[str]) -> QuerySet:
    """The filterset's results; a page ignores an invalid filter and says which (the API answers 400)."""
    if filterset.is_bound and not filterset.is_valid():
        fields = filterset.form.fields
        labels = "、".join(str(fields[name].label or name) if name in fields else name for name in filterset.form.errors)
        notices.append(_("筛选条件无效,已忽略:%(fields)s。") % {"fields": labels})
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
