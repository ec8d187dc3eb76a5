"""Leave in the browser: a deputy (or staff) asks, each approver's inbox, approve / reject with a
reason / withdraw, the request's page with its chain and history, certificates; refusals are 403
(wrong role or turn) or 404 (out of scope), never a 500."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict
from django.urls import reverse

from dutyadmin.roles import Role
from meetings.choices import LeaveRoute, LeaveStatus, StepStatus
from meetings.models import LeaveApprovalStep, LeaveRequest

from .helpers import leave_in_state

pytestmark = pytest.mark.django_db
NEW = reverse("meetings:leave_create")
INBOX = reverse("meetings:leave_inbox")
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"


def ask_body(district, route=LeaveRoute.DELEGATION_MEETING, **changes) -> dict:
    meetings = {LeaveRoute.WHOLE_SESSION: [], LeaveRoute.PLENARY: [district["m"]["plenary"].pk],
                LeaveRoute.DELEGATION_MEETING: [district["m"]["group"].pk]}.get(route, [])
    body = {"deputy": district["zhang"].pk, "session": district["coming"].pk, "route": route, "meetings": meetings,
            "reason": "赴外地出差"}
    body.update(changes)
    return body


def act(client, leave, action, comment="", **extra):
    return client.post(reverse("meetings:leave_action", args=[leave.pk]), {"action": action, "comment": comment, **extra})


def state(leave) -> tuple:
    fresh = LeaveRequest.objects.get(pk=leave.pk)
    return fresh.status, [model_to_dict(s) for s in LeaveApprovalStep.objects.filter(leave_request=fresh)]


# --- asking --------------------------------------------------------------------------------------


def test_a_deputy_asks_for_delegation_meeting_leave_and_it_waits_for_the_head(district, as_):
    client = as_(Role.DEPUTY)
    page = client.get(NEW)
    assert page.status_code == 200
    assert page.context["only_self"] and "张东(东四)" in page.text
    assert list(page.context["form"].fields["session"].queryset) == [district["coming"]]  # not the session held
    response = client.post(NEW, ask_body(district))
    leave = LeaveRequest.objects.get()
    assert response.status_code == 302 and response.url == reverse("meetings:leave_detail", args=[leave.pk])
    assert (leave.status, leave.created_by.username) == (LeaveStatus.PENDING, "zhangdong")
    assert [s.role for s in leave.steps.order_by("order")] == [Role.DELEGATION_HEAD, Role.SECRETARIAT]
    detail = client.get(response.url)
    assert "代表团团长审批" in detail.text and "待办理" in detail.text
    assert "请假申请已提交" in detail.text


def test_a_deputy_cannot_ask_for_someone_else(district, as_):
    response = as_(Role.DEPUTY).post(NEW, ask_body(district, deputy=district["li"].pk))
    assert response.status_code == 200
    assert "deputy" in response.context["form"].errors
    assert not LeaveRequest.objects.exists()


@pytest.mark.parametrize(("role", "status"), [
    (Role.DEPUTY, 200), (Role.STREET_STAFF, 200), (Role.SECRETARIAT, 200), (Role.LIAISON_OFFICE, 200),
    (Role.STREET_DIRECTOR, 403), (Role.DELEGATION_HEAD, 403), (Role.SC_LEADER, 403), ("nobody", 403),
])
def test_who_may_ask_for_leave(district, as_, role, status):
    assert as_(role).get(NEW).status_code == status


def test_street_staff_ask_for_their_streets_deputies_only(district, as_):
    form = as_(Role.STREET_STAFF).get(NEW).context["form"]
    assert sorted(d.name for d in form.fields["deputy"].queryset) == ["张东", "李四"]
    response = as_(Role.STREET_STAFF).post(NEW, ask_body(district, deputy=district["wang"].pk))
    assert "deputy" in response.context["form"].errors


@pytest.mark.parametrize(("changes", "field"), [
    ({"route": "whole_session", "meetings": []}, None),
    ({"route": "delegation_meeting", "meetings": []}, "meetings"),
    ({"route": "plenary", "meetings": ["group"]}, "meetings"),
    ({"route": "teleport"}, "route"),
    ({"reason": ""}, "reason"),
    ({"session": "past"}, "session"),
    ({"session": "abc"}, "session"),
    ({"meetings": ["99999999999999999999999"]}, "meetings"),
    ({"meetings": ["pm_group"]}, "meetings"),
])
def test_the_form_refuses_what_does_not_fit_next_to_the_field(district, as_, changes, field):
    refs = {"group": district["m"]["group"].pk, "pm_group": district["pm"]["group"].pk, "past": district["past"].pk}
    changes = {k: ([refs.get(v, v) for v in value] if isinstance(value, list) else refs.get(value, value))
               for k, value in changes.items()}
    response = as_(Role.DEPUTY).post(NEW, ask_body(district, **changes))
    if field is None:
        assert response.status_code == 302
        return
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert not LeaveRequest.objects.exists()


def test_a_draft_is_saved_changed_submitted_or_deleted(district, as_):
    client = as_(Role.DEPUTY)
    client.post(NEW, ask_body(district, save_draft="1"))
    draft = LeaveRequest.objects.get()
    assert draft.status == LeaveStatus.DRAFT and not draft.steps.exists()
    edit = reverse("meetings:leave_edit", args=[draft.pk])
    assert client.post(edit, ask_body(district, reason="改为参加培训", save_draft="1")).status_code == 302
    draft.refresh_from_db()
    assert draft.reason == "改为参加培训"
    act(client, draft, "submit")
    draft.refresh_from_db()
    assert draft.status == LeaveStatus.PENDING
    # A submitted request is no longer edited in place.
    assert client.get(edit).status_code == 302
    other = client.post(NEW, ask_body(district, save_draft="1"))
    second = LeaveRequest.objects.get(status=LeaveStatus.DRAFT)
    assert other.status_code == 302
    assert act(client, second, "delete").status_code == 302
    assert not LeaveRequest.objects.filter(pk=second.pk).exists()


# --- certificates ----------------------------------------------------------------------------------


def test_a_whole_session_request_carries_its_certificate_for_whoever_may_see_it(district, as_):
    upload = SimpleUploadedFile("单位证明.pdf", PDF, content_type="application/pdf")
    response = as_(Role.STREET_STAFF).post(NEW, {**ask_body(district, LeaveRoute.WHOLE_SESSION), "certificate": upload})
    assert response.status_code == 302
    leave = LeaveRequest.objects.get()
    url = reverse("meetings:leave_certificate", args=[leave.pk])
    download = as_(Role.STREET_DIRECTOR).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert as_("other_director").get(url).status_code == 404
    assert "未上传" not in as_(Role.STREET_DIRECTOR).get(reverse("meetings:leave_detail", args=[leave.pk])).text


@pytest.mark.parametrize(("name", "content", "words"), [
    ("证明.pdf", b"MZ\x90\x00 not a pdf", "内容与扩展名不符"),
    ("证明.exe", b"MZ\x90\x00", "pdf、jpg 或 png"),
    ("证明.png", PDF, "内容与扩展名不符"),
    ("证明.pdf", PDF + b"0" * (10 * 1024 * 1024), "10 MB"),
])
def test_a_certificate_that_is_not_a_real_pdf_or_image_is_refused_next_to_the_field(district, as_, name, content,
                                                                                    words):
    upload = SimpleUploadedFile(name, content)
    response = as_(Role.STREET_STAFF).post(NEW, {**ask_body(district, LeaveRoute.WHOLE_SESSION), "certificate": upload})
    assert response.status_code == 200
    assert words in str(response.context["form"].errors["certificate"])
    assert not LeaveRequest.objects.exists()


def test_approvers_are_warned_when_the_certificate_is_missing(district, people, as_):
    leave = leave_in_state(deputy=district["zhang"], session=district["coming"], status=LeaveStatus.PENDING,
                           route=LeaveRoute.WHOLE_SESSION, admin=people[Role.ADMIN])
    warning = "没有上传"
    assert warning in as_(Role.STREET_DIRECTOR).get(INBOX).text
    assert warning in as_(Role.STREET_DIRECTOR).get(reverse("meetings:leave_detail", args=[leave.pk])).text


def test_a_missing_certificate_file_is_a_404(district, as_):
    assert as_(Role.SECRETARIAT).get(reverse("meetings:leave_certificate", args=[123456])).status_code == 404


# --- inboxes ---------------------------------------------------------------------------------------


@pytest.fixture
def three_routes(district, people):
    """One pending request of 张东 on each route, still at the first step."""
    admin = people[Role.ADMIN]
    return {
        LeaveRoute.WHOLE_SESSION: leave_in_state(deputy=district["zhang"], session=district["coming"],
                                                 status=LeaveStatus.PENDING, route=LeaveRoute.WHOLE_SESSION,
                                                 admin=admin),
        LeaveRoute.PLENARY: leave_in_state(deputy=district["zhang"], session=district["coming"],
                                           status=LeaveStatus.PENDING, route=LeaveRoute.PLENARY,
                                           meetings=[district["m"]["plenary"]], admin=admin),
        LeaveRoute.DELEGATION_MEETING: leave_in_state(deputy=district["zhang"], session=district["coming"],
                                                      status=LeaveStatus.PENDING,
                                                      route=LeaveRoute.DELEGATION_MEETING,
                                                      meetings=[district["m"]["group"]], admin=admin),
    }


def inbox_of(as_, who) -> set:
    return {row["leave"].route for row in as_(who).get(INBOX).context["rows"]}


def test_each_inbox_holds_what_waits_for_that_approver_in_their_scope(three_routes, as_):
    assert inbox_of(as_, Role.STREET_DIRECTOR) == {LeaveRoute.WHOLE_SESSION}
    assert inbox_of(as_, Role.DELEGATION_HEAD) == {LeaveRoute.PLENARY, LeaveRoute.DELEGATION_MEETING}
    for nobody_yet in (Role.SECRETARIAT, Role.PRESIDIUM_SECRETARY_GENERAL, Role.SC_OFFICE, Role.SC_LEADER,
                       "other_director", "other_head"):
        assert inbox_of(as_, nobody_yet) == set(), nobody_yet
    assert inbox_of(as_, Role.ADMIN) == set(three_routes)


def test_the_request_moves_from_inbox_to_inbox_along_its_chain(three_routes, as_):
    leave = three_routes[LeaveRoute.PLENARY]
    for who, action in ((Role.DELEGATION_HEAD, "approve"), (Role.SECRETARIAT, "approve"),
                        (Role.PRESIDIUM_SECRETARY_GENERAL, "approve")):
        assert LeaveRoute.PLENARY in inbox_of(as_, who)
        response = act(as_(who), leave, action, "同意", next=INBOX)
        assert response.status_code == 302 and response.url == INBOX
        assert LeaveRoute.PLENARY not in inbox_of(as_, who)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.APPROVED
    assert [s.acted_by.username for s in leave.steps.order_by("order")] == ["head", "secretariat", "secgen"]


@pytest.mark.parametrize("role", [Role.DEPUTY, Role.STREET_STAFF, Role.LIAISON_OFFICE, "nobody"])
def test_roles_that_approve_nothing_have_no_inbox(district, as_, role):
    assert as_(role).get(INBOX).status_code == 403


# --- acting ----------------------------------------------------------------------------------------


def test_reject_needs_a_reason_shown_next_to_the_field_and_nothing_changes(three_routes, as_):
    leave = three_routes[LeaveRoute.DELEGATION_MEETING]
    before = state(leave)
    response = act(as_(Role.DELEGATION_HEAD), leave, "reject", "   ", next=INBOX)
    assert response.status_code == 400
    assert "驳回时请填写理由" in str(response.context["action_form"].errors["comment"])
    assert state(leave) == before


def test_reject_ends_the_request_and_everyone_sees_the_reason(three_routes, as_):
    leave = three_routes[LeaveRoute.DELEGATION_MEETING]
    act(as_(Role.DELEGATION_HEAD), leave, "reject", "会议重要,请安排好工作后参会")
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.REJECTED
    for who in (Role.DEPUTY, Role.STREET_STAFF, Role.SECRETARIAT):
        html = as_(who).get(reverse("meetings:leave_detail", args=[leave.pk])).text
        assert "会议重要,请安排好工作后参会" in html and "被驳回" in html


@pytest.mark.parametrize("who", [Role.SECRETARIAT, Role.PRESIDIUM_SECRETARY_GENERAL, Role.SC_OFFICE, Role.SC_LEADER,
                                 Role.STREET_DIRECTOR, Role.STREET_STAFF, Role.DEPUTY])
@pytest.mark.parametrize("action", ["approve", "reject"])
def test_acting_out_of_turn_is_a_403_and_nothing_changes(three_routes, as_, who, action):
    leave = three_routes[LeaveRoute.PLENARY]
    before = state(leave)
    assert act(as_(who), leave, action, "不行").status_code == 403
    assert state(leave) == before


def test_an_approver_out_of_scope_gets_a_404(three_routes, as_):
    leave = three_routes[LeaveRoute.WHOLE_SESSION]
    before = state(leave)
    assert act(as_("other_director"), leave, "approve").status_code == 404
    assert as_("other_head").get(reverse("meetings:leave_detail", args=[leave.pk])).status_code == 404
    assert state(leave) == before


def test_the_deputy_withdraws_before_the_deciding_step_but_not_after(three_routes, as_):
    # Issue 12: the head's approval decides a delegation-meeting leave, so it can no longer be withdrawn
    # then (before, it could until the secretariat filed it). Withdraw before the deciding step instead.
    leave = three_routes[LeaveRoute.WHOLE_SESSION]
    act(as_(Role.STREET_DIRECTOR), leave, "approve")
    assert act(as_(Role.DEPUTY), leave, "withdraw", "行程取消").status_code == 302
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.WITHDRAWN
    assert [s.status for s in leave.steps.order_by("order")] == [StepStatus.DONE] + [StepStatus.CANCELLED] * 3

    decided = three_routes[LeaveRoute.DELEGATION_MEETING]
    act(as_(Role.DELEGATION_HEAD), decided, "approve")
    deputy = as_(Role.DEPUTY)
    response = act(deputy, decided, "withdraw")
    assert response.status_code == 302
    decided.refresh_from_db()
    assert decided.status == LeaveStatus.APPROVED
    assert "不能撤回" in deputy.get(response.url).text

    approved = three_routes[LeaveRoute.PLENARY]
    for who in (Role.DELEGATION_HEAD, Role.SECRETARIAT, Role.PRESIDIUM_SECRETARY_GENERAL):
        act(as_(who), approved, "approve")
    deputy = as_(Role.DEPUTY)
    response = act(deputy, approved, "withdraw")
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.status == LeaveStatus.APPROVED
    assert "不能撤回" in deputy.get(response.url).text


def test_others_cannot_withdraw_a_deputys_request(three_routes, as_):
    leave = three_routes[LeaveRoute.PLENARY]
    assert act(as_(Role.DELEGATION_HEAD), leave, "withdraw").status_code == 403
    assert act(as_("li"), leave, "withdraw").status_code == 404  # another deputy does not even see it
    assert LeaveRequest.objects.get(pk=leave.pk).status == LeaveStatus.PENDING


def test_the_request_page_shows_each_step_and_the_history(three_routes, as_):
    leave = three_routes[LeaveRoute.DELEGATION_MEETING]
    act(as_(Role.DELEGATION_HEAD), leave, "approve", "同意,注意补学")
    page = as_(Role.DEPUTY).get(reverse("meetings:leave_detail", args=[leave.pk]))
    assert page.status_code == 200
    html = page.text
    assert "代表团团长审批" in html and "同意,注意补学" in html and "报大会秘书处备案" in html
    kinds = [(e.record_type, e.who) for e in page.context["history"]]
    assert ("请假审批", "head") in kinds and ("请假申请", "admin") in kinds


def test_nonsense_actions_and_parameters_never_crash(three_routes, as_):
    leave = three_routes[LeaveRoute.PLENARY]
    client = as_(Role.DELEGATION_HEAD)
    assert act(client, leave, "explode").status_code == 302
    assert client.get(reverse("meetings:leave_action", args=[leave.pk])).status_code == 405
    assert client.get("/meetings/leave/abc/").status_code == 404
    assert client.get("/meetings/leave/99999999999999999999/").status_code == 404
    listing = client.get(reverse("meetings:leave_list"), {"page": "abc", "status": "bogus", "session": "x"})
    assert listing.status_code == 200 and "无效" in listing.text
    assert client.get(INBOX, {"page": "-3"}).status_code == 200
    # A `next` elsewhere is not followed.
    response = act(client, leave, "approve", next="https://example.com/")
    assert response.url == reverse("meetings:leave_detail", args=[leave.pk])


def test_an_invalid_filter_of_the_list_is_named_and_the_others_still_apply(three_routes, as_):
    response = as_(Role.ADMIN).get(reverse("meetings:leave_list"), {"status": "bogus", "route": LeaveRoute.PLENARY})
    assert response.status_code == 200
    assert response.context["notices"] == ["筛选条件无效,已忽略:状态。"]
    assert [leave.route for leave in response.context["page"]] == [LeaveRoute.PLENARY]


def test_the_list_is_scoped(three_routes, district, people, as_):
    leave_in_state(deputy=district["wang"], session=district["coming"], status=LeaveStatus.PENDING,
                   route=LeaveRoute.WHOLE_SESSION, admin=people[Role.ADMIN])
    def names(who):
        return {leave.deputy.name for leave in as_(who).get(reverse("meetings:leave_list")).context["page"]}
    assert names(Role.DEPUTY) == {"张东"}
    assert names("li") == set()
    assert names(Role.STREET_STAFF) == {"张东"}
    assert names("other_staff") == {"王朝"}
    assert names(Role.SECRETARIAT) == {"张东", "王朝"}


def test_every_problem_of_the_form_shows_at_once(district, as_):
    response = as_(Role.DEPUTY).post(NEW, ask_body(district, reason="", meetings=[]))
    assert {"reason", "meetings"} <= set(response.context["form"].errors)
    assert "请选择要请假的会议" in response.text
