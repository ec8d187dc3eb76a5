"""Bad input is a 4xx naming the field with a Chinese message, never a 500, and saves nothing."""
import pytest

from activities.models import Activity
from deputies.models import Deputy, Term
from meetings.models import Attendance, Contribution
from oversight.models import Intervention
from tests import factories

from .conftest import has_chinese


@pytest.fixture
def world(db, make_user):
    term = factories.TermFactory()
    deputy = factories.DeputyFactory(term=term)
    other_term = factories.TermFactory(number=16, start_date="2017-01-01", end_date="2021-12-31")
    old_deputy = factories.DeputyFactory(term=other_term, service_start="2017-01-01")
    meeting = factories.MeetingFactory(session=factories.CongressSessionFactory(term=term))
    return {
        "term": term, "deputy": deputy, "old_deputy": old_deputy, "meeting": meeting,
        "secretariat": make_user("secretariat"), "liaison": make_user("liaison_office"),
    }


def assert_field_error(response, field: str) -> None:
    assert response.status_code == 400, response.content.decode()
    body = response.json()
    assert field in body, body
    assert has_chinese(body[field]), body


# --- malformed ids -------------------------------------------------------------------------------


@pytest.mark.parametrize("pk", ["abc", "1.5", "-1", "0", "99999999999999999999", "999999"])
def test_a_malformed_or_unknown_id_in_the_url_is_a_404(api, world, pk):
    response = api(world["liaison"]).get(f"/api/v1/deputies/{pk}/")
    assert response.status_code == 404


@pytest.mark.parametrize("value", ["x", 1.5, True, None, [1], {"id": 1}, "", -3, 0, 999999, 99999999999999999999])
def test_a_bad_deputy_reference_is_a_400_on_deputy(api, world, value):
    body = {"meeting": world["meeting"].pk, "deputy": value, "status": "present"}
    response = api(world["secretariat"]).post("/api/v1/attendance/", body, format="json")
    assert_field_error(response, "deputy")
    assert Attendance.objects.count() == 0


def test_a_deputy_id_given_as_digits_is_accepted(api, world):
    body = {"meeting": str(world["meeting"].pk), "deputy": str(world["deputy"].pk), "status": "present"}
    assert api(world["secretariat"]).post("/api/v1/attendance/", body, format="json").status_code == 201


def test_a_deputy_of_another_term_is_refused(api, world):
    body = {"meeting": world["meeting"].pk, "deputy": world["old_deputy"].pk, "status": "present"}
    response = api(world["secretariat"]).post("/api/v1/attendance/", body, format="json")
    assert_field_error(response, "deputy")


def test_an_unknown_meeting_is_a_400_on_meeting(api, world):
    body = {"meeting": 999999, "deputy": world["deputy"].pk, "status": "present"}
    assert_field_error(api(world["secretariat"]).post("/api/v1/attendance/", body, format="json"), "meeting")


# --- dates, enums, required fields ---------------------------------------------------------------


@pytest.mark.parametrize("value", ["2024-02-30", "2024-13-01", "2024/03/01", "yesterday", 20240301, ""])
def test_a_bad_date_is_a_400_on_that_field(api, world, value):
    body = {"deputy": world["deputy"].pk, "kind": "suggestion", "date": value, "title": "建议"}
    assert_field_error(api(world["liaison"]).post("/api/v1/contributions/", body, format="json"), "date")
    assert Contribution.objects.count() == 0


@pytest.mark.parametrize(
    "endpoint, field, body",
    [
        ("attendance", "status", {"status": "late"}),
        ("contributions", "kind", {"kind": "speech"}),
        ("deputies", "gender", {"gender": "X"}),
        ("deputies", "status", {"status": "retired"}),
        ("meetings", "kind", {"kind": "party"}),
        ("meetings", "half_day", {"half_day": "night"}),
        ("activities", "kind", {"kind": "dinner"}),
        ("activities", "organizer_level", {"organizer_level": "city"}),
        ("participations", "outcome", {"outcome": "maybe"}),
        ("participations", "confirmed", {"confirmed": "perhaps"}),
        ("leave-requests", "route", {"route": "forever"}),
        ("interventions", "rule", {"rule": "no_such_rule"}),
        ("interventions", "kind", {"kind": "fine"}),
    ],
)
def test_a_value_outside_the_enum_is_a_400_on_that_field(api, world, make_user, endpoint, field, body):
    user = make_user("admin")
    response = api(user).post(f"/api/v1/{endpoint}/", body, format="json")
    assert_field_error(response, field)


def test_missing_required_fields_are_named(api, world):
    response = api(world["liaison"]).post("/api/v1/deputies/", {}, format="json")
    assert response.status_code == 400
    assert {"term", "name", "gender", "street_committee", "service_start"} <= set(response.json())


# --- duplicates, references, model rules -----------------------------------------------------------


