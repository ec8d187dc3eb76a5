"""The fact loader: every fact of a term (or of some of its deputies) in a fixed number of queries.

Eleven queries whatever the number of deputies and records (ten for the records, suspensions included, one for
the term's threshold changes) (RULES.md, evaluation contract; DESIGN.md:
"one selector loads every fact a term needs"). Each query is built with the ORM, so table names and
scope filters stay the ORM's, then run on a plain cursor: a million participations arrive as tuples
without model instances or per-row converters, and become the rules' frozen facts in one pass.
"""
from __future__ import annotations

import datetime as dt
import gc
from collections.abc import Iterable, Iterator
from bisect import bisect_right
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from itertools import chain, starmap
from operator import itemgetter
from typing import Any

from django.core.exceptions import EmptyResultSet
from django.db import connections, transaction
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.db.models.expressions import RawSQL

from activities.choices import Outcome
from activities.models import Participation
from deputies.models import Deputy, Suspension, Term, ThresholdChange
from meetings.choices import AttendanceStatus, StepStatus
from meetings.models import Attendance, CongressSession, Contribution, LeaveApprovalStep, LeaveRequest, Meeting
from meetings.services import FILING_CODES
from oversight.models import Intervention
from oversight.rules import (
    ContributionFact,
    DeputyFacts,
    Facts,
    InterventionFact,
    LeaveFact,
    MeetingFacts,
    ParticipationFact,
    SessionFacts,
    TermFacts,
    SettingsTimeline,
    ThresholdChangeFact,
    build_facts,
    facts_of,
    term_settings,
)
from oversight.rules.catalog import thresholds_with_defaults

@dataclass(frozen=True, slots=True)
class DeputyRange:
    """The term's deputies whose ids lie in [first, last]: read by a range of the tables' deputy index, so that
    chunks of a big term each read their own rows (a list of ids, or a subquery, lets the database scan the
    whole table for each chunk)."""

    first: int
    last: int


# Deputies of a term: a queryset (scoped by a selector, run as a subquery), a collection of ids, or an id range.
DeputySet = QuerySet[Deputy] | DeputyRange | Iterable[int] | None


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while a million small facts are made (they form no cycles).

    Every few hundred allocations the collector would otherwise walk all the young facts, and its
    full collections walk every fact made so far: that doubles the time of a whole-term load. The
    first collection after the pause still walks the facts alive then, so callers that evaluate
    keep one pause around load and evaluation and drop the facts before it ends (nested pauses
    leave the collector off until the outermost one ends).
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def query_rows(queryset: QuerySet) -> list[tuple]:
    """The rows of a values_list() queryset as plain tuples, in one query on a plain cursor."""
    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:  # e.g. no deputy in scope: the ORM knows there is nothing to ask for
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _only_deputies(queryset: QuerySet, deputies: DeputySet, path: str = "deputy_id") -> QuerySet:
    if deputies is None:
        return queryset
    if isinstance(deputies, QuerySet):
        # One subquery, not a list of ids: the scope filter runs inside the database.
        return queryset.filter(**{f"{path}__in": deputies.order_by().values("id")})
    if isinstance(deputies, DeputyRange):
        return queryset.filter(**{f"{path}__gte": deputies.first, f"{path}__lte": deputies.last})
    return queryset.filter(**{f"{path}__in": list(deputies)})


def threshold_change_facts(term: Term) -> tuple[ThresholdChangeFact, ...]:
    """The term's threshold changes, by effective_from then id, in one query (the ORM reads the JSON values)."""
    rows = ThresholdChange.objects.filter(term_id=term.id).order_by("effective_from", "id")
    return tuple(
        ThresholdChangeFact(change_id, effective_from, values)
        for change_id, effective_from, values in rows.values_list("id", "effective_from", "values")
        if isinstance(values, dict)
    )


def settings_load(term: Term) -> SettingsTimeline:
    """The term's settings over time (base thresholds and every change), in one query."""
    return term_settings(term_facts(term, threshold_change_facts(term)))


def term_facts(term: Term, changes: tuple[ThresholdChangeFact, ...] = ()) -> TermFacts:
    """The term's dates, base thresholds (defaults filled) and their changes as the rules read them."""
    thresholds = term.thresholds if isinstance(term.thresholds, dict) else None
    return TermFacts(term.id, term.start_date, term.end_date, thresholds_with_defaults(thresholds), changes)


