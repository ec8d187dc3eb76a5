"""A whole term read in chunks sees one moment of the records (PostgreSQL: the streams' cursors are declared in one
transaction before the first chunk is read), so a record written meanwhile never shows in a later chunk only."""
from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from oversight.findings import facts as loader
from oversight.findings.facts import facts_chunks

from .records import D, activity, many_deputies, take_part

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://… (a second connection)"),
    pytest.mark.django_db(transaction=True),
]


def activities_of(deputy_id, chunks) -> set[int]:
    return {p.activity_id for facts in chunks for p in facts.participations.get(deputy_id, ())}


def test_a_record_written_during_a_chunked_read_is_not_in_its_later_chunks(term, monkeypatch):
    deputies = many_deputies(term, 4)
    training = activity(term, "training", D(2024, 5, 6))
    monkeypatch.setattr(loader, "CHUNK_DEPUTIES", 2)
    chunks = facts_chunks(term=term)
    _, first = next(chunks)
    assert deputies[3].pk not in first.deputies  # read by the second chunk

    def record() -> None:  # another request, on its own connection, commits a participation meanwhile
        try:
            take_part(deputies[3], training)
        finally:
            connections.close_all()

    writer = threading.Thread(target=record)
    writer.start()
    writer.join(30)
    later = [facts for _, facts in chunks]

    assert deputies[3].pk in later[0].deputies
    assert training.pk not in activities_of(deputies[3].pk, later)
    assert training.pk in activities_of(deputies[3].pk, [facts for _, facts in facts_chunks(term=term)])
