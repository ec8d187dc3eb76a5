"""One FilterSet per model, shared by the HTML lists, the API and the exports.

They filter whatever queryset they are given (already scoped by a selector); a bad value is a
form error (400 in the API), never silently ignored.
"""
from __future__ import annotations

import django_filters

from deputies.models import StreetCommittee, Term
from dutyadmin.api.filters import BooleanFilter, DateRangeFilter, IdFilter, search_filter

from .choices import ActivityKind, OrganizerLevel, Outcome
from .models import Activity, Participation


class ActivityFilterSet(django_filters.FilterSet):
    term = django_filters.ModelChoiceFilter(label="届", queryset=Term.objects.all())
    kind = django_filters.ChoiceFilter(label="活动类型", choices=ActivityKind.choices)
    organizer_level = django_filters.ChoiceFilter(label="组织方", choices=OrganizerLevel.choices)
    street_committee = django_filters.ModelChoiceFilter(label="组织街工委", queryset=StreetCommittee.objects.all())
    # One participation per activity and deputy, so this join never repeats an activity.
    deputy = IdFilter(label="参加代表", field_name="participations__deputy_id")
    date = DateRangeFilter(label="日期")
    q = search_filter("title", "location", label="名称或地点")

    class Meta:
        model = Activity
        fields = ["term", "kind", "organizer_level", "street_committee", "deputy"]


class ParticipationFilterSet(django_filters.FilterSet):
    term = django_filters.ModelChoiceFilter(label="届", field_name="activity__term", queryset=Term.objects.all())
    activity = IdFilter(label="活动", field_name="activity_id")
    deputy = IdFilter(label="代表", field_name="deputy_id")
    street_committee = django_filters.ModelChoiceFilter(
        label="人大街工委", field_name="deputy__street_committee", queryset=StreetCommittee.objects.all()
    )
    kind = django_filters.ChoiceFilter(label="活动类型", field_name="activity__kind", choices=ActivityKind.choices)
    outcome = django_filters.ChoiceFilter(label="参加情况", choices=Outcome.choices)
    confirmed = BooleanFilter(label="应邀确定参加")
    date = DateRangeFilter(label="活动日期", field_name="activity__date")
    q = search_filter("deputy__name", label="代表姓名")

    class Meta:
        model = Participation
        fields = ["term", "activity", "deputy", "street_committee", "kind", "outcome", "confirmed"]
