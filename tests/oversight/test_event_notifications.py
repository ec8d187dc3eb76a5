"""Notifications of activities' and meetings' events (issue 11, part 6): a personal registration or a
contribution reviewed (to the deputy), invitations sent (to the deputy), an invitation declined (to the
organizer); each once per event, and finding reminders sent to whom record_intervention allows."""
from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from activities import services as activities
from activities.choices import OrganizerLevel
from dutyadmin.roles import Role
from meetings.services import contribution_confirm, contribution_return
from oversight.notifications import services as notifications
from oversight.notifications.models import Notification, NotificationReason
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _in_process(celery_in_process):
    """Deliveries run in this process even when REDIS_URL is set."""


@pytest.fixture
def open_term(world):
    term = world["term"]
    term.end_date = timezone.localdate() + dt.timedelta(days=400)
    term.save()
    return term


def messages(user, reason):
    return list(Notification.objects.filter(recipient=user, reason=reason).order_by("id"))


def test_a_returned_registration_tells_the_deputy_why_and_an_approved_one_that_it_counts(world, personas):
    deputy, staff = personas[Role.DEPUTY], personas[Role.STREET_STAFF]
    data = {"kind": "station_reception", "title": "接待选民", "date": dt.date(2024, 3, 5), "location": "联络站"}
    registration = activities.self_registration_save(user=deputy, data=data)
    returned = activities.self_registration_return(user=staff, registration=registration, reason="请写明接待人数。")
    (message,) = messages(deputy, NotificationReason.REGISTRATION_REVIEWED)
    assert "被退回" in message.subject and "请写明接待人数。" in message.body
    assert message.url == f"/activities/self/{registration.pk}/"
    # The same event again (a repeated signal) writes nothing more.
    notifications.self_registration_reviewed_notify(None, registration=returned)
    assert len(messages(deputy, NotificationReason.REGISTRATION_REVIEWED)) == 1
    again = activities.self_registration_save(user=deputy, registration=returned, data={"description": "接待 6 人。"})
    activities.self_registration_approve(user=staff, registration=again)
    subjects = [m.subject for m in messages(deputy, NotificationReason.REGISTRATION_REVIEWED)]
    assert len(subjects) == 2 and "已通过" in subjects[1]
    assert not messages(staff, NotificationReason.REGISTRATION_REVIEWED)


def test_a_contribution_returned_then_confirmed_tells_the_deputy_each_time(world, personas):
    deputy, staff = personas[Role.DEPUTY], personas[Role.STREET_STAFF]
    contribution = factories.ContributionFactory(deputy=world["zhang"], confirmed=False, title="关于停车的建议")
    returned = contribution_return(user=staff, contribution=contribution, comment="请补充具体地点。")
    notifications.contribution_reviewed_notify(None, contribution=returned)  # repeated: no second message
    (message,) = messages(deputy, NotificationReason.CONTRIBUTION_REVIEWED)
    assert "被退回" in message.subject and "请补充具体地点。" in message.body
    returned.refresh_from_db()
    contribution_confirm(user=staff, contribution=returned)
    latest = messages(deputy, NotificationReason.CONTRIBUTION_REVIEWED)
    assert len(latest) == 2 and "已确认" in latest[1].subject


def test_invited_deputies_hear_of_their_invitation_once(world, personas, open_term):
    staff = personas[Role.STREET_STAFF]
    activity = factories.ActivityFactory(term=open_term, date=timezone.localdate() + dt.timedelta(days=9),
                                         organizer_level=OrganizerLevel.STREET_COMMITTEE,
                                         street_committee=world["dongsi"], title="社区议事")
    records = [{"deputy": world["zhang"].pk}, {"deputy": world["li"].pk}]
    activities.participation_bulk_upsert(user=staff, activity=activity, records=records)
    (message,) = messages(personas[Role.DEPUTY], NotificationReason.INVITATION)  # 李四 has no account
    assert "社区议事" in message.subject and message.url == "/activities/invitations/"
    activities.participation_bulk_upsert(user=staff, activity=activity, records=records)  # nobody new
    notifications.invitations_sent_notify(None, activity=activity, deputy_ids=[world["zhang"].pk])
    assert len(messages(personas[Role.DEPUTY], NotificationReason.INVITATION)) == 1


@pytest.mark.parametrize("street_level", [True, False])
def test_a_declined_invitation_tells_the_organizer(world, personas, open_term, street_level):
    other_staff = factories.make_user(Role.STREET_STAFF, username="cy-staff", street_committee=world["chaoyang"])
    activity = factories.ActivityFactory(
        term=open_term, date=timezone.localdate() + dt.timedelta(days=9), title="集中视察老旧小区",
        organizer_level=OrganizerLevel.STREET_COMMITTEE if street_level else OrganizerLevel.STANDING_COMMITTEE,
        street_committee=world["dongsi"] if street_level else None,
    )
    participation = factories.ParticipationFactory(activity=activity, deputy=world["zhang"], confirmed=False,
                                                   outcome="pending")
    activities.invitation_answer(user=personas[Role.DEPUTY], participation=participation, attend=False,
                                 reason="当天出差")
    organizer = personas[Role.STREET_STAFF] if street_level else personas[Role.LIAISON_OFFICE]
    bystander = personas[Role.LIAISON_OFFICE] if street_level else personas[Role.STREET_STAFF]
    (message,) = messages(organizer, NotificationReason.INVITATION_DECLINED)
    assert "张东" in message.subject and "当天出差" in message.body
    assert message.url == f"/activities/{activity.pk}/participations/"
    assert not messages(bystander, NotificationReason.INVITATION_DECLINED)
    assert not messages(other_staff, NotificationReason.INVITATION_DECLINED)


def test_a_confirmed_invitation_tells_nobody(world, personas, open_term):
    activity = factories.ActivityFactory(term=open_term, date=timezone.localdate() + dt.timedelta(days=9))
    participation = factories.ParticipationFactory(activity=activity, deputy=world["zhang"], confirmed=False,
                                                   outcome="pending")
    activities.invitation_answer(user=personas[Role.DEPUTY], participation=participation, attend=True)
    assert not Notification.objects.filter(reason=NotificationReason.INVITATION_DECLINED).exists()


def test_finding_reminders_go_to_whom_record_intervention_allows(world, personas):
    """The permission table, not a second one: 东四's director and head for 东四's session absence, not
    the other street's director; the liaison office (which may record any) is not told of each."""
    other_director = factories.make_user(Role.STREET_DIRECTOR, username="cy-director", street_committee=world["chaoyang"])
    recipients = notifications.intervention_recorders(world["zhang"], "session_absence_talk")
    assert set(recipients) == {personas[Role.STREET_DIRECTOR].pk, personas[Role.DELEGATION_HEAD].pk}
    assert other_director.pk not in recipients
    assert set(notifications.intervention_recorders(world["zhang"], "qualification_termination")) == {
        personas[Role.SC_OFFICE].pk, personas[Role.SC_LEADER].pk}
    assert set(notifications.intervention_recorders(world["wang"], "no_contact_talk")) == {other_director.pk}
