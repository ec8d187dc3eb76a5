from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from dutyadmin.dates import chinese_date

from .choices import STATUS_BADGE, STATUS_BADGE_OTHER, ContactMode, DeputyStatus, Gender, HandlingUnitKind
from .thresholds import default_thresholds as _default_thresholds
from .thresholds import threshold_label, thresholds_with_defaults, validate_thresholds


def default_thresholds() -> dict:
    """The field's default (named by migrations): the rules' defaults, registered by oversight."""
    return _default_thresholds()


class Term(models.Model):
    """A term of the district congress (届), with its thresholds."""

    number = models.PositiveIntegerField("届次", unique=True)
    name = models.CharField("名称", max_length=100)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    thresholds = models.JSONField("履职阈值", default=default_thresholds, blank=True)
    # How many days before a meeting or activity its notice (with materials) goes out.
    notice_days_before = models.PositiveSmallIntegerField(
        "提前通知天数", default=3, validators=[MinValueValidator(1), MaxValueValidator(90)],
        help_text="会议和活动通知提前发送的天数。",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "届"
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="term_end_not_before_start"),
            models.CheckConstraint(condition=Q(number__gte=1), name="term_number_positive"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "结束日期不能早于开始日期。"
        threshold_errors = validate_thresholds(self.thresholds)
        if threshold_errors:
            errors["thresholds"] = "; ".join(f"{k}: {v}" for k, v in threshold_errors.items())
        if errors:
            raise ValidationError(errors)

    def save(self, *args, **kwargs):
        self.thresholds = thresholds_with_defaults(self.thresholds if isinstance(self.thresholds, dict) else None)
        super().save(*args, **kwargs)


class ThresholdChange(models.Model):
    """A change of some of a term's thresholds from a day on (RULES.md "Settings change over time"): never edited;
    deleted only before it takes effect. The term's own thresholds stay its base settings."""

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.CASCADE, related_name="threshold_changes")
    effective_from = models.DateField("生效日期", help_text="本届内的一天;从这一天起按新的阈值评估。")
    # blank=True: clean() says what is missing in the regulation's words, once.
    values = models.JSONField("调整的阈值", default=dict, blank=True, help_text="要调整的阈值及其新值(正整数)。")
    reason = models.TextField("调整原因", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "阈值调整"
        ordering = ["term", "effective_from", "id"]

    def __str__(self) -> str:
        return f"{self.term} {self.effective_from:%Y-%m-%d} 起的阈值调整"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        term = self.term if self.term_id else None
        if term is not None and self.effective_from is not None and not (
            term.start_date <= self.effective_from <= term.end_date
        ):
            errors["effective_from"] = (
                f"生效日期必须在本届之内({term.start_date:%Y-%m-%d} 至 {term.end_date:%Y-%m-%d})。"
            )
        if not isinstance(self.values, dict) or not self.values:
            errors["values"] = "请至少填写一项要调整的阈值。"
        else:
            value_errors = validate_thresholds(self.values)
            if value_errors:
                known = _default_thresholds()
                errors["values"] = ";".join(
                    f"{threshold_label(key)}:{message}" if key in known else message
                    for key, message in value_errors.items()
                )
        if not (self.reason or "").strip():
            errors["reason"] = "请填写调整原因。"
        if errors:
            raise ValidationError(errors)


class StreetCommittee(models.Model):
    """人大街道工作委员会: one per street."""

    name = models.CharField("名称", max_length=50, unique=True)
    code = models.CharField("代码", max_length=20, unique=True)

    class Meta:
        verbose_name = verbose_name_plural = "人大街工委"
        ordering = ["code"]

    def __str__(self) -> str:
        return self.name


class HandlingUnit(models.Model):
    """承办单位: a body that handles deputies' suggestions (主办/协办) and constituents' opinions."""

    name = models.CharField("名称", max_length=100, unique=True)
    code = models.CharField("代码", max_length=20, unique=True)
    kind = models.CharField("类别", max_length=30, choices=HandlingUnitKind.choices, default=HandlingUnitKind.OTHER)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "承办单位"
        ordering = ["kind", "code"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=HandlingUnitKind.values), name="handling_unit_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.name


class Delegation(models.Model):
    """代表团: how deputies sit at congress sessions."""

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="delegations")
    name = models.CharField("名称", max_length=50)
    head = models.ForeignKey(
        "Deputy", verbose_name="团长", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = verbose_name_plural = "代表团"
        ordering = ["term", "name"]
        constraints = [models.UniqueConstraint(fields=["term", "name"], name="delegation_unique_name_per_term")]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.head_id and self.term_id and self.head.term_id != self.term_id:
            raise ValidationError({"head": "团长必须是本届代表。"})


class Deputy(models.Model):
    """A deputy of one term."""

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="deputies")
    name = models.CharField("姓名", max_length=50, db_index=True)
    gender = models.CharField("性别", max_length=1, choices=Gender.choices)
    street_committee = models.ForeignKey(
        StreetCommittee, verbose_name="人大街工委", on_delete=models.PROTECT, related_name="deputies"
    )
    delegation = models.ForeignKey(
        Delegation, verbose_name="代表团", null=True, blank=True, on_delete=models.PROTECT, related_name="deputies"
    )
    status = models.CharField("状态", max_length=20, choices=DeputyStatus.choices, default=DeputyStatus.ACTIVE)
    service_start = models.DateField("任职开始")
    service_end = models.DateField("任职结束", null=True, blank=True)
    unit = models.CharField("工作单位", max_length=200, blank=True)
    position = models.CharField("职务", max_length=100, blank=True)
    constituency = models.CharField("选区", max_length=100, blank=True)
    party_member = models.BooleanField("中共党员", default=False)
    phone = models.CharField("电话", max_length=30, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "代表"
        ordering = ["street_committee__code", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(service_end__isnull=True) | Q(service_end__gte=F("service_start")),
                name="deputy_service_end_not_before_start",
            ),
            models.CheckConstraint(condition=Q(gender__in=Gender.values), name="deputy_gender_valid"),
            models.CheckConstraint(condition=Q(status__in=DeputyStatus.values), name="deputy_status_valid"),
        ]
        indexes = [models.Index(fields=["term", "street_committee"])]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        errors = {}
        if self.service_start and self.service_end and self.service_end < self.service_start:
            errors["service_end"] = "任职结束日期不能早于任职开始日期。"
        if self.term_id and self.service_start:
            term = self.term
            if not term.start_date <= self.service_start <= term.end_date:
                errors["service_start"] = "任职开始日期必须在本届任期内。"
        if self.delegation_id and self.term_id and self.delegation.term_id != self.term_id:
            errors["delegation"] = "代表团必须属于本届。"
        if self.status != DeputyStatus.ACTIVE and not self.service_end:
            errors["service_end"] = "代表状态不是“在任”时,必须填写任职结束日期。"
        if errors:
            raise ValidationError(errors)

    @property
    def status_badge(self) -> str:
        """The badge class of the status: ok in office, bad when terminated or recalled, warn otherwise."""
        return STATUS_BADGE.get(self.status, STATUS_BADGE_OTHER)

    @property
    def service_until(self):
        """Last day of service: service_end, else the term's end."""
        return self.service_end or self.term.end_date

    def serves_on(self, day) -> bool:
        """Is the day in the deputy's service period (任职期间: service_start … service_until)?"""
        return self.service_start <= day <= self.service_until


