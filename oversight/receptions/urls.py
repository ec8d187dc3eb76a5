"""A10.6 pages (app namespace `receptions`, under /receptions/)."""
from django.urls import path

from . import views

app_name = "receptions"

urlpatterns = [
    path("", views.year_view, name="year"),
    path("<int:activity>/", views.reception_view, name="reception"),
    path("recommendations/<int:pk>/withdraw/", views.withdraw_view, name="withdraw"),
]
