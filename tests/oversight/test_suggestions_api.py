"""/api/v1/handling-units/ and /api/v1/suggestions/: the contract's fields, the actions, 400/403/404, never 500."""
from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from oversight.models import Suggestion
from oversight.rules import clocks

from .suggestion_fixtures import D, assign, evaluate, reply, submit

pytestmark = pytest.mark.django_db

URL = "/api/v1/suggestions/"
UNITS = "/api/v1/handling-units/"

CONTRACT_FIELDS = {
    "term", "session", "title", "content", "lead_deputy", "cosigners", "status", "lead_unit", "co_units",
    "assigned_on", "due_date", "extended", "replied_on", "resolution", "satisfaction", "feedback_due", "overdue",
}


def client(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def has_chinese(text) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(text))


# --- handling units --------------------------------------------------------------------------------


def test_the_office_creates_a_unit_and_staff_read_it(sw):
    answer = client(sw.office).post(UNITS, {"name": "区教委", "code": "G09", "kind": "government_department"},
                                    format="json")
    assert answer.status_code == 201, answer.content
    assert set(answer.json()) == {"id", "name", "code", "kind"}
    listed = client(sw.staff_a).get(UNITS, {"kind": "government_department"}).json()
    assert {row["code"] for row in listed["results"]} == {"G01", "G09"}


@pytest.mark.parametrize("who", ["staff_a", "road_user", "zhang_user"])
def test_others_cannot_write_units(sw, who):
    answer = client(getattr(sw, who)).post(UNITS, {"name": "区教委", "code": "G09", "kind": "other"}, format="json")
    assert answer.status_code == 403


def test_a_deputy_cannot_list_units_and_a_bad_kind_or_duplicate_code_is_a_400(sw):
    assert client(sw.zhang_user).get(UNITS).status_code == 403
    bad = client(sw.office).post(UNITS, {"name": "某单位", "code": "G01", "kind": "ministry"}, format="json")
    assert bad.status_code == 400 and {"code", "kind"} <= set(bad.json())


def test_a_unit_still_leading_or_co_handling_a_suggestion_cannot_be_deleted(sw):
    assign(sw, submit(sw), co_units=[sw.court])
    for unit in (sw.road, sw.court):
        answer = client(sw.office).delete(f"{UNITS}{unit.pk}/")
        assert answer.status_code == 400 and has_chinese(answer.json())
    assert client(sw.office).delete(f"{UNITS}{sw.office_unit.pk}/").status_code == 204


# --- suggestions: create and read ---------------------------------------------------------------------


def test_a_deputy_posts_their_suggestion_and_reads_the_contracts_fields(sw):
    answer = client(sw.zhang_user).post(URL, {
        "session": sw.session.pk, "title": "关于增设公交站的建议", "content": "内容", "lead_deputy": sw.zhang.pk,
        "cosigners": [sw.li.pk], "submitted_on": "2024-01-11",
    }, format="json")
    assert answer.status_code == 201, answer.content
    body = answer.json()
    assert CONTRACT_FIELDS <= set(body)
    assert (body["term"], body["status"], body["lead_unit"], body["co_units"], body["resolution"],
            body["satisfaction"], body["overdue"], body["cosigners"]) == (
        sw.term.pk, "submitted", None, [], None, None, False, [sw.li.pk])
    assert Suggestion.objects.get(pk=body["id"]).contribution.kind == "suggestion"


def test_read_only_fields_sent_in_a_post_are_ignored(sw):
    answer = client(sw.staff_a).post(URL, {
        "title": "标题", "content": "内容", "lead_deputy": sw.zhang.pk, "submitted_on": "2024-05-06",
        "status": "closed", "lead_unit": sw.road.pk, "due_date": "2024-01-01",
    }, format="json")
    assert answer.status_code == 201
    assert (answer.json()["status"], answer.json()["lead_unit"], answer.json()["due_date"]) == ("submitted", None, None)


def test_a_deputy_cannot_post_for_another_deputy_and_a_missing_title_is_a_400(sw):
    other = client(sw.zhang_user).post(URL, {"title": "标题", "content": "内容", "lead_deputy": sw.wang.pk},
                                       format="json")
    assert other.status_code == 400 and "lead_deputy" in other.json()  # out of scope: "does not exist"
    empty = client(sw.zhang_user).post(URL, {"content": "内容", "lead_deputy": sw.zhang.pk}, format="json")
    assert empty.status_code == 400 and has_chinese(empty.json()["title"])


