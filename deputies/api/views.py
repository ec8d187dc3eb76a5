"""API viewsets of terms, street committees, delegations, deputies and contact assignments."""
from __future__ import annotations

from django.utils import timezone
from rest_framework import permissions

from dutyadmin.api.viewsets import ReferenceWritesMixin, ScopedModelViewSet, ScopedWritePermission
from dutyadmin.permissions import allows

from .. import contacts, selectors, users
from ..services import suspension_delete, suspension_save, threshold_change_create, threshold_change_delete
from ..filtersets import (
    ContactAssignmentFilterSet,
    ContactFilterSet,
    DelegationFilterSet,
    DeputyFilterSet,
    StreetCommitteeFilterSet,
    SuspensionFilterSet,
    TermFilterSet,
    ThresholdChangeFilterSet,
    UserFilterSet,
)
from .serializers import (
    ContactAssignmentSerializer,
    ContactSerializer,
    DelegationSerializer,
    DeputySerializer,
    StreetCommitteeSerializer,
    SuspensionSerializer,
    TermSerializer,
    ThresholdChangeSerializer,
    UserSerializer,
)


class TermViewSet(ReferenceWritesMixin, ScopedModelViewSet):
    """届: readable by every user; the liaison office edits them and their thresholds."""

    selector = staticmethod(selectors.term_list)
    serializer_class = TermSerializer
    filterset_class = TermFilterSet


class ThresholdChangeViewSet(ScopedModelViewSet):
    """阈值调整: read by every user; the liaison office records them; no update; delete only before effective_from."""

    selector = staticmethod(selectors.threshold_change_list)
    serializer_class = ThresholdChangeSerializer
    filterset_class = ThresholdChangeFilterSet
    http_method_names = ["get", "post", "delete", "head", "options"]

    def can_write_any(self, scope) -> bool:
        return allows(scope, "manage_thresholds")

    def can_write(self, scope, obj) -> bool:
        return self.can_write_any(scope)

    def save_record(self, instance, data):
        return threshold_change_create(user=self.request.user, **data)

    def delete_record(self, instance) -> None:
        threshold_change_delete(user=self.request.user, change=instance, today=timezone.localdate())


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


class ContactAssignmentViewSet(ScopedModelViewSet):
    """常委会组成人员联系代表 (Art. 10(五)): the liaison office assigns; a sc_member reads their own."""

    selector = staticmethod(selectors.contact_assignment_list)
    serializer_class = ContactAssignmentSerializer
    filterset_class = ContactAssignmentFilterSet

    def can_write_any(self, scope) -> bool:
        return allows(scope, "manage_contact_assignments")

    def can_write(self, scope, obj) -> bool:
        return self.can_write_any(scope)

    def save_record(self, instance, data):
        if instance is None:
            return contacts.contact_assignment_create(user=self.request.user, term=data.get("term"),
                                                      member=data.get("member"), deputy=data.get("deputy"))
        return contacts.contact_assignment_update(user=self.request.user, assignment=instance, **data)

    def delete_record(self, instance) -> None:
        contacts.contact_assignment_delete(user=self.request.user, assignment=instance)


# --- contacts: A10.5 contacts -------------------------------------------------------------------------
class ContactViewSet(ScopedModelViewSet):
    """联系代表记录: the member logs contacts with their deputies; district roles read every one."""

    selector = staticmethod(contacts.contact_list)
    serializer_class = ContactSerializer
    filterset_class = ContactFilterSet

    def can_write_any(self, scope) -> bool:
        return allows(scope, "log_contact")

    def can_write(self, scope, obj) -> bool:
        return allows(scope, "log_contact", obj.assignment)

    def save_record(self, instance, data):
        today = timezone.localdate()
        assignment = data.get("assignment", instance.assignment if instance else None)
        return contacts.contact_log(
            user=self.request.user, assignment=assignment, contact=instance,
            date=data.get("date", instance.date if instance else today),
            mode=data.get("mode", instance.mode if instance else ""),
            notes=data.get("notes", instance.notes if instance else ""), today=today,
        )

    def delete_record(self, instance) -> None:
        contacts.contact_delete(user=self.request.user, contact=instance)


class SuspensionViewSet(ScopedModelViewSet):
    """暂时停止执行代表职务: read by whoever sees the deputy; the liaison office records, ends and deletes them."""

    selector = staticmethod(selectors.suspension_list)
    serializer_class = SuspensionSerializer
    filterset_class = SuspensionFilterSet

    def can_write_any(self, scope) -> bool:
        return allows(scope, "manage_suspensions")

    def can_write(self, scope, obj) -> bool:
        return allows(scope, "manage_suspensions", getattr(obj, "deputy", None))

    def save_record(self, instance, data):
        # A PATCH sends some fields: the others keep the suspension's values.
        current = {} if instance is None else {
            "deputy": instance.deputy, "start_date": instance.start_date, "end_date": instance.end_date,
            "reason": instance.reason,
        }
        merged = {**current, **data}
        return suspension_save(
            user=self.request.user, suspension=instance, deputy=merged.get("deputy"),
            start_date=merged.get("start_date"), end_date=merged.get("end_date"), reason=merged.get("reason", ""),
        )

    def delete_record(self, instance) -> None:
        suspension_delete(user=self.request.user, suspension=instance)


# --- users15: user accounts (/api/v1/users/, the administrator's) -------------------------------------------
class AdministerPermission(permissions.BasePermission):
    """Every method, reads included, is the administrator's (act `administer`): anyone else gets a 403."""

    message = users.DENIED

    def has_permission(self, request, view) -> bool:
        return allows(request.user, "administer")


class UserViewSet(ScopedModelViewSet):
    """用户账户: the administrator creates, changes and deactivates (PATCH is_active=false) accounts; an account is
    never deleted (the audit log and the records' history name it)."""

    selector = staticmethod(users.user_list)
    serializer_class = UserSerializer
    filterset_class = UserFilterSet
    permission_classes = [permissions.IsAuthenticated, AdministerPermission, ScopedWritePermission]
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def can_write_any(self, scope) -> bool:
        return allows(scope, "administer")

    def can_write(self, scope, obj) -> bool:
        return allows(scope, "administer") and (scope.is_superuser or not obj.is_superuser)

    def save_record(self, instance, data):
        if instance is None:
            return users.user_create(actor=self.request.user, **data)
        return users.user_update(actor=self.request.user, user=instance, **data)
