"""API viewsets of interventions (findings, data checks and handbooks are added beside them)."""
from __future__ import annotations

from dutyadmin import policy
from dutyadmin.api.viewsets import ScopedModelViewSet

from .. import selectors
from ..filtersets import InterventionFilterSet
from .serializers import InterventionSerializer


class InterventionViewSet(ScopedModelViewSet):
    """约谈、通报、资格终止、劝辞: what the office did; the kind must be the rule's own (400 otherwise)."""

    selector = staticmethod(selectors.intervention_list)
    serializer_class = InterventionSerializer
    filterset_class = InterventionFilterSet

    def can_write(self, scope, obj) -> bool:
        return policy.can_edit_intervention(scope, deputy=obj.deputy, rule=obj.rule)
