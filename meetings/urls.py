"""Pages of meetings: contributions (lists and forms)."""
from django.urls import path

from . import views

app_name = "meetings"

urlpatterns = [
    path("contributions/", views.contribution_list_view, name="contribution_list"),
    path("contributions/new/", views.contribution_create_view, name="contribution_create"),
    path("contributions/<int:pk>/edit/", views.contribution_edit_view, name="contribution_edit"),
]
