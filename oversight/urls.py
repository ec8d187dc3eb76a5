"""Pages of oversight: findings, one deputy's findings, data checks, interventions (lists and forms)."""
from django.urls import path

from .findings import views as finding_views
from .handbook import views as handbook_views
from .holidays import views as holiday_views
from .interventions import views as intervention_views
from .notifications import views as notification_views
from .review import views as review_views
from .thresholds import views as threshold_views

app_name = "oversight"

urlpatterns = [
    path("findings/", finding_views.finding_list_view, name="finding_list"),
    path("mine/", finding_views.my_findings_view, name="mine"),
    path("deputies/<int:pk>/", finding_views.deputy_findings_view, name="deputy_findings"),
    path("data-checks/", finding_views.data_check_list_view, name="data_check_list"),
    path("interventions/", intervention_views.intervention_list_view, name="intervention_list"),
    path("interventions/new/", intervention_views.intervention_create_view, name="intervention_create"),
    path("interventions/<int:pk>/edit/", intervention_views.intervention_edit_view, name="intervention_edit"),
    # 履职手册 and the year-end review (Art. 8(二))
    path("handbook/", handbook_views.my_handbook_view, name="my_handbook"),
    path("deputies/<int:pk>/handbook/", handbook_views.handbook_view, name="handbook"),
    path("deputies/<int:pk>/handbook.pdf", handbook_views.handbook_pdf_view, name="handbook_pdf"),
    path("reviews/", review_views.review_board_view, name="review_board"),
    path("reviews/<int:term>/<int:year>/<int:street>/", review_views.review_street_view, name="review_street"),
    path("reviews/<int:term>/<int:year>/<int:street>/approve/", review_views.review_approve_view,
         name="review_approve"),
    # 履职阈值: a term's thresholds over time (the liaison office)
    path("thresholds/", threshold_views.thresholds_view, name="thresholds"),
    path("thresholds/changes/<int:pk>/delete/", threshold_views.threshold_change_delete_view,
         name="threshold_change_delete"),
    # Notifications: inbox, preferences, the staff's sent log
    path("notifications/", notification_views.inbox_view, name="notification_inbox"),
    path("notifications/preferences/", notification_views.preferences_view, name="notification_preferences"),
    path("notifications/sent/", notification_views.sent_log_view, name="notification_log"),
    path("notifications/unread/", notification_views.unread_view, name="notification_unread"),
    # 法定节假日安排 (branch holidays): the years the clocks' calendar knows; a year entered from the State Council's notice
    path("holidays/", holiday_views.holidays_view, name="holidays"),
    path("holidays/<int:year>/", holiday_views.holiday_edit_view, name="holiday_edit"),
    path("holidays/<int:year>/delete/", holiday_views.holiday_delete_view, name="holiday_delete"),
]
