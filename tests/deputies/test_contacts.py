"""A10.5 (Art. 10(五)): contact assignments and contacts — the sc_member's scope on pages and API, assignment
validation, contact logging, the field names of contact-assignments/ and contacts/, query pins."""
import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from deputies import contacts
from deputies.models import Contact, ContactAssignment
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    term = factories.TermFactory(start_date=dt.date(2022, 1, 1), end_date=dt.date(2026, 12, 31))
    street = factories.StreetCommitteeFactory(name="东四", code="DS")
    deputies = [factories.DeputyFactory(term=term, street_committee=street, name=f"代表{i}") for i in range(9)]
    member = factories.make_user("sc_member", username="member")
    other = factories.make_user("sc_member", username="other")
    liaison = factories.make_user("liaison_office", username="liaison")
    mine = [factories.ContactAssignmentFactory(term=term, member=member, deputy=d) for d in deputies[:6]]
    theirs = [factories.ContactAssignmentFactory(term=term, member=other, deputy=d) for d in deputies[6:8]]
    return {"term": term, "deputies": deputies, "member": member, "other": other, "liaison": liaison,
            "mine": mine, "theirs": theirs}


def api(user):
    client = APIClient()
    client.force_authenticate(user)
    return client


# --- scope --------------------------------------------------------------------------------------


def test_the_member_lists_only_their_own_assignments_and_contacts(world):
    factories.ContactFactory(assignment=world["mine"][0])
    factories.ContactFactory(assignment=world["theirs"][0])
    client = api(world["member"])
    rows = client.get("/api/v1/contact-assignments/", {"page_size": 100}).json()["results"]
    assert {r["id"] for r in rows} == {a.pk for a in world["mine"]}
    rows = client.get("/api/v1/contacts/").json()["results"]
    assert [r["assignment"] for r in rows] == [world["mine"][0].pk]


def test_another_members_assignment_and_contact_are_404(world):
    contact = factories.ContactFactory(assignment=world["theirs"][0])
    client = api(world["member"])
    assert client.get(f"/api/v1/contact-assignments/{world['theirs'][0].pk}/").status_code == 404
    assert client.get(f"/api/v1/contacts/{contact.pk}/").status_code == 404
    assert client.patch(f"/api/v1/contacts/{contact.pk}/", {"notes": "x"}, format="json").status_code == 404


def test_the_member_sees_no_deputy_records_beyond_their_contacts(world):
    """deputy_q is not widened: deputies/, activities, suspensions, interventions stay empty for a sc_member."""
    client = api(world["member"])
    for endpoint in ("deputies", "suspensions", "participations", "interventions", "attendance", "contributions"):
        assert client.get(f"/api/v1/{endpoint}/").json()["count"] == 0, endpoint
    assert client.get(f"/api/v1/deputies/{world['deputies'][0].pk}/").status_code == 404


def test_the_members_page_lists_their_deputies_only(world, client):
    client.force_login(world["member"])
    page = client.get(reverse("contacts:mine")).content.decode()
    for deputy in world["deputies"][:6]:
        assert deputy.name in page
    for deputy in world["deputies"][6:]:
        assert deputy.name not in page


def test_the_members_page_says_who_is_not_yet_contacted_this_year(world, client):
    today = timezone.localdate()
    factories.ContactFactory(assignment=world["mine"][0], date=today)
    factories.ContactFactory(assignment=world["mine"][1], date=dt.date(today.year - 1, 12, 31))  # last year only
    client.force_login(world["member"])
    response = client.get(reverse("contacts:mine"))
    owed = {r["a"].deputy.name for r in response.context["owed"]}
    assert owed == {d.name for d in world["deputies"][1:6]}
    assert f"{today.year}年尚未联系 5 名代表" in response.content.decode()


def test_only_the_liaison_office_opens_the_assignment_pages(world, client):
    client.force_login(world["member"])
    assert client.get(reverse("contacts:assignments")).status_code == 403
    assert client.get(reverse("contacts:assignment_edit", args=[world["member"].pk])).status_code == 403
    client.force_login(factories.make_user("street_staff", street_committee=world["deputies"][0].street_committee))
    assert client.get(reverse("contacts:mine")).status_code == 403