class ContactAssignment(models.Model):
    """Art. 10(五): each standing-committee member (a user of role sc_member) contacts 5–6 deputies directly.

    ``member`` is the contract's field (DESIGN.md ``contact-assignments/``). ``member_name`` is kept as a display
    fallback: rows entered before members were users (only a name) keep their name and stay readable; every new
    assignment names a user (services and the API require it) and its display name is the user's."""

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="contact_assignments")
    member = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="常委会组成人员",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contact_assignments",
    )
    member_name = models.CharField("常委会组成人员姓名(旧数据)", max_length=50, blank=True, default="")
    deputy = models.ForeignKey(Deputy, verbose_name="联系代表", on_delete=models.CASCADE, related_name="contacts")
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "常委会组成人员联系代表"
        ordering = ["term", "member_id", "deputy__name"]
        constraints = [
            models.UniqueConstraint(fields=["term", "member", "deputy"], name="contact_assignment_member_unique")
        ]

    @property
    def member_display(self) -> str:
        if self.member_id is None:
            return self.member_name or "（未关联用户）"
        return self.member.get_full_name() or self.member.username

    def __str__(self) -> str:
        return f"{self.member_display} → {self.deputy}"


class Contact(models.Model):
    """One contact of a standing-committee member with an assigned deputy (Art. 10(五): 专题调研、集中视察、走访、
    电话、信函、参加代表联组活动及召开座谈会)."""

    assignment = models.ForeignKey(
        ContactAssignment, verbose_name="联系关系", on_delete=models.PROTECT, related_name="contact_records"
    )
    date = models.DateField("联系日期")
    mode = models.CharField("联系方式", max_length=20, choices=ContactMode.choices)
    notes = models.TextField("情况记录", blank=True, default="")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", auto_now_add=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "联系代表记录"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"{self.assignment} {chinese_date(self.date)} {self.get_mode_display()}"


