from django.contrib import admin

from dutyadmin.admin import ScopedAdmin

from .interventions import selectors
from .models import Intervention


@admin.register(Intervention)
class InterventionAdmin(ScopedAdmin):
    selector = selectors.intervention_list
    list_display = ["deputy", "rule", "kind", "date", "conducted_by"]
    list_filter = ["rule", "kind"]
    raw_id_fields = ["deputy"]
