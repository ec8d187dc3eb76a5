"""Celery tasks of notifications: thin, ids or nothing in, a service does the work (oversight.notifications.services).

Every task is safe to run twice: reminders write under unique keys, delivery claims its row first.
"""
from __future__ import annotations

from celery import shared_task
from django.utils import timezone

from .notifications import services as notifications


@shared_task(bind=True, name="oversight.notification_deliver", acks_late=True, reject_on_worker_lost=True,
             ignore_result=True, max_retries=notifications.MAX_ATTEMPTS + 2)
def notification_deliver(self, notification_id: int) -> str:
    """Deliver one notification; a channel failure retries with exponential backoff."""
    outcome = notifications.notification_deliver(notification_id=notification_id)
    if self.request.is_eager:
        return outcome  # in-process: no waiting; a failed attempt stays pending for the flush
    if outcome == "retry":
        attempts = notifications.Notification.objects.filter(pk=notification_id).values_list("attempts", flat=True)
        raise self.retry(countdown=notifications.retry_countdown(attempts.first() or 1))
    if outcome == "busy":
        # Another worker holds the claim (or died holding it): look again once the lease can have expired.
        raise self.retry(countdown=int(notifications.claim_lease().total_seconds()) + 1)
    return outcome


def _today():
    return timezone.localdate()


@shared_task(name="oversight.outbox_flush", ignore_result=True)
def outbox_flush() -> int:
    """Send what waits in the outbox (the broker was down, or a worker died holding a claim)."""
    return notifications.outbox_flush()


@shared_task(name="oversight.notices_send", ignore_result=True)
def notices_send() -> int:
    return notifications.notices_send(today=_today())


@shared_task(name="oversight.behind_reminders_send", ignore_result=True)
def behind_reminders_send() -> int:
    return notifications.behind_reminders_send(today=_today())


@shared_task(name="oversight.approvals_waiting_send", ignore_result=True)
def approvals_waiting_send() -> int:
    return notifications.approvals_waiting_send(today=_today())


@shared_task(name="oversight.review_deadline_send", ignore_result=True)
def review_deadline_send() -> int:
    return notifications.review_deadline_send(today=_today())


@shared_task(name="oversight.finding_actions_send", ignore_result=True)
def finding_actions_send() -> int:
    return notifications.finding_actions_send(today=_today())


@shared_task(name="oversight.digests_send", ignore_result=True)
def digests_send() -> int:
    return notifications.digests_send(today=_today())


@shared_task(name="oversight.suggestion_reminders_send", ignore_result=True)
def suggestion_reminders_send() -> int:
    """The day's reminders of suggestions near or past their due date (sgremind, issue 13)."""
    return notifications.suggestion_reminders_send(today=_today())


# --- opinions: constituents' opinions (issue 14)
@shared_task(name="oversight.opinion_reminders_send", ignore_result=True)
def opinion_reminders_send() -> int:
    """The day's reminders of constituents' opinions near or past their reply due date."""
    return notifications.opinion_reminders_send(today=_today())
