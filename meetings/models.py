from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from deputies.models import Deputy, Term
from dutyadmin.dates import after_today, future_meeting_message

from .choices import (
    AttendanceStatus,
    ContributionKind,
    HalfDay,
    LeaveRoute,
    LeaveStatus,
    MeetingKind,
    StepStatus,
)


DIGITS = "〇一二三四五六七八九"


def chinese_number(n: int) -> str:
    """1 → 一, 10 → 十, 16 → 十六, 21 → 二十一 (a session's number; beyond 99 the digits as written)."""
    if not 0 < n < 100:
        return str(n)
    tens, ones = divmod(n, 10)
    return (("" if tens == 1 else DIGITS[tens]) + "十" if tens else "") + (DIGITS[ones] if ones else "")


class CongressSession(models.Model):
    """A session of the district congress (区人民代表大会会议)."""

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveIntegerField("次")
    name = models.CharField("名称", max_length=100)
    start_date = models.DateField("开始日期")
    end_date = models.DateField("结束日期")
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "代表大会会议"
        ordering = ["term", "number"]
        constraints = [
            models.UniqueConstraint(fields=["term", "number"], name="session_unique_number_per_term"),
            models.CheckConstraint(condition=Q(end_date__gte=F("start_date")), name="session_end_not_before_start"),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def full_name(self) -> str:
        """东城区第十七届人民代表大会第六次会议: the term's name and the session's number (the name may repeat the term)."""
        return f"{self.term.name}第{chinese_number(self.number)}次会议"

    def clean(self) -> None:
        errors = {}
        if self.start_date and self.end_date and self.end_date < self.start_date:
            errors["end_date"] = "结束日期不能早于开始日期。"
        if self.term_id and self.start_date and self.end_date:
            term = self.term
            if self.start_date < term.start_date or self.end_date > term.end_date:
                errors["start_date"] = "会议日期必须在本届任期内。"
        if errors:
            raise ValidationError(errors)


class Meeting(models.Model):
    """One sitting of a session."""

    session = models.ForeignKey(CongressSession, verbose_name="大会", on_delete=models.CASCADE, related_name="meetings")
    kind = models.CharField("会议类型", max_length=20, choices=MeetingKind.choices)
    title = models.CharField("名称", max_length=200)
    date = models.DateField("日期")
    half_day = models.CharField("时段", max_length=4, choices=HalfDay.choices, default=HalfDay.FULL)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "会议"
        ordering = ["session", "date", "half_day", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=MeetingKind.values), name="meeting_kind_valid"),
            models.CheckConstraint(condition=Q(half_day__in=HalfDay.values), name="meeting_half_day_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.title}({self.date:%Y-%m-%d})"

    def clean(self) -> None:
        if self.session_id and self.date:
            session = self.session
            if not session.start_date <= self.date <= session.end_date:
                raise ValidationError({"date": "会议日期必须在大会会期内。"})
        if self.pk and after_today(self.date) and self.attendances.exists():
            # a roll call already taken cannot move to a day still to come (Attendance.clean)
            raise ValidationError({"date": "该会议已登记出席情况,日期不能改到今天之后。"})


class Attendance(models.Model):
    """What the secretariat saw of one deputy at one meeting."""

    meeting = models.ForeignKey(Meeting, verbose_name="会议", on_delete=models.CASCADE, related_name="attendances")
    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="attendances")
    status = models.CharField("出席情况", max_length=10, choices=AttendanceStatus.choices)
    # --- checkin: the deputy scanned the check-in code (自助签到) and when; staff can see and correct it.
    self_checked_in = models.BooleanField("自助签到", default=False)
    self_checked_in_at = models.DateTimeField("自助签到时间", null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "出席记录"
        ordering = ["meeting", "deputy"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "deputy"], name="attendance_one_per_meeting_and_deputy"),
            models.CheckConstraint(condition=Q(status__in=AttendanceStatus.values), name="attendance_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} @ {self.meeting}: {self.get_status_display()}"

    def clean(self) -> None:
        if self.meeting_id and after_today(self.meeting.date):
            raise ValidationError({"meeting": future_meeting_message(self.meeting.date)})
        if self.meeting_id and self.deputy_id and self.deputy.term_id != self.meeting.session.term_id:
            raise ValidationError({"deputy": "代表与会议不属于同一届。"})


def certificate_path(instance: "LeaveRequest", filename: str) -> str:
    return f"leave-certificates/{instance.session_id}/{filename}"


class LeaveRequest(models.Model):
    """请假 (Art. 3(一)) on one of three routes; it excuses absences only once approved."""

    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="leave_requests")
    session = models.ForeignKey(
        CongressSession, verbose_name="大会", on_delete=models.CASCADE, related_name="leave_requests"
    )
    route = models.CharField("请假类型", max_length=20, choices=LeaveRoute.choices)
    meetings = models.ManyToManyField(Meeting, verbose_name="请假会议", blank=True, related_name="leave_requests")
    reason = models.TextField("事由")
    certificate = models.FileField(
        "单位请假证明",
        upload_to=certificate_path,
        blank=True,
        validators=[FileExtensionValidator(["pdf", "jpg", "jpeg", "png"])],
    )
    status = models.CharField("状态", max_length=10, choices=LeaveStatus.choices, default=LeaveStatus.DRAFT)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="填报人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField("填报时间", auto_now_add=True)
    backfilled = models.BooleanField("补录", default=False)
    history = HistoricalRecords(m2m_fields=[meetings])

    class Meta:
        verbose_name = verbose_name_plural = "请假申请"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(route__in=LeaveRoute.values), name="leave_route_valid"),
            models.CheckConstraint(condition=Q(status__in=LeaveStatus.values), name="leave_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.get_route_display()}({self.session})"

    def clean(self) -> None:
        if self.deputy_id and self.session_id and self.deputy.term_id != self.session.term_id:
            raise ValidationError({"session": "代表与大会不属于同一届。"})


class LeaveApprovalStep(models.Model):
    """One step of a leave request's approval chain (RULES.md, the three routes)."""

    leave_request = models.ForeignKey(LeaveRequest, on_delete=models.CASCADE, related_name="steps")
    order = models.PositiveSmallIntegerField("顺序")
    code = models.CharField("环节", max_length=40)
    role = models.CharField("办理角色", max_length=40)
    status = models.CharField("状态", max_length=10, choices=StepStatus.choices, default=StepStatus.WAITING)
    acted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="办理人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    acted_by_name = models.CharField("办理人(纸质记录)", max_length=50, blank=True)
    acted_at = models.DateTimeField("办理时间", null=True, blank=True)
    comment = models.TextField("意见", blank=True)
    # Recusal (回避): the congress secretariat took this step of a delegation head's own leave.
    stood_in = models.BooleanField("回避代办", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "请假审批环节"
        ordering = ["leave_request", "order"]
        constraints = [
            models.UniqueConstraint(fields=["leave_request", "order"], name="leave_step_unique_order"),
            models.CheckConstraint(condition=Q(status__in=StepStatus.values), name="leave_step_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.leave_request_id}#{self.order} {self.code}"


class Contribution(models.Model):
    """A review opinion, suggestion, motion or inquiry (Art. 3(三)(五), A9.2)."""

    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="contributions")
    session = models.ForeignKey(
        CongressSession,
        verbose_name="大会",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="contributions",
        help_text="留空表示闭会期间提出。",
    )
    kind = models.CharField("类型", max_length=20, choices=ContributionKind.choices)
    date = models.DateField("日期")
    title = models.CharField("标题", max_length=300)
    # A deputy's own entry waits for staff to confirm it; only confirmed ones count for the rules.
    confirmed = models.BooleanField("已确认", default=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="确认人", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    confirmed_at = models.DateTimeField("确认时间", null=True, blank=True)
    return_reason = models.TextField("退回理由", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "审议意见和建议"
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(kind__in=ContributionKind.values), name="contribution_kind_valid"),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.deputy_id and self.session_id and self.deputy.term_id != self.session.term_id:
            raise ValidationError({"session": "代表与大会不属于同一届。"})

    @property
    def staff_confirmation(self) -> tuple | None:
        """(who, when) staff confirmed it (a staff entry is confirmed by whoever entered it); None while it waits.
        From then on the deputy no longer changes it (permissions.change_own_entry)."""
        return (self.confirmed_by, self.confirmed_at) if self.confirmed else None

    @property
    def review_state(self) -> str:
        """confirmed, pending (a deputy's entry waiting for staff) or returned (sent back with a reason)."""
        if self.confirmed:
            return "confirmed"
        return "returned" if self.return_reason else "pending"
