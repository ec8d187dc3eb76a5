"""A10.5 gaps (gaps14b): the contact data checks in GET /api/v1/data-checks/ (member, member_name, year added), on
the data-checks page's filter and as the 待办 data-check lines, all three counting alike; the contacts xlsx export
(the liaison office every member, a member only their own); the sc_member's scope on these new reads; the extra
standing-committee members among the printed demo users."""
from __future__ import annotations

import datetime as dt
import io

import openpyxl
import pytest
from rest_framework.test import APIClient

from dutyadmin import demo
from dutyadmin.exporters import registry, render_xlsx
from dutyadmin.roles import Role
from dutyadmin.scope import scope_for
from oversight.todo import TodoContext, office_checks_to_fix
from tests import factories

pytestmark = pytest.mark.django_db
CHECKS = "/api/v1/data-checks/"
AS_OF = dt.date(2026, 3, 1)


@pytest.fixture
def w():
    term = factories.TermFactory(start_date=dt.date(2022, 1, 1), end_date=dt.date(2026, 12, 31))
    dongsi = factories.StreetCommitteeFactory(name="东四", code="DS")
    other_street = factories.StreetCommitteeFactory(name="景山", code="JS")
    deputies = [factories.DeputyFactory(term=term, street_committee=dongsi if i < 5 else other_street,
                                        name=f"代表{i}", service_start=dt.date(2022, 1, 1)) for i in range(9)]
    full = factories.make_user("sc_member", username="full")  # 5 deputies; 代表4 not contacted in 2025
    full.first_name = "王建国"
    full.save()
    short = factories.make_user("sc_member", username="short")  # 4 deputies: a size check
    mine = [factories.ContactAssignmentFactory(term=term, member=full, deputy=d) for d in deputies[:5]]
    theirs = [factories.ContactAssignmentFactory(term=term, member=short, deputy=d) for d in deputies[5:9]]
    for a in mine + theirs:
        for year in (2022, 2023, 2024, 2025):
            if not (a is mine[4] and year == 2025):
                factories.ContactFactory(assignment=a, date=dt.date(year, 5, 1))
    factories.ContactFactory(assignment=mine[0], date=dt.date(2026, 2, 1))
    return {"term": term, "dongsi": dongsi, "deputies": deputies, "full": full, "short": short, "mine": mine,
            "theirs": theirs, "liaison": factories.make_user("liaison_office", username="liaison"),
            "secretariat": factories.make_user("secretariat", username="sec"),
            "staff": factories.make_user("street_staff", username="staff", street_committee=dongsi)}


def api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


def checks(user, **params):
    answer = api(user).get(CHECKS, {"as_of": AS_OF.isoformat(), "page_size": 1000, **params})
    assert answer.status_code == 200, answer.content
    return [c for c in answer.json()["results"] if c["check"].startswith("contact_")]


# --- the API ----------------------------------------------------------------------------------------------


def test_the_api_lists_both_contact_checks_with_the_contract_fields_and_the_added_member(w):
    found = checks(w["liaison"], term=w["term"].pk)
    size = next(c for c in found if c["check"] == "contact_assignment_size")
    assert size["deputy"] is None and size["type"] == "member" and size["id"] == w["short"].pk
    assert size["member"] == w["short"].pk and size["date"] == AS_OF.isoformat() and size["year"] is None
    assert "只分配了 4 名联系代表" in size["detail"] and size["check_label"] == "联系代表人数不符"
    missing = next(c for c in found if c["check"] == "contact_missing")
    assert (missing["deputy"], missing["type"], missing["id"]) == (w["deputies"][4].pk, "contact_assignment",
                                                                   w["mine"][4].pk)
    assert (missing["member"], missing["member_name"], missing["year"], missing["date"]) == (
        w["full"].pk, "王建国", 2025, "2025-12-31")
    assert {"check", "deputy", "type", "id", "date", "detail"} <= set(missing)
    assert len(found) == 2


def test_the_api_filters_the_contact_checks_like_the_others(w):
    assert [c["check"] for c in checks(w["liaison"], term=w["term"].pk, check="contact_missing")] == ["contact_missing"]
    only = api(w["liaison"]).get(CHECKS, {"term": w["term"].pk, "as_of": AS_OF.isoformat(),
                                          "check": "contact_assignment_size"}).json()["results"]
    assert [c["check"] for c in only] == ["contact_assignment_size"]  # and no per-deputy check
    # a street or a deputy: only the contact_missing rows about its deputies
    assert [c["check"] for c in checks(w["liaison"], term=w["term"].pk, street_committee=w["dongsi"].pk)] == [
        "contact_missing"]
    assert checks(w["liaison"], term=w["term"].pk, deputy=w["deputies"][0].pk) == []
    bad = api(w["liaison"]).get(CHECKS, {"term": w["term"].pk, "check": "contact_typo"})
    assert bad.status_code == 400 and "contact_missing" in bad.json()["check"][0]


