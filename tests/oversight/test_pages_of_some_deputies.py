"""Pages that show some deputies do not wait for the term (issue 16): a street's findings page (a street staff user),
a deputy's "why" page and their handbook load and evaluate only the deputies they show, whether today's findings
snapshot is off, not made yet, or the date is past; their queries are as many however many deputies other streets
hold, and what they show is what the engine finds for those deputies evaluating the whole term."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from activities.choices import ActivityKind, Outcome
from dutyadmin.roles import Role
from meetings.choices import AttendanceStatus, MeetingKind
from oversight.findings import selectors, snapshot
from oversight.findings.selectors import evaluate_findings, status_counts, term_findings
from oversight.handbook.selectors import about_year
from oversight.rules.catalog import MET
from tests import factories

pytestmark = pytest.mark.django_db

# Queries of one steady request of each page (the user's session and scope already read once), in each state of
# today's findings snapshot: off (FINDINGS_SNAPSHOT = False), cold (on, none made yet), kept (the findings of the
# page's deputies kept from the request before), past (a date a year ago, which no snapshot serves).
# The evaluation from the facts is ten queries of records and one of threshold changes (oversight.findings.facts);
# cold adds the data version and, for a street, its deputies' ids (what the snapshot keeps); kept reads those two only.
PINNED = {
    "street": {"off": 20, "cold": 22, "kept": 11, "past": 20},
    "why": {"off": 22, "cold": 23, "kept": 12, "past": 19},  # the evidence of a year ago names fewer kinds of record
    "handbook": {"off": 26, "cold": 26, "kept": 26, "past": 24},  # it reads its deputy's facts, never a snapshot
}


def add_deputy(w, street, n: int):
    """A deputy of the street with a term's worth of records of each kind the rules count."""
    deputy = factories.DeputyFactory(term=w["term"], street_committee=street, name=f"{street.name}代表{n}")
    for i, meeting in enumerate(w["meetings"]):
        status = AttendanceStatus.ABSENT if (n + i) % 3 == 0 else AttendanceStatus.PRESENT
        factories.AttendanceFactory(meeting=meeting, deputy=deputy, status=status)
    for i, activity in enumerate(w["activities"]):
        if (n + i) % 2 == 0:
            outcome = Outcome.ABSENT if (n + i) % 4 == 0 else Outcome.ATTENDED
            factories.ParticipationFactory(activity=activity, deputy=deputy, outcome=outcome)
    factories.ContributionFactory(deputy=deputy, date=w["today"] - dt.timedelta(days=30 + n))
    return deputy


@pytest.fixture
def w():
    today = timezone.localdate()
    term = factories.TermFactory(start_date=dt.date(today.year - 4, 1, 1), end_date=dt.date(today.year, 12, 31))
    session = factories.CongressSessionFactory(term=term, start_date=dt.date(today.year, 1, 10),
                                               end_date=dt.date(today.year, 1, 13))
    meetings = [factories.MeetingFactory(session=session, kind=kind, date=dt.date(today.year, 1, 10 + i))
                for i, kind in enumerate((MeetingKind.PREPARATORY, MeetingKind.PLENARY, MeetingKind.DELEGATION))]
    activities = [factories.ActivityFactory(term=term, kind=kind, date=today - dt.timedelta(days=days))
                  for kind, days in ((ActivityKind.STATION_RECEPTION, 20), (ActivityKind.INSPECTION, 60),
                                     (ActivityKind.LECTURE, 90), (ActivityKind.STATION_RECEPTION, 400))]
    mine, other = factories.StreetCommitteeFactory(name="东四"), factories.StreetCommitteeFactory(name="朝阳门")
    w = {"term": term, "today": today, "meetings": meetings, "activities": activities, "mine": mine, "other": other}
    w["deputies"] = [add_deputy(w, mine, n) for n in range(3)]
    add_deputy(w, other, 0)
    one = w["deputies"][1]
    staff = factories.make_user(Role.STREET_STAFF, username="staff", street_committee=mine)
    own = factories.make_user(Role.DEPUTY, username="own", deputy=one)
    w["clients"] = {}
    for name, user in (("staff", staff), ("deputy", own)):
        w["clients"][name] = Client()
        w["clients"][name].force_login(user)
    past = today.replace(year=today.year - 1)
    w["pages"] = {  # page → (client, url today, url of the past)
        "street": ("staff", "/oversight/findings/", f"/oversight/findings/?as_of={past}"),
        "why": ("deputy", f"/oversight/deputies/{one.pk}/", f"/oversight/deputies/{one.pk}/?as_of={past}"),
        "handbook": ("deputy", f"/oversight/deputies/{one.pk}/handbook/",
                     f"/oversight/deputies/{one.pk}/handbook/?year={past.year}"),
    }
    return w


@pytest.fixture
def evaluations(monkeypatch):
    """The deputies each evaluation from the facts was asked for (None: the whole term)."""
    asked: list = []
    real = selectors.evaluate_findings

    def spy(**kw):
        deputies = kw.get("deputies")
        asked.append(None if deputies is None else selectors._deputy_ids(deputies))
        return real(**kw)

    monkeypatch.setattr(selectors, "evaluate_findings", spy)
    return asked


