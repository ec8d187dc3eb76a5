"""The FilterSet of constituents' opinions, shared by the list page, the API and the export."""
from __future__ import annotations

import django_filters
from django.utils import timezone

from deputies.models import StreetCommittee
from dutyadmin.api.filters import BooleanFilter, DateRangeFilter, IdFilter, search_filter

from .choices import OpinionStatus
from .models import Opinion
from .selectors import FORWARD_WAIT_DAYS, due_soon_q, overdue_q, unforwarded_q


class OpinionFilterSet(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label="状态", choices=OpinionStatus.choices, empty_label="全部")
    street_committee = django_filters.ModelChoiceFilter(label="街道工委", queryset=StreetCommittee.objects.all(),
                                                        empty_label="全部")
    reception = IdFilter(label="接待活动", field_name="reception_id")
    forwarded_to = IdFilter(label="转办单位", field_name="forwarded_to_id")
    deputy = IdFilter(label="听取意见的代表", field_name="deputies")
    received_on = DateRangeFilter(label="收集日期")
    overdue = BooleanFilter(label="逾期未答复", method="filter_overdue")
    due_soon = BooleanFilter(label="15天内到期", method="filter_due_soon")
    unforwarded = BooleanFilter(label=f"收集超过{FORWARD_WAIT_DAYS}天未转办", method="filter_unforwarded")  # gaps14b
    q = search_filter("content", "citizen_name", "reception__location", label="意见内容、群众姓名或接待地点")

    class Meta:
        model = Opinion
        fields = ["status", "street_committee"]

    def filter_overdue(self, queryset, name, value):
        if value is None:
            return queryset
        q = overdue_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_due_soon(self, queryset, name, value):
        if value is None:
            return queryset
        q = due_soon_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)

    def filter_unforwarded(self, queryset, name, value):  # --- gaps14b
        if value is None:
            return queryset
        q = unforwarded_q(timezone.localdate())
        return queryset.filter(q) if value else queryset.exclude(q)
