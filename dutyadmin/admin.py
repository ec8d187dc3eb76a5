"""Django admin, scoped like every other client: get_queryset goes through the selectors."""
from django.contrib import admin
from django.core.exceptions import PermissionDenied, ValidationError
from simple_history.admin import SimpleHistoryAdmin

from dutyadmin.models import AuditEvent
from dutyadmin.permissions import allows
from dutyadmin.services import record_delete

admin_site_header = "东城区人大代表履职管理系统"


class PolicyAdminMixin:
    """The Django admin is the act `administer` of dutyadmin.permissions, on top of Django's model permissions."""

    def has_module_permission(self, request) -> bool:
        return allows(request.user, "administer") and super().has_module_permission(request)

    def has_view_permission(self, request, obj=None) -> bool:
        return allows(request.user, "administer") and super().has_view_permission(request, obj)

    def has_add_permission(self, request, *args) -> bool:
        return allows(request.user, "administer") and super().has_add_permission(request, *args)

    def has_change_permission(self, request, obj=None) -> bool:
        return allows(request.user, "administer") and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None) -> bool:
        return allows(request.user, "administer") and super().has_delete_permission(request, obj)


class ScopedAdmin(PolicyAdminMixin, SimpleHistoryAdmin):
    """Lists only what the user's selector returns; saves through the shared write path."""

    selector = None  # a selector function (*, user) -> QuerySet

    def get_queryset(self, request):
        if self.selector is None:
            return super().get_queryset(request)
        return type(self).selector(user=request.user)

    def delete_model(self, request, obj):
        try:
            record_delete(obj, user=request.user)
        except (PermissionDenied, ValidationError) as exc:
            self.message_user(request, str(exc), level="error")


# --- audit15: the audit log, read-only in the admin
@admin.register(AuditEvent)
class AuditEventAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "username", "ip", "method", "path")
    list_filter = ("kind",)
    search_fields = ("username", "path", "ip")
    date_hierarchy = "at"
    readonly_fields = ("at", "kind", "user", "username", "ip", "user_agent", "path", "method", "detail")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
