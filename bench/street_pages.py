"""Benchmark of the pages that show some deputies, not the term (issue 16): a street's findings page (a street staff
user), one deputy's "why" page and their handbook (the deputy's own user), at N deputies.

Builds (or reuses, --reuse) a term with bench/rules.py's builder, makes the two users through the project's own
service (deputies.users.user_create: a 街工委工作人员 of the street with the most deputies, and the account of one
of its deputies), then requests each page through the test client in this process (same middleware, session and
layout, no HTTP), --repeat times each, in rounds of every state and page, in five states of today's findings snapshot
(oversight.findings.snapshot):

- off: FINDINGS_SNAPSHOT off (DUTYADMIN_FINDINGS_SNAPSHOT=0), every request evaluates what it shows;
- cold: the snapshot on but none made (forgotten before every request): a page must not wait for the whole term;
- kept: the snapshot on, the findings of the page's deputies kept from its request before (no whole term made);
- warm: the snapshot made by one whole-term read first (its time printed), then the pages;
- past: a past date (?as_of= a year ago, the handbook of last year), which no snapshot serves.

On PostgreSQL the participations table is vacuumed first (VACUUM (ANALYZE), what autovacuum does after the
builder's bulk write). Prints, per page and state, the median and p95 time (ms), the query count of one request and the deputies the page
evaluated; exits non-zero when a median is above --max-ms (goal 300) or a page evaluated other deputies.

    createdb -h 127.0.0.1 -U postgres -T bench_5k bench_5k_pages
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_5k_pages .venv/bin/python bench/street_pages.py --reuse
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import shlex
import statistics
import sys
import tempfile
import time
from collections import OrderedDict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# bench/ itself off the path: its rules.py would shadow django-rules (`import rules`) in the app.
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]
os.environ.setdefault("DATABASE_URL",
                      f"sqlite:///{Path(tempfile.gettempdir()) / 'dutyadmin-bench-street-pages.sqlite3'}")

from bench import rules  # noqa: E402  (after the database is chosen)

STATES = ("off", "cold", "kept", "warm", "past")
ADMIN, STAFF, DEPUTY = "bench-pages-admin", "bench-street-staff", "bench-deputy"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    rules.add_term_options(parser)
    parser.add_argument("--repeat", type=int, default=20, help="requests of each page in each state (default 20)")
    parser.add_argument("--max-ms", type=float, default=300.0)
    return parser.parse_args()


def bench_users():
    """(street staff user, deputy user, the street, the deputy): made once through deputies.users.user_create."""
    from django.contrib.auth import get_user_model
    from django.db.models import Count

    from deputies.models import Deputy, StreetCommittee
    from deputies.users import user_create

    users = get_user_model().objects
    admin = users.filter(username=ADMIN).first() or users.create_superuser(ADMIN, password=None)
    street = StreetCommittee.objects.annotate(n=Count("deputies")).order_by("-n", "pk").first()
    deputy = Deputy.objects.filter(street_committee=street).order_by("pk").first()
    staff = users.filter(username=STAFF).first() or user_create(
        actor=admin, username=STAFF, role="street_staff", street_committee=street, password_required=False)
    own = users.filter(username=DEPUTY).first() or user_create(
        actor=admin, username=DEPUTY, role="deputy", deputy=deputy, password_required=False)
    return staff, own, street, deputy


class Evaluations:
    """The deputies each evaluation from the facts was asked for (a count; None: the whole term)."""

    def __init__(self) -> None:
        from oversight.findings import selectors

        self.asked: list[int | None] = []
        real = selectors.evaluate_findings

        def spy(**kw):
            deputies = kw.get("deputies")
            self.asked.append(None if deputies is None else len(selectors._deputy_ids(deputies)))
            return real(**kw)

        selectors.evaluate_findings = spy


def main() -> None:
    args = parse_args()
    rules.setup_django()
    rules.build_or_reuse(args)
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from deputies.models import Deputy, Term
    from oversight.findings import snapshot
    from oversight.findings.selectors import term_findings

    if connection.vendor == "postgresql":
        # What autovacuum does minutes after a bulk write, at once: the builder's COPY leaves the table's pages not yet
        # marked all-visible, and the planner then scans the whole table rather than the deputies' index only.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM (ANALYZE) activities_participation")
    staff, own, street, deputy = bench_users()
    term = Term.objects.get()
    today = timezone.localdate()
    past = today.replace(year=today.year - 1)
    clients = {}
    for name, user in (("staff", staff), ("deputy", own)):
        clients[name] = Client(SERVER_NAME="127.0.0.1")
        clients[name].force_login(user)
    pages = {  # name → (client, url of today, url of the past)
        "street findings": ("staff", "/oversight/findings/", f"/oversight/findings/?as_of={past}"),
        "deputy why": ("deputy", f"/oversight/deputies/{deputy.pk}/",
                       f"/oversight/deputies/{deputy.pk}/?as_of={past}"),
        "handbook": ("deputy", f"/oversight/deputies/{deputy.pk}/handbook/",
                     f"/oversight/deputies/{deputy.pk}/handbook/?year={past.year}"),
    }
    spy = Evaluations()
    street_size = Deputy.objects.filter(term=term, street_committee=street).count()
    print(f"date       {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(f"command    {shlex.join([Path(sys.executable).name, *sys.argv])}")
    print(f"database   {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"deputies   {Deputy.objects.filter(term=term).count()} (the street {street.name}: {street_size}), "
          f"records {rules.record_total()}")
    print(f"requests   {args.repeat} of each page in each state, in rounds of every state and page, in-process (test client)")

    def request(name: str, state: str) -> tuple[float, int]:
        client, today_url, past_url = pages[name]
        if state == "cold":
            snapshot.clear()
        started = time.perf_counter()
        response = clients[client].get(past_url if state == "past" else today_url)
        seconds = time.perf_counter() - started
        assert response.status_code == 200, (name, state, response.status_code)
        return seconds, len(response.content)

    results: dict[tuple[str, str], dict] = {}
    warm_build = 0.0
    kept: dict[str, OrderedDict] = {}  # each state's snapshots, put back before its requests: states interleave

    def enter(state: str) -> None:
        settings.FINDINGS_SNAPSHOT = state != "off"
        snapshot.clear()
        snapshot._SNAPSHOTS.update(kept.get(state, {}))

    def leave(state: str) -> None:
        kept[state] = OrderedDict(snapshot._SNAPSHOTS)

    for state in STATES:
        enter(state)
        if state == "warm":
            started = time.perf_counter()
            term_findings(term=term, as_of=today)  # what the district's findings page does first
            warm_build = time.perf_counter() - started
        for name in pages:
            request(name, state)  # the first request fills the process's caches; count a steady one
            del spy.asked[:]
            with CaptureQueriesContext(connection) as queries:
                request(name, state)
            results[(name, state)] = {"queries": len(queries), "evaluated": list(spy.asked), "times": []}
        leave(state)
    for _ in range(args.repeat):  # rounds of every state and page, so that the machine's load drifts alike
        for state in STATES:
            enter(state)
            for name in pages:
                results[(name, state)]["times"].append(request(name, state)[0])
            leave(state)

    print(f"warm: the whole term's snapshot made in {warm_build:.1f} s (once per process and day)")
    print()
    print(f"{'page':<17}{'state':<6}{'median ms':>10}{'p95 ms':>9}{'queries':>9}  evaluated (deputies)")
    failures = []
    for (name, state), result in results.items():
        times = sorted(result["times"])
        median = statistics.median(times)
        p95 = times[min(len(times) - 1, round(0.95 * (len(times) - 1)))]
        evaluated = ", ".join("whole term" if n is None else str(n) for n in result["evaluated"]) or "none"
        print(f"{name:<17}{state:<6}{median * 1000:10.1f}{p95 * 1000:9.1f}{result['queries']:9d}  {evaluated}")
        if median * 1000 > args.max_ms:
            failures.append(f"{name} ({state}) {median * 1000:.0f} ms")
        if any(n is None or n > street_size for n in result["evaluated"]):
            failures.append(f"{name} ({state}) evaluated more than it shows")
    if failures:
        sys.exit(f"above the goal ({args.max_ms:.0f} ms) or evaluating the term: {'; '.join(failures)}")


if __name__ == "__main__":
    main()
