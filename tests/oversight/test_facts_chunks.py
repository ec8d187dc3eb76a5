"""A whole term read one chunk of deputies at a time (issue 16): the same findings and data checks as one load of
every fact, in the loader's eleven queries whatever the number of chunks and records."""
import math

import pytest

from deputies.models import Suspension
from oversight.findings import facts as loader
from oversight.findings.facts import facts_chunks, facts_load
from oversight.findings.selectors import data_checks_for, evaluate_findings
from oversight.rules import data_checks, evaluate
from tests import factories

from .records import D, activity, attend, leave, many_deputies, session_with_meetings, take_part

pytestmark = pytest.mark.django_db
AS_OF = D(2025, 3, 1)


@pytest.fixture
def city(term):
    """Deputies of the term with varied records (absences, leave, a suspension, a late start, an end of service),
    their ids interleaved with another term's deputies, whose records must stay out of every chunk."""
    deputies = many_deputies(term, 11)
    other_term = factories.TermFactory(number=term.number + 1)
    others = many_deputies(other_term, 3, session_number=91)
    deputies += many_deputies(term, 6, session_number=92)
    session, meetings = session_with_meetings(term, D(2023, 1, 9), D(2023, 1, 11), number=93,
                                              kinds=("preparatory", "plenary", "delegation"))
    attend(deputies[0], meetings, "absent")
    attend(deputies[5], meetings[:1], "absent")
    leave(deputies[5], session, route="plenary", meetings=meetings[:1])
    for day in (1, 2, 3):
        take_part(deputies[12], activity(term, "training", D(2023, 5, day)), outcome="absent")
    Suspension.objects.create(deputy=deputies[3], start_date=D(2024, 2, 1), end_date=D(2024, 6, 30), reason="羁押")
    deputies[8].service_start = D(2024, 4, 1)
    deputies[8].save()
    deputies[9].service_end, deputies[9].status = D(2024, 5, 1), "resigned"
    deputies[9].save()
    take_part(others[0], activity(other_term, "inspection", D(2024, 3, 9)))
    return deputies


@pytest.mark.parametrize(("size", "batch"), [(1, 1), (4, 3), (4, 20_000), (5, 7), (100, 20_000)])
def test_a_term_evaluated_in_chunks_finds_what_one_load_of_every_fact_finds(term, city, monkeypatch, size, batch):
    """Whatever the chunk and however many rows each round trip fetches (a batch may end inside a deputy's rows)."""
    term_facts, facts = facts_load(term=term, counted_only=True, until=AS_OF)
    whole = evaluate(term_facts, facts, AS_OF, include_met=True)
    monkeypatch.setattr(loader, "CHUNK_DEPUTIES", size)
    monkeypatch.setattr(loader, "STREAM_BATCH", batch)

    chunked = evaluate_findings(term=term, as_of=AS_OF, include_met=True)

    assert chunked == whole
    assert {f.status for f in chunked} >= {"met", "action_required"}
    assert [f.deputy for f in chunked] == sorted(f.deputy for f in chunked)
    assert evaluate_findings(term=term, as_of=AS_OF) == [f for f in whole if f.status != "met"]


@pytest.mark.parametrize(("size", "batch"), [(1, 2), (4, 5), (4, 20_000)])
def test_the_data_checks_of_a_term_in_chunks_are_those_of_one_load(term, city, monkeypatch, size, batch):
    admin = factories.make_user("admin")
    term_facts, facts = facts_load(term=term, thresholds=False)
    whole = data_checks(term_facts, facts, AS_OF)
    monkeypatch.setattr(loader, "CHUNK_DEPUTIES", size)
    monkeypatch.setattr(loader, "STREAM_BATCH", batch)

    assert data_checks_for(user=admin, term=term, as_of=AS_OF) == whole
    assert whole


@pytest.mark.parametrize("size", [1, 2, 5, 17])
def test_a_chunked_term_is_read_in_eleven_queries_whatever_the_number_of_chunks(term, city, monkeypatch,
                                                                                 django_assert_num_queries, size):
    monkeypatch.setattr(loader, "CHUNK_DEPUTIES", size)
    chunks = math.ceil(len(city) / size)
    with django_assert_num_queries(11):
        read = [facts for _, facts in facts_chunks(term=term)]
    assert len(read) == chunks
    assert [sorted(facts.deputies) for facts in read] == [
        sorted(d.pk for d in city)[start:start + size] for start in range(0, len(city), size)
    ]


def test_without_server_side_cursors_a_chunked_term_finds_the_same(term, city, monkeypatch):
    """DISABLE_SERVER_SIDE_CURSORS (a pooler that cannot keep them): the streams are read from plain cursors."""
    from django.db import connection

    term_facts, facts = facts_load(term=term, counted_only=True, until=AS_OF)
    whole = evaluate(term_facts, facts, AS_OF, include_met=True)
    monkeypatch.setattr(loader, "CHUNK_DEPUTIES", 3)
    monkeypatch.setattr(loader, "STREAM_BATCH", 2)
    monkeypatch.setitem(connection.settings_dict, "DISABLE_SERVER_SIDE_CURSORS", True)

    assert evaluate_findings(term=term, as_of=AS_OF, include_met=True) == whole


def test_an_evaluation_failing_between_chunks_leaves_no_read_transaction_open(term, city, monkeypatch):
    """The chunks are read in one transaction: the selector ends it when its loop raises, so the caller's own
    transaction (here the test's) is as it was and the connection goes on answering."""
    from django.db import connection

    from oversight.findings import selectors

    monkeypatch.setattr(loader, "CHUNK_DEPUTIES", 2)
    evaluated = []

    def failing(*args, **kwargs):
        evaluated.append(1)
        if len(evaluated) == 2:
            raise RuntimeError("a rule failed")
        return []

    monkeypatch.setattr(selectors, "evaluate", failing)
    blocks = len(connection.atomic_blocks)

    with pytest.raises(RuntimeError):
        evaluate_findings(term=term, as_of=AS_OF)

    assert len(connection.atomic_blocks) == blocks
    assert term.deputies.count() == len(city)
