"""Personal registration (个人登记): counts only after the street's staff approve it; return with a reason."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from activities import services
from activities.choices import ActivityKind, OrganizerLevel, Outcome, SelfRegistrationStatus
from activities.models import Activity, Participation, SelfRegistration
from dutyadmin.roles import Role
from dutyadmin.services import Conflict
from oversight.findings.selectors import deputy_findings
from tests import factories

pytestmark = pytest.mark.django_db
MINE = reverse("activities:self_list")
NEW = reverse("activities:self_create")
QUEUE = reverse("activities:review_list")


def registration_data(**changes) -> dict:
    data = {"kind": "station_reception", "title": "在东四街道代表联络站接待选民", "date": "2024-03-05",
            "location": "东四街道代表联络站", "description": "接待群众 6 人,反映停车难问题。"}
    data.update(changes)
    return data


@pytest.fixture
def pending(personas):
    data = registration_data(date=dt.date(2024, 3, 5))
    return services.self_registration_save(user=personas[Role.DEPUTY], data=data)


def receptions(deputy, year: int = 2024) -> int:
    """The deputy's A6.2 count for the year, as the rules engine sees it."""
    findings = deputy_findings(deputy=deputy, as_of=dt.date(year, 12, 31))
    return next(f.count for f in findings if f.rule == "station_receptions" and f.period_start.year == year)


# --- counts only after approval -------------------------------------------------------------------


def test_a_pending_registration_counts_for_nothing(world, pending):
    assert pending.status == SelfRegistrationStatus.PENDING
    assert not Activity.objects.exists() and not Participation.objects.exists()
    assert receptions(world["zhang"]) == 0


def test_approval_creates_the_activity_and_an_attended_participation(world, personas, pending):
    staff = personas[Role.STREET_STAFF]
    approved = services.self_registration_approve(user=staff, registration=pending)
    assert approved.status == SelfRegistrationStatus.APPROVED
    assert (approved.reviewed_by, approved.reviewed_at is not None) == (staff, True)
    activity = approved.activity
    assert (activity.kind, activity.title, activity.date, activity.location) == (
        ActivityKind.STATION_RECEPTION, "在东四街道代表联络站接待选民", dt.date(2024, 3, 5), "东四街道代表联络站")
    assert (activity.organizer_level, activity.street_committee, activity.term) == (
        OrganizerLevel.DEPUTY, world["dongsi"], world["term"])
    participation = Participation.objects.get()
    assert (participation.activity, participation.deputy, participation.confirmed, participation.outcome) == (
        activity, world["zhang"], True, Outcome.ATTENDED)
    assert participation.history.get().history_user == staff
    assert receptions(world["zhang"]) == 1


def test_a_returned_registration_counts_for_nothing_until_resubmitted_and_approved(world, personas, pending):
    staff, deputy = personas[Role.STREET_STAFF], personas[Role.DEPUTY]
    returned = services.self_registration_return(user=staff, registration=pending, reason="请写明接待的群众人数和问题。")
    assert returned.status == SelfRegistrationStatus.RETURNED and not Participation.objects.exists()

    again = services.self_registration_save(user=deputy, registration=returned, data={"description": "接待 6 人。"})
    assert again.status == SelfRegistrationStatus.PENDING and again.reviewed_by is None
    assert again.return_reason == "请写明接待的群众人数和问题。"  # the staff see why it came back
    assert not Participation.objects.exists()

    services.self_registration_approve(user=staff, registration=again)
    assert Participation.objects.get().outcome == Outcome.ATTENDED
    statuses = list(SelfRegistration.history.order_by("history_date").values_list("status", flat=True))
    assert statuses == ["pending", "returned", "pending", "approved"]


def test_a_return_needs_a_reason(personas, pending):
    with pytest.raises(ValidationError) as caught:
        services.self_registration_return(user=personas[Role.STREET_STAFF], registration=pending, reason="  ")
    assert "退回原因" in str(caught.value)


def test_a_registration_is_decided_once(personas, pending):
    services.self_registration_approve(user=personas[Role.STREET_STAFF], registration=pending)
    with pytest.raises(ValidationError):
        services.self_registration_approve(user=personas[Role.STREET_STAFF], registration=pending)
    with pytest.raises(ValidationError):
        services.self_registration_return(user=personas[Role.LIAISON_OFFICE], registration=pending, reason="重复")
    with pytest.raises(PermissionDenied):  # approved: the staff's to change (issue 15)
        services.self_registration_save(user=personas[Role.DEPUTY], registration=pending, data={"title": "改"})
    assert Activity.objects.count() == 1