def test_a_second_attendance_for_the_same_meeting_and_deputy_is_a_400(api, world):
    client = api(world["secretariat"])
    body = {"meeting": world["meeting"].pk, "deputy": world["deputy"].pk, "status": "present"}
    assert client.post("/api/v1/attendance/", body, format="json").status_code == 201
    response = client.post("/api/v1/attendance/", {**body, "status": "absent"}, format="json")
    assert response.status_code == 400
    assert has_chinese(response.json())
    assert list(Attendance.objects.values_list("status", flat=True)) == ["present"]


def test_a_second_participation_for_the_same_activity_and_deputy_is_a_400(api, world):
    activity = factories.ActivityFactory(term=world["term"])
    client = api(world["liaison"])
    body = {"activity": activity.pk, "deputy": world["deputy"].pk, "confirmed": True, "outcome": "attended"}
    assert client.post("/api/v1/participations/", body, format="json").status_code == 201
    assert client.post("/api/v1/participations/", body, format="json").status_code == 400


def test_moving_an_attendance_onto_an_existing_one_is_a_400(api, world):
    first = factories.AttendanceFactory(meeting=world["meeting"], deputy=world["deputy"])
    second = factories.AttendanceFactory(meeting=world["meeting"])
    response = api(world["secretariat"]).patch(
        f"/api/v1/attendance/{second.pk}/", {"deputy": first.deputy_id}, format="json"
    )
    assert response.status_code == 400
    second.refresh_from_db()
    assert second.deputy_id != first.deputy_id


def test_a_duplicate_term_number_is_a_400_on_number(api, world):
    body = {"number": world["term"].number, "name": "重复", "start_date": "2030-01-01", "end_date": "2030-12-31"}
    assert_field_error(api(world["liaison"]).post("/api/v1/terms/", body, format="json"), "number")


@pytest.mark.parametrize("number", [0, -1, "abc", 1.5])
def test_a_term_number_must_be_a_positive_integer(api, world, number):
    body = {"number": number, "name": "届", "start_date": "2030-01-01", "end_date": "2030-12-31"}
    assert_field_error(api(world["liaison"]).post("/api/v1/terms/", body, format="json"), "number")


@pytest.mark.parametrize(
    "endpoint, body, field",
    [
        ("terms", {"number": 30, "name": "届", "start_date": "2030-01-01", "end_date": "2029-12-31"}, "end_date"),
        ("sessions", {"number": 8, "name": "会", "start_date": "2024-03-05", "end_date": "2024-03-01"}, "end_date"),
        ("activities", {"kind": "inspection", "title": "视察", "date": "2024-05-02", "end_date": "2024-05-01",
                        "organizer_level": "standing_committee"}, "end_date"),
        ("deputies", {"name": "甲", "gender": "M", "service_start": "2023-01-01", "service_end": "2022-06-01",
                      "status": "resigned"}, "service_end"),
    ],
)
def test_an_end_before_its_start_is_a_400_on_the_end(api, world, make_user, endpoint, body, field):
    body = {**body, "term": world["term"].pk, "street_committee": world["deputy"].street_committee_id}
    if endpoint == "activities":
        body["street_committee"] = None
    model_count = {"terms": Term, "activities": Activity, "deputies": Deputy}.get(endpoint)
    before = model_count.objects.count() if model_count else None
    response = api(make_user("admin")).post(f"/api/v1/{endpoint}/", body, format="json")
    assert_field_error(response, field)
    if model_count:
        assert model_count.objects.count() == before


def test_a_meeting_outside_its_session_is_a_400_on_date(api, world):
    body = {"session": world["meeting"].session_id, "kind": "plenary", "title": "会", "date": "2024-06-01",
            "half_day": "am"}
    assert_field_error(api(world["secretariat"]).post("/api/v1/meetings/", body, format="json"), "date")


def test_an_intervention_whose_kind_is_not_its_rules_is_a_400_on_kind(api, world):
    body = {"deputy": world["deputy"].pk, "rule": "absence_notice", "kind": "talk", "date": "2024-02-01",
            "conducted_by": "秘书处"}
    response = api(world["liaison"]).post("/api/v1/interventions/", body, format="json")
    assert_field_error(response, "kind")
    assert "notice" in str(response.json()["kind"])
    assert Intervention.objects.count() == 0


def test_an_intervention_kind_cannot_be_patched_away_from_its_rule(api, world):
    intervention = factories.InterventionFactory(deputy=world["deputy"])
    response = api(world["liaison"]).patch(
        f"/api/v1/interventions/{intervention.pk}/", {"kind": "termination"}, format="json"
    )
    assert_field_error(response, "kind")
    intervention.refresh_from_db()
    assert intervention.kind == "talk"


def test_a_street_activity_must_name_its_street(api, world):
    body = {"term": world["term"].pk, "kind": "inspection", "title": "视察", "date": "2024-05-02",
            "organizer_level": "street_committee", "street_committee": None}
    assert_field_error(api(world["liaison"]).post("/api/v1/activities/", body, format="json"), "street_committee")


# --- bodies that are not what they should be ------------------------------------------------------


