"""Pages of constituents' opinions (app namespace `opinions`, under /opinions/)."""
from django.urls import path

from . import views

app_name = "opinions"

urlpatterns = [
    path("", views.opinion_list_view, name="list"),
    path("statistics/", views.statistics_view, name="statistics"),
    path("receptions/<int:activity>/", views.reception_opinions_view, name="reception"),
    path("new/", views.opinion_visit_view, name="visit"),  # --- gaps14b
    path("<int:pk>/edit/", views.opinion_edit_view, name="edit"),  # --- gaps14b
    path("<int:pk>/delete/", views.opinion_delete_view, name="delete"),  # --- gaps14b
    path("<int:pk>/", views.opinion_detail_view, name="detail"),
    path("<int:pk>/forward/", views.opinion_forward_view, name="forward"),
    path("<int:pk>/reply/", views.opinion_reply_view, name="reply"),
    path("<int:pk>/close/", views.opinion_close_view, name="close"),
]