def test_a_failed_approval_leaves_nothing_behind(world, personas, pending):
    world["zhang"].service_end, world["zhang"].status = dt.date(2024, 2, 1), "resigned"
    world["zhang"].save()
    with pytest.raises(ValidationError):
        services.self_registration_approve(user=personas[Role.STREET_STAFF], registration=pending)
    pending.refresh_from_db()
    assert pending.status == SelfRegistrationStatus.PENDING
    assert not Activity.objects.exists() and not Participation.objects.exists()


@pytest.mark.parametrize("role", [Role.STREET_DIRECTOR, Role.DELEGATION_HEAD, Role.DEPUTY, Role.SECRETARIAT, "nobody"])
def test_only_the_streets_staff_and_the_liaison_office_review(personas, pending, role):
    with pytest.raises(PermissionDenied):
        services.self_registration_approve(user=personas[role], registration=pending)


def test_another_streets_staff_cannot_review(world, pending):
    other = factories.make_user(Role.STREET_STAFF, street_committee=world["chaoyang"])
    with pytest.raises(PermissionDenied):
        services.self_registration_approve(user=other, registration=pending)
    assert not Participation.objects.exists()


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"kind": ActivityKind.INSPECTION}, "kind"), ({"date": dt.date(2099, 1, 1)}, "date"),
     ({"date": dt.date(2021, 6, 1)}, "date"), ({"title": ""}, "title"), ({"location": ""}, "location")],
)
def test_what_a_deputy_may_register(personas, changes, field):
    with pytest.raises(ValidationError) as caught:
        services.self_registration_save(user=personas[Role.DEPUTY], data={**registration_data(date=dt.date(2024, 3, 5)), **changes})
    assert field in caught.value.message_dict


def test_only_a_deputy_registers_for_themself(personas):
    with pytest.raises(PermissionDenied):
        services.self_registration_save(user=personas[Role.STREET_STAFF], data=registration_data())


# --- pages ----------------------------------------------------------------------------------------


def test_a_deputy_registers_and_sees_it_waiting(login):
    client = login(Role.DEPUTY)
    response = client.post(NEW, registration_data())
    assert response.status_code == 302 and response.url == MINE
    page = client.get(MINE).text
    assert "在东四街道代表联络站接待选民" in page and "待审核" in page and "等待街工委审核" in page


def test_the_deputys_form_offers_only_the_kinds_a_deputy_registers(login):
    form = login(Role.DEPUTY).get(NEW).context["form"]
    kinds = {value for value, _label in form.fields["kind"].choices} - {""}
    assert kinds == {"station_reception", "constituent_visit", "duty_report", "group_activity", "invited_event",
                     "court_hearing", "street_meeting", "card_inspection"}


