"""Pages of closed-period activities, personal registration and the spreadsheet import."""
from django.urls import path

from . import checkin, views

app_name = "activities"

urlpatterns = [
    path("", views.activity_list_view, name="list"),
    path("new/", views.activity_create_view, name="create"),
    path("mine/", views.my_activities_view, name="mine"),
    path("invitations/", views.my_invitations_view, name="my_invitations"),
    path("invitations/<int:pk>/answer/", views.invitation_answer_view, name="answer_invitation"),
    path("<int:pk>/", views.activity_detail_view, name="detail"),
    path("<int:pk>/edit/", views.activity_edit_view, name="edit"),
    path("<int:pk>/delete/", views.activity_delete_view, name="delete"),
    path("<int:pk>/invite/", views.activity_invite_view, name="invite"),
    path("<int:pk>/participations/", views.participation_edit_view, name="participations"),
    path("<int:pk>/materials/", views.material_upload_view, name="material_upload"),
    path("materials/<int:pk>/", views.material_download_view, name="material_download"),
    path("materials/<int:pk>/delete/", views.material_delete_view, name="material_delete"),
    path("self/", views.self_registration_list_view, name="self_list"),
    path("self/new/", views.self_registration_create_view, name="self_create"),
    path("self/<int:pk>/", views.self_registration_detail_view, name="self_detail"),
    path("self/<int:pk>/edit/", views.self_registration_edit_view, name="self_edit"),
    path("self/<int:pk>/approve/", views.self_registration_approve_view, name="self_approve"),
    path("self/<int:pk>/return/", views.self_registration_return_view, name="self_return"),
    path("reviews/", views.review_list_view, name="review_list"),
    path("import/", views.import_list_view, name="import_list"),
    path("import/template/", views.import_template_view, name="import_template"),
    path("import/<int:pk>/", views.import_detail_view, name="import_detail"),
    path("import/<int:pk>/confirm/", views.import_confirm_view, name="import_confirm"),
    path("import/<int:pk>/file/", views.import_file_view, name="import_file"),
    # --- checkin: the printable check-in code and a deputy's scan (自助签到)
    path("<int:pk>/checkin-code/", checkin.activity_checkin_code_view, name="checkin_code"),
    path("<int:pk>/checkin/<str:token>/", checkin.activity_checkin_view, name="checkin"),
]