@pytest.mark.parametrize("who", ["secretariat", "staff", "full", "short"])
def test_only_the_office_that_assigns_gets_the_contact_checks(w, who):
    answer = api(w[who]).get(CHECKS, {"term": w["term"].pk, "as_of": AS_OF.isoformat()})
    assert answer.status_code == 200
    assert not [c for c in answer.json()["results"] if c["check"].startswith("contact_")]


# --- the page and 待办 agree with the API -------------------------------------------------------------------


def _todo(w, user, today=AS_OF):
    return {i.label: (i.count, i.url) for i in office_checks_to_fix(
        TodoContext(user=user, scope=scope_for(user), term=w["term"], today=today))}


def test_the_todo_lines_count_what_the_page_and_the_api_list(w, client):
    lines = _todo(w, w["liaison"])
    # The office's other lines (this district held no 主任会议成员接待代表: a reception check a year) are not these.
    assert "数据检查:主任会议成员接待代表不足7次" in lines
    lines = {label: line for label, line in lines.items() if "接待" not in label}
    assert lines == {
        "数据检查:联系代表人数不符": (1, "/oversight/data-checks/?check=contact_assignment_size"),
        "数据检查:全年未联系代表": (1, "/oversight/data-checks/?check=contact_missing"),
    }
    client.force_login(w["liaison"])
    page = client.get("/oversight/data-checks/", {"term": w["term"].pk, "as_of": AS_OF.isoformat(),
                                                  "check": "contact_missing"}).content.decode()
    assert "常委会组成人员联系代表（1 条）" in page and "在2025年没有联系代表代表4的记录" in page
    assert "只分配了 4 名联系代表" not in page
    for who in ("secretariat", "staff", "full"):
        assert _todo(w, w[who]) == {}


def test_the_check_filter_offers_the_contact_checks_to_the_office_only(w, client):
    client.force_login(w["liaison"])
    assert 'value="contact_missing"' in client.get("/oversight/data-checks/").content.decode()
    client.force_login(w["secretariat"])
    assert 'value="contact_missing"' not in client.get("/oversight/data-checks/").content.decode()


# --- the export -------------------------------------------------------------------------------------------


def sheets_of(user, params=None, today=dt.date(2026, 3, 1)):
    exporter = registry.get("contacts")(user=user, params=params or {"year": 2026}, today=today)
    assert exporter.is_valid(), exporter.errors()
    out = io.BytesIO()
    render_xlsx(exporter, out)
    book = openpyxl.load_workbook(io.BytesIO(out.getvalue()))
    return [[list(r) for r in s.iter_rows(min_row=3, values_only=True)] for s in book.worksheets]


def test_the_office_exports_every_members_deputies_with_the_years_contacts(w):
    deputies, members = sheets_of(w["liaison"])
    assert len(deputies) == 9
    first = next(r for r in deputies if r[1] == "代表0")
    assert first[0] == "王建国" and first[4] == 1 and first[7] == "否"  # contacted in 2026
    assert first[5].date() == dt.date(2026, 2, 1) and first[6].date() == dt.date(2026, 2, 1)
    later = next(r for r in deputies if r[1] == "代表1")
    assert later[4] == 0 and later[5] is None and later[6].date() == dt.date(2025, 5, 1) and later[7] == "是"
    assert {r[0]: r[1:4] for r in members} == {"王建国": [5, 1, 4], "short": [4, 0, 4]}
    assert "少于第十条（五）规定的 5 名" in next(r for r in members if r[0] == "short")[5]


def test_the_office_may_export_one_member(w):
    deputies, _ = sheets_of(w["liaison"], {"year": 2025, "member": w["short"].pk})
    assert {r[0] for r in deputies} == {"short"} and len(deputies) == 4


def test_a_member_exports_only_their_own_deputies(w):
    deputies, members = sheets_of(w["full"], {"year": 2025, "member": w["short"].pk})  # the member field is not theirs
    assert {r[0] for r in deputies} == {"王建国"} and len(deputies) == 5
    assert next(r for r in deputies if r[1] == "代表4")[7] == "是"  # not contacted in 2025
    assert [r[0] for r in members] == ["王建国"]


def test_who_may_open_the_contacts_export(w, client):
    for who, status in (("liaison", 200), ("full", 200), ("staff", 403), ("secretariat", 403)):
        client.force_login(w[who])
        assert client.get("/exports/contacts/").status_code == status, who
    client.force_login(w["full"])
    assert "常委会组成人员联系代表情况" in client.get("/exports/").content.decode()
    assert client.get("/exports/contacts/?year=1990").status_code == 400
    assert "/exports/contacts/" in client.get("/contacts/").content.decode()


# --- the demo users ---------------------------------------------------------------------------------------


def test_the_extra_standing_committee_members_are_printed_demo_users():
    members = [s.username for s in demo.DEMO_USERS if s.role == Role.SC_MEMBER]
    assert members == ["sc_member", "scm_li", "scm_zhao", "scm_chen"]
    assert [m[0] for m in demo.DEMO_CONTACT_MEMBERS] == members
