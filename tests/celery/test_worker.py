"""Against a real worker and Redis: a doubled beat sends once, a killed worker sends once, Redis down loses nothing."""
from __future__ import annotations

import datetime as dt
import time

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from dutyadmin.roles import Role
from meetings.choices import MeetingKind
from oversight.models import Notification
from oversight.notifications import services as notifications
from oversight.notifications.models import NotificationReason, NotificationStatus
from oversight.tasks import notices_send, outbox_flush
from tests import factories

from .conftest import sent_mail_count, wait_for


def _deputy_user():
    today = timezone.localdate()
    term = factories.TermFactory(number=99, start_date=today - dt.timedelta(days=100),
                                 end_date=today + dt.timedelta(days=400))
    deputy = factories.DeputyFactory(term=term, name="王北")
    user = factories.make_user(Role.DEPUTY, deputy=deputy)
    user.email = "wang@example.cn"
    user.save()
    return term, deputy, user


def _status(pk: int) -> str:
    return Notification.objects.filter(pk=pk).values_list("status", flat=True).first()


def test_the_same_beat_tick_twice_sends_once(make_worker, queue, mail_dir):
    term, deputy, user = _deputy_user()
    today = timezone.localdate()
    session = factories.CongressSessionFactory(term=term, start_date=today + dt.timedelta(days=2),
                                               end_date=today + dt.timedelta(days=2))
    factories.MeetingFactory(session=session, kind=MeetingKind.PLENARY, date=today + dt.timedelta(days=2))
    make_worker()
    notices_send.apply_async(queue=queue)
    notices_send.apply_async(queue=queue)  # the beat ticked twice (or two beats run)
    sent = wait_for(lambda: Notification.objects.filter(status=NotificationStatus.SENT).first(), 30,
                    "the meeting notice was not sent")
    assert sent.recipient == user and sent.reason == NotificationReason.MEETING_NOTICE
    time.sleep(2)  # time for a second send, were there one
    assert Notification.objects.count() == 1
    assert sent_mail_count(mail_dir) == 1


def test_a_worker_killed_mid_send_and_restarted_sends_exactly_once(make_worker, queue, mail_dir):
    _, deputy, user = _deputy_user()
    worker = make_worker(send_delay=4)
    with transaction.atomic():
        n = notifications.notify(recipient=user, reason=NotificationReason.BEHIND_REMINDER, object_key="crash",
                                 subject="履职进度提醒", body="请合理安排时间。", deputy=deputy)
    wait_for(lambda: _status(n.pk) == NotificationStatus.SENDING, 20, "the worker did not claim the notification")
    worker.kill()  # in the middle of the (slow) send
    assert sent_mail_count(mail_dir) == 0 and _status(n.pk) == NotificationStatus.SENDING
    make_worker(send_delay=4)
    # The unacked message comes back (visibility timeout); the beat's flush is the second way back.
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and _status(n.pk) != NotificationStatus.SENT:
        time.sleep(0.3)
    if _status(n.pk) != NotificationStatus.SENT:
        outbox_flush.apply_async(queue=queue)
    wait_for(lambda: _status(n.pk) == NotificationStatus.SENT, 40, "the notification was never sent")
    time.sleep(3)
    assert sent_mail_count(mail_dir) == 1
    n.refresh_from_db()
    assert n.attempts >= 2 and n.channels == ["in_app", "email"]


def test_with_redis_stopped_pages_answer_and_notifications_wait_then_go(own_redis, make_worker, queue, mail_dir,
                                                                        client):
    _, deputy, user = _deputy_user()
    staff = factories.make_user(Role.LIAISON_OFFICE)
    worker = make_worker(start=False)
    own_redis.stop()  # the broker and the cache of this process and of the worker
    try:
        client.force_login(staff)
        started = time.monotonic()
        assert client.get(reverse("home")).status_code == 200
        assert client.get("/api/v1/terms/").status_code == 200
        assert client.get(reverse("oversight:notification_log")).status_code == 200
        with transaction.atomic():  # the cause commits although the broker is gone
            n = notifications.notify(recipient=user, reason=NotificationReason.BEHIND_REMINDER, object_key="down",
                                     subject="履职进度提醒", body="请合理安排时间。", deputy=deputy)
        assert time.monotonic() - started < 15, "a request waited on the missing broker"
        assert _status(n.pk) == NotificationStatus.PENDING
        client.force_login(user)
        assert client.get(reverse("oversight:notification_inbox")).status_code == 200
    finally:
        own_redis.start()
    worker.start()
    outbox_flush.apply_async(queue=queue)  # the beat's next flush
    wait_for(lambda: _status(n.pk) == NotificationStatus.SENT, 40, "the waiting notification was not sent")
    assert sent_mail_count(mail_dir) == 1
