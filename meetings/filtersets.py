"""One FilterSet per model, shared by the HTML lists, the API and the exports.

They filter whatever queryset they are given (already scoped by a selector); a bad value is a
form error (400 in the API), never silently ignored.
"""
from __future__ import annotations

import django_filters

from deputies.models import StreetCommittee, Term
from dutyadmin.api.filters import BooleanFilter, DateRangeFilter, IdFilter, YearFilter, search_filter

from .choices import AttendanceStatus, ContributionKind, HalfDay, LeaveRoute, LeaveStatus, MeetingKind
from .models import Attendance, CongressSession, Contribution, LeaveRequest, Meeting


class CongressSessionFilterSet(django_filters.FilterSet):
    term = django_filters.ModelChoiceFilter(label="届", queryset=Term.objects.all())
    number = IdFilter(label="次")
    start_date = DateRangeFilter(label="开始日期")
    q = search_filter("name", label="名称")

    class Meta:
        model = CongressSession
        fields = ["term", "number"]


class MeetingFilterSet(django_filters.FilterSet):
    term = django_filters.ModelChoiceFilter(label="届", field_name="session__term", queryset=Term.objects.all())
    session = django_filters.ModelChoiceFilter(label="大会", queryset=CongressSession.objects.all())
    kind = django_filters.ChoiceFilter(label="会议类型", choices=MeetingKind.choices)
    half_day = django_filters.ChoiceFilter(label="时段", choices=HalfDay.choices)
    date = DateRangeFilter(label="日期")
    q = search_filter("title", label="名称")

    class Meta:
        model = Meeting
        fields = ["term", "session", "kind", "half_day"]


class AttendanceFilterSet(django_filters.FilterSet):
    term = django_filters.ModelChoiceFilter(
        label="届", field_name="meeting__session__term", queryset=Term.objects.all()
    )
    session = django_filters.ModelChoiceFilter(
        label="大会", field_name="meeting__session", queryset=CongressSession.objects.all()
    )
    meeting = IdFilter(label="会议", field_name="meeting_id")
    deputy = IdFilter(label="代表", field_name="deputy_id")
    street_committee = django_filters.ModelChoiceFilter(
        label="人大街工委", field_name="deputy__street_committee", queryset=StreetCommittee.objects.all()
    )
    kind = django_filters.ChoiceFilter(label="会议类型", field_name="meeting__kind", choices=MeetingKind.choices)
    status = django_filters.ChoiceFilter(label="出席情况", choices=AttendanceStatus.choices)
    date = DateRangeFilter(label="会议日期", field_name="meeting__date")
    q = search_filter("deputy__name", label="代表姓名")

    class Meta:
        model = Attendance
        fields = ["term", "session", "meeting", "deputy", "street_committee", "kind", "status"]


class LeaveRequestFilterSet(django_filters.FilterSet):
    term = django_filters.ModelChoiceFilter(label="届", field_name="session__term", queryset=Term.objects.all())
    session = django_filters.ModelChoiceFilter(label="大会", queryset=CongressSession.objects.all())
    deputy = IdFilter(label="代表", field_name="deputy_id")
    street_committee = django_filters.ModelChoiceFilter(
        label="人大街工委", field_name="deputy__street_committee", queryset=StreetCommittee.objects.all()
    )
    meeting = IdFilter(label="请假会议", field_name="meetings__id", distinct=True)
    route = django_filters.ChoiceFilter(label="请假类型", choices=LeaveRoute.choices)
    status = django_filters.ChoiceFilter(label="状态", choices=LeaveStatus.choices)
    backfilled = BooleanFilter(label="补录")
    date = DateRangeFilter(label="大会开始日期", field_name="session__start_date")
    q = search_filter("deputy__name", label="代表姓名")

    class Meta:
        model = LeaveRequest
        fields = ["term", "session", "deputy", "street_committee", "route", "status", "backfilled"]


CONTRIBUTION_STATES = [("confirmed", "已确认"), ("pending", "待确认"), ("returned", "已退回")]


class ContributionFilterSet(django_filters.FilterSet):
    """Also the contribution page's filters: q (title or deputy), kind, year, state (review_state)."""

    q = search_filter("title", "deputy__name", label="标题或代表姓名")
    term = django_filters.ModelChoiceFilter(
        label="届", field_name="deputy__term", queryset=Term.objects.all(), empty_label="全部"
    )
    session = django_filters.ModelChoiceFilter(
        label="大会", queryset=CongressSession.objects.all(), empty_label="全部"
    )
    deputy = IdFilter(label="代表", field_name="deputy_id")
    street_committee = django_filters.ModelChoiceFilter(
        label="人大街工委", field_name="deputy__street_committee", queryset=StreetCommittee.objects.all(),
        empty_label="全部",
    )
    kind = django_filters.ChoiceFilter(label="类型", choices=ContributionKind.choices, empty_label="全部")
    closed_period = BooleanFilter(label="闭会期间提出", field_name="session", lookup_expr="isnull")
    date = DateRangeFilter(label="日期")
    year = YearFilter(label="年份", field_name="date", lookup_expr="year", min_value=1949, max_value=2100)
    state = django_filters.ChoiceFilter(
        label="确认情况", choices=CONTRIBUTION_STATES, empty_label="全部", method="filter_state"
    )

    class Meta:
        model = Contribution
        fields = ["term", "session", "deputy", "street_committee", "kind"]

    def filter_state(self, queryset, name, value):
        """The same three states as Contribution.review_state, as a query."""
        if value == "confirmed":
            return queryset.filter(confirmed=True)
        if value == "pending":
            return queryset.filter(confirmed=False, return_reason="")
        if value == "returned":
            return queryset.filter(confirmed=False).exclude(return_reason="")
        return queryset
