"""Pages of oversight: interventions (lists and forms)."""
from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("interventions/", views.intervention_list_view, name="intervention_list"),
    path("interventions/new/", views.intervention_create_view, name="intervention_create"),
    path("interventions/<int:pk>/edit/", views.intervention_edit_view, name="intervention_edit"),
]
