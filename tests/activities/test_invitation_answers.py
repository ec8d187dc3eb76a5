"""A deputy answers their invitations (我的邀请): 确定参加, or 不能参加 with a reason (a request for leave to the
organizer), until the activity's day and while the organizer has recorded no outcome; their own only. The
organizer sees each answer on the activity's page; 我的活动 lists the deputy's own participations."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from activities import selectors, services
from activities.choices import ActivityKind, OrganizerLevel, Outcome
from activities.models import Participation
from dutyadmin.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db

INVITATIONS = reverse("activities:my_invitations")
MINE = reverse("activities:mine")


def answer_url(participation) -> str:
    return reverse("activities:answer_invitation", args=[participation.pk])


def invite(world, deputy, *, days: int = 3, title: str = "视察东四街道老旧小区改造", **kwargs) -> Participation:
    """An invitation of deputy to an activity `days` from today (negative: in the past), no answer yet."""
    activity = factories.ActivityFactory(
        term=world["term"], kind=ActivityKind.INSPECTION, title=title, location="东四街道",
        organizer_level=OrganizerLevel.STREET_COMMITTEE, street_committee=world["dongsi"],
        date=timezone.localdate() + dt.timedelta(days=days),
    )
    defaults = {"confirmed": False, "outcome": Outcome.PENDING}
    return factories.ParticipationFactory(activity=activity, deputy=deputy, **{**defaults, **kwargs})


def post_answer(client, participation, attend: str, reason: str = ""):
    prefix = f"p{participation.pk}"
    return client.post(answer_url(participation), {f"{prefix}-attend": attend, f"{prefix}-decline_reason": reason})


# --- the page -------------------------------------------------------------------------------------


def test_the_invitations_page_lists_the_deputys_coming_invitations_only(login, world):
    coming = invite(world, world["zhang"], title="即将举行的视察")
    invite(world, world["zhang"], days=-2, title="已经举行的视察")
    invite(world, world["li"], title="李四的邀请")
    response = login(Role.DEPUTY).get(INVITATIONS)
    assert response.status_code == 200
    text = response.text
    assert "即将举行的视察" in text and "已经举行的视察" not in text and "李四的邀请" not in text
    assert [row["p"].pk for row in response.context["rows"]] == [coming.pk]
    assert response.context["counts"]["unanswered"] == 1
    assert "确定参加" in text and "不能参加的原因" in text


@pytest.mark.parametrize("role", [Role.STREET_STAFF, Role.LIAISON_OFFICE, Role.DELEGATION_HEAD, "nobody"])
def test_only_a_deputy_has_an_invitations_page(login, world, role):
    assert login(role).get(INVITATIONS).status_code == 403
    assert login(role).get(MINE).status_code == 403


def test_confirming_todays_activity_is_allowed_and_written_in_history(login, world, personas):
    invitation = invite(world, world["zhang"], days=0)
    client = login(Role.DEPUTY)
    response = post_answer(client, invitation, "yes")
    assert response.status_code == 302 and response["Location"].startswith(INVITATIONS)
    invitation.refresh_from_db()
    assert invitation.confirmed is True and invitation.answered_at is not None and invitation.decline_reason == ""
    last = invitation.history.first()
    assert last.confirmed is True and last.history_user == personas[Role.DEPUTY]
    page = client.get(INVITATIONS)
    assert "已答复:确定参加" in page.text
    assert page.context["counts"] == {"recorded": 0, "confirmed": 1, "declined": 0, "unanswered": 0}


def test_declining_with_a_reason_asks_the_organizer_for_leave(login, world, personas):
    invitation = invite(world, world["zhang"])
    response = post_answer(login(Role.DEPUTY), invitation, "no", "  出差在外  ")
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert (invitation.confirmed, invitation.decline_reason, invitation.outcome) == (False, "出差在外", Outcome.PENDING)
    staff = login(Role.STREET_STAFF)
    assert list(selectors.declined_invitations(user=personas[Role.STREET_STAFF])) == [invitation]
    detail = staff.get(reverse("activities:detail", args=[invitation.activity_id]))
    assert "不能参加" in detail.text and "出差在外" in detail.text


def test_declining_without_a_reason_is_refused_next_to_the_reason_field(login, world):
    invitation = invite(world, world["zhang"])
    response = post_answer(login(Role.DEPUTY), invitation, "no", "   ")
    assert response.status_code == 400
    (row,) = [r for r in response.context["rows"] if r["p"].pk == invitation.pk]
    assert "请填写不能参加的原因" in row["form"].errors["decline_reason"][0]
    assert "请填写不能参加的原因" in response.text
    invitation.refresh_from_db()
    assert invitation.answered_at is None and invitation.history.count() == 1  # nothing changed


def test_yesterdays_activity_can_no_longer_be_answered(login, world):
    invitation = invite(world, world["zhang"], days=-1)
    # Not on the page any more, and a stale form posted anyway is refused with the reason.
    response = post_answer(login(Role.DEPUTY), invitation, "yes")
    assert response.status_code == 400
    assert "活动已经举行" in response.text
    invitation.refresh_from_db()
    assert invitation.confirmed is False and invitation.answered_at is None


def test_after_the_organizer_recorded_the_outcome_the_answer_is_refused(login, world):
    invitation = invite(world, world["zhang"], outcome=Outcome.EXCUSED)
    page = login(Role.DEPUTY).get(INVITATIONS)
    assert "组织方已登记参加情况" in page.text
    response = post_answer(login(Role.DEPUTY), invitation, "yes")
    assert response.status_code == 400 and "组织方已登记参加情况“请假”" in response.text
    invitation.refresh_from_db()
    assert invitation.confirmed is False


def test_another_deputys_invitation_is_not_found(login, world):
    theirs = invite(world, world["li"])
    assert post_answer(login(Role.DEPUTY), theirs, "yes").status_code == 404
    theirs.refresh_from_db()
    assert theirs.answered_at is None


def test_staff_cannot_answer_for_a_deputy(login, world):
    invitation = invite(world, world["zhang"])
    assert post_answer(login(Role.STREET_STAFF), invitation, "yes").status_code == 403


def test_a_bad_button_value_is_an_error_not_a_yes(login, world):
    invitation = invite(world, world["zhang"])
    response = post_answer(login(Role.DEPUTY), invitation, "perhaps")
    assert response.status_code == 400 and "请选择确定参加或不能参加" in response.text
    invitation.refresh_from_db()
    assert invitation.answered_at is None


def test_an_answer_may_be_changed_until_the_day(login, world):
    invitation = invite(world, world["zhang"])
    client = login(Role.DEPUTY)
    post_answer(client, invitation, "yes")
    post_answer(client, invitation, "no", "临时有会")
    invitation.refresh_from_db()
    assert invitation.confirmed is False and invitation.decline_reason == "临时有会"
    assert invitation.history.count() == 3


# --- the service, directly ------------------------------------------------------------------------


def test_the_service_refuses_a_non_boolean_and_another_person(world, personas):
    invitation = invite(world, world["zhang"])
    with pytest.raises(ValidationError):
        services.invitation_answer(user=personas[Role.DEPUTY], participation=invitation, attend="false")
    with pytest.raises(PermissionDenied):
        services.invitation_answer(user=personas[Role.LIAISON_OFFICE], participation=invitation, attend=True)
    with pytest.raises(ValidationError) as refused:
        services.invitation_answer(user=personas[Role.DEPUTY], participation=invitation, attend=False,
                                   reason="长" * 501)
    assert "500" in refused.value.message_dict["decline_reason"][0]


def test_answer_states_and_counts_agree(world):
    rows = [
        invite(world, world["zhang"], title="a"),
        invite(world, world["zhang"], title="b", confirmed=True),
        invite(world, world["zhang"], title="c", answered_at=timezone.now(), decline_reason="病假"),
        invite(world, world["zhang"], title="d", outcome=Outcome.EXCUSED),
    ]
    assert [p.answer_state for p in rows] == ["unanswered", "confirmed", "declined", "recorded"]
    qs = selectors.my_invitations(deputy_id=world["zhang"].pk, today=timezone.localdate())
    assert selectors.invitation_counts(qs) == {"recorded": 1, "confirmed": 1, "declined": 1, "unanswered": 1}
    assert list(selectors.unanswered(qs)) == [rows[0]]


# --- 我的活动, the organizer's view ----------------------------------------------------------------


def test_a_deputys_activities_page_is_their_own_not_the_staff_list(login, world):
    invite(world, world["zhang"], days=-30, title="张东参加过的视察", confirmed=True, outcome=Outcome.ATTENDED)
    invite(world, world["li"], days=-30, title="李四参加过的视察", confirmed=True, outcome=Outcome.ATTENDED)
    client = login(Role.DEPUTY)
    response = client.get(reverse("activities:list"))
    assert response.status_code == 302 and response["Location"] == MINE
    page = client.get(MINE, {"year": "all"})
    assert page.status_code == 200
    assert "张东参加过的视察" in page.text and "李四参加过的视察" not in page.text
    assert "出席" in page.text
    assert "邀请" not in [c["label"] for c in page.context["counts"]]


def test_my_activities_ignores_a_bad_year_and_says_so(login, world):
    invite(world, world["zhang"], days=-30, confirmed=True, outcome=Outcome.ATTENDED)
    page = login(Role.DEPUTY).get(MINE, {"year": "1999"})
    assert page.status_code == 200 and "年份“1999”无效" in page.text


def test_staff_still_see_the_activity_list(login, world):
    assert login(Role.STREET_STAFF).get(reverse("activities:list")).status_code == 200


def test_the_activity_page_shows_each_invitees_answer(login, world):
    declined = invite(world, world["zhang"], answered_at=timezone.now(), decline_reason="出差在外")
    factories.ParticipationFactory(activity=declined.activity, deputy=world["li"], confirmed=False,
                                   outcome=Outcome.PENDING)
    page = login(Role.STREET_STAFF).get(reverse("activities:detail", args=[declined.activity_id]))
    text = page.text
    assert "不能参加" in text and "出差在外" in text and "未答复" in text
    counts = {c["value"]: c["count"] for c in page.context["counts"]}
    assert (counts["declined"], counts["unanswered"], counts["confirmed"]) == (1, 1, 0)
