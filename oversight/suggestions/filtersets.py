"""The FilterSets of suggestions and handling units, shared by the HTML lists, the API and the exports."""
from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field

from deputies.choices import HandlingUnitKind
from deputies.models import HandlingUnit, Term
from dutyadmin.api.filters import BooleanFilter, DateRangeFilter, IdFilter, search_filter
from meetings.models import CongressSession

from .choices import Resolution, Satisfaction, SuggestionStatus
from .models import Suggestion
from .selectors import (
    assigned_q, due_soon_q, feedback_missing_q, overdue_q, rehandled_q, replied_on_time_q, replied_q,
)


class HandlingUnitFilterSet(django_filters.FilterSet):
    kind = django_filters.ChoiceFilter(label="类别", choices=HandlingUnitKind.choices)
    q = search_filter("name", "code", label="名称或代码")

    class Meta:
        model = HandlingUnit
        fields = ["kind"]


class SuggestionFilterSet(django_filters.FilterSet):
    term = django_filters.ModelChoiceFilter(label="届", queryset=Term.objects.all())
    session = django_filters.ModelChoiceFilter(label="大会", queryset=CongressSession.objects.all())
    closed_period = BooleanFilter(label="闭会期间", field_name="session", lookup_expr="isnull")
    status = django_filters.ChoiceFilter(label="状态", choices=SuggestionStatus.choices)
    lead_unit = IdFilter(label="主办单位", field_name="lead_unit_id")
    unit = IdFilter(label="承办单位（主办或协办）", method="filter_unit")
    lead_deputy = IdFilter(label="领衔代表", field_name="lead_deputy_id")
    resolution = django_filters.ChoiceFilter(label="办理结果", choices=Resolution.choices)
    satisfaction = django_filters.ChoiceFilter(label="代表评价", choices=Satisfaction.choices)
    extended = BooleanFilter(label="已延期")
    overdue = BooleanFilter(label="逾期未答复", method="filter_overdue")
    due_date = DateRangeFilter(label="答复期限")
    # sgremind: the 待办 lines link to these two.
    due_soon = BooleanFilter(label="15天内到期", method="filter_due_soon")
    feedback_missing = BooleanFilter(label="代表未反馈", method="filter_feedback_missing")
    q = search_filter("title", "lead_deputy__name", label="标题或代表姓名")
    # sgstats: what each count of the statistics page means, so its links list exactly the suggestions counted.
    assigned = BooleanFilter(label="已交办（未撤回）", method="filter_assigned")
    replied = BooleanFilter(label="已答复", method="filter_replied")
    on_time = BooleanFilter(label="按期答复", method="filter_on_time")
    rehandled = BooleanFilter(label="重新办理过", method="filter_rehandled")

    class Meta:
        model = Suggestion
        fields = ["term", "session", "status", "lead_unit", "lead_deputy", "resolution", "satisfaction", "extended"]

    @extend_schema_field(OpenApiTypes.INT)
    def filter_unit(self, queryset, name, value):
        if value is None:
            return queryset
        cohandled = Suggestion.co_units.through.objects.filter(handlingunit_id=value).values("suggestion_id")
        return queryset.filter(Q(lead_unit_id=value) | Q(pk__in=cohandled))

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        late = overdue_q(timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)

    # sgstats: the statistics' filters (one Q each, in selectors.py).
    @staticmethod
    def _by(queryset, value, q):
        if value is None:
            return queryset
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_assigned(self, queryset, name, value):
        return self._by(queryset, value, assigned_q())

    def filter_replied(self, queryset, name, value):
        return self._by(queryset, value, replied_q())

    def filter_on_time(self, queryset, name, value):
        return self._by(queryset, value, replied_on_time_q())

    def filter_rehandled(self, queryset, name, value):
        return self._by(queryset, value, rehandled_q())

    # sgremind: the 待办 lines of a unit (due within 15 days) and of the liaison office (代表未反馈) link here.
    def filter_due_soon(self, queryset, name, value):
        if value is None:
            return queryset
        soon = due_soon_q(timezone.localdate())
        return queryset.filter(soon) if value else queryset.exclude(soon)

    def filter_feedback_missing(self, queryset, name, value):
        if value is None:
            return queryset
        missing = feedback_missing_q(timezone.localdate())
        return queryset.filter(missing) if value else queryset.exclude(missing)
