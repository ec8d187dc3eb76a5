"""Shared records of the application itself (not of the regulation): export jobs."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class ExportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    RUNNING = "running", "生成中"
    DONE = "done", "已完成"
    FAILED = "failed", "失败"


def export_path(instance: "ExportJob", filename: str) -> str:
    # A fixed name per job: the user's words (filters, titles) never reach the disk.
    return f"exports/{timezone.localdate():%Y/%m}/{instance.pk or 'new'}-{instance.identifier}.xlsx"


class ExportJob(models.Model):
    """One Excel export asked for by one user: its parameters, progress and file (downloaded only by them)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", on_delete=models.CASCADE,
                             related_name="export_jobs")
    identifier = models.CharField("导出类型", max_length=50)
    params = models.JSONField("参数", default=dict, blank=True)
    status = models.CharField("状态", max_length=10, choices=ExportStatus.choices, default=ExportStatus.QUEUED)
    progress = models.PositiveSmallIntegerField("进度(%)", default=0)
    rows = models.PositiveIntegerField("行数", default=0)
    file = models.FileField("文件", upload_to=export_path, max_length=255, blank=True)
    filename = models.CharField("文件名", max_length=200, blank=True)
    error = models.TextField("错误", blank=True)
    created_at = models.DateTimeField("创建时间", default=timezone.now)
    finished_at = models.DateTimeField("完成时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "导出任务"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=ExportStatus.values), name="export_job_status_valid"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="export_job_progress_percent"),
        ]

    def __str__(self) -> str:
        return f"{self.filename or self.identifier}({self.get_status_display()})"

    @property
    def finished(self) -> bool:
        return self.status in (ExportStatus.DONE, ExportStatus.FAILED)
