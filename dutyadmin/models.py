"""Shared records of the application itself (not of the regulation): export jobs, holiday schedules."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords


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


# --- holiday schedules (法定节假日安排) ---------------------------------------------------------------


def _schedule_dates(values, year: int | None, *, label: str) -> list[str]:
    """The ISO dates of one list, checked to be dates of the year; the first bad one is named."""
    if not isinstance(values, list):
        raise ValidationError(f"{label}应为日期列表。")
    days = []
    for value in values:
        try:
            day = dt.date.fromisoformat(str(value))
        except ValueError:
            raise ValidationError(f"“{value}”不是有效的日期（应为2026-01-01的格式）。") from None
        if year is not None and day.year != year:
            raise ValidationError(f"{day.year}年{day.month}月{day.day}日不在{year}年。")
        days.append(day)
    return [day.isoformat() for day in sorted(set(days))]


class HolidaySchedule(models.Model):
    """One year's 部分节假日安排 entered from the State Council's notice, for a year the chinesecalendar package
    does not know yet. The clocks read it (oversight.holidays.current_calendar); no year is ever guessed.

    holidays: the 放假 dates of the notice (beyond ordinary weekends); workdays: the weekend days that are
    working days (调休上班). Both are JSON lists of ISO dates, sorted. A year the package already knows is refused
    by the service (oversight.holidays.holiday_schedule_save): the package stays the source for its years."""

    year = models.PositiveSmallIntegerField("年份", unique=True,
                                            validators=[MinValueValidator(2000), MaxValueValidator(2100)])
    holidays = models.JSONField("放假日期", default=list, blank=True)
    workdays = models.JSONField("调休上班日期", default=list, blank=True)
    notice = models.CharField("通知文号或标题", max_length=200, error_messages={"blank": "请填写国务院办公厅通知的标题或文号。"},
                              help_text="例如：国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="录入人", on_delete=models.SET_NULL,
                                   null=True, blank=True, related_name="+")
    created_at = models.DateTimeField("录入时间", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "法定节假日安排"
        ordering = ["year"]

    def __str__(self) -> str:
        return f"{self.year}年节假日安排"

    def holiday_dates(self) -> list[dt.date]:
        return [dt.date.fromisoformat(value) for value in self.holidays]

    def workday_dates(self) -> list[dt.date]:
        return [dt.date.fromisoformat(value) for value in self.workdays]

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if not (self.notice or "").strip():
            errors["notice"] = ["请填写国务院办公厅通知的标题或文号。"]
        year = self.year if isinstance(self.year, int) else None
        for name, label in (("holidays", "放假日期"), ("workdays", "调休上班日期")):
            try:
                setattr(self, name, _schedule_dates(getattr(self, name), year, label=label))
            except ValidationError as exc:
                errors[name] = exc.messages
        if "holidays" not in errors and not self.holidays:
            errors["holidays"] = ["请至少填写一个放假日期。"]
        if "workdays" not in errors:
            weekdays = [value for value in self.workdays if dt.date.fromisoformat(value).weekday() < 5]
            if weekdays:
                day = dt.date.fromisoformat(weekdays[0])
                errors["workdays"] = [f"{day.year}年{day.month}月{day.day}日是星期{'一二三四五'[day.weekday()]}，"
                                      "本来就是工作日；调休上班日只能是星期六或星期日。"]
        if "holidays" not in errors and "workdays" not in errors:
            both = sorted(set(self.holidays) & set(self.workdays))
            if both:
                day = dt.date.fromisoformat(both[0])
                errors["workdays"] = [f"{day.year}年{day.month}月{day.day}日同时填在放假日期和调休上班日期中。"]
        if errors:
            raise ValidationError(errors)


# --- audit15: the audit log (登录、权限拒绝、导出、用户变更), apart from the records' history ---------------


class AuditKind(models.TextChoices):
    LOGIN = "login", "登录"
    LOGIN_FAILED = "login_failed", "登录失败"
    LOCKOUT = "lockout", "账户锁定"
    LOGOUT = "logout", "退出登录"
    PERMISSION_DENIED = "permission_denied", "权限拒绝"
    EXPORT = "export", "导出"
    USER_CREATED = "user_created", "新建用户"
    USER_CHANGED = "user_changed", "修改用户"
    USER_DEACTIVATED = "user_deactivated", "停用用户"
    GROUPS_CHANGED = "groups_changed", "角色变更"
    SCOPE_CHANGED = "scope_changed", "范围变更"
    PASSWORD_CHANGED = "password_changed", "修改密码"
    TOKEN_CREATED = "token_created", "创建 API 令牌"
    TOKEN_REVOKED = "token_revoked", "撤销 API 令牌"


class AuditQuerySet(models.QuerySet):
    """Append-only: the app never updates or deletes a row (only `prune_audit` deletes, through _prune)."""

    def update(self, **kwargs):
        raise PermissionError("审计记录不能修改。")

    def delete(self):
        raise PermissionError("审计记录只能由保留期清理删除。")

    def _prune(self):
        return models.QuerySet.delete(self)


class AuditEvent(models.Model):
    """One thing that happened to an account or was refused or exported (dutyadmin.audit.record writes it).

    Not a record of the regulation: no simple-history, never edited; rows older than AUDIT_RETENTION_DAYS are
    pruned by `manage.py prune_audit` (the Celery task dutyadmin.audit_prune)."""

    at = models.DateTimeField("时间", default=timezone.now, db_index=True)
    kind = models.CharField("类型", max_length=30, choices=AuditKind.choices, db_index=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="用户", null=True, blank=True,
                             on_delete=models.SET_NULL, related_name="+")
    username = models.CharField("用户名", max_length=150, blank=True, db_index=True)
    ip = models.GenericIPAddressField("IP 地址", null=True, blank=True)
    user_agent = models.CharField("浏览器", max_length=200, blank=True)
    path = models.CharField("路径", max_length=300, blank=True)
    method = models.CharField("方法", max_length=10, blank=True)
    detail = models.JSONField("详情", default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = verbose_name_plural = "审计日志"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["kind", "-at"], name="audit_kind_at")]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_kind_display()} {self.username}"

    def save(self, *args, **kwargs):
        if self.pk is not None and not self._state.adding:
            raise PermissionError("审计记录不能修改。")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("审计记录只能由保留期清理删除。")
