"""Create, read, list, update and delete every resource of the API contract, with history kept."""
import datetime as dt

import pytest

from activities.models import Activity, Participation
from deputies.models import ContactAssignment, Delegation, Deputy, StreetCommittee, Term
from meetings.models import Attendance, CongressSession, Contribution, LeaveRequest, Meeting
from oversight.models import Intervention
from tests import factories


@pytest.fixture
def data(db):
    term = factories.TermFactory()
    street = factories.StreetCommitteeFactory(name="东四", code="DS")
    delegation = factories.DelegationFactory(term=term)
    deputy = factories.DeputyFactory(term=term, street_committee=street, delegation=delegation)
    session = factories.CongressSessionFactory(term=term)
    meeting = factories.MeetingFactory(session=session)
    activity = factories.ActivityFactory(term=term)
    return {"term": term, "street": street, "deleg": delegation, "deputy": deputy, "session": session,
            "meeting": meeting, "activity": activity,
            # contacts: two standing-committee members (contact-assignments' member is a user id)
            "member": factories.make_user("sc_member"), "member2": factories.make_user("sc_member")}


# endpoint: (model, role, create body, change) — the body may name objects of `data` by key.
RESOURCES = {
    "terms": (Term, "liaison_office",
              {"number": 18, "name": "第十八届", "start_date": "2027-01-01", "end_date": "2031-12-31"},
              {"name": "第十八届(改)"}),
    "street-committees": (StreetCommittee, "liaison_office", {"name": "朝阳门", "code": "CY"}, {"name": "朝阳门街道"}),
    "delegations": (Delegation, "liaison_office", {"term": "term", "name": "第二代表团", "head": "deputy"},
                    {"head": None}),
    "deputies": (Deputy, "liaison_office",
                 {"term": "term", "name": "王芳", "gender": "F", "street_committee": "street",
                  "delegation": "deleg", "status": "active", "service_start": "2022-01-01",
                  "service_end": None, "unit": "东四街道办事处", "position": "主任", "constituency": "第3选区",
                  "party_member": True, "phone": "010-65000000"},
                 {"status": "resigned", "service_end": "2024-06-30"}),
    "contact-assignments": (ContactAssignment, "liaison_office",
                            {"term": "term", "member": "member", "deputy": "deputy"}, {"member": "member2"}),
    "sessions": (CongressSession, "secretariat",
                 {"term": "term", "number": 4, "name": "第四次会议", "start_date": "2025-01-06",
                  "end_date": "2025-01-09"},
                 {"end_date": "2025-01-10"}),
    "meetings": (Meeting, "secretariat",
                 {"session": "session", "kind": "delegation", "title": "第一次分团会议", "date": "2024-01-11",
                  "half_day": "pm"},
                 {"half_day": "am"}),
    "attendance": (Attendance, "secretariat", {"meeting": "meeting", "deputy": "deputy", "status": "absent"},
                   {"status": "present"}),
    "leave-requests": (LeaveRequest, "liaison_office",
                       {"deputy": "deputy", "session": "session", "route": "plenary", "meetings": ["meeting"],
                        "reason": "出国访问"},
                       {"reason": "因公出差"}),
    "contributions": (Contribution, "liaison_office",
                      {"deputy": "deputy", "session": "session", "kind": "review_opinion", "date": "2024-01-11",
                       "title": "关于政府工作报告的审议意见"},
                      {"kind": "suggestion"}),
    "activities": (Activity, "liaison_office",
                   {"term": "term", "kind": "special_research", "title": "老旧小区改造专题调研",
                    "date": "2024-04-02", "end_date": "2024-04-03", "organizer_level": "street_committee",
                    "street_committee": "street", "location": "东四街道", "description": "调研"},
                   {"end_date": None}),
    "participations": (Participation, "liaison_office",
                       {"activity": "activity", "deputy": "deputy", "confirmed": True, "outcome": "pending"},
                       {"outcome": "attended"}),
    "interventions": (Intervention, "liaison_office",
                      {"deputy": "deputy", "rule": "no_contact_talk", "kind": "talk", "date": "2024-05-06",
                       "conducted_by": "东四街工委主任", "notes": "已谈话"},
                      {"notes": "已谈话,代表表示改进"}),
}


