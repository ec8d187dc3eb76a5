"""GET /api/v1/findings/, /data-checks/ and /deputies/{id}/handbook/: the contract of DESIGN.md."""
import datetime as dt

import pytest
from rest_framework.test import APIClient

from dutyadmin.roles import Role
from oversight.labels import ACTIONS, RULE_IDS, STATUSES
from tests import factories

from .records import D, activity, attend, session_with_meetings, take_part

pytestmark = pytest.mark.django_db
FINDINGS = "/api/v1/findings/"
CHECKS = "/api/v1/data-checks/"
FINDING_FIELDS = {
    "deputy", "rule", "article", "status", "action", "responsible", "period_start", "period_end", "count",
    "required", "trigger_date", "evidence",
}


def has_chinese(text) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in str(text))


@pytest.fixture
def district(term):
    """Two streets: 东四 (张东, absent from the 2024 session) and 朝阳门 (王朝, three inspections in 2024)."""
    dongsi = factories.StreetCommitteeFactory(name="东四", code="DS")
    chaoyang = factories.StreetCommitteeFactory(name="朝阳门", code="CY")
    zhang = factories.DeputyFactory(term=term, name="张东", street_committee=dongsi)
    wang = factories.DeputyFactory(term=term, name="王朝", street_committee=chaoyang)
    session, meetings = session_with_meetings(term, D(2024, 1, 10), D(2024, 1, 12), number=3)
    attend(zhang, meetings, "absent")
    attend(wang, meetings, "present")
    for day in (3, 4, 5):
        take_part(wang, activity(term, "inspection", D(2024, day, 1)))
    return {"term": term, "dongsi": dongsi, "chaoyang": chaoyang, "zhang": zhang, "wang": wang,
            "session": session, "meetings": meetings}


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture
def liaison(make_user):
    return client_for(make_user(Role.LIAISON_OFFICE))


def get(client, url, **params):
    return client.get(url, params)


def test_each_finding_has_exactly_the_contract_fields_with_iso_dates(liaison, district):
    body = get(liaison, FINDINGS, term=district["term"].pk, as_of="2024-02-01").json()
    assert set(body) == {"count", "next", "previous", "results"}
    talk = next(f for f in body["results"] if f["rule"] == "session_absence_talk")
    assert FINDING_FIELDS <= set(talk)
    assert talk == {
        **{key: talk[key] for key in talk if key not in FINDING_FIELDS},
        "deputy": district["zhang"].pk, "rule": "session_absence_talk", "article": "A9.1",
        "status": "action_required", "action": "talk", "responsible": "delegation_head",
        "period_start": "2022-01-01", "period_end": "2026-12-31", "count": 1, "required": 1,
        "trigger_date": "2024-01-12",
        "evidence": [{"type": "session", "id": district["session"].pk, "date": "2024-01-12"}],
    }
    assert talk["deputy_name"] == "张东" and has_chinese(talk["status_label"])


def test_threshold_findings_have_no_trigger_date_and_activity_evidence(liaison, district):
    body = get(liaison, FINDINGS, term=district["term"].pk, as_of="2024-06-30", deputy=district["wang"].pk,
               rule="closed_session_activities", include_met="true").json()
    year_2024 = next(f for f in body["results"] if f["period_start"] == "2024-01-01")
    assert (year_2024["status"], year_2024["count"], year_2024["required"]) == ("met", 3, 3)
    assert (year_2024["action"], year_2024["responsible"], year_2024["trigger_date"]) == ("none", "deputy", None)
    assert [e["type"] for e in year_2024["evidence"]] == ["activity"] * 3
    assert [e["date"] for e in year_2024["evidence"]] == ["2024-03-01", "2024-04-01", "2024-05-01"]


def test_every_value_is_one_of_the_contract_enums(liaison, district):
    body = get(liaison, FINDINGS, term=district["term"].pk, as_of="2026-12-31", include_met="true",
               page_size=1000).json()
    assert body["count"] > 10
    for finding in body["results"]:
        assert finding["rule"] in RULE_IDS
        assert finding["status"] in STATUSES
        assert finding["action"] in ACTIONS
        assert finding["responsible"] in {"deputy", "secretariat", "delegation_head", "sc", "sc_office",
                                          "street_director"}
        assert {e["type"] for e in finding["evidence"]} <= {"session", "meeting", "activity", "contribution",
                                                            "intervention"}


