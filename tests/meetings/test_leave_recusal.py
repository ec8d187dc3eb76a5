"""Recusal (回避, RULES.md "Leave"), one click one step (409 on a repeat) and a history row for every step
laid out, completed and cancelled (issue 17)."""
import pytest
from django.core.exceptions import PermissionDenied
from django.test import Client

from activities.models import SelfRegistration
from dutyadmin.permissions import ForRule, allows
from dutyadmin.roles import Role
from dutyadmin.services import Conflict
from meetings.choices import LeaveRoute, LeaveStatus, StepStatus
from meetings.models import LeaveApprovalStep
from meetings.selectors import leave_inbox, leave_request_history
from meetings.services import (
    leave_request_approve, leave_request_reject, leave_request_save, leave_request_submit, leave_request_withdraw,
)
from oversight.models import Notification
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def place(make_user):
    term = factories.TermFactory()
    street = factories.StreetCommitteeFactory(name="东四", code="DS")
    delegation = factories.DelegationFactory(term=term, name="东四代表团")
    head = factories.DeputyFactory(term=term, street_committee=street, delegation=delegation, name="团长本人")
    delegation.head = head
    delegation.save()
    member = factories.DeputyFactory(term=term, street_committee=street, delegation=delegation, name="普通代表")
    session = factories.CongressSessionFactory(term=term)
    meetings = {LeaveRoute.PLENARY: factories.MeetingFactory(session=session, kind="plenary", half_day="am"),
                LeaveRoute.DELEGATION_MEETING: factories.MeetingFactory(session=session, kind="delegation",
                                                                        half_day="pm")}
    return {
        "head": head, "member": member, "session": session, "meetings": meetings,
        "head_user": make_user(Role.DELEGATION_HEAD, delegation=delegation, deputy=head, username="head"),
        "staff": make_user(Role.STREET_STAFF, street_committee=street),
        "secretariat": make_user(Role.SECRETARIAT, username="sec"),
        "secgen": make_user(Role.PRESIDIUM_SECRETARY_GENERAL),
        "admin": make_user(Role.ADMIN),
    }


def submitted(place, deputy, route):
    data = {"deputy": deputy, "session": place["session"], "route": route, "reason": "出差"}
    if route != LeaveRoute.WHOLE_SESSION:
        data["meetings"] = [place["meetings"][route]]
    leave = leave_request_save(user=place["staff"], data=data)
    return leave_request_submit(user=place["staff"], leave_request=leave)


@pytest.mark.parametrize("route", [LeaveRoute.DELEGATION_MEETING, LeaveRoute.PLENARY])
def test_a_head_may_not_act_on_their_own_leave_and_the_secretariat_stands_in(place, route):
    leave = submitted(place, place["head"], route)
    with pytest.raises(PermissionDenied, match="回避"):
        leave_request_approve(user=place["head_user"], leave_request=leave, step=1)
    assert not leave_inbox(user=place["head_user"]).filter(pk=leave.pk).exists()
    assert leave_inbox(user=place["secretariat"]).filter(pk=leave.pk).exists()
    # The secretariat was told, the head was not.
    told = set(Notification.objects.filter(object_key__startswith="leave_step:").values_list("recipient__username",
                                                                                              flat=True))
    assert "sec" in told and "head" not in told
    leave_request_approve(user=place["secretariat"], leave_request=leave, step=1, comment="代团长办理")
    first = leave.steps.get(order=1)
    assert (first.status, first.acted_by, first.stood_in) == (StepStatus.DONE, place["secretariat"], True)
    leave.refresh_from_db()
    if route == LeaveRoute.DELEGATION_MEETING:
        assert leave.status == LeaveStatus.APPROVED  # the head's deciding step, taken by the secretariat
    else:
        assert leave.status == LeaveStatus.PENDING
    api = Client()
    api.force_login(place["admin"])
    steps = api.get(f"/api/v1/leave-requests/{leave.pk}/").json()["steps"]
    assert steps[0]["stood_in"] is True and steps[0]["acted_by"] == place["secretariat"].pk
    page = api.get(f"/meetings/leave/{leave.pk}/").content.decode()
    assert "依回避原则由大会秘书处代为办理" in page


def test_a_head_still_decides_their_members_leave_and_the_secretariat_does_not(place):
    leave = submitted(place, place["member"], LeaveRoute.DELEGATION_MEETING)
    assert leave_inbox(user=place["head_user"]).filter(pk=leave.pk).exists()
    assert not leave_inbox(user=place["secretariat"]).filter(pk=leave.pk).exists()
    with pytest.raises(PermissionDenied):
        leave_request_approve(user=place["secretariat"], leave_request=leave)
    leave_request_approve(user=place["head_user"], leave_request=leave)
    assert leave.steps.get(order=1).stood_in is False


