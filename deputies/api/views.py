"""API viewsets of terms, street committees, delegations, deputies and contact assignments."""
from __future__ import annotations

from dutyadmin.api.viewsets import ReferenceWritesMixin, ScopedModelViewSet

from .. import selectors
from ..filtersets import (
    ContactAssignmentFilterSet,
    DelegationFilterSet,
    DeputyFilterSet,
    StreetCommitteeFilterSet,
    TermFilterSet,
)
from .serializers import (
    ContactAssignmentSerializer,
    DelegationSerializer,
    DeputySerializer,
    StreetCommitteeSerializer,
    TermSerializer,
)


class TermViewSet(ReferenceWritesMixin, ScopedModelViewSet):
    """届: readable by every user; the liaison office edits them and their thresholds."""

    selector = staticmethod(selectors.term_list)
    serializer_class = TermSerializer
    filterset_class = TermFilterSet


class StreetCommitteeViewSet(ReferenceWritesMixin, ScopedModelViewSet):
    """人大街工委."""

    selector = staticmethod(selectors.street_committee_list)
    serializer_class = StreetCommitteeSerializer
    filterset_class = StreetCommitteeFilterSet


class DelegationViewSet(ReferenceWritesMixin, ScopedModelViewSet):
    """代表团."""

    selector = staticmethod(selectors.delegation_list)
    serializer_class = DelegationSerializer
    filterset_class = DelegationFilterSet


class DeputyViewSet(ReferenceWritesMixin, ScopedModelViewSet):
    """代表: each user sees the deputies of their scope."""

    selector = staticmethod(selectors.deputy_list)
    serializer_class = DeputySerializer
    filterset_class = DeputyFilterSet


class ContactAssignmentViewSet(ReferenceWritesMixin, ScopedModelViewSet):
    """常委会组成人员联系代表 (Art. 10(五))."""

    selector = staticmethod(selectors.contact_assignment_list)
    serializer_class = ContactAssignmentSerializer
    filterset_class = ContactAssignmentFilterSet
