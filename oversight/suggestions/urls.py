"""Pages of deputies' suggestions (app namespace `suggestions`): each helper's paths in its own block."""
from django.urls import path

from . import views_office, views_unit

app_name = "suggestions"

urlpatterns = [
    # --- sgoffice: the liaison office's work list, bulk assignment and close, handling units; the unit's list ---
    path("", views_office.suggestion_list_view, name="list"),
    path("assign/", views_office.assign_bulk_view, name="assign_bulk"),
    path("close/", views_office.close_bulk_view, name="close_bulk"),
    path("units/", views_office.units_view, name="units"),
    path("units/<int:pk>/", views_office.unit_edit_view, name="unit_edit"),
    path("units/<int:pk>/delete/", views_office.unit_delete_view, name="unit_delete"),
    path("assigned/", views_unit.unit_list_view, name="unit_list"),
]