# What a loader may be narrowed to (`only=`): the attendance facts are deputies, sessions, meetings,
# attendance, leave and the meetings leave names; participations, contributions and interventions are
# then not asked for (a session's pages need no million participations).
ATTENDANCE = "attendance"
# Suspensions go with the deputies: a suspended deputy is not expected at a meeting (RULES.md "Suspension").
ATTENDANCE_QUERIES = ("deputies", "suspensions", "sessions", "meetings", "attendance", "leaves", "leave_meetings")


def facts_load(*, term: Term, deputies: DeputySet = None, counted_only: bool = False,
               until: dt.date | None = None, only: tuple[str, ...] | None = None,
               session: int | None = None, thresholds: bool = True) -> tuple[TermFacts, Facts]:
    """Every fact of the term's deputies (all of them, or those of `deputies`) in eleven queries: ten for the records
    (the deputies' suspensions one of them), one for the term's threshold changes (rules/settings.py).

    counted_only: only the participations a finding can count (attended, or a confirmed absence);
    the data checks need the others too (a pending invitation dated outside the service period).
    until: leave out attendance, participations, contributions and interventions dated after this day,
    which an evaluation as of it never reads (RULES.md). Sessions, meetings and leave stay whole: a
    session not yet ended keeps its year from being silent, and leave counts with its current status.
    only=("attendance",): the attendance facts only, in seven queries (ATTENDANCE_QUERIES; no threshold is read).
    session: a session id of the term: its session, meetings, attendance and leave only (a session's or a
    meeting's page); the deputies stay those of the term.
    thresholds=False: leave the term's threshold changes out (ten queries): the classification and the data
    checks read no threshold.
    """
    queries = fact_queries(term=term, deputies=deputies, counted_only=counted_only, until=until, only=only,
                           session=session)
    with gc_paused():
        rows = {name: query_rows(queryset) for name, queryset in queries.items()}
        for name in ("participations", "contributions", "interventions"):
            rows.setdefault(name, [])
        changes = threshold_change_facts(term) if thresholds and only is None else ()
        return term_facts(term, changes), facts_from_rows(**rows)