class UserScope(models.Model):
    """Links a user to what their role is about: a street committee, a delegation, a deputy or a handling unit."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="scope")
    street_committee = models.ForeignKey(
        StreetCommittee, verbose_name="人大街工委", null=True, blank=True, on_delete=models.SET_NULL
    )
    delegation = models.ForeignKey(Delegation, verbose_name="代表团", null=True, blank=True, on_delete=models.SET_NULL)
    deputy = models.OneToOneField(
        Deputy, verbose_name="代表", null=True, blank=True, on_delete=models.SET_NULL, related_name="user_scope"
    )
    # The unit a `handling_unit` user replies for: they see only the suggestions assigned to it.
    handling_unit = models.ForeignKey(
        HandlingUnit, verbose_name="承办单位", null=True, blank=True, on_delete=models.SET_NULL, related_name="users"
    )

    class Meta:
        verbose_name = verbose_name_plural = "用户范围"

    def __str__(self) -> str:
        return f"{self.user}"

class Suspension(models.Model):
    """暂时停止执行代表职务 (代表法 Art. 61: while detained or serving a sentence): a dated span of a deputy's service.

    Suspended days are outside the service period for every rule (RULES.md "Suspension"); end_date None means
    the suspension is still open (至今)."""

    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="suspensions")
    start_date = models.DateField("暂停开始日期")
    end_date = models.DateField("暂停结束日期", null=True, blank=True, help_text="尚未恢复执行代表职务的，留空。")
    # blank=True: clean() says what is missing in the regulation's words, once.
    reason = models.TextField("暂停原因", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "暂停执行代表职务"
        ordering = ["deputy", "start_date", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("start_date")),
                name="suspension_end_not_before_start",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.start_date:%Y-%m-%d} 起暂停执行代表职务"

    def clean(self) -> None:
        errors: dict[str, str] = {}
        today = timezone.localdate()
        start, end = self.start_date, self.end_date
        deputy = self.deputy if self.deputy_id else None
        if start is not None and start > today:
            errors["start_date"] = f"暂停开始日期（{chinese_date(start)}）在今天之后，不能登记：请在暂停开始后登记。"
        if start is not None and end is not None and end < start:
            errors["end_date"] = "暂停结束日期不能早于开始日期。"
        elif end is not None and end > today:
            errors["end_date"] = f"暂停结束日期（{chinese_date(end)}）在今天之后：恢复执行代表职务后再填写结束日期，此前留空。"
        if deputy is not None and start is not None and "start_date" not in errors:
            if not deputy.serves_on(start):
                errors["start_date"] = (
                    f"暂停开始日期必须在该代表任职期间内（{chinese_date(deputy.service_start)}至{chinese_date(deputy.service_until)}）。"
                )
            elif end is not None and end > deputy.service_until and "end_date" not in errors:
                errors["end_date"] = f"暂停结束日期不能晚于该代表任职结束日期（{chinese_date(deputy.service_until)}）。"
        if not (self.reason or "").strip():
            errors["reason"] = "请填写暂停原因。"
        if deputy is not None and start is not None and not errors:
            others = Suspension.objects.filter(deputy_id=deputy.pk).exclude(pk=self.pk)
            others = others.filter(Q(end_date__isnull=True) | Q(end_date__gte=start))
            if end is not None:
                others = others.filter(start_date__lte=end)
            clash = others.order_by("start_date").first()
            if clash is not None:
                until = chinese_date(clash.end_date) if clash.end_date else "至今"
                errors["start_date"] = (
                    f"与该代表已登记的暂停（{chinese_date(clash.start_date)}至{until}）重叠；请修改日期或先结束那一项。"
                )
        if errors:
            raise ValidationError(errors)

    @property
    def is_open(self) -> bool:
        return self.end_date is None

    def covers(self, day) -> bool:
        """Is the day suspended (start_date … end_date, or on from start_date while open)?"""
        return self.start_date <= day and (self.end_date is None or day <= self.end_date)


# --- calendar: a deputy's private calendar feed (icalendar) and the secret in its address


class CalendarFeedKey(models.Model):
    """The secret of one deputy's calendar feed (/calendar/<token>.ics): only its sha256 is kept, the token itself
    is shown once when made. A reset revokes the old key and makes a new one; a revoked key is never used again."""

    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="calendar_keys")
    token_hash = models.CharField("链接密钥摘要(SHA-256)", max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="生成人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    revoked_at = models.DateTimeField("停用时间", null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="停用人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    last_used_at = models.DateTimeField("最近使用时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "日历订阅链接"
        ordering = ["deputy", "-created_at", "-id"]
        constraints = [
            # one live address per deputy: a reset revokes the old key in the same transaction
            models.UniqueConstraint(fields=["deputy"], condition=Q(revoked_at__isnull=True),
                                    name="calendar_key_one_active_per_deputy"),
        ]

    def __str__(self) -> str:
        state = "已停用" if self.revoked_at else "有效"
        return f"{self.deputy} 的日历订阅链接({state})"

    @property
    def active(self) -> bool:
        return self.revoked_at is None