@pytest.mark.parametrize("who,status", [("road_user", 403), ("secretariat", 201), ("staff_a", 201)])
def test_who_records_contributions_enters_paper_forms_and_a_unit_does_not(sw, who, status):
    answer = client(getattr(sw, who)).post(URL, {"title": "标题", "content": "内容", "lead_deputy": sw.zhang.pk},
                                           format="json")
    assert answer.status_code == status


def test_patch_corrects_a_suggestion_before_assignment_only_and_there_is_no_put_or_delete(sw):
    suggestion = submit(sw, by=sw.zhang_user)
    zhang = client(sw.zhang_user)
    body = zhang.patch(f"{URL}{suggestion.pk}/", {"title": "改过的标题", "cosigners": [sw.li.pk]}, format="json")
    assert body.status_code == 200, body.content
    assert (body.json()["title"], body.json()["cosigners"]) == ("改过的标题", [sw.li.pk])
    suggestion.refresh_from_db()
    assert suggestion.contribution.title == "改过的标题"
    moved = zhang.patch(f"{URL}{suggestion.pk}/", {"lead_deputy": sw.zhang.pk}, format="json")
    assert moved.status_code == 400 and has_chinese(moved.json()["lead_deputy"])
    assign(sw, suggestion)
    late = zhang.patch(f"{URL}{suggestion.pk}/", {"title": "再改"}, format="json")
    assert late.status_code == 400 and has_chinese(late.json()["status"])
    assert client(sw.li_user).patch(f"{URL}{suggestion.pk}/", {"title": "x"}, format="json").status_code == 403  # cosigner
    assert client(sw.wang_user).patch(f"{URL}{suggestion.pk}/", {"title": "x"}, format="json").status_code == 404
    assert zhang.put(f"{URL}{suggestion.pk}/", {"title": "x"}, format="json").status_code == 405
    assert client(sw.office).delete(f"{URL}{suggestion.pk}/").status_code == 405


def test_the_admin_lists_and_shows_suggestions_and_units(sw):
    suggestion = reply(sw, assign(sw, submit(sw)))
    admin = APIClient()
    admin.force_login(sw.admin)
    sw.admin.is_superuser = True
    sw.admin.save()
    for path in ("/admin/oversight/suggestion/", f"/admin/oversight/suggestion/{suggestion.pk}/change/",
                 "/admin/deputies/handlingunit/", f"/admin/deputies/handlingunit/{sw.road.pk}/change/"):
        assert admin.get(path).status_code == 200, path


def test_a_unit_sees_only_its_own_and_another_units_suggestion_is_a_404(sw):
    mine = assign(sw, submit(sw))
    theirs = assign(sw, submit(sw, by=sw.staff_b, deputy=sw.wang, title="别的"), unit=sw.court)
    listed = client(sw.road_user).get(URL).json()
    assert [row["id"] for row in listed["results"]] == [mine.pk]
    assert client(sw.road_user).get(f"{URL}{theirs.pk}/").status_code == 404
    assert client(sw.road_user).post(f"{URL}{theirs.pk}/reply/", {
        "date": "2024-06-03", "text": "答复", "resolution": "resolved"}, format="json").status_code == 404


def test_the_detail_shows_replies_with_attachments_and_the_steps(sw):
    suggestion = reply(sw, assign(sw, submit(sw)), files=[SimpleUploadedFile("函.pdf", b"%PDF-1.4 x")])
    body = client(sw.zhang_user).get(f"{URL}{suggestion.pk}/").json()
    assert [r["attachments"][0]["name"] for r in body["replies"]] == ["函.pdf"]
    assert [e["action"] for e in body["events"]] == ["submit", "assign", "reply"]
    assert body["events"][1]["actor"] == "office"


def test_filters_and_bad_filter_values(sw):
    first = assign(sw, submit(sw), on=D(2024, 3, 7))  # overdue since 2024-06-08
    second = submit(sw, deputy=sw.li, title="二", session=None, on=D(2024, 5, 6))
    api = client(sw.office)

    def ids(**query):
        answer = api.get(URL, query)
        assert answer.status_code == 200, answer.content
        return {row["id"] for row in answer.json()["results"]}

    assert ids(status="assigned") == {first.pk}
    assert ids(lead_unit=sw.road.pk) == {first.pk}
    assert ids(lead_deputy=sw.li.pk) == {second.pk}
    assert ids(session=sw.session.pk) == {first.pk}
    assert ids(term=sw.term.pk) == {first.pk, second.pk}
    assert ids(overdue="true") == {first.pk}
    assert ids(overdue="false") == {second.pk}
    for bad in ({"overdue": "maybe"}, {"status": "lost"}, {"lead_unit": "x"}):
        answer = api.get(URL, bad)
        assert answer.status_code == 400 and has_chinese(answer.json()), bad