def test_form_errors_show_next_to_the_fields(login):
    response = login(Role.DEPUTY).post(NEW, registration_data(date="2099-01-01", kind="inspection"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "date" in errors and "kind" in errors
    assert not SelfRegistration.objects.exists()


@pytest.mark.parametrize(
    ("role", "mine", "queue"),
    [(Role.DEPUTY, 200, 403), (Role.STREET_STAFF, 403, 200), (Role.LIAISON_OFFICE, 403, 200), (Role.ADMIN, 403, 200),
     (Role.STREET_DIRECTOR, 403, 403), (Role.DELEGATION_HEAD, 403, 403), (Role.SECRETARIAT, 403, 403),
     ("nobody", 403, 403)],
)
def test_who_sees_which_page(login, role, mine, queue):
    client = login(role)
    assert client.get(MINE).status_code == mine
    assert client.get(NEW).status_code == mine
    assert client.get(QUEUE).status_code == queue


def test_the_queue_lists_pending_registrations_of_the_street_and_approves_them(login, world, pending):
    client = login(Role.STREET_STAFF)
    response = client.get(QUEUE)
    assert [r.title for r in response.context["page"].object_list] == ["在东四街道代表联络站接待选民"]
    assert "张东" in response.text
    response = client.post(reverse("activities:self_approve", args=[pending.pk]), follow=True)
    assert "已计入履职统计" in response.text
    assert Participation.objects.get().deputy == world["zhang"]
    assert client.get(QUEUE).context["page"].object_list == [] or not list(client.get(QUEUE).context["page"].object_list)
    approved = client.get(QUEUE, {"status": "approved"})
    assert [r.title for r in approved.context["page"].object_list] == ["在东四街道代表联络站接待选民"]


def test_another_streets_queue_does_not_show_it(login, world, pending):
    from django.test import Client

    client = Client()
    client.force_login(factories.make_user(Role.STREET_STAFF, street_committee=world["chaoyang"]))
    assert not list(client.get(QUEUE).context["page"].object_list)
    assert client.get(reverse("activities:self_detail", args=[pending.pk])).status_code == 404
    assert client.post(reverse("activities:self_approve", args=[pending.pk])).status_code == 404


def test_a_street_director_sees_it_but_cannot_decide(login, pending):
    client = login(Role.STREET_DIRECTOR)
    response = client.get(reverse("activities:self_detail", args=[pending.pk]))
    assert response.status_code == 200 and not response.context["can_review"]
    assert client.post(reverse("activities:self_approve", args=[pending.pk])).status_code == 403


def test_returning_without_a_reason_shows_the_error_next_to_the_field(login, pending):
    response = login(Role.STREET_STAFF).post(reverse("activities:self_return", args=[pending.pk]), {"return_reason": ""})
    assert response.status_code == 400
    assert "请填写退回原因" in str(response.context["return_form"].errors["return_reason"])
    pending.refresh_from_db()
    assert pending.status == SelfRegistrationStatus.PENDING


def test_the_deputy_sees_the_return_reason_and_resubmits(login, pending):
    login(Role.STREET_STAFF).post(reverse("activities:self_return", args=[pending.pk]), {"return_reason": "请补充接待人数。"})
    client = login(Role.DEPUTY)
    page = client.get(MINE).text
    assert "已退回" in page and "请补充接待人数。" in page and "修改后重新提交" in page
    response = client.post(reverse("activities:self_edit", args=[pending.pk]), registration_data(description="接待 8 人。"))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert (pending.status, pending.description) == (SelfRegistrationStatus.PENDING, "接待 8 人。")


def test_an_approved_registration_is_not_edited_and_links_to_its_activity(login, personas, pending):
    services.self_registration_approve(user=personas[Role.STREET_STAFF], registration=pending)
    pending.refresh_from_db()
    client = login(Role.DEPUTY)
    response = client.get(reverse("activities:self_edit", args=[pending.pk]))
    assert response.status_code == 302
    page = client.get(reverse("activities:self_detail", args=[pending.pk])).text
    assert "审核通过" in page and reverse("activities:detail", args=[pending.activity_id]) in page
    # The activity is the deputy's to see.
    assert client.get(reverse("activities:detail", args=[pending.activity_id])).status_code == 200


def test_a_deputy_cannot_open_another_deputys_registration(login, world):
    other = factories.make_user(Role.DEPUTY, deputy=world["li"])
    registration = services.self_registration_save(user=other, data=registration_data(date=dt.date(2024, 3, 5)))
    client = login(Role.DEPUTY)
    assert client.get(reverse("activities:self_edit", args=[registration.pk])).status_code == 404
    assert client.get(reverse("activities:self_detail", args=[registration.pk])).status_code == 404


def test_the_queue_warns_of_a_probable_duplicate(login, world, pending):
    reception = factories.ActivityFactory(
        term=world["term"], kind=ActivityKind.STATION_RECEPTION, date=dt.date(2024, 3, 5),
        organizer_level=OrganizerLevel.STREET_COMMITTEE, street_committee=world["dongsi"],
    )
    factories.ParticipationFactory(activity=reception, deputy=world["zhang"])
    response = login(Role.STREET_STAFF).get(QUEUE)
    assert "当天已有同类活动记录" in response.text


def test_a_bad_status_tab_falls_back_to_pending(login, pending):
    response = login(Role.STREET_STAFF).get(QUEUE, {"status": "nonsense"})
    assert response.status_code == 200 and "无效" in response.text


# --- confirm15: approved stays approved; a repeated review is a 409 ----------------------------------------


def test_a_repeated_approval_is_a_conflict_and_the_page_says_who_decided(login, personas, pending):
    services.self_registration_approve(user=personas[Role.STREET_STAFF], registration=pending)
    with pytest.raises(Conflict) as caught:
        services.self_registration_approve(user=personas[Role.LIAISON_OFFICE], registration=pending)
    assert caught.value.current["status"] == SelfRegistrationStatus.APPROVED
    page = login(Role.STREET_STAFF).post(reverse("activities:self_approve", args=[pending.pk]), follow=True).text
    assert "不能再审核" in page
    assert Activity.objects.count() == 1


def test_a_deputy_opening_an_approved_registration_is_told_who_approved_it(login, personas, pending):
    services.self_registration_approve(user=personas[Role.STREET_STAFF], registration=pending)
    client = login(Role.DEPUTY)
    response = client.post(reverse("activities:self_edit", args=[pending.pk]), registration_data(title="改过"),
                           follow=True)
    assert "审核通过，代表本人不能再修改或删除" in response.text and "请联系工作人员修改" in response.text
    pending.refresh_from_db()
    assert pending.title == "在东四街道代表联络站接待选民"
