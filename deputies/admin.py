from django.contrib import admin

from dutyadmin.admin import ScopedAdmin, admin_site_header
from dutyadmin.admin import PolicyAdminMixin

from . import selectors
from .models import ContactAssignment, Delegation, Deputy, HandlingUnit, StreetCommittee, UserScope

admin.site.site_header = admin.site.site_title = admin_site_header

# The Term admin is registered by oversight/admin.py: its form edits the rules' thresholds.


@admin.register(StreetCommittee)
class StreetCommitteeAdmin(ScopedAdmin):
    selector = selectors.street_committee_list
    list_display = ["code", "name"]
    search_fields = ["name", "code"]


@admin.register(HandlingUnit)
class HandlingUnitAdmin(ScopedAdmin):
    list_display = ["code", "name", "kind"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(Delegation)
class DelegationAdmin(ScopedAdmin):
    selector = selectors.delegation_list
    list_display = ["name", "term", "head"]
    list_filter = ["term"]
    autocomplete_fields = ["head"]


@admin.register(Deputy)
class DeputyAdmin(ScopedAdmin):
    selector = selectors.deputy_list
    list_display = ["name", "gender", "street_committee", "delegation", "status", "service_start", "service_end"]
    list_filter = ["term", "street_committee", "status"]
    search_fields = ["name", "unit", "constituency"]


@admin.register(ContactAssignment)
class ContactAssignmentAdmin(ScopedAdmin):
    selector = selectors.contact_assignment_list
    list_display = ["member_display", "deputy", "term"]
    autocomplete_fields = ["deputy"]


@admin.register(UserScope)
class UserScopeAdmin(PolicyAdminMixin, admin.ModelAdmin):
    list_display = ["user", "street_committee", "delegation", "deputy", "handling_unit"]
    autocomplete_fields = ["deputy"]