def get(w, page: str, state: str, settings):
    """One request of the page in that state of the snapshot."""
    settings.FINDINGS_SNAPSHOT = state != "off"
    if state == "cold":
        snapshot.clear()
    client, today_url, past_url = w["pages"][page]
    response = w["clients"][client].get(past_url if state == "past" else today_url)
    assert response.status_code == 200
    return response


def queries_of(w, page: str, state: str, settings) -> int:
    get(w, page, state, settings)  # the first request reads the session and the scope
    with CaptureQueriesContext(connection) as queries:
        get(w, page, state, settings)
    return len(queries)


@pytest.mark.parametrize("state", ["off", "cold", "kept", "past"])
@pytest.mark.parametrize("page", ["street", "why", "handbook"])
def test_a_page_takes_as_many_queries_however_many_deputies_other_streets_hold(w, page, state, settings):
    before = queries_of(w, page, state, settings)
    for n in range(1, 8):
        add_deputy(w, w["other"], n)
    add_deputy(w, factories.StreetCommitteeFactory(name="景山"), 0)
    assert queries_of(w, page, state, settings) == before == PINNED[page][state]


@pytest.mark.parametrize("state", ["off", "cold", "past"])
def test_a_street_s_page_evaluates_its_deputies_only(w, state, settings, evaluations):
    get(w, "street", state, settings)
    assert evaluations == [{d.pk for d in w["deputies"]}]
    assert all(s.covered == evaluations[0] for s in snapshot._SNAPSHOTS.values())  # none of the whole term


@pytest.mark.parametrize("state", ["off", "cold", "past"])
def test_a_deputy_s_pages_evaluate_that_deputy_only(w, state, settings, evaluations):
    get(w, "why", state, settings)
    get(w, "handbook", state, settings)  # the handbook reads its deputy's facts once, with no evaluation of others
    assert evaluations == [{w["deputies"][1].pk}]
    assert all(s.covered == evaluations[0] for s in snapshot._SNAPSHOTS.values())  # none of the whole term


def whole_term(w, as_of):
    """The engine's findings of the whole term, met ones included."""
    return evaluate_findings(term=w["term"], as_of=as_of, include_met=True)


@pytest.mark.parametrize("state", ["off", "cold", "kept", "warm", "past"])
def test_the_pages_show_what_the_whole_term_s_evaluation_finds_for_their_deputies(w, state, settings):
    if state == "warm":  # the district's findings page made the snapshot first
        term_findings(term=w["term"], as_of=w["today"])
    as_of = w["today"].replace(year=w["today"].year - 1) if state == "past" else w["today"]
    everything = whole_term(w, as_of)
    mine = {d.pk for d in w["deputies"]}
    street = [f for f in everything if f.deputy in mine]
    page = get(w, "street", state, settings).context
    assert {c["status"]: c["count"] for c in page["counts"]} == status_counts(street)
    assert [row["finding"] for row in page["rows"]] == [f for f in street if f.status != MET][:50]

    one = w["deputies"][1].pk
    why = get(w, "why", state, settings).context
    assert sorted((v.finding for s in why["sections"] for v in s.findings), key=lambda f: (f.rule, f.period_start)) \
        == sorted((f for f in everything if f.deputy == one), key=lambda f: (f.rule, f.period_start))

    hb = get(w, "handbook", state, settings).context["hb"]
    first, last = dt.date(hb.year, 1, 1), dt.date(hb.year, 12, 31)
    assert list(hb.findings) == [f for f in whole_term(w, hb.as_of)
                                 if f.deputy == one and about_year(f, first, last)]
    assert hb.findings  # a year with something to show


def test_a_street_s_findings_kept_are_brought_up_to_date_by_what_moved(w, settings, evaluations):
    """The street's second request evaluates nothing; a record of one of its deputies re-evaluates that deputy, one of
    another street's deputy nobody; a change every deputy reads, the street again (never the whole term)."""
    mine = {d.pk for d in w["deputies"]}
    first = get(w, "street", "kept", settings).context["counts"]
    assert get(w, "street", "kept", settings).context["counts"] == first and evaluations == [mine]
    late = w["deputies"][2]
    factories.ParticipationFactory(activity=w["activities"][1], deputy=late, outcome=Outcome.ATTENDED)
    elsewhere = factories.DeputyFactory(term=w["term"], street_committee=w["other"])
    factories.ParticipationFactory(activity=w["activities"][1], deputy=elsewhere)
    page = get(w, "street", "kept", settings).context
    assert evaluations == [mine, {late.pk}]
    street = [f for f in whole_term(w, w["today"]) if f.deputy in mine]
    assert {c["status"]: c["count"] for c in page["counts"]} == status_counts(street)
    factories.ActivityFactory(term=w["term"], kind=ActivityKind.LECTURE, date=w["today"] - dt.timedelta(days=5))
    get(w, "street", "kept", settings)
    assert evaluations == [mine, {late.pk}, mine]
