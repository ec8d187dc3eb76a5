"""Pages of oversight: findings, one deputy's findings, data checks, interventions (lists and forms)."""
from django.urls import path

from . import views

app_name = "oversight"

urlpatterns = [
    path("findings/", views.finding_list_view, name="finding_list"),
    path("mine/", views.my_findings_view, name="mine"),
    path("deputies/<int:pk>/", views.deputy_findings_view, name="deputy_findings"),
    path("data-checks/", views.data_check_list_view, name="data_check_list"),
    path("interventions/", views.intervention_list_view, name="intervention_list"),
    path("interventions/new/", views.intervention_create_view, name="intervention_create"),
    path("interventions/<int:pk>/edit/", views.intervention_edit_view, name="intervention_edit"),
]
