"""The embedded SQLite default stands two requests writing at once (issue 15: "database is locked" 500s).

The settings are built from a sqlite:/// URL (as DATABASE_URL gives them) for a file database of the test's own,
whatever database the rest of the suite uses.
"""
import threading
import time
from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.db import connections, transaction
from django.utils import timezone

from dutyadmin.settings import database_from_url

ALIAS = "sqlite_file_concurrency"


@pytest.fixture
def file_database(tmp_path, django_db_blocker):
    """A file SQLite database under ALIAS, configured by settings.database_from_url, with the sessions table."""
    databases = {**connections.settings, ALIAS: database_from_url(f"sqlite:///{tmp_path / 'concurrency.sqlite3'}")}
    connections.settings[ALIAS] = connections.configure_settings(databases)[ALIAS]
    with django_db_blocker.unblock():
        with connections[ALIAS].schema_editor() as editor:
            editor.create_model(Session)
        yield connections[ALIAS]
        connections[ALIAS].close()
    del connections[ALIAS]
    del connections.settings[ALIAS]


def test_a_sqlite_url_gets_wal_immediate_transactions_and_a_busy_timeout():
    options = database_from_url("sqlite:////tmp/dutyadmin-example.sqlite3")["OPTIONS"]
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 20
    assert "journal_mode=WAL" in options["init_command"]
    # An option in the URL wins; the others stay.
    options = database_from_url("sqlite:////tmp/dutyadmin-example.sqlite3?timeout=60")["OPTIONS"]
    assert options["timeout"] == 60 and options["transaction_mode"] == "IMMEDIATE"
    # PostgreSQL gets none of them.
    assert "transaction_mode" not in database_from_url("postgres://u@127.0.0.1:5432/db").get("OPTIONS", {})


def test_a_file_database_runs_in_wal_mode(file_database):
    with file_database.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
        cursor.execute("PRAGMA busy_timeout")
        assert cursor.fetchone()[0] >= 20_000


def test_two_threads_reading_then_writing_at_once_do_not_lock_each_other_out(file_database, django_db_blocker):
    # Each transaction reads, waits (the other one reads meanwhile), then writes: with DEFERRED transactions the
    # second writer fails at once with "database is locked"; with IMMEDIATE it waits for the first to commit.
    errors: list[BaseException] = []
    start = threading.Barrier(2)

    def client(name: str) -> None:
        try:
            with django_db_blocker.unblock():
                start.wait()
                for round_ in range(5):
                    with transaction.atomic(using=ALIAS):
                        Session.objects.using(ALIAS).count()
                        time.sleep(0.02)
                        Session.objects.using(ALIAS).create(
                            session_key=f"{name}-{round_}", session_data="x",
                            expire_date=timezone.now() + timedelta(days=1))
                connections[ALIAS].close()
        except BaseException as error:  # noqa: BLE001 - the main thread reports it
            errors.append(error)

    threads = [threading.Thread(target=client, args=(name,)) for name in ("a", "b")]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert Session.objects.using(ALIAS).count() == 10