def resolve(value, data):
    if isinstance(value, list):
        return [resolve(v, data) for v in value]
    if isinstance(value, str) and value in data:
        return data[value].pk
    return value


@pytest.mark.parametrize("endpoint", list(RESOURCES))
def test_each_resource_can_be_created_read_listed_changed_and_deleted(api, data, make_user, endpoint):
    model, role, body, change = RESOURCES[endpoint]
    user = make_user(role)
    client = api(user)
    body = {key: resolve(value, data) for key, value in body.items()}

    created = client.post(f"/api/v1/{endpoint}/", body, format="json")
    assert created.status_code == 201, created.content.decode()
    pk = created.json()["id"]
    for key, value in body.items():
        assert created.json()[key] == value, key

    detail = client.get(f"/api/v1/{endpoint}/{pk}/")
    assert detail.status_code == 200
    assert detail.json() == created.json()
    listed = client.get(f"/api/v1/{endpoint}/", {"page_size": 1000}).json()
    assert pk in {row["id"] for row in listed["results"]}

    change = {key: resolve(value, data) for key, value in change.items()}
    changed = client.patch(f"/api/v1/{endpoint}/{pk}/", change, format="json")
    assert changed.status_code == 200, changed.content.decode()
    for key, value in change.items():
        assert changed.json()[key] == value, key

    # Who changed what is in the record's history (of the records that keep one).
    has_history = hasattr(model, "history")
    if has_history:
        history = model.history.filter(id=pk).order_by("history_date")
        assert [h.history_type for h in history][:1] == ["+"]
        assert history.last().history_type == "~"
        assert all(h.history_user == user for h in history)

    assert client.delete(f"/api/v1/{endpoint}/{pk}/").status_code == 204
    assert not model.objects.filter(pk=pk).exists()
    assert client.get(f"/api/v1/{endpoint}/{pk}/").status_code == 404
    if has_history:
        assert model.history.filter(id=pk, history_type="-", history_user=user).exists()


def test_put_replaces_a_record(api, data, make_user):
    client = api(make_user("secretariat"))
    session = data["session"]
    body = {"term": data["term"].pk, "number": session.number, "name": "更名后的会议",
            "start_date": "2024-01-09", "end_date": "2024-01-13"}
    response = client.put(f"/api/v1/sessions/{session.pk}/", body, format="json")
    assert response.status_code == 200, response.content.decode()
    session.refresh_from_db()
    assert (session.name, session.start_date) == ("更名后的会议", dt.date(2024, 1, 9))


def test_attendance_reads_excused_when_an_approved_leave_covers_the_meeting(api, data, make_user):
    deputy, meeting = data["deputy"], data["meeting"]
    factories.AttendanceFactory(meeting=meeting, deputy=deputy, status="absent")
    leave = factories.LeaveRequestFactory(deputy=deputy, session=meeting.session, route="plenary", status="approved")
    leave.meetings.set([meeting])
    other = factories.AttendanceFactory(meeting=meeting, status="absent",
                                        deputy=factories.DeputyFactory(term=data["term"]))
    client = api(make_user("secretariat"))

    rows = {row["deputy"]: row for row in client.get("/api/v1/attendance/").json()["results"]}
    assert rows[deputy.pk]["excused"] is True
    assert rows[other.deputy_id]["excused"] is False
    only_excused = client.get("/api/v1/attendance/", {"excused": "true"}).json()["results"]
    assert [row["deputy"] for row in only_excused] == [deputy.pk]


def test_excused_is_read_only(api, data, make_user):
    client = api(make_user("secretariat"))
    body = {"meeting": data["meeting"].pk, "deputy": data["deputy"].pk, "status": "absent", "excused": True}
    response = client.post("/api/v1/attendance/", body, format="json")
    assert response.status_code == 201
    assert response.json()["excused"] is False


def test_deleting_a_referenced_term_is_refused_with_a_message(api, data, make_user):
    response = api(make_user("liaison_office")).delete(f"/api/v1/terms/{data['term'].pk}/")
    assert response.status_code == 400
    assert "引用" in str(response.json())
    assert Term.objects.filter(pk=data["term"].pk).exists()