# --- the actions ----------------------------------------------------------------------------------------


def test_the_whole_cycle_through_the_api(sw):
    suggestion = submit(sw)
    office, road, zhang = client(sw.office), client(sw.road_user), client(sw.zhang_user)
    body = office.post(f"{URL}{suggestion.pk}/assign/", {"lead_unit": sw.road.pk, "co_units": [sw.court.pk],
                                                         "date": "2024-03-07"}, format="json").json()
    assert (body["status"], body["assigned_on"], body["due_date"], body["co_units"]) == (
        "assigned", "2024-03-07", "2024-06-07", [sw.court.pk])
    body = office.post(f"{URL}{suggestion.pk}/extend/", {"reason": "涉及面广"}, format="json").json()
    assert (body["extended"], body["due_date"]) == (True, "2024-09-09")
    letter = SimpleUploadedFile("答复函.pdf", b"%PDF-1.4 reply", content_type="application/pdf")
    answer = road.post(f"{URL}{suggestion.pk}/reply/", {"date": "2024-06-03", "text": "已解决", "resolution": "resolved",
                                                        "files": [letter]}, format="multipart")
    assert answer.status_code == 200, answer.content
    assert (answer.json()["status"], answer.json()["replied_on"], answer.json()["feedback_due"]) == (
        "replied", "2024-06-03", "2024-06-25")
    body = zhang.post(f"{URL}{suggestion.pk}/evaluate/", {"satisfaction": "dissatisfied", "comment": "未解决",
                                                          "date": "2024-06-20"}, format="json").json()
    assert (body["status"], body["rehandling_due"]) == ("rehandling", "2024-08-20")
    road.post(f"{URL}{suggestion.pk}/reply/", {"date": "2024-08-01", "text": "已重新办理", "resolution": "in_progress"},
              format="json")
    body = zhang.post(f"{URL}{suggestion.pk}/evaluate/", {"satisfaction": "basically_satisfied"}, format="json").json()
    assert (body["status"], body["satisfaction"], body["resolution"]) == ("closed", "basically_satisfied", "in_progress")


def test_wrong_state_is_a_409_in_chinese_and_wrong_role_a_403(sw):
    suggestion = submit(sw)
    office, road, zhang, court = (client(sw.office), client(sw.road_user), client(sw.zhang_user),
                                  client(sw.court_user))
    early = office.post(f"{URL}{suggestion.pk}/extend/", {"reason": "理由"}, format="json")
    assert early.status_code == 409 and has_chinese(early.json()["status"])  # the state: a conflict (issue 17)
    assert zhang.post(f"{URL}{suggestion.pk}/assign/", {"lead_unit": sw.road.pk, "date": "2024-03-07"},
                      format="json").status_code == 403
    office.post(f"{URL}{suggestion.pk}/assign/", {"lead_unit": sw.road.pk, "co_units": [sw.court.pk],
                                                  "date": "2024-03-07"}, format="json")
    co_unit = court.post(f"{URL}{suggestion.pk}/reply/", {"date": "2024-06-03", "text": "答复", "resolution": "resolved"},
                         format="json")
    assert co_unit.status_code == 403 and has_chinese(co_unit.json()["detail"])
    assert zhang.post(f"{URL}{suggestion.pk}/evaluate/", {"satisfaction": "satisfied"}, format="json").status_code == 409
    assert road.post(f"{URL}{suggestion.pk}/close/", {"date": "2024-07-01"}, format="json").status_code == 403
    again = office.post(f"{URL}{suggestion.pk}/assign/", {"lead_unit": sw.court.pk, "date": "2024-03-08"},
                        format="json")
    assert again.status_code == 409 and has_chinese(again.json()["status"])


@pytest.mark.parametrize("path,body", [
    ("assign/", {"lead_unit": "x", "date": "2024-13-01"}),
    ("assign/", {"lead_unit": 999999, "date": "2024-03-07"}),
    ("assign/", {}),
])
def test_bad_action_bodies_are_400s_naming_the_field(sw, path, body):
    suggestion = submit(sw)
    answer = client(sw.office).post(f"{URL}{suggestion.pk}/{path}", body, format="json")
    assert answer.status_code == 400 and has_chinese(answer.json())
    suggestion.refresh_from_db()
    assert suggestion.status == "submitted"


