"""API additions of the activities work: personal registrations (self-registrations/) and how the
records made in the browser (approval, import) read through the contract's fields."""
from __future__ import annotations

import datetime as dt

import pytest

from activities import services
from activities.models import Participation, SelfRegistration
from dutyadmin.roles import Role
from tests import factories

from .conftest import has_chinese

pytestmark = pytest.mark.django_db
URL = "/api/v1/self-registrations/"
BODY = {"kind": "station_reception", "title": "在东四街道代表联络站接待选民", "date": "2024-03-05",
        "location": "东四街道代表联络站", "description": "接待群众 6 人。"}


@pytest.fixture
def people(db):
    term = factories.TermFactory(number=17)
    dongsi = factories.StreetCommitteeFactory(name="东四", code="DS")
    chaoyang = factories.StreetCommitteeFactory(name="朝阳门", code="CY")
    zhang = factories.DeputyFactory(term=term, name="张东", street_committee=dongsi)
    wang = factories.DeputyFactory(term=term, name="王朝", street_committee=chaoyang)
    return {
        "zhang": zhang,
        "deputy": factories.make_user(Role.DEPUTY, deputy=zhang),
        "other_deputy": factories.make_user(Role.DEPUTY, deputy=wang),
        "staff": factories.make_user(Role.STREET_STAFF, street_committee=dongsi),
        "other_staff": factories.make_user(Role.STREET_STAFF, street_committee=chaoyang),
        "director": factories.make_user(Role.STREET_DIRECTOR, street_committee=dongsi),
        "liaison": factories.make_user(Role.LIAISON_OFFICE),
    }


def test_a_deputy_registers_and_the_staff_approve_through_the_api(api, people):
    response = api(people["deputy"]).post(URL, BODY, format="json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["deputy"], body["status"], body["activity"]) == (people["zhang"].pk, "pending", None)
    assert not Participation.objects.exists()

    approved = api(people["staff"]).post(f"{URL}{body['id']}/approve/")
    assert approved.status_code == 200
    assert approved.json()["status"] == "approved" and approved.json()["activity"] is not None
    activity = api(people["staff"]).get(f"/api/v1/activities/{approved.json()['activity']}/").json()
    assert activity["organizer_level"] == "deputy" and activity["kind"] == "station_reception"
    assert activity["date"] == "2024-03-05"
    participations = api(people["staff"]).get("/api/v1/participations/", {"activity": activity["id"]}).json()
    assert [(p["deputy"], p["confirmed"], p["outcome"]) for p in participations["results"]] == [
        (people["zhang"].pk, True, "attended")]


def test_a_return_needs_a_reason_and_the_deputy_resubmits(api, people):
    pk = api(people["deputy"]).post(URL, BODY, format="json").json()["id"]
    staff = api(people["staff"])
    response = staff.post(f"{URL}{pk}/return/", {}, format="json")
    assert response.status_code == 400 and has_chinese(response.json())
    response = staff.post(f"{URL}{pk}/return/", {"reason": "请补充接待人数。"}, format="json")
    assert response.status_code == 200 and response.json()["status"] == "returned"
    assert response.json()["return_reason"] == "请补充接待人数。"
    again = api(people["deputy"]).patch(f"{URL}{pk}/", {"description": "接待 8 人。"}, format="json")
    assert again.status_code == 200 and again.json()["status"] == "pending"


@pytest.mark.parametrize("who", ["director", "other_staff", "deputy"])
def test_only_the_streets_staff_approve(api, people, who):
    pk = api(people["deputy"]).post(URL, BODY, format="json").json()["id"]
    response = api(people[who]).post(f"{URL}{pk}/approve/")
    assert response.status_code in (403, 404)
    assert response.status_code == (404 if who == "other_staff" else 403)
    assert SelfRegistration.objects.get().status == "pending"


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"kind": "inspection"}, "kind"), ({"date": "2099-01-01"}, "date"), ({"date": "soon"}, "date"),
     ({"title": ""}, "title")],
)
def test_bad_registrations_are_400s_in_chinese(api, people, changes, field):
    response = api(people["deputy"]).post(URL, {**BODY, **changes}, format="json")
    assert response.status_code == 400
    assert field in response.json() and has_chinese(response.json()[field])


def test_only_a_deputy_creates_and_only_their_own(api, people):
    assert api(people["staff"]).post(URL, BODY, format="json").status_code == 403
    pk = api(people["deputy"]).post(URL, BODY, format="json").json()["id"]
    assert api(people["other_deputy"]).patch(f"{URL}{pk}/", {"title": "x"}, format="json").status_code == 404
    assert api(people["deputy"]).delete(f"{URL}{pk}/").status_code == 405


def test_the_list_is_scoped(api, people):
    api(people["deputy"]).post(URL, BODY, format="json")
    assert api(people["staff"]).get(URL).json()["count"] == 1
    assert api(people["liaison"]).get(URL).json()["count"] == 1
    assert api(people["other_staff"]).get(URL).json()["count"] == 0
    assert api(people["other_deputy"]).get(URL).json()["count"] == 0


def test_an_approved_registration_cannot_be_changed(api, people):
    pk = api(people["deputy"]).post(URL, BODY, format="json").json()["id"]
    api(people["staff"]).post(f"{URL}{pk}/approve/")
    response = api(people["deputy"]).patch(f"{URL}{pk}/", {"title": "改"}, format="json")
    # the staff's to change from now on (issue 15): 403 saying who approved it and when
    assert response.status_code == 403 and "审核通过" in response.json()["detail"] and has_chinese(response.json())


def test_imported_activities_read_through_the_contract(api, people):
    """An imported activity is an ordinary activity in the API: the contract's fields, the street's."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    from activities.importing.sheet import COLUMNS

    workbook = Workbook()
    sheet = workbook.active
    sheet.append([c.header for c in COLUMNS])
    sheet.append(["东四街道代表之家接待选民", "代表之家、联络站接待群众", dt.datetime(2024, 3, 1), None, "代表之家",
                  "张东", None, "是", "出席", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    record = services.activity_import_upload(user=people["staff"], upload=SimpleUploadedFile("a.xlsx", buffer.getvalue()))
    services.activity_import_confirm(user=people["staff"], activity_import=record)
    results = api(people["staff"]).get("/api/v1/activities/", {"kind": "station_reception"}).json()["results"]
    assert len(results) == 1
    activity = results[0]
    assert set(activity) >= {"term", "kind", "title", "date", "end_date", "organizer_level", "street_committee",
                             "location", "description"}
    assert (activity["organizer_level"], activity["street_committee"], activity["date"]) == (
        "street_committee", people["zhang"].street_committee_id, "2024-03-01")
