"""Reads of interventions (约谈、通报、资格终止、劝辞), scoped by user."""
from __future__ import annotations

from django.db.models import QuerySet

from dutyadmin.scope import scope_for

from ..models import Intervention


def intervention_list(*, user) -> QuerySet[Intervention]:
    scope = scope_for(user)
    return Intervention.objects.filter(scope.deputy_q("deputy__")).select_related("deputy")