def test_todo_home_lists_deputies_not_contacted_this_year(world, client):
    factories.ContactFactory(assignment=world["mine"][0], date=timezone.localdate())
    client.force_login(world["member"])
    page = client.get(reverse("home")).content.decode()
    assert f"{timezone.localdate().year}年尚未联系的代表" in page


# --- assignment ---------------------------------------------------------------------------------


def test_the_office_page_warns_below_five_and_above_six_but_saves(world, client):
    client.force_login(world["liaison"])
    url = reverse("contacts:assignment_edit", args=[world["other"].pk])
    response = client.post(url, {"deputies": [d.pk for d in world["deputies"][:4]]}, follow=True)
    assert ContactAssignment.objects.filter(member=world["other"]).count() == 4
    assert "少于第十条（五）规定的 5 名" in response.content.decode()
    response = client.post(url, {"deputies": [d.pk for d in world["deputies"][:7]]}, follow=True)
    assert ContactAssignment.objects.filter(member=world["other"]).count() == 7
    assert "多于第十条（五）规定的 6 名" in response.content.decode()
    response = client.post(url, {"deputies": [d.pk for d in world["deputies"][:5]]}, follow=True)
    assert "已保存" in response.content.decode() and "少于" not in response.content.decode()


def test_an_assignment_with_contacts_cannot_be_dropped(world, client):
    factories.ContactFactory(assignment=world["theirs"][0])
    client.force_login(world["liaison"])
    url = reverse("contacts:assignment_edit", args=[world["other"].pk])
    response = client.post(url, {"deputies": [world["deputies"][7].pk]})
    assert response.status_code == 200
    assert "已有与代表代表6的联系记录，不能取消这项分配" in response.content.decode()
    assert ContactAssignment.objects.filter(member=world["other"]).count() == 2  # nothing changed


def test_api_assignment_needs_a_sc_member_user_and_a_deputy_of_the_term(world):
    client = api(world["liaison"])
    not_member = factories.make_user("street_staff")
    body = {"term": world["term"].pk, "member": not_member.pk, "deputy": world["deputies"][8].pk}
    response = client.post("/api/v1/contact-assignments/", body, format="json")
    assert response.status_code == 400 and "不是常委会组成人员" in response.json()["member"][0]
    other_term = factories.TermFactory(number=99)
    body = {"term": other_term.pk, "member": world["member"].pk, "deputy": world["deputies"][8].pk}
    assert client.post("/api/v1/contact-assignments/", body, format="json").status_code == 400
    body = {"term": world["term"].pk, "member": world["member"].pk, "deputy": world["deputies"][0].pk}
    response = client.post("/api/v1/contact-assignments/", body, format="json")
    assert response.status_code == 400 and "已经分配" in response.json()["deputy"][0]
    assert api(world["member"]).post("/api/v1/contact-assignments/", {**body, "deputy": world["deputies"][8].pk},
                                     format="json").status_code == 403


def test_api_field_names_are_the_contracts(world):
    contact = factories.ContactFactory(assignment=world["mine"][0], mode="group_activity", notes="联组活动")
    client = api(world["member"])
    row = client.get(f"/api/v1/contact-assignments/{world['mine'][0].pk}/").json()
    assert {"term", "member", "deputy"} <= row.keys()
    assert row["member"] == world["member"].pk and row["deputy"] == world["deputies"][0].pk
    row = client.get(f"/api/v1/contacts/{contact.pk}/").json()
    assert {"assignment", "date", "mode", "notes"} <= row.keys()
    assert (row["assignment"], row["date"], row["mode"], row["mode_label"]) == (
        world["mine"][0].pk, "2025-03-01", "group_activity", "参加代表联组活动")


# --- logging contacts ---------------------------------------------------------------------------


def test_the_member_logs_a_contact_with_today_as_default(world):
    client = api(world["member"])
    response = client.post("/api/v1/contacts/", {"assignment": world["mine"][2].pk, "mode": "phone"}, format="json")
    assert response.status_code == 201, response.content
    contact = Contact.objects.get()
    assert contact.date == timezone.localdate() and contact.created_by == world["member"]
    assert contact.history.get().history_user == world["member"]


def test_a_contact_in_the_future_or_outside_the_term_or_with_a_bad_mode_is_refused(world):
    client = api(world["member"])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    for body, field, text in (
        ({"date": tomorrow.isoformat(), "mode": "visit"}, "date", "不能晚于今天"),
        ({"date": "2021-12-31", "mode": "visit"}, "date", "不在"),
        ({"date": "2025-01-01", "mode": "email"}, "mode", "联系方式"),
    ):
        response = client.post("/api/v1/contacts/", {"assignment": world["mine"][0].pk, **body}, format="json")
        assert response.status_code == 400 and text in str(response.json()[field]), response.json()
    assert not Contact.objects.exists()


