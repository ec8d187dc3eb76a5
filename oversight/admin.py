from django.contrib import admin

from deputies.models import Term
from deputies.selectors import term_list
from dutyadmin.admin import ScopedAdmin

from .findings.forms import TERM_ADMIN_FIELDSETS, TermAdminForm
from .interventions import selectors
from .models import Intervention


@admin.register(Term)
class TermAdmin(ScopedAdmin):
    """A term; here, beside the rules, because its form edits their thresholds."""

    selector = term_list
    list_display = ["number", "name", "start_date", "end_date"]
    # Thresholds as one positive whole-number field each, with their Chinese names (not raw JSON).
    form = TermAdminForm
    fieldsets = TERM_ADMIN_FIELDSETS


@admin.register(Intervention)
class InterventionAdmin(ScopedAdmin):
    selector = selectors.intervention_list
    list_display = ["deputy", "rule", "kind", "date", "conducted_by"]
    list_filter = ["rule", "kind"]
    raw_id_fields = ["deputy"]
