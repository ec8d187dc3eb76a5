"""Celery tasks of the application itself: Excel exports (thin: a job id in, the exporter does the work)."""
from __future__ import annotations

import datetime as dt
import logging
import threading
import time

from celery import shared_task
from django.core.files import File
from django.db import connection, transaction
from django.utils import timezone

from . import audit
from .exporters import registry, render_to_tempfile
from .models import ExportJob, ExportStatus

log = logging.getLogger(__name__)
PROGRESS_EVERY = 0.5  # seconds between two progress writes: the page polls, the database need not hear each row
KEEP_DAYS = 7


@shared_task(name="dutyadmin.export_run")
def export_run(job_id: int) -> str:
    """Render one ExportJob's spreadsheet, recording progress on the job; the file is the user's only."""
    job = ExportJob.objects.select_related("user").filter(pk=job_id).first()
    if job is None or job.status != ExportStatus.QUEUED:
        return "skipped"
    exporter_class = registry.get(job.identifier)
    if exporter_class is None:
        return _fail(job, "未知的导出类型。")
    exporter = exporter_class(user=job.user, params=job.params, today=timezone.localdate(job.created_at))
    if not exporter.is_valid():
        problems = ";".join(f"{name}: {'、'.join(messages)}" for name, messages in exporter.errors().items())
        return _fail(job, f"导出条件无效:{problems}")
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, progress=0)
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY:
            last[0] = now
            percent = min(99, int(100 * done / total)) if total else 0
            ExportJob.objects.filter(pk=job.pk).update(progress=percent, rows=done)

    try:
        out, rows = render_to_tempfile(exporter, progress)
    except Exception:  # noqa: BLE001 - a failed export must say so on its page, not stay "running"
        log.exception("export %s (%s) failed", job.pk, job.identifier)
        return _fail(job, "生成文件时出错,请稍后重试或联系系统管理员。")
    with out:
        job.filename = exporter.filename()
        job.file.save(f"{job.pk}.xlsx", File(out), save=False)
    job.status, job.progress, job.rows, job.finished_at = ExportStatus.DONE, 100, rows, timezone.now()
    job.save(update_fields=["filename", "file", "status", "progress", "rows", "finished_at"])
    return "done"


def _fail(job: ExportJob, message: str) -> str:
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.FAILED, error=message, finished_at=timezone.now())
    return "failed"


def export_start(job: ExportJob) -> None:
    """Send the job to the workers once it is committed. With tasks in-process (no Redis: eager mode) or the
    broker down, the export runs in a thread of the web process: the POST that asked is answered at once
    with the job page, which shows the progress while the file is made."""
    transaction.on_commit(lambda: _send(job.pk))


def _send(job_id: int) -> None:
    if export_run.app.conf.task_always_eager:
        run_in_background(job_id)
        return
    try:
        export_run.apply_async((job_id,), retry=False)
    except Exception as exc:  # noqa: BLE001 - kombu/redis errors of every kind
        # The broker is down: the user still gets the file, made in this process.
        log.warning("export %s runs in the web process, broker unavailable: %s", job_id, exc)
        run_in_background(job_id)


def run_in_background(job_id: int) -> threading.Thread:
    """Run the export in a thread of this process (not in the request that asked for it)."""
    thread = threading.Thread(target=_run_here, args=(job_id,), name=f"export-{job_id}", daemon=True)
    thread.start()
    return thread


def _run_here(job_id: int) -> None:
    try:
        export_run.apply((job_id,))  # in this thread, as a worker would run it (failures end on the job)
    except Exception:  # noqa: BLE001 - nobody waits on this thread: say it in the log
        log.exception("export %s failed in the web process", job_id)
        _fail(ExportJob(pk=job_id), "生成文件时出错,请稍后重试或联系系统管理员。")
    finally:
        connection.close()  # the thread's own database connection


@shared_task(name="dutyadmin.export_jobs_purge")
def export_jobs_purge(days: int = KEEP_DAYS) -> int:
    """Delete export jobs and their files after some days: a spreadsheet of personal data is not kept."""
    old = ExportJob.objects.filter(created_at__lt=timezone.now() - dt.timedelta(days=days))
    count = 0
    for job in old:
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count


# --- audit15: the audit log's retention


@shared_task(name="dutyadmin.audit_prune")
def audit_prune() -> int:
    """Delete the audit events older than AUDIT_RETENTION_DAYS (beat: daily)."""
    return audit.prune()