def test_bad_reply_and_evaluation_bodies_are_400s(sw):
    suggestion = assign(sw, submit(sw))
    road = client(sw.road_user)
    answer = road.post(f"{URL}{suggestion.pk}/reply/", {"date": "2024-06-03", "text": "答复", "resolution": "ignored"},
                       format="json")
    assert answer.status_code == 400 and "resolution" in answer.json()
    answer = road.post(f"{URL}{suggestion.pk}/reply/", {"date": "2099-06-03", "text": "答复", "resolution": "resolved"},
                       format="json")
    assert answer.status_code == 400 and has_chinese(answer.json()["date"])
    reply(sw, suggestion)
    answer = client(sw.zhang_user).post(f"{URL}{suggestion.pk}/evaluate/", {"satisfaction": "great"}, format="json")
    assert answer.status_code == 400 and "satisfaction" in answer.json()


def test_closing_before_the_feedback_deadline_is_a_400_and_after_it_closes(sw):
    suggestion = reply(sw, assign(sw, submit(sw)))
    office = client(sw.office)
    early = office.post(f"{URL}{suggestion.pk}/close/", {"date": "2024-06-25", "note": ""}, format="json")
    assert early.status_code == 400 and has_chinese(early.json()["date"])
    body = office.post(f"{URL}{suggestion.pk}/close/", {"date": "2024-06-26", "note": "未反馈"}, format="json").json()
    assert (body["status"], body["closed_on"]) == ("closed", "2024-06-26")


def test_withdraw_through_the_api(sw):
    suggestion = submit(sw)
    assert client(sw.li_user).post(f"{URL}{suggestion.pk}/withdraw/").status_code == 404  # not in li's view
    body = client(sw.zhang_user).post(f"{URL}{suggestion.pk}/withdraw/").json()
    assert (body["status"], body["contribution"]) == ("withdrawn", None)
    again = client(sw.zhang_user).post(f"{URL}{suggestion.pk}/withdraw/")
    assert again.status_code == 409  # a repeat: a conflict with the current state (issue 17)


def test_a_calendar_year_not_known_is_a_400_not_a_500(sw, monkeypatch):
    package = clocks.PACKAGE_CALENDAR  # as if the package knew only 2004–2024 and nothing were entered
    monkeypatch.setattr(clocks, "PACKAGE_CALENDAR", clocks.Calendar(package.holidays, package.workdays, tuple(range(2004, 2025))))
    suggestion = submit(sw)
    answer = client(sw.office).post(f"{URL}{suggestion.pk}/assign/", {"lead_unit": sw.road.pk, "date": "2024-11-01"},
                                    format="json")
    assert answer.status_code == 400 and "2025" in str(answer.json()["date"])


def test_bulk_assignment_through_the_api(sw):
    first, second = submit(sw), submit(sw, title="二")
    office = client(sw.office)
    answer = office.post(f"{URL}assign-bulk/", {"date": "2024-03-07", "records": [
        {"suggestion": first.pk, "lead_unit": sw.road.pk},
        {"suggestion": second.pk, "lead_unit": sw.court.pk, "co_units": [sw.road.pk]},
    ]}, format="json")
    assert answer.status_code == 200, answer.content
    assert answer.json()["assigned"] == 2
    assert {r["status"] for r in answer.json()["results"]} == {"assigned"}
    third = submit(sw, title="三")
    answer = office.post(f"{URL}assign-bulk/", {"date": "2024-03-08", "records": [
        {"suggestion": third.pk, "lead_unit": sw.road.pk}, {"suggestion": first.pk, "lead_unit": sw.road.pk},
    ]}, format="json")
    assert answer.status_code == 400 and answer.json()["records"][0]["index"] == 1
    third.refresh_from_db()
    assert third.status == "submitted"
    assert client(sw.staff_a).post(f"{URL}assign-bulk/", {"date": "2024-03-08", "records": [
        {"suggestion": third.pk, "lead_unit": sw.road.pk}]}, format="json").status_code == 403


def test_the_list_is_a_fixed_number_of_queries(sw, django_assert_max_num_queries):
    for n in range(6):
        suggestion = assign(sw, submit(sw, title=f"建议{n}", cosigners=[sw.li]), co_units=[sw.court])
        if n % 2:
            evaluate(sw, reply(sw, suggestion), "satisfied")
    with django_assert_max_num_queries(12):
        answer = client(sw.office).get(URL)
    assert answer.json()["count"] == 6
