"""A10.5 pages (app namespace `contacts`, under /contacts/)."""
from django.urls import path

from . import views

app_name = "contacts"

urlpatterns = [
    path("", views.my_contacts_view, name="mine"),
    path("assignments/", views.assignments_view, name="assignments"),
    path("assignments/<int:member_id>/", views.assignment_edit_view, name="assignment_edit"),
]
