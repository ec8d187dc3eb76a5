"""Today's findings kept current (oversight.findings.snapshot, issue 18): read from the process's snapshot in one
query while nothing changed; a write of one deputy's record re-evaluates that deputy only, a write every deputy
reads (an activity, a meeting, the thresholds) the whole term; either way the findings equal a fresh evaluation
from the facts. A past date, or a read inside a transaction, evaluates from the facts."""
from __future__ import annotations

import datetime as dt

import pytest
from django.db import transaction
from django.utils import timezone

from activities.choices import ActivityKind, Outcome
from activities.models import Participation
from dutyadmin.services import record_delete, record_save
from oversight.findings import selectors, snapshot
from oversight.findings.selectors import evaluate_findings, term_findings
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def w():
    term = factories.TermFactory(start_date=dt.date(2022, 1, 1), end_date=dt.date(2026, 12, 31))
    street = factories.StreetCommitteeFactory()
    deputies = [factories.DeputyFactory(term=term, street_committee=street, name=f"代表{i}") for i in range(6)]
    today = timezone.localdate()
    reception = factories.ActivityFactory(term=term, kind=ActivityKind.STATION_RECEPTION,
                                          date=today - dt.timedelta(days=20))
    for d in deputies[:3]:
        factories.ParticipationFactory(activity=reception, deputy=d)
    return {"term": term, "deputies": deputies, "reception": reception, "today": today,
            "staff": factories.make_user("liaison_office", username="office")}


def fresh(term, today, **kw):
    return evaluate_findings(term=term, as_of=today, include_met=True, **kw)


@pytest.fixture
def evaluations(monkeypatch):
    """The deputies each evaluation from the facts was asked for (None: the whole term)."""
    asked: list = []
    real = selectors.evaluate_findings

    def spy(**kw):
        asked.append(None if kw.get("deputies") is None else sorted(kw["deputies"]))
        return real(**kw)

    monkeypatch.setattr(selectors, "evaluate_findings", spy)
    return asked


def test_todays_findings_come_from_the_snapshot_in_one_query(w, evaluations, django_assert_num_queries):
    term, today = w["term"], w["today"]
    first = term_findings(term=term, as_of=today, include_met=True)
    assert first == fresh(term, today) and evaluations == [None]
    with django_assert_num_queries(1):  # the data version, nothing else
        again = term_findings(term=term, as_of=today, include_met=True)
    assert again == first and evaluations == [None]
    some = w["deputies"][:2]
    with django_assert_num_queries(2):  # and the ids of a queryset of deputies
        mine = term_findings(term=term, as_of=today, deputies=term.deputies.filter(pk__in=[d.pk for d in some]))
    assert mine == [f for f in first if f.deputy in {d.pk for d in some} and f.status != "met"]


def test_a_write_of_one_deputy_re_evaluates_that_deputy_only(w, evaluations):
    term, today, deputies, staff = w["term"], w["today"], w["deputies"], w["staff"]
    term_findings(term=term, as_of=today)
    late = deputies[4]
    record_save(Participation(activity=w["reception"], deputy=late, confirmed=True), user=staff,
                data={"outcome": Outcome.ATTENDED})
    after = term_findings(term=term, as_of=today, include_met=True)
    assert evaluations == [None, [late.pk]]
    assert after == fresh(term, today)
    # A deletion moves the history too.
    record_delete(Participation.objects.get(deputy=deputies[0]), user=staff)
    assert term_findings(term=term, as_of=today, include_met=True) == fresh(term, today)
    assert evaluations[-1] == [deputies[0].pk]


def test_a_change_every_deputy_reads_re_evaluates_the_whole_term(w, evaluations):
    term, today, staff = w["term"], w["today"], w["staff"]
    term_findings(term=term, as_of=today)
    reception = w["reception"]
    record_save(reception, user=staff, data={"date": dt.date(today.year - 1, 6, 1)})  # its day moved a year back
    assert term_findings(term=term, as_of=today, include_met=True) == fresh(term, today)
    assert evaluations == [None, None]


def test_a_suspension_or_a_deputy_s_end_of_service_shows_at_once(w, evaluations):
    term, today, deputies, staff = w["term"], w["today"], w["deputies"], w["staff"]
    before = term_findings(term=term, as_of=today, include_met=True)
    gone = deputies[1]
    record_save(gone, user=staff, data={"service_end": today - dt.timedelta(days=400), "status": "resigned"})
    factories.SuspensionFactory(deputy=deputies[2], start_date=dt.date(today.year, 1, 1), end_date=None)
    after = term_findings(term=term, as_of=today, include_met=True)
    assert after == fresh(term, today) and after != before
    assert evaluations[-1] == sorted([gone.pk, deputies[2].pk])


def test_a_past_day_and_a_read_inside_a_transaction_evaluate_from_the_facts(w, evaluations):
    term, today = w["term"], w["today"]
    yesterday = today - dt.timedelta(days=1)
    assert term_findings(term=term, as_of=yesterday, include_met=True) == fresh(term, yesterday)
    with transaction.atomic():
        term_findings(term=term, as_of=today)
    assert evaluations == [None, None] and not snapshot._SNAPSHOTS  # nothing kept from either


def test_the_snapshot_can_be_turned_off(w, evaluations, settings):
    settings.FINDINGS_SNAPSHOT = False
    term_findings(term=w["term"], as_of=w["today"])
    term_findings(term=w["term"], as_of=w["today"])
    assert evaluations == [None, None]


def test_a_deputys_page_does_not_wait_for_the_whole_term_but_reads_a_snapshot_already_made(w, evaluations):
    term, today, one = w["term"], w["today"], w["deputies"][3]
    mine = term_findings(term=term, as_of=today, deputies=[one.pk], include_met=True)
    assert evaluations == [[one.pk]]  # that deputy alone, no snapshot of the whole term made
    assert [s.covered for s in snapshot._SNAPSHOTS.values()] == [{one.pk}]
    assert mine == fresh(term, today, deputies=[one.pk])
    term_findings(term=term, as_of=today)  # the findings page makes it
    assert term_findings(term=term, as_of=today, deputies=[one.pk], include_met=True) == mine
    assert evaluations == [[one.pk], None]
