"""Benchmark of the oversight rules from the database: load every fact of a term, evaluate every rule.

Builds a term of N deputies with about R records each (attendance, participations, contributions,
leave, interventions) straight into the database named by DATABASE_URL with bulk inserts (COPY on
PostgreSQL), then times the fact loader and the full-term evaluation separately and prints
deputies, records, queries and seconds.

    .venv/bin/python bench/rules.py                         # 300 deputies, throwaway SQLite under /tmp
    .venv/bin/python bench/rules.py --deputies 5000
    createdb -h 127.0.0.1 -U postgres bench_rules
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_rules .venv/bin/python bench/rules.py --deputies 5000

The database is emptied first (it is the benchmark's own): the script refuses any database that is
not a file under the temporary directory or whose name does not contain "bench".
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path, and bench/rules.py would shadow the `rules` package
# (django-rules) the permissions import: the project root takes its place.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
DEFAULT_SQLITE = Path(tempfile.gettempdir()) / "dutyadmin-bench-rules.sqlite3"

TERM_START, TERM_END = dt.date(2022, 1, 1), dt.date(2026, 12, 31)
DEFAULT_AS_OF = dt.date(2026, 6, 30)
STREETS = 17
SESSION_DAYS = 4
# (kind, weight): threshold kinds dominate, as in a real handbook.
ACTIVITY_KINDS = (
    ("special_research", 6), ("inspection", 8), ("law_enforcement_check", 4), ("theme_activity", 6),
    ("work_evaluation", 3), ("group_activity", 12), ("training", 3), ("lecture", 4), ("station_reception", 14),
    ("constituent_visit", 12), ("duty_report", 1), ("sc_meeting", 2), ("court_hearing", 2), ("street_meeting", 10),
    ("card_inspection", 3), ("director_reception", 2), ("invited_event", 8),
)
OUTCOMES = (("attended", 80), ("excused", 8), ("absent", 7), ("pending", 5))
ACTION_KINDS = {
    "absence_notice": "notice", "session_absence_talk": "talk", "no_contact_talk": "talk",
    "activity_absence_notice": "notice", "silent_in_sessions_talk": "talk",
}


def add_term_options(parser: argparse.ArgumentParser, *, deputies: int = 5000, records: int = 200,
                     records_help: str = "") -> None:
    """The options of a benchmark term built by build_or_reuse: --deputies, --records, --seed, --reuse."""
    parser.add_argument("--deputies", type=int, default=deputies, help=f"deputies in the term (default {deputies})")
    parser.add_argument("--records", type=int, default=records,
                        help=records_help or f"records per deputy (default {records})")
    parser.add_argument("--seed", type=int, default=20220101)
    parser.add_argument("--reuse", action="store_true", help="keep the data of the last run if it has the same size")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_term_options(parser, deputies=300)
    parser.add_argument("--as-of", type=dt.date.fromisoformat, default=DEFAULT_AS_OF, help="evaluation date")
    parser.add_argument("--repeat", type=int, default=1, help="time load + evaluate this many times, print each")
    args = parser.parse_args()
    if args.deputies < 1 or args.records < 60:
        parser.error("--deputies must be ≥ 1 and --records ≥ 60 (a deputy's session records alone are about 55)")
    return args


def setup_django() -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dutyadmin.settings")
    import django
    from django.conf import settings

    django.setup()
    database = settings.DATABASES["default"]
    name = str(database["NAME"])
    if database["ENGINE"].endswith("sqlite3"):
        safe = Path(name).resolve().is_relative_to(Path(tempfile.gettempdir()).resolve())
    else:
        safe = "bench" in name
    if not safe or Path(name).resolve() == (ROOT / "db.sqlite3").resolve():
        sys.exit(f"bench/rules.py empties its database; refusing {name!r} "
                 "(use a SQLite file under the temporary directory or a database named *bench*).")


def weighted(rng: random.Random, table: tuple[tuple[str, int], ...], k: int) -> list[str]:
    values, weights = zip(*table)
    return rng.choices(values, weights=weights, k=k)


class Inserter:
    """Bulk rows into a table: COPY on PostgreSQL, executemany elsewhere; returns the row count."""

    def __init__(self, connection) -> None:
        self.connection = connection

    def __call__(self, model, fields: list[str], rows: list[tuple]) -> int:
        meta = model._meta
        # Columns added to the models since a row's fields were listed here take their model default (a NOT NULL
        # column without one, e.g. a later flag, would refuse the row): the builder keeps up with the schema.
        given = set(fields)
        later = [f for f in meta.concrete_fields if f.name not in given and f.attname not in given and not f.primary_key
                 and not f.null and f.has_default()]
        if later:
            fields = [*fields, *(f.name for f in later)]
            extra = tuple(f.get_default() for f in later)
            rows = [(*row, *extra) for row in rows]
        columns = [meta.get_field(name).column for name in fields]
        quote = self.connection.ops.quote_name
        table = quote(meta.db_table)
        column_sql = ", ".join(quote(column) for column in columns)
        with self.connection.cursor() as cursor:
            if self.connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({column_sql}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                marks = ", ".join(["%s"] * len(columns))
                for start in range(0, len(rows), 50_000):
                    cursor.executemany(f"INSERT INTO {table} ({column_sql}) VALUES ({marks})",
                                       rows[start:start + 50_000])
        return len(rows)


def empty_database() -> None:
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("flush", verbosity=0, interactive=False)


def build(deputy_count: int, per_deputy: int, seed: int) -> dict[str, int]:
    """Write one term with its streets, delegations, sessions, deputies and records; return row counts."""
    from django.db import connection, transaction

    from activities.models import Activity, Participation
    from deputies.models import Delegation, Deputy, StreetCommittee, Term
    from meetings.models import Attendance, CongressSession, Contribution, LeaveRequest, Meeting
    from oversight.models import Intervention

    rng = random.Random(seed)
    insert = Inserter(connection)
    counts: dict[str, int] = {}
    with transaction.atomic():
        term = Term.objects.create(number=17, name="基准测试届", start_date=TERM_START, end_date=TERM_END)
        streets = StreetCommittee.objects.bulk_create(
            StreetCommittee(name=f"街道{i + 1}", code=f"B{i + 1:02d}") for i in range(STREETS)
        )
        delegations = Delegation.objects.bulk_create(
            Delegation(term=term, name=f"{street.name}代表团") for street in streets
        )
        sessions, meetings = [], []
        for number, year in enumerate(range(TERM_START.year, TERM_END.year + 1), start=1):
            start = dt.date(year, 1, 8 + number)
            sessions.append(CongressSession(term=term, number=number, name=f"第{number}次会议", start_date=start,
                                            end_date=start + dt.timedelta(days=SESSION_DAYS - 1)))
        sessions = CongressSession.objects.bulk_create(sessions)
        for session in sessions:
            meetings.append(Meeting(session=session, kind="preparatory", title="预备会议", date=session.start_date,
                                    half_day="am"))
            for day in range(SESSION_DAYS):
                date = session.start_date + dt.timedelta(days=day)
                meetings.append(Meeting(session=session, kind="plenary", title="全体会议", date=date, half_day="am"))
                meetings.append(Meeting(session=session, kind="delegation", title="分团会议", date=date, half_day="pm"))
            meetings.append(Meeting(session=session, kind="presidium", title="主席团会议", date=session.end_date,
                                    half_day="pm"))
        meetings = Meeting.objects.bulk_create(meetings)
        meetings_of = {session.id: [m for m in meetings if m.session_id == session.id] for session in sessions}

        deputies = []
        span = (TERM_END - TERM_START).days
        for deputy_id in range(1, deputy_count + 1):
            street = rng.randrange(STREETS)
            start = TERM_START if rng.random() < 0.95 else TERM_START + dt.timedelta(days=rng.randrange(span))
            end, status = None, "active"
            if rng.random() < 0.03:
                end = start + dt.timedelta(days=rng.randrange((TERM_END - start).days + 1))
                status = rng.choice(("resigned", "terminated", "recalled", "deceased"))
            deputies.append((deputy_id, term.id, f"代表{deputy_id}", rng.choice("MF"), streets[street].id,
                             delegations[street].id, status, start, end, "", "", "", rng.random() < 0.6, ""))
        counts["deputies"] = insert(Deputy, ["id", "term_id", "name", "gender", "street_committee_id",
                                             "delegation_id", "status", "service_start", "service_end", "unit",
                                             "position", "constituency", "party_member", "phone"], deputies)

        attendance, contributions, leaves, leave_meetings, interventions = [], [], [], [], []
        created = dt.datetime(2022, 1, 1, tzinfo=dt.timezone.utc)
        for deputy_id, *_ in deputies:
            for meeting in meetings:
                if meeting.kind == "presidium" and rng.random() < 0.9:
                    continue  # only presidium members sit there
                roll = rng.random()
                if roll < 0.97:
                    attendance.append((len(attendance) + 1, meeting.id, deputy_id,
                                       "present" if roll < 0.94 else "absent"))
            for session in sessions:
                if rng.random() < 0.7:
                    contributions.append((len(contributions) + 1, deputy_id, session.id,
                                          rng.choice(("review_opinion", "suggestion", "motion", "inquiry")),
                                          session.start_date + dt.timedelta(days=1), "关于改进工作的建议", True, ""))
            if rng.random() < 0.1:
                session = rng.choice(sessions)
                leave_id = len(leaves) + 1
                route = rng.choice(("whole_session", "plenary", "delegation_meeting"))
                status = rng.choice(("approved", "approved", "pending", "rejected", "withdrawn"))
                leaves.append((leave_id, deputy_id, session.id, route, "出差", "", status, None, created, False))
                if route != "whole_session":
                    for meeting in rng.sample(meetings_of[session.id], 2):
                        leave_meetings.append((len(leave_meetings) + 1, leave_id, meeting.id))
            if rng.random() < 0.15:
                rule = rng.choice(tuple(ACTION_KINDS))
                interventions.append((len(interventions) + 1, deputy_id, rule, ACTION_KINDS[rule],
                                      TERM_START + dt.timedelta(days=rng.randrange(span)), "街工委主任", ""))
        counts["attendance"] = insert(Attendance, ["id", "meeting_id", "deputy_id", "status"], attendance)
        counts["contributions"] = insert(Contribution, ["id", "deputy_id", "session_id", "kind", "date", "title", "confirmed",
                                                           "return_reason"],
                                         contributions)
        counts["leave_requests"] = insert(LeaveRequest, ["id", "deputy_id", "session_id", "route", "reason",
                                                         "certificate", "status", "created_by_id", "created_at",
                                                         "backfilled"], leaves)
        counts["leave_meetings"] = insert(LeaveRequest.meetings.through, ["id", "leaverequest_id", "meeting_id"],
                                          leave_meetings)
        counts["interventions"] = insert(Intervention, ["id", "deputy_id", "rule", "kind", "date", "conducted_by",
                                                        "notes"], interventions)

        # The rest of each deputy's records are participations, ~40 deputies per activity.
        session_rows = sum(counts[name] for name in ("attendance", "contributions", "leave_requests",
                                                      "leave_meetings", "interventions"))
        per_participations = max(1, per_deputy - round(session_rows / deputy_count))
        activity_count = max(per_participations + 1, deputy_count * per_participations // 40)
        kinds = weighted(rng, ACTIVITY_KINDS, activity_count)
        activities = [
            (i + 1, term.id, kinds[i], "活动", TERM_START + dt.timedelta(days=rng.randrange(span)), None,
             "standing_committee", None, "", "")
            for i in range(activity_count)
        ]
        counts["activities"] = insert(Activity, ["id", "term_id", "kind", "title", "date", "end_date",
                                                 "organizer_level", "street_committee_id", "location", "description"],
                                      activities)
        invited = []
        outcome_values, outcome_weights = zip(*OUTCOMES)
        for deputy_id, *_ in deputies:
            outcomes = rng.choices(outcome_values, weights=outcome_weights, k=per_participations)
            for activity_id, outcome in zip(rng.sample(range(1, activity_count + 1), per_participations), outcomes):
                invited.append((activity_id, deputy_id, rng.random() < 0.85, outcome, ""))
        # Stored as the office enters them: an activity with all its participants at once.
        invited.sort(key=lambda row: row[0])
        participations = [(number, *row) for number, row in enumerate(invited, start=1)]
        counts["participations"] = insert(Participation, ["id", "activity_id", "deputy_id", "confirmed", "outcome",
                                                          "decline_reason"],
                                          participations)
    if connection.vendor == "postgresql":
        reset_sequences()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    return counts


def reset_sequences() -> None:
    """The rows came with their ids: move each PostgreSQL id sequence past them, so that a row saved later
    (bench/findings.py records one through the service) gets a new id."""
    from django.apps import apps
    from django.core.management.color import no_style
    from django.db import connection

    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), apps.get_models(include_auto_created=True)):
            cursor.execute(sql)


def build_or_reuse(args) -> None:
    """The benchmark's term: with --reuse, the last run's data when it has as many deputies (migrated first), else
    built afresh (args: deputies, records, seed, reuse)."""
    from django.core.management import call_command

    started = time.perf_counter()
    if args.reuse:
        call_command("migrate", verbosity=0, interactive=False)
        found = existing_counts()
        if found and found["deputies"] == args.deputies:
            reset_sequences()  # a database built before the builder reset its sequences
            return
    empty_database()
    build(args.deputies, args.records, args.seed)
    print(f"built in {time.perf_counter() - started:.1f} s")


def existing_counts() -> dict[str, int] | None:
    from activities.models import Participation
    from deputies.models import Deputy, Term

    if Term.objects.count() != 1:
        return None
    return {"deputies": Deputy.objects.count(), "participations": Participation.objects.count()}


def record_total() -> int:
    """Every record a rule can read: attendance, leave, participations, contributions, interventions."""
    from activities.models import Participation
    from meetings.models import Attendance, Contribution, LeaveRequest
    from oversight.models import Intervention

    return sum(model.objects.count() for model in (Attendance, LeaveRequest, LeaveRequest.meetings.through,
                                                   Participation, Contribution, Intervention))


def raw_scan(term, **load_args) -> tuple[float, int]:
    """The baseline: the SQL a whole-term read runs (oversight.findings.facts: the deputies, sessions, meetings, leave
    meetings and threshold changes whole, the six tables of records as facts_chunks streams them), every row fetched
    as a tuple as the loader fetches it, no fact built: what reading these rows costs at all. (seconds, rows)"""
    from django.db import transaction

    from oversight.findings.facts import (
        CHUNK_DEPUTIES, PER_DEPUTY_QUERIES, STREAM_BATCH, chunk_stream_sql, deputy_chunks, fact_queries, gc_paused,
        query_rows, streamed_cursor, threshold_change_facts,
    )

    with gc_paused():
        started = time.perf_counter()
        queries = fact_queries(term=term, **load_args)
        deputies = sorted(query_rows(queries["deputies"]))
        rows = len(deputies) + sum(len(query_rows(queries[name])) for name in ("sessions", "meetings", "leave_meetings"))
        rows += len(threshold_change_facts(term))
        if len(deputies) <= CHUNK_DEPUTIES:  # one chunk: the loader's plain queries
            rows += sum(scanned(queries[name]) for name in PER_DEPUTY_QUERIES)
            return time.perf_counter() - started, rows
        bounds = [(chunk[0][0], chunk[-1][0]) for chunk in deputy_chunks(deputies)]
        with transaction.atomic(savepoint=False):
            for sql_and_params, _ in chunk_stream_sql(term=term, bounds=bounds, **load_args).values():
                with streamed_cursor(sql_and_params) as cursor:
                    while cursor is not None and (batch := cursor.fetchmany(STREAM_BATCH)):
                        rows += len(batch)
        return time.perf_counter() - started, rows


def scanned(queryset) -> int:
    """How many rows the query returns, every row fetched as a tuple (as query_rows does), 50,000 at a time: the
    baseline does not hold a whole table's tuples (the peak memory printed is the engine's)."""
    from django.db import connections

    sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    count = 0
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        while batch := cursor.fetchmany(50_000):
            count += len(batch)
    return count


def chunked_run(chunks, work) -> tuple[float, float, int, list]:
    """Read facts_chunks' chunks one by one and run `work` on each: (seconds reading and building the facts, seconds
    of work, chunks, the work's results), as the selectors run it (one collector pause, each chunk dropped)."""
    from oversight.findings.facts import gc_paused

    results: list = []
    load = working = 0.0
    count = 0
    with gc_paused():
        while True:
            started = time.perf_counter()
            chunk = next(chunks, None)
            loaded = time.perf_counter()
            load += loaded - started
            if chunk is None:
                return load, working, count, results
            count += 1
            term_facts, facts = chunk
            del chunk
            results.extend(work(term_facts, facts))
            working += time.perf_counter() - loaded
            del facts


