"""Pages of deputies' suggestions (app namespace `suggestions`, under /suggestions/). Each helper's pages sit in
a block named after its branch; add yours at the end of the list."""
from django.urls import path

from . import views_deputy, views_detail, views_office, views_stats, views_unit

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
    path("<int:pk>/chase/", views_detail.suggestion_chase_view, name="chase"),
    path("<int:pk>/attachments/<int:attachment>/", views_detail.suggestion_attachment_view, name="attachment"),
    # sgstats: 建议办理统计
    path("statistics/", views_stats.statistics_view, name="statistics"),
]
