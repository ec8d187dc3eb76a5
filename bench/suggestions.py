"""Benchmark of the suggestion pages: 3,000 suggestions of a term with their steps, the list and the statistics.

Builds a term (17 streets, 400 deputies, a session a year, 40 handling units) and N suggestions in every state
with their steps (SuggestionEvent), replies, cosigners and co-units, the clocks computed by
oversight.rules.clocks, straight into the database with bulk inserts (COPY on PostgreSQL); then, signed in as
the liaison office, times each page 20 times (median, in ms) and counts its queries:

- the liaison office's list (suggestions:list; while that page is not installed, the API list
  /api/v1/suggestions/ stands in for it), and the API list in any case;
- the statistics page (suggestions:statistics), for the whole term and for one session.

    .venv/bin/python bench/suggestions.py                  # throwaway SQLite under /tmp
    DATABASE_URL=postgresql://postgres@127.0.0.1:5432/test .venv/bin/python bench/suggestions.py

The benchmark empties its database, so it never uses the one DATABASE_URL names unless that name contains
"bench" (as bench/rules.py): on PostgreSQL it creates and uses the database `bench_suggestions` on the same
server, leaving the named one untouched. Exits non-zero when a page's median exceeds --max-ms (300).
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
# bench/ itself off the path: its rules.py would shadow django-rules (`import rules` in dutyadmin.permissions).
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
# Run as a script, this folder comes first on sys.path, and bench/rules.py would shadow the `rules` package
# (django-rules) the permissions import: the project root takes its place.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
DEFAULT_SQLITE = Path(tempfile.gettempdir()) / "dutyadmin-bench-suggestions.sqlite3"
BENCH_DATABASE = "bench_suggestions"

TERM_START, TERM_END = dt.date(2022, 1, 1), dt.date(2026, 12, 31)
STREETS, DEPUTIES, UNITS = 17, 400, 40
LAST_DAY = dt.date(2026, 11, 30)  # no step after it (the clocks' calendar ends with 2026)
RESOLUTIONS = (("resolved", 40), ("in_progress", 25), ("planned", 15), ("explained", 20))
SATISFACTIONS = (("satisfied", 60), ("basically_satisfied", 30), ("dissatisfied", 10))
UNIT_KINDS = ("government_department",) * 30 + ("court", "procuratorate", "supervision_commission") + (
    "street_office",) * 7


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suggestions", type=int, default=3000)
    parser.add_argument("--runs", type=int, default=20, help="timed requests per page (median)")
    parser.add_argument("--seed", type=int, default=20260101)
    parser.add_argument("--reuse", action="store_true", help="keep the data of the last run if it has the same size")
    parser.add_argument("--max-ms", type=float, default=300.0)
    return parser.parse_args()


def choose_database() -> None:
    """DATABASE_URL as given when it is the benchmark's own (a name with "bench", or SQLite under /tmp); else,
    on PostgreSQL, the database bench_suggestions on the same server, created when missing."""
    url = os.environ.get("DATABASE_URL")
    if not url:
        os.environ["DATABASE_URL"] = f"sqlite:///{DEFAULT_SQLITE}"
        return
    parts = urlsplit(url)
    if not parts.scheme.startswith("postgres") or "bench" in parts.path:
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        if not conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", (BENCH_DATABASE,)).fetchone():
            conn.execute(f'CREATE DATABASE "{BENCH_DATABASE}"')
    os.environ["DATABASE_URL"] = urlunsplit(parts._replace(path=f"/{BENCH_DATABASE}"))


def build(count: int, seed: int) -> dict[str, int]:
    """One term with its streets, deputies, sessions and units, and `count` suggestions through their steps."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group
    from django.db import connection, transaction

    from bench.rules import Inserter
    from deputies.models import Delegation, Deputy, HandlingUnit, StreetCommittee, Term, UserScope
    from meetings.models import CongressSession
    from oversight.rules import clocks
    from oversight.suggestions.models import Suggestion, SuggestionEvent, SuggestionReply

    rng = random.Random(seed)
    insert = Inserter(connection)
    counts: dict[str, int] = {}
    with transaction.atomic():
        term = Term.objects.create(number=17, name="基准测试届", start_date=TERM_START, end_date=TERM_END)
        streets = StreetCommittee.objects.bulk_create(
            StreetCommittee(name=f"街道{i + 1}", code=f"B{i + 1:02d}") for i in range(STREETS))
        delegations = Delegation.objects.bulk_create(Delegation(term=term, name=f"{s.name}代表团") for s in streets)
        sessions = CongressSession.objects.bulk_create(
            CongressSession(term=term, number=n, name=f"第{n}次会议", start_date=dt.date(year, 1, 9 + n),
                            end_date=dt.date(year, 1, 12 + n))
            for n, year in enumerate(range(TERM_START.year, TERM_END.year + 1), start=1))
        units = HandlingUnit.objects.bulk_create(
            HandlingUnit(name=f"承办单位{i + 1}", code=f"H{i + 1:02d}", kind=UNIT_KINDS[i]) for i in range(UNITS))
        deputies = []
        for deputy_id in range(1, DEPUTIES + 1):
            street = rng.randrange(STREETS)
            deputies.append((deputy_id, term.id, f"代表{deputy_id}", rng.choice("MF"), streets[street].id,
                             delegations[street].id, "active", TERM_START, None, "", "", "", False, ""))
        counts["deputies"] = insert(Deputy, ["id", "term_id", "name", "gender", "street_committee_id",
                                             "delegation_id", "status", "service_start", "service_end", "unit",
                                             "position", "constituency", "party_member", "phone"], deputies)
        office = get_user_model().objects.create_user(username="bench-office", password="bench")
        office.groups.add(Group.objects.get_or_create(name="liaison_office")[0])
        UserScope.objects.create(user=office)

        rows, events, replies, cosigners, co_units = [], [], [], [], []
        at = dt.datetime(2022, 1, 1, tzinfo=dt.timezone.utc)

        def event(sid: int, action: str, before: str, after: str, day: dt.date, note: str = "") -> None:
            events.append((len(events) + 1, sid, action, before, after, office.id,
                           dt.datetime.combine(day, dt.time(9), tzinfo=dt.timezone.utc), day, note))

        def pick(table):
            values, weights = zip(*table)
            return rng.choices(values, weights=weights)[0]

        for sid in range(1, count + 1):
            session = rng.choice(sessions) if rng.random() < 0.75 else None
            if session is not None:
                submitted = session.start_date + dt.timedelta(days=rng.randrange(4))
            else:
                submitted = TERM_START + dt.timedelta(days=rng.randrange((LAST_DAY - TERM_START).days - 30))
            r = dict(status="submitted", lead_unit=None, assigned_on=None, due_date=None, extended=False, reason="",
                     first=None, replied=None, text="", resolution="", satisfaction=None, evaluated_on=None,
                     feedback_due=None, rehandling_due=None, closed_on=None, close_note="")
            event(sid, "submit", "", "submitted", submitted)
            for deputy in rng.sample(range(1, DEPUTIES + 1), rng.randrange(4)):
                cosigners.append((len(cosigners) + 1, sid, deputy))
            assigned_on = submitted + dt.timedelta(days=rng.randrange(15, 50))
            if rng.random() < 0.04 or clocks.add_months(assigned_on, 3) > LAST_DAY:
                if rng.random() < 0.3:
                    r["status"] = "withdrawn"
                    event(sid, "withdraw", "submitted", "withdrawn", submitted + dt.timedelta(days=3))
            else:
                unit = rng.choice(units)
                r.update(status="assigned", lead_unit=unit.id, assigned_on=assigned_on,
                         due_date=clocks.suggestion_due(assigned_on))
                event(sid, "assign", "submitted", "assigned", assigned_on)
                for co in rng.sample([u for u in units if u.id != unit.id], rng.choice((0, 0, 1, 2))):
                    co_units.append((len(co_units) + 1, sid, co.id))
                if rng.random() < 0.1 and clocks.add_months(assigned_on, 6) < LAST_DAY:
                    r.update(extended=True, reason="涉及面广、处理难度大。",
                             due_date=clocks.suggestion_due(assigned_on, extended=True))
                    event(sid, "extend", "assigned", "assigned", assigned_on + dt.timedelta(days=30), r["reason"])
                replied = assigned_on + dt.timedelta(days=rng.randrange(20, 120 if not r["extended"] else 200))
                if rng.random() < 0.03:
                    r["status"] = "withdrawn"
                    event(sid, "withdraw", "assigned", "withdrawn", assigned_on + dt.timedelta(days=5))
                elif replied <= LAST_DAY and rng.random() < 0.93:
                    for rehandling in (False, True):
                        resolution = pick(RESOLUTIONS)
                        before = "rehandling" if rehandling else "assigned"
                        r.update(status="replied", replied=replied, text="已研究办理。", resolution=resolution,
                                 feedback_due=clocks.feedback_due(replied), satisfaction=None, evaluated_on=None)
                        r["first"] = r["first"] or replied
                        replies.append([len(replies) + 1, sid, r["lead_unit"], rehandling, replied, "已研究办理。",
                                        resolution, None, "", None, office.id, at])
                        event(sid, "reply", before, "replied", replied, resolution)
                        evaluated = replied + dt.timedelta(days=rng.randrange(1, 20))
                        if evaluated > LAST_DAY or rng.random() < 0.12:
                            if r["feedback_due"] < LAST_DAY and rng.random() < 0.5:
                                r.update(status="closed", closed_on=r["feedback_due"] + dt.timedelta(days=3),
                                         close_note="代表未在期限内反馈")
                                event(sid, "close", "replied", "closed", r["closed_on"], r["close_note"])
                            break
                        satisfaction = pick(SATISFACTIONS)
                        if satisfaction == "dissatisfied" and clocks.add_months(evaluated, 2) > LAST_DAY:
                            satisfaction = "basically_satisfied"  # no rehandling due beyond the calendar
                        replies[-1][7], replies[-1][9] = satisfaction, evaluated
                        r.update(satisfaction=satisfaction, evaluated_on=evaluated)
                        reopens = satisfaction == "dissatisfied" and not rehandling
                        if reopens:
                            r.update(status="rehandling", rehandling_due=clocks.rehandling_due(evaluated))
                        else:
                            r.update(status="closed", closed_on=evaluated)
                        event(sid, "evaluate", "replied", r["status"], evaluated, satisfaction)
                        if not reopens:
                            break
                        replied = evaluated + dt.timedelta(days=rng.randrange(10, 80))
                        if replied > LAST_DAY or rng.random() < 0.2:
                            break
            rows.append((sid, term.id, session.id if session else None, f"关于改进第{sid}项工作的建议",
                         "建议内容。", submitted, rng.randrange(1, DEPUTIES + 1), r["status"], r["lead_unit"],
                         r["assigned_on"], r["due_date"], r["extended"], r["reason"], r["first"], r["replied"],
                         r["text"], r["resolution"], r["satisfaction"], "", r["evaluated_on"], r["feedback_due"],
                         r["rehandling_due"], r["closed_on"], r["close_note"], office.id, at, None))
        counts["suggestions"] = insert(Suggestion, [
            "id", "term_id", "session_id", "title", "content", "submitted_on", "lead_deputy_id", "status",
            "lead_unit_id", "assigned_on", "due_date", "extended", "extension_reason", "first_replied_on",
            "replied_on", "reply_text", "resolution", "satisfaction", "evaluation_comment", "evaluated_on",
            "feedback_due", "rehandling_due", "closed_on", "close_note", "created_by_id", "created_at",
            "contribution_id"], rows)
        counts["events"] = insert(SuggestionEvent, ["id", "suggestion_id", "action", "before_status", "after_status",
                                                    "actor_id", "at", "date", "note"], events)
        counts["replies"] = insert(SuggestionReply, [
            "id", "suggestion_id", "unit_id", "rehandling", "date", "text", "resolution", "satisfaction",
            "evaluation_comment", "evaluated_on", "replied_by_id", "created_at"], [tuple(x) for x in replies])
        counts["cosigners"] = insert(Suggestion.cosigners.through, ["id", "suggestion_id", "deputy_id"], cosigners)
        counts["co_units"] = insert(Suggestion.co_units.through, ["id", "suggestion_id", "handlingunit_id"], co_units)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts


