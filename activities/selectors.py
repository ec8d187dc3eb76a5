"""Reads of activities and participations, scoped by user."""
from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet

from deputies.choices import STREET_ROLES
from deputies.scope import scope_for

from .models import Activity, Participation


def activity_list(*, user) -> QuerySet[Activity]:
    """District roles see all; others see their street's activities and those their deputies joined."""
    scope = scope_for(user)
    qs = Activity.objects.select_related("term", "street_committee")
    if scope.is_district:
        return qs
    visible = Exists(Participation.objects.filter(scope.deputy_q("deputy__"), activity_id=OuterRef("pk")))
    own_street = Q(street_committee_id=scope.street_committee_id) if scope.roles & STREET_ROLES else Q(pk__in=[])
    return qs.filter(own_street | Q(visible))


def participation_list(*, user) -> QuerySet[Participation]:
    scope = scope_for(user)
    return Participation.objects.filter(scope.deputy_q("deputy__")).select_related("activity", "deputy")
