"""Excel exports: the list, one export's form, a job's progress and download."""
from django.urls import path

from . import export_views as views

app_name = "exports"

urlpatterns = [
    path("", views.export_index_view, name="index"),
    path("jobs/<int:pk>/", views.export_job_view, name="job"),
    path("jobs/<int:pk>/status/", views.export_job_status_view, name="job_status"),
    path("jobs/<int:pk>/download/", views.export_download_view, name="download"),
    path("<slug:identifier>/", views.export_form_view, name="form"),
]
