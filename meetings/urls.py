"""Pages of meetings: sessions and their meetings, attendance sheets, absence bulletins, leave
requests (ask, act, inbox, backfill) and contributions (list, forms, review)."""
from django.urls import path

from oversight.attendance import views as attendance_views  # wiring: these pages read the classification

from . import checkin, leave_views, session_views, views

app_name = "meetings"

urlpatterns = [
    # Sessions, meetings, attendance, bulletins
    path("sessions/", session_views.session_list_view, name="session_list"),
    path("sessions/new/", session_views.session_create_view, name="session_create"),
    path("sessions/<int:pk>/", attendance_views.session_detail_view, name="session_detail"),
    path("sessions/<int:pk>/edit/", session_views.session_edit_view, name="session_edit"),
    path("sessions/<int:pk>/meetings/new/", session_views.meeting_create_view, name="meeting_create"),
    path("sessions/<int:pk>/bulletin/", attendance_views.bulletin_view, name="bulletin"),
    path("sessions/<int:pk>/bulletin.xlsx", attendance_views.bulletin_xlsx_view, name="bulletin_xlsx"),
    path("meeting/<int:pk>/edit/", session_views.meeting_edit_view, name="meeting_edit"),
    path("meeting/<int:pk>/attendance/", attendance_views.attendance_sheet_view, name="attendance_sheet"),
    # Leave
    path("leave/", leave_views.leave_list_view, name="leave_list"),
    path("leave/new/", leave_views.leave_create_view, name="leave_create"),
    path("leave/inbox/", leave_views.leave_inbox_view, name="leave_inbox"),
    path("leave/backfill/", leave_views.leave_backfill_view, name="leave_backfill"),
    path("leave/<int:pk>/", leave_views.leave_detail_view, name="leave_detail"),
    path("leave/<int:pk>/edit/", leave_views.leave_edit_view, name="leave_edit"),
    path("leave/<int:pk>/act/", leave_views.leave_action_view, name="leave_action"),
    path("leave/<int:pk>/certificate/", leave_views.leave_certificate_view, name="leave_certificate"),
    # Contributions
    path("contributions/", views.contribution_list_view, name="contribution_list"),
    path("contributions/new/", views.contribution_create_view, name="contribution_create"),
    path("contributions/mine/new/", views.contribution_self_create_view, name="contribution_self_create"),
    path("contributions/review/", views.contribution_review_view, name="contribution_review"),
    path("contributions/<int:pk>/edit/", views.contribution_edit_view, name="contribution_edit"),
    path("contributions/<int:pk>/confirm/", views.contribution_confirm_view, name="contribution_confirm"),
    path("contributions/<int:pk>/return/", views.contribution_return_view, name="contribution_return"),
    # --- checkin: the printable check-in code and a deputy's scan (自助签到)
    path("meeting/<int:pk>/checkin-code/", checkin.meeting_checkin_code_view, name="checkin_code"),
    path("meeting/<int:pk>/checkin/<str:token>/", checkin.meeting_checkin_view, name="checkin"),
]
