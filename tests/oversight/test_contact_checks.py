"""The A10.5 data checks (oversight/rules/datachecks.py, pure): contact_assignment_size on 4, 5, 6, 7 deputies,
contact_missing on year boundaries, service periods and suspensions; and the loader over the database."""
import datetime as dt

import pytest

from oversight.contacts.checks import contact_checks
from oversight.rules import DeputyFacts
from oversight.rules.datachecks import (
    ContactAssignmentFact,
    contact_assignment_size,
    contact_expected_years,
    contact_missing,
    contact_size_ok,
)
from tests import factories

START, END = dt.date(2022, 1, 1), dt.date(2026, 12, 31)


def assignments(member: int, n: int) -> list[ContactAssignmentFact]:
    return [ContactAssignmentFact(member * 100 + i, member, f"常委{member}", member * 100 + i, f"代表{i}")
            for i in range(n)]


@pytest.mark.parametrize(("n", "flagged"), [(0, True), (4, True), (5, False), (6, False), (7, True)])
def test_contact_assignment_size_edges(n, flagged):
    checks = contact_assignment_size(assignments(1, n), {1: "常委1"})
    assert bool(checks) == flagged and contact_size_ok(n) == (not flagged)
    if n == 4:
        assert checks[0].message == "常委会组成人员常委1只分配了 4 名联系代表，少于第十条（五）规定的 5 名。"
    if n == 7:
        assert "多于第十条（五）规定的 6 名" in checks[0].message


def test_a_member_with_no_assignment_is_flagged_only_when_known_as_a_member():
    assert contact_assignment_size([], {}) == []
    assert [c.member_id for c in contact_assignment_size([], {3: "常委3"})] == [3]


def one(deputy_id=100, start=START, end=None, suspensions=()):
    a = ContactAssignmentFact(1, 7, "常委", deputy_id, "代表")
    return [a], {deputy_id: DeputyFacts(deputy_id, start, end, "active", suspensions)}


def test_a_year_is_judged_only_after_it_has_ended():
    a, deputies = one()
    contacts = {1: [dt.date(2022, 5, 1), dt.date(2023, 5, 1)]}
    # On 31 December 2024 the year 2024 is still running: no check for it yet.
    assert [c.year for c in contact_missing(START, END, a, deputies, contacts, dt.date(2024, 12, 31))] == []
    # On 1 January 2025 it has ended without a contact.
    assert [c.year for c in contact_missing(START, END, a, deputies, contacts, dt.date(2025, 1, 1))] == [2024]


def test_a_contact_on_the_last_day_of_a_year_counts_for_that_year_and_one_after_as_of_is_not_seen():
    a, deputies = one()
    contacts = {1: [dt.date(2022, 12, 31), dt.date(2023, 1, 1)]}
    assert contact_missing(START, END, a, deputies, contacts, dt.date(2024, 1, 1)) == []
    late = {1: [dt.date(2022, 3, 1), dt.date(2023, 6, 1)]}
    assert [c.year for c in contact_missing(START, END, a, deputies, late, dt.date(2023, 5, 1))] == []
    assert [c.year for c in contact_missing(START, END, a, deputies, {1: [dt.date(2022, 3, 1)]},
                                            dt.date(2024, 1, 2))] == [2023]


def test_years_outside_the_service_period_or_wholly_suspended_owe_no_contact():
    # Elected in 2023, service ended on 1 March 2025; suspended all of 2024.
    deputy = DeputyFacts(5, dt.date(2023, 7, 1), dt.date(2025, 3, 1), "resigned",
                         ((dt.date(2024, 1, 1), dt.date(2024, 12, 31)),))
    assert contact_expected_years(START, END, deputy, dt.date(2026, 6, 1)) == [2023, 2025]
    partly = DeputyFacts(5, START, None, "active", ((dt.date(2024, 1, 1), dt.date(2024, 12, 30)),))
    assert 2024 in contact_expected_years(START, END, partly, dt.date(2026, 6, 1))  # served 31 December


@pytest.mark.django_db
def test_the_loader_reads_members_assignments_contacts_and_suspensions(django_assert_max_num_queries):
    term = factories.TermFactory(start_date=START, end_date=END)
    member = factories.make_user("sc_member")
    deps = [factories.DeputyFactory(term=term) for _ in range(5)]
    rows = [factories.ContactAssignmentFactory(term=term, member=member, deputy=d) for d in deps]
    for row in rows[:3]:  # deps[3] has none but was suspended all of 2022; deps[4] has none
        factories.ContactFactory(assignment=row, date=dt.date(2022, 6, 1))
    factories.SuspensionFactory(deputy=deps[3], start_date=dt.date(2022, 1, 1), end_date=dt.date(2022, 12, 31))
    with django_assert_max_num_queries(6):
        checks = contact_checks(term=term, as_of=dt.date(2023, 1, 1))
    assert [(c.check, c.deputy_id, c.year) for c in checks] == [("contact_missing", deps[4].pk, 2022)]


@pytest.mark.django_db
def test_the_data_check_page_lists_the_contact_checks_for_the_liaison_office_only(client):
    term = factories.TermFactory(start_date=START, end_date=END)
    member = factories.make_user("sc_member", username="chen")
    for _ in range(4):
        factories.ContactAssignmentFactory(term=term, member=member, deputy=factories.DeputyFactory(term=term))
    client.force_login(factories.make_user("liaison_office"))
    page = client.get("/oversight/data-checks/", {"term": term.pk}).content.decode()
    assert "联系代表人数不符" in page and "只分配了 4 名联系代表" in page
    client.force_login(factories.make_user("secretariat"))
    assert "联系代表人数不符" not in client.get("/oversight/data-checks/", {"term": term.pk}).content.decode()
