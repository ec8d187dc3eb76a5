from django.contrib import admin

from dutyadmin.admin import ScopedAdmin

from . import selectors
from .models import Attendance, CongressSession, Contribution, LeaveApprovalStep, LeaveRequest, Meeting


@admin.register(CongressSession)
class CongressSessionAdmin(ScopedAdmin):
    selector = selectors.session_list
    list_display = ["name", "term", "number", "start_date", "end_date"]


@admin.register(Meeting)
class MeetingAdmin(ScopedAdmin):
    selector = selectors.meeting_list
    list_display = ["title", "session", "kind", "date", "half_day"]
    list_filter = ["session", "kind"]


@admin.register(Attendance)
class AttendanceAdmin(ScopedAdmin):
    selector = selectors.attendance_records
    list_display = ["meeting", "deputy", "status"]
    list_filter = ["status", "meeting__session"]
    raw_id_fields = ["meeting", "deputy"]


class LeaveApprovalStepInline(admin.TabularInline):
    model = LeaveApprovalStep
    extra = 0
    readonly_fields = ["order", "code", "role", "status", "acted_by", "acted_at", "comment"]
    can_delete = False


@admin.register(LeaveRequest)
class LeaveRequestAdmin(ScopedAdmin):
    selector = selectors.leave_request_list
    list_display = ["deputy", "session", "route", "status", "created_at"]
    list_filter = ["route", "status", "session"]
    raw_id_fields = ["deputy"]
    inlines = [LeaveApprovalStepInline]
    readonly_fields = ["status"]


@admin.register(Contribution)
class ContributionAdmin(ScopedAdmin):
    selector = selectors.contribution_list
    list_display = ["title", "deputy", "kind", "session", "date"]
    list_filter = ["kind", "session"]
    raw_id_fields = ["deputy"]
