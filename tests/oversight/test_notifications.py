"""Notifications in-process (no Redis): keys, idempotence, each reason's message, preferences, digests, pages."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from kombu.exceptions import OperationalError

from activities.models import ActivityMaterial
from dutyadmin.roles import Role
from meetings.choices import LeaveRoute, MeetingKind
from meetings.services import leave_request_approve, leave_request_submit
from oversight.models import Notification, NotificationPreference
from oversight.notifications import channels
from oversight.notifications import services as notifications
from oversight.notifications.models import NotificationReason, NotificationStatus
from oversight.tasks import notification_deliver
from tests import factories

TODAY = dt.date(2024, 7, 1)
# Committed for real: the delivery is sent on commit, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _in_process(celery_in_process):
    """Deliveries run in this process even when REDIS_URL is set (the worker tests are in tests/celery)."""


class FailingBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise ConnectionRefusedError("SMTP 服务器拒绝连接")


@pytest.fixture
def street(db):
    return factories.StreetCommitteeFactory(name="东四")


@pytest.fixture
def deputy(street):
    return factories.DeputyFactory(name="张东", street_committee=street, phone="13800000000")


@pytest.fixture
def deputy_user(deputy):
    user = factories.make_user(Role.DEPUTY, deputy=deputy)
    user.email = "zhang@example.cn"
    user.save()
    return user


@pytest.fixture
def staff(street):
    user = factories.make_user(Role.STREET_STAFF, street_committee=street)
    user.email = "staff@example.cn"
    user.save()
    return user


def _notify(user, key="meeting:1", period="2024-07-02"):
    return notifications.notify(recipient=user, reason=NotificationReason.MEETING_NOTICE, object_key=key,
                                period=period, subject="会议通知", body="请准时出席。")


# --- keys, idempotence, delivery -------------------------------------------------------------------


def test_the_same_key_makes_one_notification_and_one_email(deputy_user):
    with transaction.atomic():
        first = _notify(deputy_user)
        again = _notify(deputy_user)
    assert first is not None and again is None
    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1 and mail.outbox[0].to == ["zhang@example.cn"]
    first.refresh_from_db()
    assert first.status == NotificationStatus.SENT and first.sent_at and first.channels == ["in_app", "email"]


def test_another_period_is_another_notification(deputy_user):
    _notify(deputy_user, period="2024-07-02")
    _notify(deputy_user, period="2024-07-03")
    assert Notification.objects.count() == 2


def test_a_rolled_back_cause_leaves_no_notification_and_sends_nothing(deputy_user):
    with pytest.raises(RuntimeError), transaction.atomic():
        _notify(deputy_user)
        raise RuntimeError("cause failed")
    assert Notification.objects.count() == 0 and mail.outbox == []


def test_a_delivered_notification_is_not_delivered_again(deputy_user):
    n = _notify(deputy_user)
    assert notifications.notification_deliver(notification_id=n.pk) == "done"
    assert len(mail.outbox) == 1


def test_a_live_claim_is_left_alone_and_an_expired_one_is_taken(deputy_user, settings):
    n = Notification.objects.create(recipient=deputy_user, reason="meeting_notice", object_key="m", subject="s",
                                    body="b", status=NotificationStatus.SENDING, claimed_at=timezone.now())
    assert notifications.notification_deliver(notification_id=n.pk) == "busy"
    assert mail.outbox == []
    Notification.objects.filter(pk=n.pk).update(claimed_at=timezone.now() - dt.timedelta(hours=1))
    assert notifications.notification_deliver(notification_id=n.pk) == "sent"
    assert len(mail.outbox) == 1


def test_a_failing_channel_records_the_error_then_gives_up(deputy_user, settings):
    settings.EMAIL_BACKEND = "tests.oversight.test_notifications.FailingBackend"
    n = _notify(deputy_user)
    n.refresh_from_db()
    assert n.status == NotificationStatus.PENDING and n.attempts == 1 and "SMTP" in n.last_error
    for _ in range(notifications.MAX_ATTEMPTS - 1):
        notifications.notification_deliver(notification_id=n.pk)
    n.refresh_from_db()
    assert n.status == NotificationStatus.FAILED and n.attempts == notifications.MAX_ATTEMPTS


def test_retries_wait_longer_each_time():
    assert [notifications.retry_countdown(a) for a in (1, 2, 3)] == [30, 60, 120]
    assert notifications.retry_countdown(50) == 3600


def test_with_the_broker_down_the_cause_commits_and_the_flush_sends_later(deputy_user, monkeypatch):
    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    with monkeypatch.context() as m:
        m.setattr(notifications, "_eager", lambda: False)
        m.setattr(notification_deliver, "apply_async", broker_down)
        with transaction.atomic():
            n = _notify(deputy_user)
        n.refresh_from_db()
        assert n.status == NotificationStatus.PENDING and mail.outbox == []
    assert notifications.outbox_flush() == 1
    n.refresh_from_db()
    assert n.status == NotificationStatus.SENT and len(mail.outbox) == 1


# --- preferences and digests ------------------------------------------------------------------------


def test_sms_goes_to_the_deputys_phone_when_chosen(deputy_user, settings):
    settings.NOTIFICATION_SMS_BACKEND = "oversight.notifications.channels.LocmemSMSBackend"
    channels.LocmemSMSBackend.outbox.clear()
    notifications.preference_save(user=deputy_user, email=False, sms=True, mode="single")
    _notify(deputy_user)
    assert mail.outbox == []
    assert channels.LocmemSMSBackend.outbox == [("13800000000", "会议通知:请准时出席。")]


def test_no_email_address_is_noted_not_retried(staff):
    staff.email = ""
    staff.save()
    n = _notify(staff)
    n.refresh_from_db()
    assert n.status == NotificationStatus.SENT and "没有电子邮箱地址" in n.last_error


def test_a_digest_user_gets_one_email_a_day_with_every_message(deputy_user):
    notifications.preference_save(user=deputy_user, email=True, sms=False, mode="digest")
    _notify(deputy_user, key="meeting:1")
    _notify(deputy_user, key="meeting:2")
    assert mail.outbox == []
    assert set(Notification.objects.values_list("status", flat=True)) == {NotificationStatus.DIGEST}
    assert notifications.digests_send(today=TODAY) == 1
    assert notifications.digests_send(today=TODAY) == 0
    assert len(mail.outbox) == 1
    assert "共2条" in mail.outbox[0].subject and mail.outbox[0].body.count("会议通知") >= 2
    assert Notification.objects.filter(status=NotificationStatus.DIGESTED, sent_at__isnull=False).count() == 2
    # The inbox shows the messages themselves, not the digest.
    assert notifications.inbox_list(user=deputy_user).count() == 2


# --- each reason ------------------------------------------------------------------------------------


def test_meeting_and_activity_notices_go_out_n_days_before_with_materials(deputy, deputy_user):
    session = factories.CongressSessionFactory(term=deputy.term, start_date=TODAY + dt.timedelta(days=2),
                                               end_date=TODAY + dt.timedelta(days=4))
    factories.MeetingFactory(session=session, kind=MeetingKind.PLENARY, title="第一次全体会议",
                             date=TODAY + dt.timedelta(days=2))
    factories.MeetingFactory(session=session, kind=MeetingKind.PLENARY, title="闭幕会", date=TODAY + dt.timedelta(days=4))
    activity = factories.ActivityFactory(term=deputy.term, title="老旧小区改造视察", date=TODAY + dt.timedelta(days=3),
                                         location="东四街道")
    ActivityMaterial.objects.create(activity=activity, file="x.pdf", name="视察方案.pdf", file_type="pdf", size=1)
    factories.ParticipationFactory(activity=activity, deputy=deputy, outcome="pending")
    assert notifications.notices_send(today=TODAY) == 2  # the 4-days-ahead meeting waits
    assert notifications.notices_send(today=TODAY) == 0
    meeting_notice = Notification.objects.get(reason=NotificationReason.MEETING_NOTICE)
    assert "第一次全体会议" in meeting_notice.subject and "2024年7月3日" in meeting_notice.body
    activity_notice = Notification.objects.get(reason=NotificationReason.ACTIVITY_NOTICE)
    assert "视察方案.pdf" in activity_notice.body and "/activities/materials/" in activity_notice.body
    deputy.term.notice_days_before = 1
    deputy.term.save()
    assert notifications.notices_send(today=TODAY + dt.timedelta(days=2)) == 0
    assert notifications.notices_send(today=TODAY + dt.timedelta(days=3)) == 1  # the closing meeting, 1 day before


def test_a_deputy_behind_and_their_street_staff_are_reminded_once_a_month(deputy, deputy_user, staff):
    other_staff = factories.make_user(Role.STREET_STAFF, street_committee=factories.StreetCommitteeFactory())
    made = notifications.behind_reminders_send(today=TODAY)
    assert made == 2
    assert notifications.behind_reminders_send(today=TODAY + dt.timedelta(days=3)) == 0
    mine = Notification.objects.get(recipient=deputy_user)
    assert mine.reason == NotificationReason.BEHIND_REMINDER and "进度落后" in mine.body
    theirs = Notification.objects.get(recipient=staff)
    assert "张东" in theirs.body and theirs.street_committee_id == deputy.street_committee_id
    assert not Notification.objects.filter(recipient=other_staff).exists()
    assert notifications.behind_reminders_send(today=dt.date(2024, 8, 1)) == 2  # next month


def test_a_submitted_leave_tells_the_first_approver_in_the_same_transaction(deputy, deputy_user, street):
    director = factories.make_user(Role.STREET_DIRECTOR, street_committee=street)
    elsewhere = factories.make_user(Role.STREET_DIRECTOR, street_committee=factories.StreetCommitteeFactory())
    sc_office = factories.make_user(Role.SC_OFFICE)
    session = factories.CongressSessionFactory(term=deputy.term)
    leave = factories.LeaveRequestFactory(deputy=deputy, session=session, route=LeaveRoute.WHOLE_SESSION)
    leave_request_submit(user=deputy_user, leave_request=leave)
    step_notes = Notification.objects.filter(reason=NotificationReason.LEAVE_STEP)
    assert list(step_notes.values_list("recipient", flat=True)) == [director.pk]
    assert not step_notes.filter(recipient=elsewhere).exists()
    leave_request_approve(user=director, leave_request=leave)
    assert step_notes.filter(recipient=sc_office).count() == 1
    # The daily reminder counts what still waits for each approver.
    assert notifications.approvals_waiting_send(today=TODAY) == 1
    assert notifications.approvals_waiting_send(today=TODAY) == 0
    waiting = Notification.objects.get(reason=NotificationReason.APPROVALS_WAITING)
    assert waiting.recipient == sc_office and "1件请假申请" in waiting.subject


def test_a_decided_leave_tells_the_deputy_and_the_filer_who_still_files_it(deputy, deputy_user, street):
    """Issue 12: the head's approval decides a delegation-meeting leave; the secretariat is told to file it."""
    head_delegation = factories.DelegationFactory(term=deputy.term)
    deputy.delegation = head_delegation
    deputy.save()
    head = factories.make_user(Role.DELEGATION_HEAD, delegation=head_delegation)
    secretariat = factories.make_user(Role.SECRETARIAT)
    session = factories.CongressSessionFactory(term=deputy.term)
    meeting = factories.MeetingFactory(session=session, kind=MeetingKind.DELEGATION)
    leave = factories.LeaveRequestFactory(deputy=deputy, session=session, route=LeaveRoute.DELEGATION_MEETING)
    leave.meetings.set([meeting])
    leave_request_submit(user=deputy_user, leave_request=leave)
    leave_request_approve(user=head, leave_request=leave)
    decided = Notification.objects.get(reason=NotificationReason.LEAVE_DECIDED)
    assert decided.recipient == deputy_user and "已批准" in decided.subject
    filing = Notification.objects.get(reason=NotificationReason.LEAVE_STEP, recipient=secretariat)
    assert "待备案" in filing.subject
    assert notifications.approvals_waiting_send(today=TODAY) == 1
    assert Notification.objects.get(reason=NotificationReason.APPROVALS_WAITING).recipient == secretariat
    leave_request_approve(user=secretariat, leave_request=leave)  # filed: the deputy hears nothing more
    assert Notification.objects.filter(reason=NotificationReason.LEAVE_DECIDED).count() == 1


