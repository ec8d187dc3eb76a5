from django.urls import path

from . import views

app_name = "calendar"

urlpatterns = [
    path("", views.calendar_page_view, name="page"),
    path("reset/", views.calendar_reset_view, name="reset"),
    path("revoke/", views.calendar_revoke_view, name="revoke"),
    path("deputies/<int:pk>/revoke/", views.deputy_calendar_revoke_view, name="deputy_revoke"),
    path("<str:token>.ics", views.calendar_feed_view, name="feed"),
]
