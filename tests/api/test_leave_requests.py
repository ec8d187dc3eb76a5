"""Leave requests through the API: each route's chain, out-of-turn refusals, certificates."""
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.forms.models import model_to_dict

from meetings.models import LeaveApprovalStep, LeaveRequest
from tests import factories

from .conftest import has_chinese

PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj<<>>endobj\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture
def people(db, make_user):
    term = factories.TermFactory()
    street = factories.StreetCommitteeFactory(name="东四", code="DS")
    other_street = factories.StreetCommitteeFactory(name="朝阳门", code="CY")
    delegation = factories.DelegationFactory(term=term)
    deputy = factories.DeputyFactory(term=term, street_committee=street, delegation=delegation)
    session = factories.CongressSessionFactory(term=term)
    return {
        "deputy": deputy,
        "session": session,
        "plenary": factories.MeetingFactory(session=session, kind="plenary"),
        "group": factories.MeetingFactory(session=session, kind="delegation"),
        "deputy_user": make_user("deputy", deputy=deputy),
        "street_staff": make_user("street_staff", street_committee=street),
        "street_director": make_user("street_director", street_committee=street),
        "other_director": make_user("street_director", street_committee=other_street),
        "delegation_head": make_user("delegation_head", delegation=delegation),
        "secretariat": make_user("secretariat"),
        "presidium_secretary_general": make_user("presidium_secretary_general"),
        "sc_office": make_user("sc_office"),
        "sc_leader": make_user("sc_leader"),
        "admin": make_user("admin"),
    }


CHAINS = {
    "whole_session": ["street_director", "sc_office", "sc_leader", "sc_office"],
    "plenary": ["delegation_head", "secretariat", "presidium_secretary_general"],
    "delegation_meeting": ["delegation_head", "secretariat"],
}


def ask(api, people, route: str):
    meetings = {"whole_session": [], "plenary": [people["plenary"].pk], "delegation_meeting": [people["group"].pk]}
    body = {"deputy": people["deputy"].pk, "session": people["session"].pk, "route": route,
            "meetings": meetings[route], "reason": "出国访问"}
    response = api(people["deputy_user"]).post("/api/v1/leave-requests/", body, format="json")
    assert response.status_code == 201, response.content.decode()
    assert response.json()["status"] == "draft"
    return response.json()["id"]


def state(pk: int) -> tuple:
    leave = LeaveRequest.objects.get(pk=pk)
    steps = [model_to_dict(s) for s in LeaveApprovalStep.objects.filter(leave_request=leave).order_by("order")]
    return leave.status, steps


@pytest.mark.parametrize("route", list(CHAINS))
def test_a_deputy_asks_for_leave_and_each_step_approves_it_in_turn(api, people, route):
    pk = ask(api, people, route)
    submitted = api(people["deputy_user"]).post(f"/api/v1/leave-requests/{pk}/submit/", format="json")
    assert submitted.status_code == 200
    assert submitted.json()["status"] == "pending"
    assert [s["role"] for s in submitted.json()["steps"]] == CHAINS[route]
    assert all(has_chinese(s["label"]) for s in submitted.json()["steps"])

    # Issue 12: the deciding step approves (before: the last step); a filing step after it leaves it approved.
    deciding = [s["kind"] for s in submitted.json()["steps"]].index("deciding")
    assert submitted.json()["deciding_step"] == submitted.json()["steps"][deciding]["code"]
    filing = submitted.json()["filing_step"]
    assert submitted.json()["filed"] is None
    for i, role in enumerate(CHAINS[route]):
        response = api(people[role]).post(f"/api/v1/leave-requests/{pk}/approve/", {"comment": f"同意{i}"},
                                          format="json")
        assert response.status_code == 200, (role, response.content.decode())
        assert response.json()["status"] == ("approved" if i >= deciding else "pending")
        step = response.json()["steps"][i]
        assert (step["status"], step["comment"], step["acted_by"]) == ("done", f"同意{i}", people[role].pk)
        if i == deciding and filing:
            assert response.json()["filed"] is False
    assert response.json()["filed"] is (True if filing else None)


@pytest.mark.parametrize("route", ["whole_session", "delegation_meeting"])
def test_a_filing_step_cannot_reject_through_the_api(api, people, route):
    pk = ask(api, people, route)
    api(people["deputy_user"]).post(f"/api/v1/leave-requests/{pk}/submit/")
    for role in CHAINS[route][:-1]:
        api(people[role]).post(f"/api/v1/leave-requests/{pk}/approve/", {}, format="json")
    before = state(pk)
    assert before[0] == "approved"
    response = api(people[CHAINS[route][-1]]).post(f"/api/v1/leave-requests/{pk}/reject/", {"comment": "不予备案"},
                                                   format="json")
    assert response.status_code == 400 and "不能驳回" in response.content.decode()
    assert state(pk) == before