def test_self_registrations_waiting_remind_their_streets_staff(deputy, staff):
    from activities.models import SelfRegistration

    SelfRegistration.objects.create(deputy=deputy, kind="constituent_visit", title="走访", date=TODAY, location="社区")
    assert notifications.approvals_waiting_send(today=TODAY) == 1
    assert "1条个人登记" in Notification.objects.get(recipient=staff).body


def test_an_action_required_finding_tells_the_responsible_role_in_scope_once(deputy, street):
    director = factories.make_user(Role.STREET_DIRECTOR, street_committee=street)
    elsewhere = factories.make_user(Role.STREET_DIRECTOR, street_committee=factories.StreetCommitteeFactory())
    # No station reception since the term began: A9.6's talk is due (street director).
    made = notifications.finding_actions_send(today=TODAY)
    assert made >= 1
    assert notifications.finding_actions_send(today=TODAY + dt.timedelta(days=1)) == 0
    note = Notification.objects.get(recipient=director, object_key=f"finding:no_contact_talk:{deputy.pk}")
    assert "张东" in note.subject and "约谈" in note.body
    assert not Notification.objects.filter(recipient=elsewhere).exists()


def test_street_staff_hear_of_the_review_deadline_until_they_submit(deputy, staff):
    assert notifications.review_deadline_send(today=dt.date(2024, 12, 1)) == 0  # 30 days: too early
    assert notifications.review_deadline_send(today=dt.date(2024, 12, 20)) == 1
    assert notifications.review_deadline_send(today=dt.date(2024, 12, 21)) == 0
    assert notifications.review_deadline_send(today=dt.date(2024, 12, 25)) == 1  # the 7-day stage
    note = Notification.objects.filter(recipient=staff).first()
    assert "2024年度" in note.subject and "2024年12月31日" in note.body


