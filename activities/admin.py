from django.contrib import admin

from dutyadmin.admin import PolicyAdminMixin, ScopedAdmin

from . import selectors
from .models import Activity, ActivityImport, ActivityMaterial, Participation, SelfRegistration


class ActivityMaterialInline(admin.TabularInline):
    model = ActivityMaterial
    extra = 0
    fields = ["name", "file_type", "size", "uploaded_by", "uploaded_at"]
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False  # uploads go through the activity page, which checks type and size


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    selector = selectors.activity_list
    list_display = ["title", "kind", "date", "organizer_level", "street_committee"]
    list_filter = ["kind", "organizer_level", "street_committee"]
    search_fields = ["title", "location"]
    inlines = [ActivityMaterialInline]


@admin.register(Participation)
class ParticipationAdmin(ScopedAdmin):
    selector = selectors.participation_list
    list_display = ["activity", "deputy", "confirmed", "outcome"]
    list_filter = ["outcome", "confirmed"]
    raw_id_fields = ["activity", "deputy"]


@admin.register(SelfRegistration)
class SelfRegistrationAdmin(ScopedAdmin):
    selector = selectors.self_registration_list
    list_display = ["title", "deputy", "kind", "date", "status", "reviewed_by", "reviewed_at"]
    list_filter = ["status", "kind"]
    search_fields = ["title", "deputy__name"]
    raw_id_fields = ["deputy", "activity"]
    readonly_fields = ["status", "submitted_at", "submitted_by", "reviewed_by", "reviewed_at", "activity"]


@admin.register(ActivityImport)
class ActivityImportAdmin(PolicyAdminMixin, admin.ModelAdmin):
    """Read-only: the kept files and their outcome (no history: an import's rows carry their own)."""
    list_display = ["original_name", "user", "street_committee", "created_at", "status", "row_count",
                    "activity_count", "participation_count"]
    list_filter = ["status"]
    readonly_fields = ["file", "original_name", "user", "street_committee", "created_at", "imported_at", "status",
                       "row_count", "activity_count", "participation_count", "errors", "summary"]

    def get_queryset(self, request):
        return selectors.activity_import_list(user=request.user)

    def has_add_permission(self, request) -> bool:
        return False  # imports go through the upload page, which checks the file
