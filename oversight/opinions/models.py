"""Constituents' opinions (群众意见), their steps and the reads of a citizen's phone; imported by oversight/models.py."""
from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import FSMField, FSMModelMixin, transition
from simple_history.models import HistoricalRecords

from activities.models import Activity
from deputies.models import Deputy, HandlingUnit, StreetCommittee
from oversight.rules import clocks

from .choices import OpinionAction, OpinionStatus

OS = OpinionStatus


def mask_phone(phone: str) -> str:
    """138****1234: the first three and last four digits; a short number shows only its last two."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    if len(phone) >= 8:
        return f"{phone[:3]}****{phone[-4:]}"
    return "****" + phone[-2:]


class Opinion(FSMModelMixin, models.Model):
    """One constituent's opinion heard by deputies at a station reception (or a visit).

    `status` changes only through the transitions, each called by one service (oversight/opinions/services.py).
    `citizen_phone` is personal information (RULES.md): read it only through selectors.opinion_phone_for."""

    received_on = models.DateField("收集日期")
    reception = models.ForeignKey(
        Activity, verbose_name="接待活动", null=True, blank=True, on_delete=models.PROTECT, related_name="opinions",
        limit_choices_to={"kind": "station_reception"}, help_text="留空表示走访等其他途径收集。",
    )
    deputies = models.ManyToManyField(Deputy, verbose_name="听取意见的代表", blank=True, related_name="opinions_heard")
    street_committee = models.ForeignKey(
        StreetCommittee, verbose_name="街道工委", on_delete=models.PROTECT, related_name="opinions"
    )
    content = models.TextField("意见内容")
    citizen_name = models.CharField("群众姓名", max_length=50, blank=True)
    citizen_phone = models.CharField("联系电话", max_length=30, blank=True)
    status = FSMField("状态", max_length=20, choices=OS.choices, default=OS.RECEIVED, protected=True)
    forwarded_to = models.ForeignKey(
        HandlingUnit, verbose_name="转办单位", null=True, blank=True, on_delete=models.PROTECT,
        related_name="opinions",
    )
    forwarded_on = models.DateField("转办日期", null=True, blank=True)
    reply_due = models.DateField("答复期限", null=True, blank=True)
    replied_on = models.DateField("答复日期", null=True, blank=True)
    reply_text = models.TextField("答复内容", blank=True)
    fed_back_on = models.DateField("反馈日期", null=True, blank=True)
    close_note = models.TextField("反馈情况", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="登记人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("登记时间", default=timezone.now)
    # The phone is personal information kept once, for feedback: never copied into the history rows.
    history = HistoricalRecords(excluded_fields=["citizen_phone"])

    class Meta:
        verbose_name = verbose_name_plural = "群众意见"
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(status__in=OS.values), name="opinion_status_valid"),
            models.CheckConstraint(
                condition=Q(status=OS.RECEIVED)
                | Q(forwarded_to__isnull=False, forwarded_on__isnull=False, reply_due__isnull=False),
                name="opinion_forwarded_has_unit_and_due",
            ),
        ]
        indexes = [models.Index(fields=["street_committee", "status"]), models.Index(fields=["forwarded_to", "status"])]

    def __str__(self) -> str:
        text = self.content.strip().replace("\n", " ")
        return text[:30] + ("…" if len(text) > 30 else "")

    @property
    def phone_masked(self) -> str:
        return mask_phone(self.citizen_phone)

    def overdue_on(self, today: dt.date) -> bool:
        """Forwarded, no reply, and the due date has ended (RULES.md: overdue as suggestions)."""
        return self.status == OS.FORWARDED and self.reply_due is not None and clocks.is_overdue(self.reply_due, None, today)

    @property
    def overdue(self) -> bool:
        return self.overdue_on(timezone.localdate())

    @property
    def replied_on_time(self) -> bool | None:
        if self.replied_on is None or self.reply_due is None:
            return None
        return not clocks.is_overdue(self.reply_due, self.replied_on, self.replied_on)

    @transition(field=status, source=OS.RECEIVED, target=OS.FORWARDED)
    def forward(self) -> None:
        """转办 to a handling unit or a street office."""

    @transition(field=status, source=OS.FORWARDED, target=OS.REPLIED)
    def reply(self) -> None:
        """答复 by the unit (or the office on its behalf)."""

    @transition(field=status, source=OS.REPLIED, target=OS.CLOSED)
    def close(self) -> None:
        """反馈办结: the answer was given back to the constituent."""


class OpinionEvent(models.Model):
    """One step of an opinion: who did what when, the status before and after, and a note."""

    opinion = models.ForeignKey(Opinion, verbose_name="群众意见", on_delete=models.CASCADE, related_name="events")
    action = models.CharField("操作", max_length=20, choices=OpinionAction.choices)
    before_status = models.CharField("操作前状态", max_length=20, choices=OS.choices, blank=True)
    after_status = models.CharField("操作后状态", max_length=20, choices=OS.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("操作时间", default=timezone.now)
    date = models.DateField("日期", null=True, blank=True)
    note = models.TextField("说明", blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "群众意见办理记录"
        ordering = ["opinion", "at", "id"]

    def __str__(self) -> str:
        return f"{self.opinion} {self.get_action_display()}"


class OpinionPhoneRead(models.Model):
    """An unmasked read of a constituent's phone number: who, when, where (个人信息保护法: reads are kept)."""

    opinion = models.ForeignKey(Opinion, verbose_name="群众意见", on_delete=models.CASCADE, related_name="phone_reads")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="查看人", on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField("查看时间", default=timezone.now)
    via = models.CharField("途径", max_length=50, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "群众联系电话查看记录"
        ordering = ["-at", "-id"]

    def __str__(self) -> str:
        return f"{self.user} {self.at:%Y-%m-%d %H:%M}"