# --- pages ------------------------------------------------------------------------------------------


def test_the_inbox_lists_marks_read_and_counts_unread(client, deputy_user, staff):
    _notify(deputy_user)
    _notify(staff)
    client.force_login(deputy_user)
    assert client.get(reverse("oversight:notification_unread")).json()["unread"] == 1
    page = client.get(reverse("oversight:notification_inbox"))
    assert page.status_code == 200 and "会议通知" in page.content.decode()
    mine = Notification.objects.get(recipient=deputy_user)
    theirs = Notification.objects.get(recipient=staff)
    client.post(reverse("oversight:notification_inbox"), {"id": theirs.pk})
    assert Notification.objects.get(pk=theirs.pk).read_at is None  # another's message is untouched
    client.post(reverse("oversight:notification_inbox"), {"id": mine.pk})
    assert client.get(reverse("oversight:notification_unread")).json()["unread"] == 0
    assert client.post(reverse("oversight:notification_inbox"), {"id": "abc"}).status_code == 302
    assert client.get(reverse("oversight:notification_inbox") + "?page=x&unread=1").status_code == 200


def test_preferences_are_saved_and_bad_input_is_a_400(client, deputy_user):
    client.force_login(deputy_user)
    url = reverse("oversight:notification_preferences")
    assert client.get(url).status_code == 200
    assert client.post(url, {"mode": "weekly"}).status_code == 400
    assert client.post(url, {"sms": "on", "mode": "digest"}).status_code == 302
    pref = NotificationPreference.objects.get(user=deputy_user)
    assert (pref.email, pref.sms, pref.mode) == (False, True, "digest")


def test_the_sent_log_shows_each_staff_member_their_scope_only(client, deputy, deputy_user, staff):
    other_street = factories.StreetCommitteeFactory(name="朝阳门")
    other = factories.DeputyFactory(name="李西", street_committee=other_street, term=deputy.term)
    other_user = factories.make_user(Role.DEPUTY, deputy=other)
    notifications.notify(recipient=deputy_user, reason="behind_reminder", object_key="a", subject="给张东", body="b",
                         deputy=deputy)
    notifications.notify(recipient=other_user, reason="behind_reminder", object_key="a", subject="给李西", body="b",
                         deputy=other)
    url = reverse("oversight:notification_log")
    client.force_login(staff)
    body = client.get(url).content.decode()
    assert "给张东" in body and "给李西" not in body
    client.force_login(factories.make_user(Role.LIAISON_OFFICE))
    body = client.get(url + "?status=sent&reason=behind_reminder&q=李").content.decode()
    assert "给李西" in body and "给张东" not in body
    assert client.get(url + "?status=nonsense").status_code == 200
    client.force_login(deputy_user)
    assert client.get(url).status_code == 403
