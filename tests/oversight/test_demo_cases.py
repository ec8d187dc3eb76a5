"""The demo district through the app's own loader, API and pages: every rule of RULES.md fires for its
planted deputy as of DEMO_TODAY, and ordinary deputies have nothing to act on."""
from __future__ import annotations

import datetime as dt
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from rest_framework.test import APIClient

from deputies.models import Deputy, Term
from dutyadmin import demo
from dutyadmin.roles import Role
from oversight.findings.selectors import term_findings
from oversight.rules.catalog import ACTION_RULES, DATA_CHECKS, THRESHOLD_RULES
from tests import factories

AS_OF = demo.DEMO_TODAY  # 2026-11-27
RULE_IDS = [rule.id for rule in (*THRESHOLD_RULES, *ACTION_RULES)]


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seed once for the module inside a transaction rolled back afterwards."""
    with django_db_blocker.unblock():
        with transaction.atomic():
            call_command("seed_demo", stdout=StringIO())
            term = Term.objects.get(number=demo.TERM_NUMBER)
            ids = dict(Deputy.objects.filter(term=term).values_list("name", "id"))
            yield SimpleNamespace(term=term, ids=ids, findings=term_findings(term=term, as_of=AS_OF, include_met=True))
            transaction.set_rollback(True)


@pytest.fixture
def api(seeded, db):
    client = APIClient()
    client.force_authenticate(factories.make_user(Role.LIAISON_OFFICE, username="demo-test-liaison"))
    return client


def test_every_rule_id_of_rules_md_has_a_demo_deputy():
    assert set(RULE_IDS) <= set(demo.DEMO_CASES)
    assert set(DATA_CHECKS) <= set(demo.DEMO_CASES)


@pytest.mark.parametrize("rule", RULE_IDS)
def test_the_planted_deputy_has_an_unmet_finding_of_the_rule(seeded, rule):
    deputy = seeded.ids[demo.DEMO_CASES[rule]]
    statuses = {f.status for f in seeded.findings if f.deputy == deputy and f.rule == rule}
    assert statuses - {"met"}, f"{demo.DEMO_CASES[rule]} has no unmet {rule} finding"


@pytest.mark.parametrize("rule", [rule.id for rule in ACTION_RULES])
def test_each_planted_action_case_awaits_action(seeded, rule):
    deputy = seeded.ids[demo.DEMO_CASES[rule]]
    statuses = [f.status for f in seeded.findings if f.deputy == deputy and f.rule == rule]
    assert "action_required" in statuses


def test_the_documented_resolved_cases_are_resolved(seeded):
    def status(name, rule):
        return {f.status for f in seeded.findings if f.deputy == seeded.ids[name] and f.rule == rule}

    assert status(demo.DEMO_EXTRA_CASES["session_absence_talk_resolved"], "session_absence_talk") == {"resolved"}
    # 韩德明 was talked to after his first missed session: that talk is resolved, termination is not.
    assert status(demo.DEMO_CASES["qualification_termination"], "session_absence_talk") == {"resolved"}
    # 吕志强's gap without receptions was closed by a reception: history, no current finding.
    assert status(demo.DEMO_EXTRA_CASES["no_contact_talk_historical"], "no_contact_talk") == set()


def test_most_deputies_have_nothing_to_act_on(seeded):
    acting = {f.deputy for f in seeded.findings if f.status == "action_required"}
    assert len(acting) < 0.1 * len(seeded.ids)
    ordinary = {seeded.ids[demo.DEMO_DEPUTY_NAME], seeded.ids[demo.DEMO_HEAD_NAME]}
    assert not [f for f in seeded.findings if f.deputy in ordinary and f.status != "met"]


def test_the_api_gives_the_same_findings_as_the_loader(seeded, api):
    body = api.get("/api/v1/findings/", {"term": seeded.term.pk, "as_of": AS_OF.isoformat(),
                                         "page_size": 1000}).json()
    unmet = [f for f in seeded.findings if f.status != "met"]
    assert body["count"] == len(unmet)
    assert {(f["deputy"], f["rule"], f["status"], f["period_start"]) for f in body["results"]} == {
        (f.deputy, f.rule, f.status, f.period_start.isoformat()) for f in unmet
    }


@pytest.mark.parametrize("check", DATA_CHECKS)
def test_each_data_check_fires_for_its_demo_deputy(seeded, api, check):
    body = api.get("/api/v1/data-checks/", {"term": seeded.term.pk, "as_of": AS_OF.isoformat(), "check": check,
                                            "page_size": 1000}).json()
    assert seeded.ids[demo.DEMO_CASES[check]] in {c["deputy"] for c in body["results"]}


@pytest.mark.parametrize("rule", RULE_IDS)
def test_the_planted_deputys_page_explains_the_finding(seeded, api, client, rule):
    client.force_login(factories.make_user(Role.LIAISON_OFFICE, username=f"demo-page-{rule}"))
    deputy = seeded.ids[demo.DEMO_CASES[rule]]
    response = client.get(reverse("oversight:deputy_findings", args=[deputy]), {"as_of": AS_OF.isoformat()})
    assert response.status_code == 200
    (section,) = [s for s in response.context["sections"] if s.id == rule]
    assert any(view.finding.status != "met" and view.next_step for view in section.findings)


def test_the_handbook_of_a_planted_deputy_lists_the_years_findings(seeded, api):
    deputy = seeded.ids[demo.DEMO_CASES["closed_session_activities"]]
    body = api.get(f"/api/v1/deputies/{deputy}/handbook/", {"year": 2025}).json()
    a41 = [f for f in body["findings"] if f["rule"] == "closed_session_activities"]
    assert [(f["period_start"], f["status"]) for f in a41] == [("2025-01-01", "missed")]


def test_ordinary_deputies_have_no_finding_but_scattered_absence_notices(seeded):
    planted = {seeded.ids[name] for name in (*demo.DEMO_CASES.values(), *demo.DEMO_EXTRA_CASES.values())}
    others = {f.rule for f in seeded.findings if f.deputy not in planted and f.status != "met"}
    assert others <= {"absence_notice"}


def test_su_chunxues_head_approved_leave_excuses_his_absence_and_awaits_filing(seeded, api):
    """Issue 12: his delegation head approved (the deciding step) in January, the secretariat never filed it:
    the leave is approved, his absence excused and no 缺席通报 is owed; the open filing is a data check."""
    deputy = seeded.ids[demo.DEMO_CASES["leave_not_filed"]]
    owed = [f for f in seeded.findings if f.deputy == deputy and f.status == "action_required"]
    assert owed == []  # before: absence_notice 待处置 for the s5 delegation meeting
    (leave,) = api.get("/api/v1/leave-requests/", {"deputy": deputy, "page_size": 100}).json()["results"]
    assert (leave["status"], leave["deciding_step"], leave["filed"]) == ("approved", "delegation_head_approve", False)
    absent = api.get("/api/v1/attendance/", {"deputy": deputy, "status": "absent", "page_size": 100}).json()["results"]
    assert absent and all(row["excused"] for row in absent if row["meeting"] in leave["meetings"])



def test_the_suspended_deputy_owes_2026_pro_rata_on_the_days_not_suspended(seeded):
    """Issue 12: DEMO_SUSPENSION takes 122 days of 2026, so A4.1 and A4.4 owe ⌈3 × 243 / 365⌉ = 2, not 3; the
    window keeps its ends; he has nothing else to answer for in 2026."""
    name, first, last, _ = demo.DEMO_SUSPENSION
    deputy = seeded.ids[name]
    of_2026 = {f.rule: f for f in seeded.findings if f.deputy == deputy and f.trigger_date is None
               and f.period_start.year == 2026}
    for rule in ("closed_session_activities", "group_activities"):
        finding = of_2026[rule]
        assert (finding.period_start, finding.period_end, finding.required) == (
            dt.date(2026, 1, 1), dt.date(2026, 12, 31), 2,
        )
        assert finding.status == "met"
