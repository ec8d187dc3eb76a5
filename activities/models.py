import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from deputies.models import Deputy, StreetCommittee, Term
from dutyadmin.dates import after_today, future_activity_message

from .choices import SELF_REGISTRATION_KINDS, ActivityKind, ImportStatus, OrganizerLevel, Outcome, SelfRegistrationStatus


class Activity(models.Model):
    """A closed-period activity (闭会期间活动)."""

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField("活动类型", max_length=30, choices=ActivityKind.choices)
    title = models.CharField("名称", max_length=200)
    date = models.DateField("日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    organizer_level = models.CharField("组织方", max_length=20, choices=OrganizerLevel.choices)
    street_committee = models.ForeignKey(
        StreetCommittee,
        verbose_name="组织街工委",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    location = models.CharField("地点", max_length=200, blank=True)
    description = models.TextField("说明", blank=True)
    # The spreadsheet import that created it, if any (its history page lists what it made).
    source_import = models.ForeignKey(
        "ActivityImport",
        verbose_name="导入批次",
        null=True,
        blank=True,
        editable=False,
        on_delete=models.SET_NULL,
        related_name="activities",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "活动"
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")), name="activity_end_not_before_start"
            ),
            models.CheckConstraint(condition=Q(kind__in=ActivityKind.values), name="activity_kind_valid"),
            models.CheckConstraint(
                condition=Q(organizer_level__in=OrganizerLevel.values), name="activity_organizer_level_valid"
            ),
        ]
        indexes = [models.Index(fields=["term", "kind", "date"])]

    def __str__(self) -> str:
        return f"{self.title}({self.date:%Y-%m-%d})"

    def clean(self) -> None:
        errors = {}
        if self.date and self.end_date and self.end_date < self.date:
            errors["end_date"] = "结束日期不能早于开始日期。"
        if self.organizer_level == OrganizerLevel.STREET_COMMITTEE and not self.street_committee_id:
            errors["street_committee"] = "街工委组织的活动必须注明街工委。"
        if self.term_id and self.date:
            term = self.term
            if not term.start_date <= self.date <= term.end_date:
                errors["date"] = "活动日期必须在本届任期内。"
        if self.pk and after_today(self.date) and self.participations.exclude(outcome=Outcome.PENDING).exists():
            # outcomes already known cannot belong to a day still to come (Participation.clean)
            errors["date"] = "该活动已登记出席、缺席或请假,日期不能改到今天之后。"
        if errors:
            raise ValidationError(errors)


class Participation(models.Model):
    """One deputy's invitation to and outcome at one activity."""

    # Neither key has an index of its own: the unique constraint (below) begins with the activity, the index
    # participation_by_deputy with the deputy.
    activity = models.ForeignKey(Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="participations",
                                 db_index=False)
    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="participations",
                               db_index=False)
    confirmed = models.BooleanField("应邀确定参加", default=False)
    outcome = models.CharField("参加情况", max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    # The deputy's own answer to the invitation (A9.3 turns on 应邀确定参加): when they answered, and,
    # when they cannot come, why (that is their request for leave to the organizer, who then records
    # the outcome 请假 or not). Staff confirming for a deputy leave answered_at empty.
    answered_at = models.DateTimeField("代表答复时间", null=True, blank=True)
    decline_reason = models.CharField("不能参加的原因", max_length=500, blank=True)
    # --- checkin: the deputy scanned the check-in code (自助签到) and when; staff can see and correct it.
    self_checked_in = models.BooleanField("自助签到", default=False)
    self_checked_in_at = models.DateTimeField("自助签到时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "参加记录"
        ordering = ["activity", "deputy"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "deputy"], name="participation_one_per_activity_and_deputy"),
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="participation_outcome_valid"),
        ]
        # A street's or a deputy's findings read their deputies' participations by an index-only scan
        # of this index (PostgreSQL; the columns the loader reads are in it), not a scan of the whole table.
        indexes = [models.Index(fields=["deputy", "activity"], include=["outcome", "confirmed"],
                                name="participation_by_deputy")]

    def __str__(self) -> str:
        return f"{self.deputy} @ {self.activity}: {self.get_outcome_display()}"

    @property
    def answer_state(self) -> str:
        """Where the invitation stands: recorded / confirmed / declined / unanswered (selectors.ANSWER_STATES)."""
        if self.outcome != Outcome.PENDING:
            return "recorded"
        if self.confirmed:
            return "confirmed"
        return "declined" if self.answered_at else "unanswered"

    def clean(self) -> None:
        if self.activity_id and self.outcome != Outcome.PENDING and after_today(self.activity.date):
            raise ValidationError({"outcome": future_activity_message(self.activity.date, self.get_outcome_display())})
        if self.activity_id and self.deputy_id and self.deputy.term_id != self.activity.term_id:
            raise ValidationError({"deputy": "代表与活动不属于同一届。"})


