"""FilterSets of deputies, shared by the HTML list, the API and the export (one per model).

They filter whatever queryset they are given (already scoped by a selector); a bad value is a
form error (400 in the API), never silently ignored.
"""
from __future__ import annotations

import django_filters
from django.contrib.auth import get_user_model
from django.db.models import Q, QuerySet

from dutyadmin.api.filters import BooleanFilter, IdFilter, KnownModelChoiceFilter, YearFilter, search_filter
from dutyadmin.roles import Role

from .choices import DeputyStatus, Gender
from .choices import ContactMode
from .models import Contact, ContactAssignment, Delegation, Deputy, StreetCommittee, Suspension, Term, ThresholdChange


class TermFilterSet(django_filters.FilterSet):
    number = IdFilter(label="届次")
    q = search_filter("name", label="名称")

    class Meta:
        model = Term
        fields = ["number"]


class ThresholdChangeFilterSet(django_filters.FilterSet):
    term = django_filters.ModelChoiceFilter(label="届", queryset=Term.objects.all())

    class Meta:
        model = ThresholdChange
        fields = ["term"]


class StreetCommitteeFilterSet(django_filters.FilterSet):
    code = django_filters.CharFilter(label="代码")
    q = search_filter("name", "code", label="名称或代码")

    class Meta:
        model = StreetCommittee
        fields = ["code"]


class DelegationFilterSet(django_filters.FilterSet):
    term = django_filters.ModelChoiceFilter(label="届", queryset=Term.objects.all())
    q = search_filter("name", label="名称")

    class Meta:
        model = Delegation
        fields = ["term"]


class DeputyFilterSet(django_filters.FilterSet):
    """term, street_committee, delegation, status, gender and q (name, unit or constituency)."""

    # Known: the deputy list gives the terms it has read (deputies.filter_choices), no query to check one.
    term = KnownModelChoiceFilter(label="届", queryset=Term.objects.all())
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


class ContactAssignmentFilterSet(django_filters.FilterSet):
    term = django_filters.ModelChoiceFilter(label="届", queryset=Term.objects.all())
    deputy = IdFilter(label="代表", field_name="deputy_id")
    street_committee = django_filters.ModelChoiceFilter(
        label="人大街工委", field_name="deputy__street_committee", queryset=StreetCommittee.objects.all()
    )
    member = IdFilter(label="常委会组成人员", field_name="member_id")
    q = search_filter("deputy__name", "member_name", "member__first_name", "member__last_name",
                      label="代表或常委会组成人员姓名")

    class Meta:
        model = ContactAssignment
        fields = ["term", "deputy", "street_committee", "member"]


# --- contacts: A10.5 contacts -------------------------------------------------------------------------
class ContactFilterSet(django_filters.FilterSet):
    assignment = IdFilter(label="联系关系", field_name="assignment_id")
    deputy = IdFilter(label="代表", field_name="assignment__deputy_id")
    member = IdFilter(label="常委会组成人员", field_name="assignment__member_id")
    term = django_filters.ModelChoiceFilter(label="届", field_name="assignment__term", queryset=Term.objects.all())
    mode = django_filters.ChoiceFilter(label="联系方式", choices=ContactMode.choices)
    year = YearFilter(label="年度", field_name="date", lookup_expr="year")

    class Meta:
        model = Contact
        fields = ["assignment", "deputy", "member", "term", "mode", "year"]


class SuspensionFilterSet(django_filters.FilterSet):
    """deputy and term (the deputy's term)."""

    deputy = IdFilter(label="代表", field_name="deputy_id")
    term = django_filters.ModelChoiceFilter(label="届", field_name="deputy__term", queryset=Term.objects.all())

    class Meta:
        model = Suspension
        fields = ["deputy", "term"]


# --- users15: user accounts (/api/v1/users/, the administrator's) -------------------------------------------
class UserFilterSet(django_filters.FilterSet):
    """role, is_active, street_committee, q (username or name)."""

    role = django_filters.ChoiceFilter(label="角色", field_name="groups__name", choices=Role.choices)
    is_active = BooleanFilter(label="启用")
    street_committee = IdFilter(label="人大街工委", field_name="scope__street_committee_id")
    q = search_filter("username", "first_name", "last_name", label="用户名或姓名")

    class Meta:
        model = get_user_model()
        fields = ["role", "is_active", "street_committee"]
