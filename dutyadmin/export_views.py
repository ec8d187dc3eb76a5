"""Pages of the Excel exports: the list of exports a user may run, one export's parameters (the list page's
filters, prefilled from the query string), a job's progress (polled as JSON) and its download.

A job and its file belong to the user who asked: anyone else gets a 404.
"""
from __future__ import annotations

from urllib.parse import quote

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from dutyadmin.scope import scope_for

from .audit import record as audit_record
from .exporters import registry
from .models import ExportJob, ExportStatus
from .tasks import export_start

RECENT_JOBS = 10


@login_required
def export_index_view(request: HttpRequest) -> HttpResponse:
    """The exports the user's role may run, and their latest jobs."""
    scope = scope_for(request.user)
    exporters = registry.for_scope(scope)
    if not exporters:
        raise PermissionDenied(_("您的角色不能导出 Excel。"))
    jobs = ExportJob.objects.filter(user=request.user)[:RECENT_JOBS]
    names = {e.identifier: e.verbose_name for e in registry.all()}
    return render(request, "exports/index.html", {
        "section": "exports", "exporters": exporters,
        "jobs": [{"job": job, "name": names.get(job.identifier, job.identifier)} for job in jobs],
    })


def _exporter_class(request: HttpRequest, identifier: str):
    exporter_class = registry.get(identifier)
    if exporter_class is None:
        raise Http404(_("没有这种导出。"))
    if not exporter_class.available(scope_for(request.user)):
        raise PermissionDenied(_("您的角色不能使用这项导出。"))
    return exporter_class


@login_required
def export_form_view(request: HttpRequest, identifier: str) -> HttpResponse:
    """GET: the export's parameters (filters prefilled from the list page's query); POST: start the job."""
    exporter_class = _exporter_class(request, identifier)
    params = request.POST if request.method == "POST" else request.GET
    exporter = exporter_class(user=request.user, params=params)
    status = 200
    if request.method == "POST":
        if exporter.is_valid():
            job = ExportJob.objects.create(user=request.user, identifier=identifier, params=exporter.params())
            audit_record("export", request=request, job_id=job.pk, exporter=identifier,
                         name=str(exporter_class.verbose_name), filters=job.params)
            export_start(job)
            return redirect("exports:job", pk=job.pk)
        status = 400
    elif request.GET and not exporter.is_valid():
        status = 400
    return render(request, "exports/form.html", {
        "section": "exports", "exporter": exporter, "fields": exporter.fields(),
        "errors": exporter.errors() if (request.method == "POST" or request.GET) else {},
        "non_field_errors": [*exporter.form.non_field_errors()],
    }, status=status)


def _own_job(request: HttpRequest, pk: int) -> ExportJob:
    return get_object_or_404(ExportJob, pk=pk, user=request.user)


def _job_json(job: ExportJob) -> dict:
    return {
        "id": job.pk, "status": job.status, "status_label": job.get_status_display(), "progress": job.progress,
        "rows": job.rows, "error": job.error,
        "download_url": reverse("exports:download", args=[job.pk]) if job.status == ExportStatus.DONE else "",
    }


@login_required
def export_job_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A job's progress; the page polls the status endpoint until the file is ready."""
    job = _own_job(request, pk)
    exporter_class = registry.get(job.identifier)
    return render(request, "exports/job.html", {
        "section": "exports", "job": job, "name": exporter_class.verbose_name if exporter_class else job.identifier,
        "state": _job_json(job),
    })


@login_required
def export_job_status_view(request: HttpRequest, pk: int) -> JsonResponse:
    """{status, progress, rows, error, download_url} of the user's own job."""
    return JsonResponse(_job_json(_own_job(request, pk)))


@login_required
def export_download_view(request: HttpRequest, pk: int) -> FileResponse:
    """The finished spreadsheet, to the user who asked for it only."""
    job = _own_job(request, pk)
    if job.status != ExportStatus.DONE or not job.file:
        raise Http404(_("文件尚未生成或已被清理。"))
    try:
        handle = job.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("文件已被清理,请重新导出。")) from exc
    response = FileResponse(handle, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = job.filename or f"export-{job.pk}.xlsx"
    response["Content-Disposition"] = f"attachment; filename=\"export-{job.pk}.xlsx\"; filename*=UTF-8''{quote(name)}"
    return response