def _stored_name(folder: str, filename: str) -> str:
    """A random file name under folder, keeping the extension: users' names never reach the disk."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"{folder}/{uuid.uuid4().hex}{suffix}"


def material_path(instance: "ActivityMaterial", filename: str) -> str:
    return _stored_name(f"activity-materials/{instance.activity_id}", filename)


class ActivityMaterial(models.Model):
    """An attachment of an activity (notice, sign-in sheet, photos); downloaded through a scoped view."""

    activity = models.ForeignKey(Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="materials")
    file = models.FileField("文件", upload_to=material_path, max_length=255)
    name = models.CharField("文件名", max_length=200)
    file_type = models.CharField("类型", max_length=10)
    size = models.PositiveBigIntegerField("大小(字节)")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "活动材料"
        ordering = ["activity", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class SelfRegistration(models.Model):
    """个人登记: an activity a deputy reports having taken part in, counted only once approved.

    The rules read activities and participations only; approval creates both (organized by the
    deputy, in their street), so a pending or returned registration counts for nothing.
    """

    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="self_registrations")
    kind = models.CharField("活动类型", max_length=30, choices=ActivityKind.choices)
    title = models.CharField("活动名称", max_length=200)
    date = models.DateField("日期")
    location = models.CharField("地点", max_length=200)
    description = models.TextField("活动情况", blank=True)
    status = models.CharField(
        "状态", max_length=10, choices=SelfRegistrationStatus.choices, default=SelfRegistrationStatus.PENDING
    )
    submitted_at = models.DateTimeField("提交时间", default=timezone.now)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="提交人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    return_reason = models.TextField("退回原因", blank=True)
    activity = models.OneToOneField(
        Activity, verbose_name="登记的活动", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="self_registration",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "个人登记"
        ordering = ["-submitted_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=SelfRegistrationStatus.values), name="self_registration_status_valid"
            ),
            models.CheckConstraint(
                condition=Q(kind__in=[k.value for k in SELF_REGISTRATION_KINDS]), name="self_registration_kind_valid"
            ),
        ]
        indexes = [models.Index(fields=["status", "deputy"])]

    def __str__(self) -> str:
        return f"{self.deputy} · {self.title}({self.date:%Y-%m-%d})"

    @property
    def staff_confirmation(self) -> tuple | None:
        """(who, when) the street's staff approved it; None while pending or returned. From then on the deputy no
        longer changes it (permissions.change_own_entry)."""
        return (self.reviewed_by, self.reviewed_at) if self.status == SelfRegistrationStatus.APPROVED else None

    def clean(self) -> None:
        errors = {}
        if self.kind and self.kind not in SELF_REGISTRATION_KINDS:
            errors["kind"] = "这类活动由组织方登记,不能个人登记。"
        if self.date and self.deputy_id:
            deputy = self.deputy
            if self.date > timezone.localdate():
                errors["date"] = "只能登记已经参加过的活动,日期不能晚于今天。"
            elif not deputy.serves_on(self.date):
                errors["date"] = "活动日期不在该代表的任职期间内。"
            elif not deputy.term.start_date <= self.date <= deputy.term.end_date:
                errors["date"] = "活动日期必须在本届任期内。"
        if errors:
            raise ValidationError(errors)


def import_path(instance: "ActivityImport", filename: str) -> str:
    return _stored_name(f"activity-imports/{timezone.localdate():%Y/%m}", filename)


class ActivityImport(models.Model):
    """One uploaded spreadsheet of activities and participations, kept with its outcome."""

    file = models.FileField("文件", upload_to=import_path, max_length=255)
    original_name = models.CharField("文件名", max_length=200)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="导入人", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The street whose staff imported it (null for district roles): who else may see it.
    street_committee = models.ForeignKey(
        StreetCommittee, verbose_name="街工委", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("上传时间", default=timezone.now)
    imported_at = models.DateTimeField("导入时间", null=True, blank=True)
    status = models.CharField("状态", max_length=10, choices=ImportStatus.choices)
    row_count = models.PositiveIntegerField("数据行数", default=0)
    activity_count = models.PositiveIntegerField("活动数", default=0)
    participation_count = models.PositiveIntegerField("参加记录数", default=0)
    errors = models.JSONField("问题", default=list, blank=True)
    summary = models.JSONField("预览", default=list, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "活动表格导入"
        ordering = ["-created_at", "-id"]
        constraints = [models.CheckConstraint(condition=Q(status__in=ImportStatus.values), name="activity_import_status_valid")]

    def __str__(self) -> str:
        return f"{self.original_name}({self.created_at:%Y-%m-%d %H:%M})"
