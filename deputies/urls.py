"""Pages of deputies: the list, one deputy's page and history, the profile form."""
from django.urls import path

from oversight import profile_views

from . import views

app_name = "deputies"

urlpatterns = [
    path("", views.deputy_list_view, name="list"),
    path("mine/", views.deputy_mine_view, name="mine"),
    path("new/", views.deputy_create_view, name="create"),
    path("<int:pk>/", profile_views.deputy_detail_view, name="detail"),
    path("<int:pk>/edit/", views.deputy_edit_view, name="edit"),
    path("<int:pk>/history/", profile_views.deputy_history_view, name="history"),
]