def test_a_body_that_is_not_json_is_a_400(api, world):
    response = api(world["secretariat"]).post(
        "/api/v1/attendance/", data="{not json", content_type="application/json"
    )
    assert response.status_code == 400
    assert has_chinese(response.json()["detail"])


def test_a_body_of_an_unsupported_type_is_a_415(api, world):
    response = api(world["secretariat"]).post("/api/v1/attendance/", data="status=present", content_type="text/plain")
    assert response.status_code == 415


@pytest.mark.parametrize("body", [[], "text", 5, None])
def test_a_json_body_that_is_not_an_object_is_a_400(api, world, body):
    response = api(world["secretariat"]).post("/api/v1/attendance/", body, format="json")
    assert response.status_code == 400


# --- filters -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "endpoint, query, field",
    [
        ("deputies", {"term": "abc"}, "term"),
        ("deputies", {"term": "999999"}, "term"),
        ("deputies", {"status": "bogus"}, "status"),
        ("deputies", {"street_committee": "x"}, "street_committee"),
        ("attendance", {"deputy": "abc"}, "deputy"),
        ("attendance", {"deputy": "1.5"}, "deputy"),
        ("attendance", {"meeting": "-1"}, "meeting"),
        ("attendance", {"meeting": "99999999999999999999"}, "meeting"),
        ("deputies", {"term": "99999999999999999999"}, "term"),
        ("attendance", {"status": "bogus"}, "status"),
        ("attendance", {"excused": "maybe"}, "excused"),
        ("attendance", {"date_after": "2024-13-45"}, "date"),
        ("attendance", {"date_before": "2024-02-30"}, "date"),
        ("participations", {"confirmed": "perhaps"}, "confirmed"),
        ("participations", {"outcome": "bogus"}, "outcome"),
        ("participations", {"activity": "abc"}, "activity"),
        ("activities", {"kind": "bogus"}, "kind"),
        ("activities", {"date_after": "tomorrow"}, "date"),
        ("leave-requests", {"route": "bogus"}, "route"),
        ("leave-requests", {"status": "bogus"}, "status"),
        ("leave-requests", {"session": "abc"}, "session"),
        ("contributions", {"kind": "bogus"}, "kind"),
        ("interventions", {"rule": "bogus"}, "rule"),
        ("meetings", {"session": "abc"}, "session"),
        ("meetings", {"kind": "bogus"}, "kind"),
        ("sessions", {"term": "abc"}, "term"),
        ("delegations", {"term": "abc"}, "term"),
        ("terms", {"number": "abc"}, "number"),
    ],
)
def test_a_bad_filter_value_is_a_400_naming_the_filter(api, world, endpoint, query, field):
    response = api(world["liaison"]).get(f"/api/v1/{endpoint}/", query)
    assert_field_error(response, field)


def test_filters_narrow_the_list(api, world):
    term, deputy = world["term"], world["deputy"]
    other = factories.DeputyFactory(term=term, name="赵六")
    meeting = world["meeting"]
    factories.AttendanceFactory(meeting=meeting, deputy=deputy, status="present")
    factories.AttendanceFactory(meeting=meeting, deputy=other, status="absent")
    client = api(world["liaison"])

    def ids(endpoint, **query):
        return [row["deputy"] for row in client.get(f"/api/v1/{endpoint}/", query).json()["results"]]

    assert ids("attendance", status="absent") == [other.pk]
    assert ids("attendance", deputy=deputy.pk) == [deputy.pk]
    assert ids("attendance", q="赵") == [other.pk]
    assert ids("attendance", street_committee=other.street_committee_id) == [other.pk]
    assert sorted(ids("attendance", term=term.pk)) == sorted([deputy.pk, other.pk])
    assert ids("attendance", date_after="2030-01-01") == []
    assert len(ids("attendance", date_after=str(meeting.date), date_before=str(meeting.date))) == 2
    names = [row["name"] for row in client.get("/api/v1/deputies/", {"q": "赵"}).json()["results"]]
    assert names == ["赵六"]


def test_a_bad_page_is_a_404_and_never_a_500(api, world):
    assert api(world["liaison"]).get("/api/v1/deputies/", {"page": "abc"}).status_code == 404
    assert api(world["liaison"]).get("/api/v1/deputies/", {"page_size": "abc"}).status_code == 200


# --- sqlite15: values the API fuzzer (tests/api/test_fuzz.py) sent that were 500s ----------------------------


@pytest.mark.parametrize("endpoint", ["contacts", "contributions"])
@pytest.mark.parametrize("year", ["-3.593070708504949e+206", "4615760609823503409", "1.5", "1899", "2101", "abc"])
def test_a_year_filter_outside_1900_to_2100_or_not_a_whole_number_is_a_400(api, world, endpoint, year):
    response = api(world["liaison"]).get(f"/api/v1/{endpoint}/", {"year": year})
    assert_field_error(response, "year")


def test_a_year_filter_in_range_narrows_the_contacts(api, world):
    response = api(world["liaison"]).get("/api/v1/contacts/", {"year": "2025"})
    assert response.status_code == 200