def measure(client, url: str, runs: int) -> tuple[float, int, int]:
    """(median ms of `runs` requests after two warm-ups, queries of one request, status)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(2):
        client.get(url)
    with CaptureQueriesContext(connection) as queries:
        status = client.get(url).status_code
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times), queries.final_queries - queries.initial_queries, status


def main() -> None:
    args = parse_args()
    choose_database()
    from bench import rules

    rules.setup_django()  # refuses a database that is not the benchmark's own
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.urls import NoReverseMatch, reverse

    from meetings.models import CongressSession
    from oversight.suggestions.models import Suggestion, SuggestionEvent, SuggestionReply

    started = time.perf_counter()
    reuse = False
    if args.reuse:
        call_command("migrate", verbosity=0, interactive=False)
        reuse = Suggestion.objects.count() == args.suggestions
    if not reuse:
        rules.empty_database()
        build(args.suggestions, args.seed)
        print(f"built in {time.perf_counter() - started:.1f} s")
    print(f"database     {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"suggestions  {Suggestion.objects.count()}  events {SuggestionEvent.objects.count()}  "
          f"replies {SuggestionReply.objects.count()}")
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    client = Client()
    client.force_login(get_user_model().objects.get(username="bench-office"))
    session = CongressSession.objects.order_by("-number").first()
    pages = []
    try:
        pages.append(("list page", reverse("suggestions:list")))
    except NoReverseMatch:
        print("(suggestions:list is not installed: the API list stands in for the office's list)")
    pages += [
        ("API list", "/api/v1/suggestions/"),
        ("statistics", reverse("suggestions:statistics")),
        ("statistics, one session", f"{reverse('suggestions:statistics')}?session={session.pk}"),
    ]
    over = []
    for name, url in pages:
        median, queries, status = measure(client, url, args.runs)
        print(f"{name:24} {median:7.1f} ms median of {args.runs}  {queries:3d} queries  HTTP {status}  {url}")
        if status != 200 or median > args.max_ms:
            over.append(name)
    if over:
        sys.exit(f"over {args.max_ms:.0f} ms or not 200: {', '.join(over)}")


if __name__ == "__main__":
    main()
