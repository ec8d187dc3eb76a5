"""Pages of deputies' suggestions (app namespace `suggestions`, under /suggestions/). Each helper's pages sit in
a block named after its branch; add yours at the end of the list."""
from django.urls import path

from . import views_deputy, views_detail

app_name = "suggestions"

urlpatterns = [
    # --- sgpages: one suggestion's page and its steps; the deputy's pages ----------------------------------
    path("mine/", views_deputy.my_suggestions_view, name="mine"),
    path("submit/", views_deputy.suggestion_submit_view, name="submit"),
    path("<int:pk>/", views_detail.suggestion_detail_view, name="detail"),
    path("<int:pk>/assign/", views_detail.suggestion_assign_view, name="assign"),
    path("<int:pk>/extend/", views_detail.suggestion_extend_view, name="extend"),
    path("<int:pk>/reply/", views_detail.suggestion_reply_view, name="reply"),
    path("<int:pk>/evaluate/", views_detail.suggestion_evaluate_view, name="evaluate"),
    path("<int:pk>/close/", views_detail.suggestion_close_view, name="close"),
    path("<int:pk>/withdraw/", views_detail.suggestion_withdraw_view, name="withdraw"),
    path("<int:pk>/attachments/<int:attachment>/", views_detail.suggestion_attachment_view, name="attachment"),
]
