"""Notifications: each row is one message to one user and, until delivered, the outbox entry.

The key (recipient, reason, object_key, period) is unique in the database: a beat that ticks twice,
a retried task or a crashed worker can create the row only once, and a row is sent only by the
worker that claims it (oversight.notifications.services).
"""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class NotificationReason(models.TextChoices):
    MEETING_NOTICE = "meeting_notice", "会议通知"
    ACTIVITY_NOTICE = "activity_notice", "活动通知"
    BEHIND_REMINDER = "behind_reminder", "履职进度提醒"
    BEHIND_STREET = "behind_street", "本街工委代表履职进度提醒"
    APPROVALS_WAITING = "approvals_waiting", "待办审批提醒"
    LEAVE_STEP = "leave_step", "请假待审批"
    LEAVE_DECIDED = "leave_decided", "请假审批结果"
    REVIEW_DEADLINE = "review_deadline", "年度报送截止提醒"
    FINDING_ACTION = "finding_action", "履职处置提示"
    REGISTRATION_REVIEWED = "registration_reviewed", "个人登记审核结果"
    CONTRIBUTION_REVIEWED = "contribution_reviewed", "审议意见和建议确认结果"
    INVITATION = "invitation", "活动邀请"
    INVITATION_DECLINED = "invitation_declined", "代表不能参加活动"
    SUGGESTION_DUE_SOON = "suggestion_due_soon", "建议答复期限临近"
    SUGGESTION_DUE_TODAY = "suggestion_due_today", "建议今日到期"
    SUGGESTION_OVERDUE = "suggestion_overdue", "建议逾期未答复"
    SUGGESTION_REPLIED = "suggestion_replied", "建议已答复，请评价"
    SUGGESTION_EVALUATED = "suggestion_evaluated", "代表已评价答复"
    # --- opinions
    OPINION_DUE_SOON = "opinion_due_soon", "群众意见答复期限临近"
    OPINION_DUE_TODAY = "opinion_due_today", "群众意见今日到期"
    OPINION_OVERDUE = "opinion_overdue", "群众意见逾期未答复"
    CALENDAR_OUTDATED = "calendar_outdated", "节假日日历需要更新"
    SUGGESTION_CHASED = "suggestion_chased", "建议催办"
    DIGEST = "digest", "每日汇总"


class NotificationStatus(models.TextChoices):
    PENDING = "pending", "待发送"
    SENDING = "sending", "发送中"
    SENT = "sent", "已发送"
    DIGEST = "digest", "待汇总"
    DIGESTED = "digested", "已汇总发送"
    FAILED = "failed", "发送失败"


class Channel(models.TextChoices):
    IN_APP = "in_app", "站内消息"
    EMAIL = "email", "电子邮件"
    SMS = "sms", "短信"


class DeliveryMode(models.TextChoices):
    SINGLE = "single", "逐条发送"
    DIGEST = "digest", "每日汇总一次"


class Notification(models.Model):
    """One message to one user (in the inbox at once; by email/SMS through the outbox)."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="接收人", on_delete=models.CASCADE, related_name="notifications"
    )
    reason = models.CharField("类别", max_length=30, choices=NotificationReason.choices)
    object_key = models.CharField("对象", max_length=100)
    period = models.CharField("周期", max_length=30, blank=True)
    subject = models.CharField("标题", max_length=200)
    body = models.TextField("内容")
    url = models.CharField("链接", max_length=300, blank=True)
    # Who the message is about, so the sent log shows staff only what their scope covers.
    deputy = models.ForeignKey(
        "deputies.Deputy", verbose_name="相关代表", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    street_committee = models.ForeignKey(
        "deputies.StreetCommittee", verbose_name="相关街工委", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    status = models.CharField("发送状态", max_length=10, choices=NotificationStatus.choices,
                              default=NotificationStatus.PENDING)
    channels = models.JSONField("已发送渠道", default=list, blank=True)
    attempts = models.PositiveSmallIntegerField("尝试次数", default=0)
    last_error = models.TextField("错误", blank=True)
    digest = models.ForeignKey("self", verbose_name="所属汇总", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="items")
    created_at = models.DateTimeField("生成时间", default=timezone.now)
    claimed_at = models.DateTimeField("领取时间", null=True, blank=True)
    sent_at = models.DateTimeField("发送时间", null=True, blank=True)
    read_at = models.DateTimeField("阅读时间", null=True, blank=True)

    class Meta:
        verbose_name = verbose_name_plural = "通知"
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["recipient", "reason", "object_key", "period"], name="notification_key_unique"),
            models.CheckConstraint(condition=Q(status__in=NotificationStatus.values), name="notification_status_valid"),
            models.CheckConstraint(condition=Q(reason__in=NotificationReason.values), name="notification_reason_valid"),
        ]
        indexes = [
            models.Index(fields=["status", "created_at"]),
            models.Index(fields=["recipient", "read_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.recipient} · {self.subject}"


class NotificationPreference(models.Model):
    """How a user wants to be told: which channels besides the inbox, one by one or in a daily digest."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                                related_name="notification_preference")
    email = models.BooleanField("电子邮件", default=True)
    sms = models.BooleanField("短信", default=False)
    mode = models.CharField("发送方式", max_length=10, choices=DeliveryMode.choices, default=DeliveryMode.SINGLE)

    class Meta:
        verbose_name = verbose_name_plural = "通知设置"
        constraints = [
            models.CheckConstraint(condition=Q(mode__in=DeliveryMode.values), name="notification_pref_mode_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.user} 通知设置"
