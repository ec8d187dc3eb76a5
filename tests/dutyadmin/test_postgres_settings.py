"""PostgreSQL connections: no JIT compilation (a page's short queries paid 0.3 s compiling for 0.07 s of work)."""
import os

import pytest
from django.db import connection

from dutyadmin.settings import database_from_url


def test_a_postgres_url_turns_jit_off_unless_the_url_says_otherwise():
    assert database_from_url("postgres://u@127.0.0.1:5432/x")["OPTIONS"]["options"] == "-c jit=off"
    given = database_from_url("postgres://u@127.0.0.1:5432/x?options=-c%20statement_timeout%3D5000")["OPTIONS"]
    assert given["options"] == "-c statement_timeout=5000"
    assert "options" not in database_from_url("sqlite:////tmp/dutyadmin-example.sqlite3")["OPTIONS"]


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"),
                    reason="needs DATABASE_URL=postgres://… (the server's own setting is read)")
@pytest.mark.django_db
def test_the_servers_connection_runs_without_jit():
    with connection.cursor() as cursor:
        cursor.execute("SHOW jit")
        assert cursor.fetchone()[0] == "off"
