"""/api/v1/ paths of the computed oversight resources (the interventions viewset is on the shared router)."""
from django.urls import path

from .views import DataCheckListView, DeputyHandbookView, FindingListView

urlpatterns = [
    path("findings/", FindingListView.as_view(), name="finding-list"),
    path("data-checks/", DataCheckListView.as_view(), name="data-check-list"),
    path("deputies/<int:pk>/handbook/", DeputyHandbookView.as_view(), name="deputy-handbook"),
]