def test_the_head_may_not_sign_later_steps_of_their_own_leave_even_through_the_api(place):
    leave = submitted(place, place["head"], LeaveRoute.PLENARY)
    client = Client()
    client.force_login(place["head_user"])
    response = client.post(f"/api/v1/leave-requests/{leave.pk}/approve/", {"step": 1}, content_type="application/json")
    assert response.status_code == 403 and "回避" in response.json()["detail"]
    assert leave.steps.filter(status=StepStatus.DONE).count() == 0


def test_a_repeated_approval_naming_the_step_is_409_with_the_current_state(place):
    leave = submitted(place, place["member"], LeaveRoute.PLENARY)
    client = Client()
    client.force_login(place["admin"])
    url = f"/api/v1/leave-requests/{leave.pk}/approve/"
    assert client.post(url, {"step": 1}, content_type="application/json").status_code == 200
    again = client.post(url, {"step": 1}, content_type="application/json")
    assert again.status_code == 409
    assert again.json()["current"] == {"status": "pending", "step": 2, "step_label": "报大会秘书处"}
    assert leave.steps.filter(status=StepStatus.DONE).count() == 1
    # Without `step`, right after the same admin completed step 1, it is taken as a repeat too: 409, and
    # the answer says to name the step to go on.
    unnamed = client.post(url, {}, content_type="application/json")
    assert unnamed.status_code == 409
    assert "请注明环节序号" in unnamed.json()["status"][0]
    assert leave.steps.filter(status=StepStatus.DONE).count() == 1
    assert client.post(url, {"step": 2}, content_type="application/json").status_code == 200
    assert leave.steps.filter(status=StepStatus.DONE).count() == 2


def test_a_double_click_on_the_page_completes_one_step(place):
    leave = submitted(place, place["member"], LeaveRoute.DELEGATION_MEETING)
    client = Client()
    client.force_login(place["head_user"])
    detail = client.get(f"/meetings/leave/{leave.pk}/").content.decode()
    assert 'name="step" value="1"' in detail
    for _ in range(2):
        response = client.post(f"/meetings/leave/{leave.pk}/act/", {"action": "approve", "step": "1", "comment": ""},
                               follow=True)
    assert "该环节已经办理" in response.content.decode()
    assert leave.steps.filter(status=StepStatus.DONE).count() == 1
    assert leave.steps.get(order=2).status == StepStatus.WAITING


def test_a_repeated_withdraw_or_submit_is_409(place):
    leave = submitted(place, place["member"], LeaveRoute.PLENARY)
    client = Client()
    client.force_login(place["staff"])
    assert client.post(f"/api/v1/leave-requests/{leave.pk}/submit/").status_code == 409
    url = f"/api/v1/leave-requests/{leave.pk}/withdraw/"
    assert client.post(url, {"comment": "会期调整"}, content_type="application/json").status_code == 200
    assert client.post(url, {"comment": "会期调整"}, content_type="application/json").status_code == 409
    with pytest.raises(Conflict):
        leave_request_withdraw(user=place["staff"], leave_request=leave)


def test_every_step_laid_out_completed_and_cancelled_has_a_history_row_with_its_comment(place):
    leave = submitted(place, place["member"], LeaveRoute.PLENARY)
    steps = LeaveApprovalStep.history.filter(leave_request_id=leave.pk)
    assert steps.filter(history_type="+").count() == 3
    assert all(row.history_user == place["staff"] for row in steps.filter(history_type="+"))
    leave_request_approve(user=place["admin"], leave_request=leave)
    leave_request_withdraw(user=place["staff"], leave_request=leave, comment="会期调整,不再请假")
    cancelled = steps.filter(history_type="~", status=StepStatus.CANCELLED)
    assert cancelled.count() == 2 and all(r.comment == "会期调整,不再请假" for r in cancelled)
    assert leave.history.first().history_change_reason == "会期调整,不再请假"
    history = leave_request_history(leave=leave)
    texts = " ".join(f"{e.record_type} {e.action} " + " ".join(f"{c.field}{c.after}" for c in e.changes)
                     for e in history)
    assert "已取消" in texts and "会期调整,不再请假" in texts


def test_a_rejection_cancels_the_rest_with_history(place):
    leave = submitted(place, place["member"], LeaveRoute.PLENARY)
    leave_request_reject(user=place["admin"], leave_request=leave, comment="理由不充分")
    rows = LeaveApprovalStep.history.filter(leave_request_id=leave.pk, history_type="~")
    assert sorted(r.status for r in rows) == [StepStatus.CANCELLED, StepStatus.CANCELLED, StepStatus.REJECTED]


