"""Pages of suggestions (app namespace `suggestions`); each helper's paths in a block of its own."""
from django.urls import path

from . import views_stats

app_name = "suggestions"

urlpatterns = [
    # sgstats: 建议办理统计
    path("statistics/", views_stats.statistics_view, name="statistics"),
]