def test_met_findings_are_listed_only_with_include_met(liaison, district):
    term = district["term"].pk
    without = get(liaison, FINDINGS, term=term, as_of="2024-06-30", page_size=1000).json()["results"]
    with_met = get(liaison, FINDINGS, term=term, as_of="2024-06-30", include_met="true", page_size=1000).json()
    assert "met" not in {f["status"] for f in without}
    assert "met" in {f["status"] for f in with_met["results"]}
    assert with_met["count"] > len(without)


@pytest.mark.parametrize(("name", "value"), [("rule", "no_contact_talk"), ("status", "action_required"),
                                             ("action", "talk")])
def test_filters_keep_only_matching_findings(liaison, district, name, value):
    results = get(liaison, FINDINGS, term=district["term"].pk, as_of="2024-06-30", **{name: value},
                  page_size=1000).json()["results"]
    assert results and {f[name] for f in results} == {value}


def test_the_deputy_and_street_committee_filters_narrow_the_deputies(liaison, district):
    term = district["term"].pk
    by_deputy = get(liaison, FINDINGS, term=term, as_of="2024-06-30", deputy=district["wang"].pk).json()["results"]
    by_street = get(liaison, FINDINGS, term=term, as_of="2024-06-30",
                    street_committee=district["dongsi"].pk).json()["results"]
    assert {f["deputy"] for f in by_deputy} == {district["wang"].pk}
    assert {f["deputy"] for f in by_street} == {district["zhang"].pk}


def test_findings_are_paginated_like_the_other_lists(liaison, district):
    body = get(liaison, FINDINGS, term=district["term"].pk, as_of="2026-12-31", include_met="true",
               page_size=5).json()
    assert len(body["results"]) == 5 and body["next"] and body["previous"] is None
    second = liaison.get(body["next"]).json()
    assert second["previous"] and second["results"] != body["results"]


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({}, "term"),
        ({"term": "abc"}, "term"),
        ({"term": "999"}, "term"),
        ({"term": "99999999999999999999999"}, "term"),
        ({"as_of": "2024-13-01"}, "as_of"),
        ({"as_of": "01/02/2024"}, "as_of"),
        ({"rule": "no_such_rule"}, "rule"),
        ({"status": "late"}, "status"),
        ({"action": "fine"}, "action"),
        ({"include_met": "maybe"}, "include_met"),
        ({"deputy": "x"}, "deputy"),
        ({"street_committee": "-1"}, "street_committee"),
    ],
)
def test_a_missing_term_or_a_bad_parameter_is_a_400_in_chinese(liaison, district, params, field):
    if field != "term":
        params = {"term": district["term"].pk, **params}
    response = get(liaison, FINDINGS, **params)
    assert response.status_code == 400
    assert field in response.json() and has_chinese(response.json()[field])


def test_street_staff_of_dongsi_see_only_dongsis_deputies(make_user, district):
    staff = client_for(make_user(Role.STREET_STAFF, street_committee=district["dongsi"]))
    results = get(staff, FINDINGS, term=district["term"].pk, as_of="2026-12-31", include_met="true",
                  page_size=1000).json()["results"]
    assert results and {f["deputy"] for f in results} == {district["zhang"].pk}
    other = get(staff, FINDINGS, term=district["term"].pk, as_of="2026-12-31", deputy=district["wang"].pk).json()
    assert other["count"] == 0
    other_street = get(staff, FINDINGS, term=district["term"].pk, street_committee=district["chaoyang"].pk).json()
    assert other_street["count"] == 0


def test_a_deputy_sees_only_their_own_findings(make_user, district):
    deputy = client_for(make_user(Role.DEPUTY, deputy=district["wang"]))
    results = get(deputy, FINDINGS, term=district["term"].pk, as_of="2026-12-31").json()["results"]
    assert {f["deputy"] for f in results} == {district["wang"].pk}