@pytest.mark.parametrize("route", list(CHAINS))
def test_an_approver_out_of_turn_is_refused_and_nothing_changes(api, people, route):
    pk = ask(api, people, route)
    api(people["deputy_user"]).post(f"/api/v1/leave-requests/{pk}/submit/")
    before = state(pk)
    current = CHAINS[route][0]
    for role in ("secretariat", "presidium_secretary_general", "sc_office", "sc_leader", "street_director",
                 "delegation_head", "street_staff"):
        if role == current:
            continue
        for action in ("approve", "reject"):
            response = api(people[role]).post(f"/api/v1/leave-requests/{pk}/{action}/", {"comment": "不行"},
                                              format="json")
            assert response.status_code == 403, (role, action, response.status_code)
            assert has_chinese(response.json()["detail"])
            assert state(pk) == before
    # The deputy cannot approve their own leave either.
    assert api(people["deputy_user"]).post(f"/api/v1/leave-requests/{pk}/approve/").status_code == 403
    assert state(pk) == before


def test_an_approver_who_cannot_see_the_request_gets_a_404(api, people):
    pk = ask(api, people, "whole_session")
    api(people["deputy_user"]).post(f"/api/v1/leave-requests/{pk}/submit/")
    before = state(pk)
    assert api(people["other_director"]).post(f"/api/v1/leave-requests/{pk}/approve/").status_code == 404
    assert state(pk) == before


def test_an_admin_may_act_on_any_step(api, people):
    pk = ask(api, people, "plenary")
    api(people["deputy_user"]).post(f"/api/v1/leave-requests/{pk}/submit/")
    url = f"/api/v1/leave-requests/{pk}/approve/"
    assert api(people["admin"]).post(url).status_code == 200
    assert api(people["admin"]).post(url).status_code == 409  # unnamed right after their own step: a repeat
    for order in range(2, len(CHAINS["plenary"]) + 1):
        assert api(people["admin"]).post(url, {"step": order}, format="json").status_code == 200
    assert LeaveRequest.objects.get(pk=pk).status == "approved"