def test_a_member_cannot_log_a_contact_for_another_members_deputy(world):
    response = api(world["member"]).post("/api/v1/contacts/", {"assignment": world["theirs"][0].pk, "mode": "visit",
                                                                "date": "2025-01-02"}, format="json")
    assert response.status_code == 400 and "不在您的管理范围内" in str(response.json()["assignment"])
    assert not Contact.objects.exists()


def test_the_page_form_logs_a_contact_and_refuses_a_future_date(world, client):
    client.force_login(world["member"])
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(reverse("contacts:mine"), {"assignment": world["mine"][0].pk, "date": tomorrow.isoformat(),
                                                      "mode": "visit", "notes": ""})
    assert response.status_code == 200 and "不能晚于今天" in response.content.decode()
    assert not Contact.objects.exists()
    response = client.post(reverse("contacts:mine"), {"assignment": world["mine"][0].pk, "date": "2025-06-01",
                                                      "mode": "forum", "notes": "座谈会"})
    assert response.status_code == 302
    assert Contact.objects.get().mode == "forum"
    response = client.post(reverse("contacts:mine"), {"assignment": world["theirs"][0].pk, "date": "2025-06-01",
                                                      "mode": "forum"})
    assert response.status_code == 200 and Contact.objects.count() == 1


def test_a_contact_is_not_in_services_reach_of_another_member(world):
    with pytest.raises(Exception):
        contacts.contact_log(user=world["other"], assignment=world["mine"][0], date=dt.date(2025, 1, 1),
                             mode="visit", today=dt.date(2025, 2, 1))
    assert not Contact.objects.exists()


# --- query pins ---------------------------------------------------------------------------------


def test_the_members_page_and_the_office_page_take_a_fixed_number_of_queries(world, client,
                                                                             django_assert_max_num_queries):
    for a in world["mine"]:
        factories.ContactFactory(assignment=a)
        factories.ContactFactory(assignment=a, date=timezone.localdate())
    client.force_login(world["member"])
    with django_assert_max_num_queries(14):
        assert client.get(reverse("contacts:mine")).status_code == 200
    client.force_login(world["liaison"])
    with django_assert_max_num_queries(16):
        assert client.get(reverse("contacts:assignments")).status_code == 200


def test_the_contacts_api_list_takes_a_fixed_number_of_queries(world, django_assert_max_num_queries):
    for a in world["mine"]:
        factories.ContactFactory(assignment=a)
    client = api(world["member"])
    client.get("/api/v1/contacts/")  # the scope is read on the first request
    with django_assert_max_num_queries(4):
        assert client.get("/api/v1/contacts/").json()["count"] == 6


def test_the_member_gets_404_on_deputy_pages_and_sees_no_other_list(world, client):
    """Their deputies' basic info is on 我联系的代表 only; the deputy pages (records, findings) stay closed."""
    client.force_login(world["member"])
    for deputy in (world["deputies"][0], world["deputies"][7]):
        assert client.get(reverse("deputies:detail", args=[deputy.pk])).status_code == 404
        assert client.get(reverse("deputies:history", args=[deputy.pk])).status_code in (403, 404)
    listing = client.get(reverse("deputies:list"))
    assert listing.status_code in (403, 404) or world["deputies"][0].name not in listing.content.decode()


def test_a_street_role_sees_the_assignments_of_its_deputies_on_the_deputy_page(world, client):
    street_staff = factories.make_user("street_staff", street_committee=world["deputies"][0].street_committee)
    client.force_login(street_staff)
    page = client.get(reverse("deputies:detail", args=[world["deputies"][0].pk])).content.decode()
    assert "联系的常委会组成人员" in page and "member" in page


def test_the_assignment_page_says_who_already_contacts_a_deputy(world, client):
    client.force_login(world["liaison"])
    page = client.get(reverse("contacts:assignment_edit", args=[world["member"].pk])).content.decode()
    assert "代表6（东四）（已由other联系）" in page
    assert "代表0（东四）（已由" not in page  # the member's own deputies are not "taken"