def test_anonymous_callers_get_a_401_or_403(district):
    assert APIClient().get(FINDINGS, {"term": district["term"].pk}).status_code in (401, 403)
    assert APIClient().get(CHECKS, {"term": district["term"].pk}).status_code in (401, 403)


def test_findings_are_read_only(liaison, district):
    assert liaison.post(FINDINGS, {}, format="json").status_code == 405


# --- data checks ---------------------------------------------------------------------------------


def test_data_checks_have_the_contract_fields(liaison, district):
    (extra,) = session_with_meetings(district["term"], D(2025, 1, 10), D(2025, 1, 10), number=4,
                                     kinds=("plenary",))[1]
    body = get(liaison, CHECKS, term=district["term"].pk, as_of="2025-02-01").json()
    assert set(body) == {"count", "next", "previous", "results"}
    unrecorded = [c for c in body["results"] if c["check"] == "unrecorded_attendance"]
    assert {(c["deputy"], c["type"], c["id"], c["date"]) for c in unrecorded} == {
        (district["zhang"].pk, "meeting", extra.pk, "2025-01-10"),
        (district["wang"].pk, "meeting", extra.pk, "2025-01-10"),
    }
    assert {"check", "deputy", "type", "id", "date", "detail"} <= set(unrecorded[0])
    assert has_chinese(unrecorded[0]["detail"])


def test_data_checks_are_scoped(make_user, district):
    session_with_meetings(district["term"], D(2025, 1, 10), D(2025, 1, 10), number=4)
    staff = client_for(make_user(Role.STREET_STAFF, street_committee=district["chaoyang"]))
    results = get(staff, CHECKS, term=district["term"].pk, as_of="2025-02-01").json()["results"]
    assert results and {c["deputy"] for c in results} == {district["wang"].pk}


@pytest.mark.parametrize(("params", "field"), [({}, "term"), ({"as_of": "yesterday"}, "as_of"),
                                               ({"check": "typo"}, "check")])
def test_data_checks_need_a_term_and_a_good_date(liaison, district, params, field):
    if field != "term":
        params = {"term": district["term"].pk, **params}
    response = get(liaison, CHECKS, **params)
    assert response.status_code == 400 and has_chinese(response.json()[field])


# --- handbook ------------------------------------------------------------------------------------


def handbook_url(deputy) -> str:
    return f"/api/v1/deputies/{deputy.pk}/handbook/"


def test_the_handbook_groups_the_years_records_by_kind_with_the_years_findings(liaison, district):
    wang = district["wang"]
    take_part(wang, activity(district["term"], "station_reception", D(2023, 6, 1)))  # another year
    factories.ContributionFactory(deputy=wang, session=district["session"], kind="review_opinion",
                                  date=D(2024, 1, 11))
    # A deputy's own entry that staff have not confirmed is not in the handbook.
    factories.ContributionFactory(deputy=wang, session=district["session"], kind="review_opinion",
                                  date=D(2024, 1, 12), confirmed=False)
    body = get(liaison, handbook_url(wang), year=2024).json()
    assert (body["deputy"], body["year"], body["as_of"]) == (wang.pk, 2024, "2025-01-01")
    assert [a["date"] for a in body["activities"]["inspection"]] == ["2024-03-01", "2024-04-01", "2024-05-01"]
    assert body["activities"]["station_reception"] == []
    assert [len(s["meetings"]) for s in body["sessions"]] == [3]
    assert {m["attendance"] for m in body["sessions"][0]["meetings"]} == {"present"}
    assert [c["date"] for c in body["contributions"]["review_opinion"]] == ["2024-01-11"]
    findings = body["findings"]
    a41 = [f for f in findings if f["rule"] == "closed_session_activities"]
    assert [(f["period_start"], f["status"]) for f in a41] == [("2024-01-01", "met")]
    assert {f["rule"] for f in findings} >= {"training", "lectures", "station_receptions"}
    assert FINDING_FIELDS <= set(findings[0])


