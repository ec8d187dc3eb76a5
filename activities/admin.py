from django.contrib import admin

from dutyadmin.admin import ScopedAdmin

from . import selectors
from .models import Activity, Participation


@admin.register(Activity)
class ActivityAdmin(ScopedAdmin):
    selector = selectors.activity_list
    list_display = ["title", "kind", "date", "organizer_level", "street_committee"]
    list_filter = ["kind", "organizer_level", "street_committee"]
    search_fields = ["title", "location"]


@admin.register(Participation)
class ParticipationAdmin(ScopedAdmin):
    selector = selectors.participation_list
    list_display = ["activity", "deputy", "confirmed", "outcome"]
    list_filter = ["outcome", "confirmed"]
    raw_id_fields = ["activity", "deputy"]