def fact_queries(*, term: Term, deputies: DeputySet = None, counted_only: bool = False,
                 until: dt.date | None = None, only: tuple[str, ...] | None = None,
                 session: int | None = None) -> dict[str, QuerySet]:
    """The loader's ten queries (values_list querysets, by the name of what they load), not yet run: facts_load
    runs them on a plain cursor, and bench/rules.py times the same SQL alone (the raw scan of the rows loaded)."""
    if only is not None and set(only) - {ATTENDANCE}:
        raise ValueError(f"facts_load(only=…) knows {ATTENDANCE!r} only")
    term_id = term.id
    # Model orderings are dropped (.order_by()): sorting a million rows is the database's slowest step
    # here, and build_facts orders what the rules need ordered.
    deputy_rows = Deputy.objects.filter(term_id=term_id).order_by()
    if deputies is not None:
        deputy_rows = _only_deputies(deputy_rows, deputies, path="id")
    # Every suspension of the deputies, whatever `until`: a suspension is a span of the service period, like
    # service_end (the rules drop one begun after the as-of date).
    suspensions = Suspension.objects.filter(deputy__term_id=term_id)
    participations = Participation.objects.filter(activity__term_id=term_id)
    attendance = Attendance.objects.filter(meeting__session__term_id=term_id)
    contributions = Contribution.objects.filter(deputy__term_id=term_id, confirmed=True)
    interventions = Intervention.objects.filter(deputy__term_id=term_id)
    if until is not None:
        participations = participations.filter(activity__date__lte=until)
        attendance = attendance.filter(meeting__date__lte=until)
        contributions = contributions.filter(date__lte=until)
        interventions = interventions.filter(date__lte=until)
    sessions = CongressSession.objects.filter(term_id=term_id)
    meetings = Meeting.objects.filter(session__term_id=term_id)
    leaves = LeaveRequest.objects.filter(session__term_id=term_id)
    leave_meetings = LeaveRequest.meetings.through.objects.filter(leaverequest__session__term_id=term_id)
    if session is not None:
        sessions = sessions.filter(pk=session)
        meetings = meetings.filter(session_id=session)
        attendance = attendance.filter(meeting__session_id=session)
        leaves = leaves.filter(session_id=session)
        leave_meetings = leave_meetings.filter(leaverequest__session_id=session)
    if counted_only:
        participations = participations.filter(
            Q(outcome=Outcome.ATTENDED) | Q(outcome=Outcome.ABSENT, confirmed=True)
        )
    queries = {
        "deputies": deputy_rows.values_list("id", "service_start", "service_end", "status"),
        "suspensions": _only_deputies(suspensions, deputies)
        .order_by().values_list("deputy_id", "start_date", "end_date"),
        "sessions": sessions.order_by().values_list("id", "start_date", "end_date", "name"),
        "meetings": meetings.order_by().values_list("id", "session_id", "date", "kind"),
        "attendance": _only_deputies(attendance, deputies)
        .order_by().values_list("meeting_id", "deputy_id", "status"),
        # filing_open: the filing step (备案, meetings.services FILING_CODES) still waits: one EXISTS, no query more.
        "leaves": _only_deputies(leaves, deputies)
        .annotate(filing_open=Exists(LeaveApprovalStep.objects.filter(
            leave_request_id=OuterRef("pk"), status=StepStatus.WAITING, code__in=FILING_CODES)))
        .order_by().values_list("id", "deputy_id", "session_id", "route", "status", "filing_open"),
        # The meetings a leave names, straight from the many-to-many table (empty for whole_session).
        "leave_meetings": _only_deputies(leave_meetings, deputies, path="leaverequest__deputy_id")
        .order_by().values_list("leaverequest_id", "meeting_id"),
        # A participation counts on its activity's (first) date; kind and date are joined in SQL.
        "participations": _only_deputies(participations, deputies)
        .order_by().values_list("activity_id", "activity__kind", "activity__date", "deputy_id", "confirmed", "outcome"),
        # A deputy's own entry counts only once staff have confirmed it.
        "contributions": _only_deputies(contributions, deputies)
        .order_by().values_list("id", "deputy_id", "session_id", "kind", "date"),
        "interventions": _only_deputies(interventions, deputies)
        .order_by().values_list("id", "deputy_id", "rule", "kind", "date"),
    }
    if only is not None:
        queries = {name: queries[name] for name in ATTENDANCE_QUERIES}
    return queries


# Deputies per chunk of a whole-term read (facts_chunks): a city's term (20,000 deputies, four million records) is
# read 2,500 deputies at a time, so that one chunk's facts live at once and the findings are what stays.
CHUNK_DEPUTIES = 2500
# The loader's queries read as streams, chunk after chunk (by a range of the deputy index); deputies, sessions,
# meetings, the meetings leave names (a few per leave) and the threshold changes are read whole.
PER_DEPUTY_QUERIES = ("suspensions", "attendance", "leaves", "participations", "contributions", "interventions")
# Rows of a stream fetched per round trip (a FETCH of a server-side cursor on PostgreSQL).
STREAM_BATCH = 20_000


def facts_chunks(*, term: Term, counted_only: bool = False, until: dt.date | None = None,
                 thresholds: bool = True) -> Iterator[tuple[TermFacts, Facts]]:
    """Every fact of the term's deputies as facts_load reads them, CHUNK_DEPUTIES deputies (by id) at a time, in id
    order: for a whole-term evaluation whose memory must not grow with the term (issue 16).

    Eleven queries whatever the size of the term, as facts_load: the deputies, sessions, meetings, the meetings leave
    names and the threshold changes read whole, and each of the six tables of records as one query that gives its
    rows chunk after chunk (chunk_stream_sql), read a chunk at a time from a server-side cursor (PostgreSQL) within
    one transaction, so that every chunk reads the same moment. The caller pauses the collector (gc_paused), drops
    each chunk's facts before asking for the next, and closes the iterator when it may stop early (contextlib.closing:
    an exception in its loop would otherwise leave the transaction open until the iterator is collected); what it
    writes between chunks would join that transaction (the selectors only evaluate)."""
    queries = fact_queries(term=term, counted_only=counted_only, until=until)
    deputies = sorted(query_rows(queries["deputies"]))
    whole = {name: query_rows(queries[name]) for name in ("sessions", "meetings", "leave_meetings")}
    tf = term_facts(term, threshold_change_facts(term) if thresholds else ())
    if len(deputies) <= CHUNK_DEPUTIES:
        rows = {name: query_rows(queries[name]) for name in PER_DEPUTY_QUERIES}
        facts = facts_from_rows(deputies=deputies, **whole, **rows)
        del rows
        yield tf, facts
        return
    chunks = deputy_chunks(deputies)
    bounds = [(chunk[0][0], chunk[-1][0]) for chunk in chunks]
    with transaction.atomic(using=queries["deputies"].db, savepoint=False), ExitStack() as cursors:
        streams = {name: _DeputyStream(cursors.enter_context(streamed_cursor(sql_and_params)), column)
                   for name, (sql_and_params, column) in chunk_stream_sql(
                       term=term, bounds=bounds, counted_only=counted_only, until=until).items()}
        evidence: dict = {}  # each activity's Evidence, made once for every chunk
        for chunk in chunks:
            rows = {name: stream.upto(chunk[-1][0]) for name, stream in streams.items()}
            facts = facts_from_rows(deputies=chunk, **whole, **rows, evidence=evidence)
            del rows
            try:
                yield tf, facts
            except GeneratorExit:  # closed early: the read ends as a read, the caller's transaction is left whole
                return
            del facts