def test_the_handbook_lists_action_findings_triggered_that_year(liaison, district):
    zhang = district["zhang"]
    rules_2024 = {f["rule"] for f in get(liaison, handbook_url(zhang), year=2024).json()["findings"]}
    rules_2023 = {f["rule"] for f in get(liaison, handbook_url(zhang), year=2023).json()["findings"]}
    assert {"absence_notice", "session_absence_talk"} <= rules_2024
    assert not {"absence_notice", "session_absence_talk"} & rules_2023


@pytest.mark.parametrize("year", [None, "abc", "2019", "2031", "20.5"])
def test_a_missing_or_bad_year_is_a_400(liaison, district, year):
    params = {} if year is None else {"year": year}
    response = get(liaison, handbook_url(district["wang"]), **params)
    assert response.status_code == 400 and has_chinese(response.json()["year"])


def test_a_deputy_out_of_scope_has_no_handbook(make_user, district):
    staff = client_for(make_user(Role.STREET_STAFF, street_committee=district["dongsi"]))
    assert get(staff, handbook_url(district["wang"]), year=2024).status_code == 404
    assert get(staff, handbook_url(district["zhang"]), year=2024).status_code == 200
    assert get(staff, "/api/v1/deputies/999999/handbook/", year=2024).status_code == 404


def test_a_deputy_reads_their_own_handbook(make_user, district):
    deputy = client_for(make_user(Role.DEPUTY, deputy=district["zhang"]))
    assert get(deputy, handbook_url(district["zhang"]), year=2024).status_code == 200
    assert get(deputy, handbook_url(district["wang"]), year=2024).status_code == 404


# --- thresholds: the terms endpoint changes what the findings require ----------------------------


def test_thresholds_patched_on_the_term_change_the_findings(liaison, district):
    term = district["term"]
    response = liaison.patch(f"/api/v1/terms/{term.pk}/", {"thresholds": {"closed_session_activities": 4}},
                             format="json")
    assert response.status_code == 200
    year_2024 = next(f for f in get(liaison, FINDINGS, term=term.pk, as_of="2024-06-30", deputy=district["wang"].pk,
                                    rule="closed_session_activities").json()["results"]
                     if f["period_start"] == "2024-01-01")
    assert (year_2024["count"], year_2024["required"]) == (3, 4)


@pytest.mark.parametrize("value", [0, -1, 1.5, "3", None])
def test_thresholds_must_be_positive_whole_numbers(liaison, district, value):
    term = district["term"]
    response = liaison.patch(f"/api/v1/terms/{term.pk}/", {"thresholds": {"no_contact_days": value}}, format="json")
    assert response.status_code == 400 and has_chinese(response.json()["thresholds"])


def test_as_of_defaults_to_today(liaison, district, monkeypatch):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: dt.date(2024, 2, 1))
    talk = next(f for f in get(liaison, FINDINGS, term=district["term"].pk).json()["results"]
                if f["rule"] == "session_absence_talk")
    assert talk["trigger_date"] == "2024-01-12"


@pytest.mark.parametrize("path", [FINDINGS, CHECKS])
def test_the_number_of_queries_does_not_grow_with_the_deputies(make_user, term, path):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .records import many_deputies

    street = factories.StreetCommitteeFactory(name="东四", code="DS")
    user = make_user(Role.STREET_STAFF, street_committee=street)
    session_with_meetings(term, D(2023, 1, 10), D(2023, 1, 10), number=50, kinds=("plenary",))  # never recorded
    counts = []
    for number, extra in ((1, 5), (2, 60)):
        many_deputies(term, extra, street=street, session_number=number)
        staff = client_for(type(user).objects.get(pk=user.pk))  # a fresh request user: its scope is read again
        with CaptureQueriesContext(connection) as queries:
            response = get(staff, path, term=term.pk, as_of="2024-06-30", page_size=1000)
        assert response.status_code == 200 and response.json()["count"] >= extra
        counts.append(len(queries))
    assert counts[0] == counts[1]


def test_a_user_without_a_role_gets_empty_lists_not_an_error(make_user, district):
    nobody = client_for(make_user(None))
    for path in (FINDINGS, CHECKS):
        response = get(nobody, path, term=district["term"].pk, as_of="2024-06-30")
        assert response.status_code == 200 and response.json()["count"] == 0
