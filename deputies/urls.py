"""Pages of deputies: the list, one deputy's page and history, the profile form, the deputy's suspensions."""
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
    path("<int:pk>/suspensions/new/", views.suspension_create_view, name="suspension_create"),
    path("<int:pk>/suspensions/<int:suspension_pk>/edit/", views.suspension_edit_view, name="suspension_edit"),
    path("<int:pk>/suspensions/<int:suspension_pk>/end/", views.suspension_end_view, name="suspension_end"),
    path("<int:pk>/suspensions/<int:suspension_pk>/delete/", views.suspension_delete_view, name="suspension_delete"),
]