def deputy_chunks(deputies: list[tuple]) -> list[list[tuple]]:
    """The term's deputy rows (by id) in chunks of CHUNK_DEPUTIES."""
    return [deputies[start:start + CHUNK_DEPUTIES] for start in range(0, len(deputies), CHUNK_DEPUTIES)]


def chunk_stream_sql(*, term: Term, bounds: list[tuple[int, int]], counted_only: bool = False,
                     until: dt.date | None = None) -> dict[str, tuple[tuple[str, list] | None, int]]:
    """The SQL facts_chunks streams, by query name: (sql, params) giving the loader's rows (fact_queries) of the
    deputies within each (first, last) of `bounds`, all the rows of one range before any of the next, with the
    position of the deputy in a row.

    On PostgreSQL each range is read as the loader reads some deputies (a range of the table's deputy index, joined
    to the activities by hash) in one query: the ranges, in order, joined LATERAL to the ranged query, whose hash
    table is built once; 1.0 s for the participations of 20,000 deputies, where ordering the plain join by deputy
    costs 1.6 to 3.3 s (a nested loop, or a sort). Elsewhere (SQLite), the loader's query ordered by deputy."""
    connection = connections[Deputy.objects.db]
    if connection.vendor != "postgresql":
        plain = fact_queries(term=term, counted_only=counted_only, until=until)
        return {name: (_sql(plain[name].order_by("deputy_id")), _deputy_column(plain[name]))
                for name in PER_DEPUTY_QUERIES}
    outer = DeputyRange(RawSQL('"chunk"."first"', ()), RawSQL('"chunk"."last"', ()))  # type: ignore[arg-type]
    ranged = fact_queries(term=term, deputies=outer, counted_only=counted_only, until=until)
    values = ", ".join(["(%s, %s)"] * len(bounds))
    streamed: dict[str, tuple[tuple[str, list] | None, int]] = {}
    for name in PER_DEPUTY_QUERIES:
        ranged_sql = _sql(ranged[name])
        if ranged_sql is None:
            streamed[name] = (None, 0)
            continue
        sql, params = ranged_sql
        # OFFSET 0 keeps the ranged query whole (not flattened into one join the planner would sort); the ranges come
        # sorted, and a nested loop keeps its outer order, so ORDER BY "first" sorts nothing more.
        streamed[name] = ((f'SELECT "q".* FROM (SELECT * FROM (VALUES {values}) AS "v" ("first", "last") ORDER BY 1) '
                           f'AS "chunk" CROSS JOIN LATERAL ({sql} OFFSET 0) AS "q" ORDER BY "chunk"."first"',
                           [*chain.from_iterable(bounds), *params]), _deputy_column(ranged[name]))
    return streamed


def _deputy_column(queryset: QuerySet) -> int:
    """The position of the deputy in a values_list() row of a table with a deputy_id."""
    return queryset.query.values_select.index("deputy_id")


def _sql(queryset: QuerySet) -> tuple[str, list] | None:
    """The SQL and parameters of a queryset; None when the ORM knows it finds nothing."""
    try:
        sql, params = queryset.query.get_compiler(queryset.db).as_sql()
    except EmptyResultSet:
        return None
    return sql, list(params)


