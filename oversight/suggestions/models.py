"""Suggestions, their replies (with attachments) and their steps; imported by oversight/models.py."""
from __future__ import annotations

import datetime as dt
import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import RETURN_VALUE, FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from deputies.models import Deputy, HandlingUnit, Term
from meetings.models import CongressSession, Contribution
from oversight.rules import clocks

from .choices import AWAITING_REPLY, Resolution, Satisfaction, SuggestionAction, SuggestionStatus

S = SuggestionStatus


class Suggestion(FSMModelMixin, models.Model):
    """A deputy's suggestion, criticism or opinion (建议、批评和意见), at a session or in the closed period.

    `status` changes only through the transitions below, each called by one service of
    oversight/suggestions/services.py (protected: a plain assignment raises). The clocks' dates are
    stored when a step sets them (computed by oversight.rules.clocks, never here)."""

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="suggestions")
    session = models.ForeignKey(
        CongressSession, verbose_name="大会", null=True, blank=True, on_delete=models.PROTECT,
        related_name="suggestions", help_text="留空表示闭会期间提出。",
    )
    title = models.CharField("标题", max_length=300)
    content = models.TextField("内容")
    submitted_on = models.DateField("提出日期")
    lead_deputy = models.ForeignKey(
        Deputy, verbose_name="领衔代表", on_delete=models.PROTECT, related_name="suggestions_led"
    )
    cosigners = models.ManyToManyField(Deputy, verbose_name="附议代表", blank=True, related_name="suggestions_cosigned")
    status = FSMField("状态", max_length=20, choices=S.choices, default=S.SUBMITTED, protected=True)
    lead_unit = models.ForeignKey(
        HandlingUnit, verbose_name="主办单位", null=True, blank=True, on_delete=models.PROTECT,
        related_name="suggestions_led",
    )
    co_units = models.ManyToManyField(
        HandlingUnit, verbose_name="协办单位", blank=True, related_name="suggestions_cohandled"
    )
    assigned_on = models.DateField("交办日期", null=True, blank=True)
    due_date = models.DateField("答复期限", null=True, blank=True)
    extended = models.BooleanField("已延期", default=False)
    extension_reason = models.TextField("延期理由", blank=True)
    first_replied_on = models.DateField("首次答复日期", null=True, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True, help_text="最近一次答复的日期。")
    reply_text = models.TextField("答复内容", blank=True, help_text="最近一次答复的内容。")
    resolution = models.CharField("办理结果", max_length=20, choices=Resolution.choices, blank=True)
    satisfaction = models.CharField("代表评价", max_length=30, choices=Satisfaction.choices, null=True, blank=True)
    evaluation_comment = models.TextField("评价意见", blank=True)
    evaluated_on = models.DateField("评价日期", null=True, blank=True)
    feedback_due = models.DateField("反馈期限", null=True, blank=True)
    rehandling_due = models.DateField("重新办理答复期限", null=True, blank=True)
    closed_on = models.DateField("办结日期", null=True, blank=True)
    close_note = models.TextField("办结说明", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    # One record, not two: the `suggestion` contribution A9.2 and the handbook read (RULES.md A9.2).
    contribution = models.OneToOneField(
        Contribution, verbose_name="履职记录", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="suggestion",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "代表建议"
        ordering = ["-submitted_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=S.values), name="suggestion_status_valid"),
            models.CheckConstraint(
                condition=Q(resolution="") | Q(resolution__in=Resolution.values), name="suggestion_resolution_valid"
            ),
            models.CheckConstraint(
                condition=Q(satisfaction__isnull=True) | Q(satisfaction__in=Satisfaction.values),
                name="suggestion_satisfaction_valid",
            ),
            # Assigned means a lead unit, a day and its due date.
            models.CheckConstraint(
                condition=Q(status=S.SUBMITTED) | Q(status=S.WITHDRAWN, lead_unit__isnull=True)
                | Q(lead_unit__isnull=False, assigned_on__isnull=False, due_date__isnull=False),
                name="suggestion_assigned_has_unit_and_due",
            ),
        ]
        indexes = [
            models.Index(fields=["term", "status"]),
            models.Index(fields=["lead_unit", "status"]),
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        errors: dict[str, str] = {}
        deputy = self.lead_deputy if self.lead_deputy_id else None
        if deputy is not None and self.term_id and deputy.term_id != self.term_id:
            errors["lead_deputy"] = "领衔代表必须是本届代表。"
        if self.session_id and self.term_id and self.session.term_id != self.term_id:
            errors["session"] = "大会必须属于本届。"
        if self.submitted_on and self.term_id and not (
            self.term.start_date <= self.submitted_on <= self.term.end_date
        ):
            errors["submitted_on"] = "提出日期必须在本届任期内。"
        if errors:
            raise ValidationError(errors)

    # --- the clocks, read (dates stored by the services, computed by oversight.rules.clocks) ---------

    @property
    def reply_due(self) -> dt.date | None:
        """The due date of the reply now awaited: the rehandling reply's, else the first one's; none when none is."""
        if self.status == S.REHANDLING:
            return self.rehandling_due
        if self.status == S.ASSIGNED:
            return self.due_date
        return None

    def overdue_on(self, today: dt.date) -> bool:
        """A reply is awaited and its due date has ended without one (RULES.md "Overdue")."""
        return self.status in AWAITING_REPLY and clocks.is_overdue(self.reply_due, None, today)

    @property
    def overdue(self) -> bool:
        return self.overdue_on(timezone.localdate())

    @property
    def replied_on_time(self) -> bool | None:
        """Was the first reply given by the due date? None before any reply."""
        if self.first_replied_on is None or self.due_date is None:
            return None
        return not clocks.is_overdue(self.due_date, self.first_replied_on, self.first_replied_on)

    def feedback_missing_on(self, today: dt.date) -> bool:
        """代表未反馈: a reply waits for its evaluation past the feedback deadline (the office may close it)."""
        return self.status == S.REPLIED and clocks.is_overdue(self.feedback_due, None, today)

    @property
    def rehandled(self) -> bool:
        """Reopened once by a dissatisfied evaluation (the second reply is its last)."""
        return self.rehandling_due is not None

    # --- the state machine: one transition per step; the services call them and save ----------------

    def _not_extended(self) -> bool:
        return not self.extended

    def _feedback_ended(self) -> bool:
        # suggestion_close sets closed_on first: closing is for a reply left without feedback past its deadline.
        return self.closed_on is not None and clocks.is_overdue(self.feedback_due, None, self.closed_on)

    @transition(field=status, source=S.SUBMITTED, target=S.ASSIGNED)
    def assign(self) -> None:
        """交办: a lead unit (and co-units) take it up; the due date runs from the day of assignment."""

    @transition(field=status, source=S.ASSIGNED, target=S.ASSIGNED, conditions=[_not_extended])
    def extend(self) -> None:
        """延期 (once): six months instead of three, agreed by the assigning office."""

    @transition(field=status, source=[S.ASSIGNED, S.REHANDLING], target=S.REPLIED)
    def reply(self) -> None:
        """答复 by the lead unit: the first reply, or the rehandling one."""

    @transition(field=status, source=S.REPLIED, target=RETURN_VALUE(S.REHANDLING, S.CLOSED))
    def evaluate(self, satisfaction: str) -> str:
        """评价: a dissatisfied first evaluation reopens it; any other, and any after rehandling, closes it."""
        if satisfaction == Satisfaction.DISSATISFIED and not self.rehandled:
            return S.REHANDLING
        return S.CLOSED

    @transition(field=status, source=S.REPLIED, target=S.CLOSED, conditions=[_feedback_ended])
    def close(self) -> None:
        """办结 by the liaison office when the deputy gave no feedback by the deadline."""

    @transition(field=status, source=[S.SUBMITTED, S.ASSIGNED], target=S.WITHDRAWN)
    def withdraw(self) -> None:
        """撤回, before any reply."""


def reply_attachment_path(instance: "SuggestionReplyAttachment", filename: str) -> str:
    """A random name under the suggestion's folder, keeping the extension: users' names never reach the disk."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"suggestion-replies/{instance.reply.suggestion_id}/{uuid.uuid4().hex}{suffix}"


class SuggestionReply(models.Model):
    """One reply of the lead unit: the first, or the rehandling reply after a dissatisfied evaluation."""

    suggestion = models.ForeignKey(Suggestion, verbose_name="建议", on_delete=models.CASCADE, related_name="replies")
    unit = models.ForeignKey(HandlingUnit, verbose_name="答复单位", on_delete=models.PROTECT, related_name="+")
    rehandling = models.BooleanField("重新办理答复", default=False)
    date = models.DateField("答复日期")
    text = models.TextField("答复内容")
    resolution = models.CharField("办理结果", max_length=20, choices=Resolution.choices)
    satisfaction = models.CharField("代表评价", max_length=30, choices=Satisfaction.choices, null=True, blank=True)
    evaluation_comment = models.TextField("评价意见", blank=True)
    evaluated_on = models.DateField("评价日期", null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "建议答复"
        ordering = ["suggestion", "date", "id"]
        constraints = [
            models.UniqueConstraint(fields=["suggestion", "rehandling"], name="suggestion_reply_one_per_round"),
            models.CheckConstraint(condition=Q(resolution__in=Resolution.values), name="suggestion_reply_resolution_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.suggestion} {self.date:%Y-%m-%d} 答复"


class SuggestionReplyAttachment(models.Model):
    """A file sent with a reply (the unit's reply letter, photos); checked as activity materials are."""

    reply = models.ForeignKey(SuggestionReply, verbose_name="答复", on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("文件", upload_to=reply_attachment_path, max_length=255)
    name = models.CharField("文件名", max_length=200)
    file_type = models.CharField("类型", max_length=10)
    size = models.PositiveBigIntegerField("大小（字节）")
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("上传时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "答复附件"
        ordering = ["reply", "uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name


class SuggestionEvent(models.Model):
    """One step of a suggestion: who did what when, the status before and after, and a note."""

    suggestion = models.ForeignKey(Suggestion, verbose_name="建议", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20, choices=SuggestionAction.choices)
    before_status = models.CharField("操作前状态", max_length=20, choices=S.choices, blank=True)
    after_status = models.CharField("操作后状态", max_length=20, choices=S.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("操作时间", default=timezone.now)
    date = models.DateField("日期", null=True, blank=True, help_text="操作所记的日期（交办、答复、评价、办结日期）。")
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "建议办理记录"
        ordering = ["suggestion", "at", "id"]

    def __str__(self) -> str:
        return f"{self.suggestion} {self.get_action_display()}"
