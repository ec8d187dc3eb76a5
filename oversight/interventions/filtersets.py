"""One FilterSet per model, shared by the HTML lists, the API and the exports.

They filter whatever queryset they are given (already scoped by a selector); a bad value is a
form error (400 in the API), never silently ignored.
"""
from __future__ import annotations

import django_filters

from deputies.models import StreetCommittee, Term
from dutyadmin.api.filters import DateRangeFilter, IdFilter, search_filter

from ..choices import ActionRuleChoices, InterventionKind
from ..models import Intervention


class InterventionFilterSet(django_filters.FilterSet):
    """Also the intervention page's filters: q (deputy, who conducted it or the notes), rule, kind."""

    term = django_filters.ModelChoiceFilter(
        label="届", field_name="deputy__term", queryset=Term.objects.all(), empty_label="全部"
    )
    deputy = IdFilter(label="代表", field_name="deputy_id")
    street_committee = django_filters.ModelChoiceFilter(
        label="人大街工委", field_name="deputy__street_committee", queryset=StreetCommittee.objects.all(),
        empty_label="全部",
    )
    rule = django_filters.ChoiceFilter(label="规则", choices=ActionRuleChoices.choices, empty_label="全部")
    kind = django_filters.ChoiceFilter(label="处置方式", choices=InterventionKind.choices, empty_label="全部")
    date = DateRangeFilter(label="日期")
    q = search_filter("deputy__name", "conducted_by", "notes", label="代表姓名、实施人或备注")

    class Meta:
        model = Intervention
        fields = ["term", "deputy", "street_committee", "rule", "kind"]