@contextmanager
def streamed_cursor(sql_and_params: tuple[str, list] | None) -> Iterator[Any]:
    """The query run on a chunked cursor: a server-side cursor on PostgreSQL (within the caller's transaction, so not
    materialized at once), a plain one elsewhere; None when there is nothing to ask for."""
    if sql_and_params is None:
        yield None
        return
    connection = connections[Deputy.objects.db]
    uses_server_cursor = not connection.settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    with connection.chunked_cursor() if uses_server_cursor else connection.cursor() as cursor:
        cursor.execute(*sql_and_params)
        yield cursor


class _DeputyStream:
    """One query's rows, all of a range of deputies before any of the next range, handed out a range at a time
    (upto), STREAM_BATCH rows fetched at once."""

    def __init__(self, cursor: Any, column: int) -> None:
        self.cursor = cursor
        self.deputy = itemgetter(column)
        self.batch: list[tuple] = []
        self.taken = 0  # rows of the batch already handed out
        self.ended = cursor is None

    def upto(self, last: int) -> list[tuple]:
        """The next rows whose deputy id is at most `last` (those of the next ranges have greater ids: a batch is cut
        where they begin by bisection, which needs the rows split so, not sorted)."""
        rows: list[tuple] = []
        while True:
            if self.taken == len(self.batch):
                if self.ended:
                    return rows
                self.batch, self.taken = self.cursor.fetchmany(STREAM_BATCH), 0
                self.ended = len(self.batch) < STREAM_BATCH
                continue
            end = bisect_right(self.batch, last, lo=self.taken, key=self.deputy)
            rows.extend(self.batch[self.taken:end])
            self.taken = end
            if end < len(self.batch):
                return rows


def deputy_facts(deputies: QuerySet[Deputy]) -> dict[int, DeputyFacts]:
    """The service of these deputies (start, end, status, suspensions) as the rules read it, in two queries: for the
    checks that ask whether a deputy served on a day without loading the term's records (A10.5, A10.6)."""
    suspended: dict[int, list[tuple]] = {}
    for deputy_id, start, end in Suspension.objects.filter(deputy__in=deputies.order_by().values("pk")).order_by(
            "start_date").values_list("deputy_id", "start_date", "end_date"):
        suspended.setdefault(deputy_id, []).append((start, end))
    return {pk: DeputyFacts(pk, start, end, status, tuple(suspended.get(pk, ())))
            for pk, start, end, status in deputies.order_by().values_list("pk", "service_start", "service_end", "status")}


def facts_from_rows(*, deputies: list[tuple], sessions: list[tuple], meetings: list[tuple],
                    attendance: list[tuple], leaves: list[tuple], leave_meetings: list[tuple],
                    participations: list[tuple], contributions: list[tuple],
                    interventions: list[tuple], suspensions: list[tuple] = (),
                    evidence: dict | None = None) -> Facts:
    """Facts from the loader's tuples (columns in the order of the facts' fields; suspensions by deputy id);
    evidence: build_facts' cache of the activities' Evidence, shared by the chunks of a term."""
    suspended: dict[int, list[tuple]] = {}
    for deputy_id, start, end in suspensions:
        suspended.setdefault(deputy_id, []).append((start, end))
    if suspended:
        deputies = [
            (*row, tuple(sorted(suspended[row[0]], key=lambda span: span[0]))) if row[0] in suspended else row
            for row in deputies
        ]
    named: dict[int, set[int]] = {}
    for leave_id, meeting_id in leave_meetings:
        named.setdefault(leave_id, set()).add(meeting_id)
    empty: frozenset[int] = frozenset()
    present = AttendanceStatus.PRESENT.value
    return build_facts(
        deputies=starmap(DeputyFacts, deputies),
        sessions=starmap(SessionFacts, sessions),
        meetings=starmap(MeetingFacts, meetings),
        marks=[(meeting_id, deputy_id, status == present) for meeting_id, deputy_id, status in attendance],
        leaves=[
            LeaveFact(leave_id, deputy_id, session_id, route, status,
                      frozenset(named[leave_id]) if leave_id in named else empty, bool(filing_open))
            for leave_id, deputy_id, session_id, route, status, filing_open in leaves
        ],
        participations=facts_of(ParticipationFact, participations),
        contributions=facts_of(ContributionFact, contributions),
        interventions=starmap(InterventionFact, interventions),
        evidence=evidence,
    )