def test_rejecting_ends_the_request_with_the_reason(api, people):
    pk = ask(api, people, "delegation_meeting")
    api(people["deputy_user"]).post(f"/api/v1/leave-requests/{pk}/submit/")
    response = api(people["delegation_head"]).post(f"/api/v1/leave-requests/{pk}/reject/",
                                                   {"comment": "会议重要,不同意"}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "rejected"
    assert [s["status"] for s in response.json()["steps"]] == ["rejected", "cancelled"]


def test_rejecting_without_a_reason_is_a_400(api, people):
    pk = ask(api, people, "delegation_meeting")
    api(people["deputy_user"]).post(f"/api/v1/leave-requests/{pk}/submit/")
    before = state(pk)
    response = api(people["delegation_head"]).post(f"/api/v1/leave-requests/{pk}/reject/", format="json")
    assert response.status_code == 400
    assert has_chinese(response.json()["comment"])
    assert state(pk) == before


def test_the_deputy_withdraws_a_pending_request(api, people):
    pk = ask(api, people, "plenary")
    api(people["deputy_user"]).post(f"/api/v1/leave-requests/{pk}/submit/")
    response = api(people["deputy_user"]).post(f"/api/v1/leave-requests/{pk}/withdraw/", {"comment": "行程取消"},
                                               format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "withdrawn"
    # A withdrawn request cannot be approved or withdrawn again.
    assert api(people["delegation_head"]).post(f"/api/v1/leave-requests/{pk}/approve/").status_code == 400
    # A repeated withdraw is a conflict (issue 17: a repeat answers 409 with the current state).
    again = api(people["deputy_user"]).post(f"/api/v1/leave-requests/{pk}/withdraw/")
    assert again.status_code == 409 and again.json()["current"]["status"] == "withdrawn"


def test_submitting_twice_is_a_409_with_the_current_state(api, people):
    pk = ask(api, people, "plenary")
    client = api(people["deputy_user"])
    assert client.post(f"/api/v1/leave-requests/{pk}/submit/").status_code == 200
    response = client.post(f"/api/v1/leave-requests/{pk}/submit/")
    assert response.status_code == 409
    assert has_chinese(response.json()["detail"]) and response.json()["current"]["status"] == "pending"


def test_status_and_steps_are_read_only_and_a_submitted_request_cannot_be_edited(api, people):
    pk = ask(api, people, "plenary")
    client = api(people["deputy_user"])
    response = client.patch(f"/api/v1/leave-requests/{pk}/", {"status": "approved", "steps": []}, format="json")
    assert response.status_code == 200
    assert response.json()["status"] == "draft"
    client.post(f"/api/v1/leave-requests/{pk}/submit/")
    response = client.patch(f"/api/v1/leave-requests/{pk}/", {"reason": "改"}, format="json")
    assert response.status_code == 400
    assert LeaveRequest.objects.get(pk=pk).reason == "出国访问"
    assert client.delete(f"/api/v1/leave-requests/{pk}/").status_code == 400
    assert LeaveRequest.objects.filter(pk=pk).exists()


@pytest.mark.parametrize(
    "route, meetings, message",
    [
        ("whole_session", ["plenary"], "全程"),
        ("plenary", [], "会议"),
        ("delegation_meeting", ["plenary"], "分团"),
        ("plenary", ["group"], "分团"),
    ],
)
def test_the_meetings_must_fit_the_route(api, people, route, meetings, message):
    body = {"deputy": people["deputy"].pk, "session": people["session"].pk, "route": route,
            "meetings": [people[m].pk for m in meetings], "reason": "出差"}
    response = api(people["deputy_user"]).post("/api/v1/leave-requests/", body, format="json")
    assert response.status_code == 400
    assert message in str(response.json()["meetings"])
    assert not LeaveRequest.objects.exists()


def test_an_action_body_that_is_not_an_object_is_a_400(api, people):
    pk = ask(api, people, "plenary")
    api(people["deputy_user"]).post(f"/api/v1/leave-requests/{pk}/submit/")
    response = api(people["delegation_head"]).post(f"/api/v1/leave-requests/{pk}/approve/", [1, 2], format="json")
    assert response.status_code == 400


# --- certificates -------------------------------------------------------------------------------


def multipart(people, upload) -> dict:
    return {"deputy": people["deputy"].pk, "session": people["session"].pk, "route": "whole_session",
            "reason": "出国访问", "certificate": upload}


@pytest.mark.parametrize(
    "name, content", [("证明.pdf", PDF), ("证明.PNG", PNG), ("scan.jpg", b"\xff\xd8\xff\xe0" + b"0" * 20)]
)
def test_a_certificate_is_uploaded_and_read_back_by_who_may_see_it(api, people, name, content):
    upload = SimpleUploadedFile(name, content)
    response = api(people["street_staff"]).post("/api/v1/leave-requests/", multipart(people, upload),
                                                format="multipart")
    assert response.status_code == 201, response.content.decode()
    pk = response.json()["id"]
    assert response.json()["certificate"].endswith(f"/api/v1/leave-requests/{pk}/certificate/")

    download = api(people["street_director"]).get(f"/api/v1/leave-requests/{pk}/certificate/")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == content
    assert api(people["other_director"]).get(f"/api/v1/leave-requests/{pk}/certificate/").status_code == 404


@pytest.mark.parametrize(
    "name, content",
    [
        ("证明.exe", b"MZ\x90\x00"),
        ("证明.docx", b"PK\x03\x04"),
        ("证明", PDF),
        ("证明.pdf", b"MZ\x90\x00 not a pdf"),
        ("证明.png", PDF),
        ("空.pdf", b""),
    ],
)
def test_a_certificate_that_is_not_a_real_pdf_jpg_or_png_is_a_400(api, people, name, content):
    response = api(people["street_staff"]).post(
        "/api/v1/leave-requests/", multipart(people, SimpleUploadedFile(name, content)), format="multipart"
    )
    assert response.status_code == 400
    assert has_chinese(response.json()["certificate"])
    assert not LeaveRequest.objects.exists()


def test_a_certificate_over_10_mb_is_a_400(api, people):
    big = SimpleUploadedFile("证明.pdf", PDF + b"0" * (10 * 1024 * 1024))
    response = api(people["street_staff"]).post("/api/v1/leave-requests/", multipart(people, big),
                                                format="multipart")
    assert response.status_code == 400
    assert "10 MB" in str(response.json()["certificate"])
    assert not LeaveRequest.objects.exists()


def test_a_certificate_of_exactly_10_mb_is_accepted(api, people):
    exact = SimpleUploadedFile("证明.pdf", PDF + b"0" * (10 * 1024 * 1024 - len(PDF)))
    response = api(people["street_staff"]).post("/api/v1/leave-requests/", multipart(people, exact),
                                                format="multipart")
    assert response.status_code == 201


def test_a_certificate_sent_as_json_text_is_a_400(api, people):
    body = {**multipart(people, None), "certificate": "证明.pdf"}
    response = api(people["street_staff"]).post("/api/v1/leave-requests/", body, format="json")
    assert response.status_code == 400
    assert "certificate" in response.json()


def test_a_request_without_certificate_reads_null(api, people):
    pk = ask(api, people, "whole_session")
    leave = api(people["deputy_user"]).get(f"/api/v1/leave-requests/{pk}/").json()
    assert leave["certificate"] is None
    assert api(people["deputy_user"]).get(f"/api/v1/leave-requests/{pk}/certificate/").status_code == 404