def test_a_street_director_may_not_record_their_own_talk_nor_staff_review_their_own_registration(place, make_user):
    street, term = place["member"].street_committee, place["member"].term
    me, other = (factories.DeputyFactory(term=term, street_committee=street) for _ in range(2))
    director = make_user(Role.STREET_DIRECTOR, street_committee=street, deputy=me)
    assert not allows(director, "record_intervention", ForRule(me, "no_contact_talk"))
    assert allows(director, "record_intervention", ForRule(other, "no_contact_talk"))
    me2 = factories.DeputyFactory(term=term, street_committee=street)
    office = make_user(Role.LIAISON_OFFICE, deputy=me2)
    assert not allows(office, "record_intervention", ForRule(me2, "no_contact_talk"))
    assert allows(office, "record_intervention", ForRule(other, "no_contact_talk"))
    me3 = factories.DeputyFactory(term=term, street_committee=street)
    staff = make_user(Role.STREET_STAFF, street_committee=street, deputy=me3)
    day = place["session"].start_date
    own = SelfRegistration.objects.create(deputy=me3, kind="constituent_visit", title="走访", date=day, location="东四")
    theirs = SelfRegistration.objects.create(deputy=other, kind="constituent_visit", title="走访", date=day,
                                             location="东四")
    assert not allows(staff, "review_self_registration", own)
    assert allows(staff, "review_self_registration", theirs)


# --- confirm15: a street director's own whole-session leave (RULES.md Recusal) ----------------------------


@pytest.fixture
def director_place(place, make_user):
    street = place["member"].street_committee
    director = factories.DeputyFactory(term=place["member"].term, street_committee=street, name="主任本人")
    return {**place, "director": director,
            "director_user": make_user(Role.STREET_DIRECTOR, street_committee=street, deputy=director,
                                       username="director"),
            "sc_office": make_user(Role.SC_OFFICE, username="sco")}


def test_a_street_directors_own_whole_session_leave_is_agreed_by_the_secretariat_standing_in(director_place):
    place = director_place
    leave = submitted(place, place["director"], LeaveRoute.WHOLE_SESSION)
    with pytest.raises(PermissionDenied, match="回避"):
        leave_request_approve(user=place["director_user"], leave_request=leave, step=1)
    assert not leave_inbox(user=place["director_user"]).filter(pk=leave.pk).exists()
    assert leave_inbox(user=place["secretariat"]).filter(pk=leave.pk).exists()
    told = set(Notification.objects.filter(object_key__startswith="leave_step:").values_list("recipient__username",
                                                                                              flat=True))
    assert "sec" in told and "director" not in told
    leave_request_approve(user=place["secretariat"], leave_request=leave, step=1, comment="代街工委主任办理")
    first = leave.steps.get(order=1)
    assert (first.code, first.status, first.acted_by, first.stood_in) == (
        "street_director_agree", StepStatus.DONE, place["secretariat"], True)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.PENDING  # the route goes on: the SC office, then the SC chair decides
    assert leave_inbox(user=place["sc_office"]).filter(pk=leave.pk).exists()
    assert first.history.latest().history_user == place["secretariat"]


def test_the_director_still_agrees_to_the_other_deputies_leave_and_the_secretariat_does_not(director_place):
    place = director_place
    leave = submitted(place, place["member"], LeaveRoute.WHOLE_SESSION)
    assert leave_inbox(user=place["director_user"]).filter(pk=leave.pk).exists()
    assert not leave_inbox(user=place["secretariat"]).filter(pk=leave.pk).exists()
    with pytest.raises(PermissionDenied):
        leave_request_approve(user=place["secretariat"], leave_request=leave, step=1)
    leave_request_approve(user=place["director_user"], leave_request=leave, step=1)
    first = leave.steps.get(order=1)
    assert (first.acted_by, first.stood_in) == (place["director_user"], False)


def test_a_director_of_another_street_is_no_stand_in_case(director_place, make_user):
    place = director_place
    other = factories.StreetCommitteeFactory(name="朝阳门", code="CY")
    elsewhere = make_user(Role.STREET_DIRECTOR, street_committee=other, deputy=place["member"], username="cy-dir")
    assert elsewhere  # the member directs another street: their own street's director agrees, as for anyone
    leave = submitted(place, place["member"], LeaveRoute.WHOLE_SESSION)
    assert leave_inbox(user=place["director_user"]).filter(pk=leave.pk).exists()
    assert not leave_inbox(user=place["secretariat"]).filter(pk=leave.pk).exists()