def peak_rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    args = parse_args()
    setup_django()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from deputies.models import Term
    from oversight.findings.facts import CHUNK_DEPUTIES, facts_chunks
    from oversight.rules import data_checks, evaluate
    from oversight.findings.selectors import term_findings

    build_or_reuse(args)
    term = Term.objects.get()
    records = record_total()
    database = f"{connection.vendor} {connection.settings_dict['NAME']}"
    print(f"database   {database}")
    print(f"deputies   {args.deputies}")
    print(f"records    {records}  ({records / args.deputies:.0f} per deputy)")
    for _ in range(args.repeat):
        connection.close()  # each run opens its connection, as a request would
        term = Term.objects.get()
        # The findings as term_findings evaluates them (the participations a finding can count, none dated after the
        # as-of date): the baseline first, in the same process and connection state: the raw scan of those rows.
        findings_read = {"counted_only": True, "until": args.as_of}
        scan_seconds, scan_rows = raw_scan(term, **findings_read)
        connection.close()
        term = Term.objects.get()
        with CaptureQueriesContext(connection) as queries:
            load, evaluating, chunk_count, findings = chunked_run(
                facts_chunks(term=term, **findings_read), lambda tf, facts: evaluate(tf, facts, args.as_of))
        # The data checks as data_checks_for reads them: every record, no threshold.
        connection.close()
        term = Term.objects.get()
        check_load, checking, _, checks = chunked_run(
            facts_chunks(term=term, thresholds=False), lambda tf, facts: data_checks(tf, facts, args.as_of))
        print(f"chunks     {chunk_count}  (of {CHUNK_DEPUTIES} deputies at most)")
        print(f"queries    {len(queries)}  (BEGIN and COMMIT of the read's transaction among them)")
        print(f"raw scan   {scan_seconds:6.2f} s  ({scan_rows} rows: the loader's SQL, rows as tuples, no fact built)")
        print(f"load       {load:6.2f} s  (load / raw scan = {load / scan_seconds if scan_seconds else 0:.2f}, goal ≤ 2)")
        print(f"evaluate   {evaluating:6.2f} s  ({len(findings)} findings as of {args.as_of})")
        print(f"total      {load + evaluating:6.2f} s  (load + evaluate)")
        print(f"data checks{check_load + checking:6.2f} s  (their own load of every record {check_load:.2f} s + checks "
              f"{checking:.2f} s: {len(checks)} warnings)")
        del findings, checks
        started = time.perf_counter()
        term_findings(term=term, as_of=args.as_of)
        print(f"selector   {time.perf_counter() - started:6.2f} s  (oversight.findings.selectors.term_findings, end to end)")
        print(f"peak_rss_mb={peak_rss_mb():.0f}")


if __name__ == "__main__":
    main()
