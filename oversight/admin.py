from django.contrib import admin
from simple_history.template_utils import HistoricalRecordContextHelper

from deputies.models import Term
from deputies.selectors import term_list
from dutyadmin.admin import ScopedAdmin

from .findings.forms import TERM_ADMIN_FIELDSETS, TermAdminForm
from .interventions import selectors
from .models import Intervention, PublicDutySettings, Suggestion, SuggestionEvent, SuggestionReply
from .suggestions import selectors as suggestion_selectors
from .rules.catalog import THRESHOLD_LABELS


class ThresholdHistoryHelper(HistoricalRecordContextHelper):
    """A term's versions in the admin's history: thresholds as the changed keys in words, not a cut dict repr."""

    def stringify_delta_change_values(self, change, old, new):
        if isinstance(old, dict) and isinstance(new, dict):
            keys = [key for key in dict.fromkeys([*old, *new]) if old.get(key) != new.get(key)]
            return ("、".join(f"{THRESHOLD_LABELS.get(k, k)} {old.get(k, '—')}" for k in keys),
                    "、".join(f"{THRESHOLD_LABELS.get(k, k)} {new.get(k, '—')}" for k in keys))
        return super().stringify_delta_change_values(change, old, new)


@admin.register(Term)
class TermAdmin(ScopedAdmin):
    """A term; here, beside the rules, because its form edits their thresholds."""

    selector = term_list
    list_display = ["number", "name", "start_date", "end_date"]
    # Thresholds as one positive whole-number field each, with their Chinese names (not raw JSON).
    form = TermAdminForm
    fieldsets = TERM_ADMIN_FIELDSETS

    def get_historical_record_context_helper(self, request, historical_record):
        return ThresholdHistoryHelper(self.model, historical_record)


@admin.register(Intervention)
class InterventionAdmin(ScopedAdmin):
    selector = selectors.intervention_list
    list_display = ["deputy", "rule", "kind", "date", "conducted_by", "published"]
    list_filter = ["rule", "kind"]
    raw_id_fields = ["deputy"]


class SuggestionReplyInline(admin.TabularInline):
    model = SuggestionReply
    extra = 0
    can_delete = False
    fields = ["rehandling", "date", "unit", "resolution", "text", "satisfaction", "evaluated_on"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class SuggestionEventInline(admin.TabularInline):
    model = SuggestionEvent
    extra = 0
    can_delete = False
    fields = ["at", "actor", "action", "before_status", "after_status", "date", "note"]
    readonly_fields = fields

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Suggestion)
class SuggestionAdmin(ScopedAdmin):
    """Read and correct texts only: the status and the clocks change through the services' steps."""

    selector = staticmethod(suggestion_selectors.suggestion_list)
    list_display = ["title", "lead_deputy", "status", "lead_unit", "assigned_on", "due_date", "replied_on"]
    list_filter = ["term", "status", "extended"]
    search_fields = ["title", "lead_deputy__name"]
    raw_id_fields = ["lead_deputy", "cosigners", "contribution"]
    readonly_fields = [
        "status", "lead_unit", "co_units", "assigned_on", "due_date", "extended", "extension_reason",
        "first_replied_on", "replied_on", "reply_text", "resolution", "satisfaction", "evaluation_comment",
        "evaluated_on", "feedback_due", "rehandling_due", "closed_on", "close_note", "created_by", "created_at",
    ]
    inlines = [SuggestionReplyInline, SuggestionEventInline]

    def has_add_permission(self, request) -> bool:
        return False  # a suggestion starts with suggestion_submit (its contribution comes with it)

    def has_delete_permission(self, request, obj=None) -> bool:
        return False  # withdrawn, never deleted


# --- public: the liaison office's switches for the public duty pages
@admin.register(PublicDutySettings)
class PublicDutySettingsAdmin(admin.ModelAdmin):
    list_display = ["__str__", "enabled", "show_unit", "show_position"]
