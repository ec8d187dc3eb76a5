"""FilterSets of deputies, shared by the HTML list, the API and the export (one per model)."""
from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from .choices import DeputyStatus, Gender
from .models import Delegation, Deputy, StreetCommittee, Term


class DeputyFilterSet(django_filters.FilterSet):
    """term, street_committee, delegation, status, gender and q (name, unit or constituency)."""

    term = django_filters.ModelChoiceFilter(label="届", queryset=Term.objects.all())
    street_committee = django_filters.ModelChoiceFilter(label="人大街工委", queryset=StreetCommittee.objects.all())
    delegation = django_filters.ModelChoiceFilter(
        label="代表团", queryset=Delegation.objects.select_related("term")
    )
    status = django_filters.ChoiceFilter(label="状态", choices=DeputyStatus.choices)
    gender = django_filters.ChoiceFilter(label="性别", choices=Gender.choices)
    q = django_filters.CharFilter(label="搜索", method="filter_q")

    class Meta:
        model = Deputy
        fields = ["term", "street_committee", "delegation", "status", "gender"]

    def filter_q(self, queryset: QuerySet[Deputy], name: str, value: str) -> QuerySet[Deputy]:
        """Every word must match the name, the unit or the constituency."""
        for word in value.split():
            queryset = queryset.filter(
                Q(name__icontains=word) | Q(unit__icontains=word) | Q(constituency__icontains=word)
            )
        return queryset
