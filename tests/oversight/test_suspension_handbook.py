"""A suspension in the database: the fact loader reads it, the handbook shows it for the year with the engine's
findings, the data checks flag a record inside it (暂时停止执行代表职务, RULES.md "Suspension")."""

import pytest
from django.test import Client
from django.urls import reverse

from dutyadmin.roles import Role
from oversight.findings.facts import facts_load
from oversight.findings.selectors import deputy_findings
from oversight.handbook.build import SUSPENDED, handbook_build
from oversight.handbook.selectors import about_year
from oversight.rules import data_checks
from tests import factories

from .records import D, activity, attend, session_with_meetings, take_part

pytestmark = pytest.mark.django_db
TODAY = D(2026, 12, 2)
REASON = "因涉嫌犯罪被羁押，依法暂时停止执行代表职务。"


@pytest.fixture
def suspended(term):
    """A deputy suspended 2025-01-01 … 2025-06-30, recorded absent at the whole 2025 session (inside it), with a
    reception inside the suspension and one after it."""
    deputy = factories.DeputyFactory(term=term, name="暂停代表")
    factories.SuspensionFactory(deputy=deputy, start_date=D(2025, 1, 1), end_date=D(2025, 6, 30), reason=REASON)
    session, meetings = session_with_meetings(term, D(2025, 1, 6), D(2025, 1, 8), number=3)
    attend(deputy, meetings, "absent")
    inside = activity(term, "station_reception", D(2025, 3, 1))
    after = activity(term, "station_reception", D(2025, 7, 1))
    take_part(deputy, inside)
    take_part(deputy, after)
    return {"deputy": deputy, "session": session, "meetings": meetings, "inside": inside, "after": after}


def test_the_loader_carries_the_suspension_with_the_deputy(term, suspended):
    _, facts = facts_load(term=term)
    assert facts.deputies[suspended["deputy"].pk].suspensions == ((D(2025, 1, 1), D(2025, 6, 30)),)


def test_the_handbook_shows_the_suspension_and_its_findings_are_the_engine_s(term, suspended):
    deputy = suspended["deputy"]
    hb = handbook_build(deputy=deputy, year=2025, today=TODAY)
    assert [(s.start_date, s.end_date, s.reason, s.days_in_year) for s in hb.suspensions] == [
        (D(2025, 1, 1), D(2025, 6, 30), REASON, 181),
    ]
    engine = [f for f in deputy_findings(deputy=deputy, as_of=hb.as_of) if about_year(f, D(2025, 1, 1), D(2025, 12, 31))]
    assert list(hb.findings) == engine
    assert not any(f.rule in ("absence_notice", "session_absence_talk") for f in hb.findings)
    reception = next(p for p in hb.progress if p.rule == "station_receptions")
    assert (reception.count, reception.required) == (1, 2)  # 184 days served: ⌈2 × 184 / 365⌉ = 2
    assert "暂停执行代表职务 181 天" in reception.note
    assert hb.sessions == ()  # the session lay wholly inside the suspension: not one the deputy was expected at
    lines = {line.activity: line for section in hb.activity_sections for g in section.groups for line in g.rows}
    assert lines[suspended["inside"].pk].counts_note == "暂停执行代表职务期间，不计入"
    assert lines[suspended["after"].pk].counts_note.startswith("计入")


def test_a_meeting_on_a_suspended_day_reads_as_such_in_the_handbook(term):
    deputy = factories.DeputyFactory(term=term)
    factories.SuspensionFactory(deputy=deputy, start_date=D(2024, 12, 1), end_date=D(2025, 1, 6))
    _, meetings = session_with_meetings(term, D(2025, 1, 6), D(2025, 1, 8), number=3)
    attend(deputy, meetings, "absent")
    hb = handbook_build(deputy=deputy, year=2025, today=TODAY)
    assert [m.mark for block in hb.sessions for m in block.meetings] == [SUSPENDED, "缺席", "缺席"]
    notice = next(f for f in hb.findings if f.rule == "absence_notice")
    assert notice.count == 2


def test_a_wholly_suspended_year_owes_nothing_in_the_handbook(term):
    deputy = factories.DeputyFactory(term=term)
    factories.SuspensionFactory(deputy=deputy, start_date=D(2024, 12, 1), end_date=None)
    hb = handbook_build(deputy=deputy, year=2025, today=TODAY)
    yearly = [p for p in hb.progress if p.rule in ("closed_session_activities", "group_activities", "station_receptions")]
    assert {p.status_label for p in yearly} == {"不适用"}
    assert {p.note for p in yearly} == {"该年度全年暂停执行代表职务，不作要求。"}
    assert [(s.end_date, s.days_in_year) for s in hb.suspensions] == [(None, 365)]


def test_the_handbook_page_and_api_show_the_span_and_reason(term, suspended):
    deputy = suspended["deputy"]
    client = Client()
    client.force_login(factories.make_user(Role.LIAISON_OFFICE))
    page = client.get(reverse("oversight:handbook", args=[deputy.pk]), {"year": 2025})
    text = page.content.decode()
    assert "2025年1月1日 — 2025年6月30日" in text and REASON in text and "本年度 181 天" in text
    data = client.get(f"/api/v1/deputies/{deputy.pk}/handbook/", {"year": 2025}).json()
    assert data["suspensions"] == [
        {"start_date": "2025-01-01", "end_date": "2025-06-30", "reason": REASON, "days_in_year": 181},
    ]


def test_the_data_check_flags_the_records_inside_the_suspension(term, suspended):
    term_facts, facts = facts_load(term=term)
    checks = [c for c in data_checks(term_facts, facts, TODAY) if c.check == "record_outside_service"]
    assert sorted((c.type, c.id) for c in checks) == sorted(
        [("activity", suspended["inside"].pk)] + [("meeting", m.pk) for m in suspended["meetings"]]
    )
