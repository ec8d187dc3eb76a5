"""Today's findings of a term kept current, not recomputed per request (issue 18).

The findings of today are what the office reads all day (the findings page and every API page, the 待办 homes, the
reminders, the exports): each process keeps, per term, the whole term's findings as of today (met ones included)
and the data version they were computed at. The data version is read in ONE query: for every table a finding reads,
its highest id and the highest id of its history table. Every write of those records goes through the services,
which keep a history row for each (django-simple-history, bulk writes included); a new row, a change and a deletion
all raise one of those numbers, so no write can be missed by forgetting to bump a counter.

When the version moved, the snapshot is brought up to date from what moved:
- a record of some deputies (attendance, leave and its steps, participations, contributions, interventions,
  suspensions, the deputy): only those deputies are evaluated again (their history rows and new rows name them);
- anything every deputy reads (the term and its thresholds, sessions, meetings, activities), or very many deputies:
  the whole term is evaluated again.

A read of some deputies (a street's findings page, a deputy's page) never waits for the whole term: with no snapshot of
the whole term, its deputies alone are evaluated and kept, in a snapshot of the deputies read so far (pages16).

A past (or future) as-of date, or a read inside a transaction (which may still be rolled back), evaluates from the
facts as before. settings.FINDINGS_SNAPSHOT = False turns the snapshot off."""
from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, models
from django.utils import timezone

from activities.models import Activity, Participation
from deputies.models import Deputy, Suspension, Term, ThresholdChange
from meetings.models import Attendance, CongressSession, Contribution, LeaveApprovalStep, LeaveRequest, Meeting
from oversight.models import Intervention
from oversight.rules import Finding

# (model, how its rows name their deputy, or None when every deputy of the term reads it)
TERM_WIDE = (Term, ThresholdChange, CongressSession, Meeting, Activity)
PER_DEPUTY: tuple[tuple[type[models.Model], str], ...] = (
    (Deputy, "id"), (Suspension, "deputy_id"), (Attendance, "deputy_id"), (LeaveRequest, "deputy_id"),
    (LeaveApprovalStep, "leave_request_id"), (Participation, "deputy_id"), (Contribution, "deputy_id"),
    (Intervention, "deputy_id"),
)
LEAVE_MEETINGS = LeaveRequest.meetings.through  # no history of its own: its new rows name a leave request
FULL_ABOVE = 500  # more deputies changed than this: evaluate the whole term again
KEEP = 4  # snapshots kept per process (terms × days)

Marks = tuple[int, ...]


def _tables() -> list[tuple[str, str]]:
    """(table, id column) of every table the version reads: each model's and its history's, then the leave's meetings."""
    out = []
    for model in (*TERM_WIDE, *(m for m, _path in PER_DEPUTY)):
        out.append((model._meta.db_table, model._meta.pk.column))
        history = model.history.model
        out.append((history._meta.db_table, history._meta.pk.column))
    out.append((LEAVE_MEETINGS._meta.db_table, LEAVE_MEETINGS._meta.pk.column))
    return out


def data_marks() -> Marks:
    """The data version: each table's highest id, in one query."""
    q = connection.ops.quote_name
    parts = [f"(SELECT MAX({q(column)}) FROM {q(table)})" for table, column in _tables()]
    with connection.cursor() as cursor:
        cursor.execute("SELECT " + ", ".join(parts))
        return tuple(value or 0 for value in cursor.fetchone())


@dataclass
class Snapshot:
    term_id: int
    as_of: dt.date
    marks: Marks
    by_deputy: dict[int, list[Finding]] = field(default_factory=dict)
    # The deputies evaluated, when not the whole term (pages16: a street's page or a deputy's keeps theirs alone).
    covered: frozenset[int] | None = None
    _flat: list[Finding] | None = None

    def findings(self) -> list[Finding]:
        """Every finding, by deputy id then rule (as the engine orders them)."""
        if self._flat is None:
            self._flat = [f for deputy in sorted(self.by_deputy) for f in self.by_deputy[deputy]]
        return self._flat


_SNAPSHOTS: OrderedDict[tuple[int, dt.date], Snapshot] = OrderedDict()
_LOCK = threading.Lock()


def clear() -> None:
    """Forget every snapshot of this process (tests, after a database is emptied)."""
    with _LOCK:
        _SNAPSHOTS.clear()


def usable(as_of: dt.date) -> bool:
    """Is as_of today, the snapshot on, and this read outside a transaction (whose writes may yet roll back)?

    A test case's own transaction (Django marks it `_from_testcase`, as its durable check does) does not count:
    the test suite reads through the snapshot as production does (tests/conftest.py forgets it between tests)."""
    return (getattr(settings, "FINDINGS_SNAPSHOT", True) and as_of == timezone.localdate()
            and not any(not getattr(block, "_from_testcase", False) for block in connection.atomic_blocks))


def _group(findings: Iterable[Finding]) -> dict[int, list[Finding]]:
    by_deputy: dict[int, list[Finding]] = {}
    for f in findings:
        by_deputy.setdefault(f.deputy, []).append(f)
    return by_deputy


def _changed_deputies(old: Marks, new: Marks) -> set[int] | None:
    """The deputies whose records moved between two versions (in one query, whatever moved), or None when something
    every deputy reads moved (then the whole term is evaluated again, in as many queries). Deputies of other terms may be named: the
    evaluation of the term's deputies leaves them out."""
    marks = dict(zip(_tables(), zip(old, new)))

    def since(model) -> tuple[int, int]:
        """The old highest id of the model's rows and of its history's."""
        history = model.history.model
        return (marks[(model._meta.db_table, model._meta.pk.column)][0],
                marks[(history._meta.db_table, history._meta.pk.column)][0])

    parts = []
    for model, path in PER_DEPUTY:
        rows, history = since(model)
        # A step names its leave request, whose deputy is one join away (in its history too).
        deputy = "leave_request__deputy_id" if model is LeaveApprovalStep else path
        parts.append(model.objects.filter(pk__gt=rows).order_by().values_list(deputy, flat=True))
        parts.append(model.history.filter(history_id__gt=history).order_by().values_list(deputy, flat=True))
    meetings = marks[(LEAVE_MEETINGS._meta.db_table, LEAVE_MEETINGS._meta.pk.column)][0]
    parts.append(LEAVE_MEETINGS.objects.filter(pk__gt=meetings).order_by()
                 .values_list("leaverequest__deputy_id", flat=True))
    # Read even when the whole term is evaluated again: a page's queries do not depend on what moved.
    changed = {pk for pk in parts[0].union(*parts[1:]) if pk is not None}
    for model in TERM_WIDE:
        (a, b), (c, d) = (marks[(m._meta.db_table, m._meta.pk.column)] for m in (model, model.history.model))
        if a != b or c != d:
            return None
    return changed


def todays_findings(*, term: Term, as_of: dt.date, evaluate: Callable[..., list[Finding]],
                    build: bool = True, deputies: Collection[int] | None = None) -> list[Finding]:
    """The term's findings as of today (met ones included), from this process's snapshot brought up to date.
    evaluate(term=, as_of=, deputies=, include_met=True): the engine's evaluation from the facts.

    build=False, with the ids of `deputies` (a read of some deputies: a street's findings page, a deputy's page): never
    evaluate the whole term. A snapshot of the whole term serves them; otherwise those deputies alone are evaluated
    and kept (a snapshot of some deputies, brought up to date as a whole one is), so the next read of the street
    evaluates nothing. Their findings are among those returned (the caller keeps the deputies it asked for)."""
    key = (term.pk, as_of)
    with _LOCK:  # one thread brings a snapshot up to date; the others wait for it rather than evaluate too
        marks = data_marks()
        snapshot = _SNAPSHOTS.get(key)
        if snapshot is not None and snapshot.marks != marks:
            changed = _changed_deputies(snapshot.marks, marks)
            if changed is None or len(changed) > FULL_ABOVE:
                snapshot = None
                _SNAPSHOTS.pop(key, None)
            else:
                again = changed if snapshot.covered is None else changed & snapshot.covered
                fresh = _group(evaluate(term=term, as_of=as_of, deputies=sorted(again), include_met=True)) \
                    if again else {}
                by_deputy = {k: v for k, v in snapshot.by_deputy.items() if k not in changed}
                by_deputy.update(fresh)
                snapshot = Snapshot(term.pk, as_of, marks, by_deputy, snapshot.covered)
                _SNAPSHOTS[key] = snapshot
        if snapshot is not None and snapshot.covered is not None:
            missing = set(deputies) - snapshot.covered if not build and deputies is not None else None
            if missing is None:  # the whole term is asked for: made below
                snapshot = None
            elif missing:
                by_deputy = {**snapshot.by_deputy,
                             **_group(evaluate(term=term, as_of=as_of, deputies=sorted(missing), include_met=True))}
                snapshot = Snapshot(term.pk, as_of, marks, by_deputy, snapshot.covered | missing)
                _SNAPSHOTS[key] = snapshot
        if snapshot is None and not build and deputies is not None:
            wanted = frozenset(deputies)
            snapshot = Snapshot(term.pk, as_of, marks,
                                _group(evaluate(term=term, as_of=as_of, deputies=sorted(wanted), include_met=True))
                                if wanted else {}, wanted)
            _SNAPSHOTS[key] = snapshot
        if snapshot is None:
            snapshot = Snapshot(term.pk, as_of, marks,
                                _group(evaluate(term=term, as_of=as_of, deputies=None, include_met=True)))
            _SNAPSHOTS[key] = snapshot
        _SNAPSHOTS.move_to_end(key)
        while len(_SNAPSHOTS) > KEEP:
            _SNAPSHOTS.popitem(last=False)
        return snapshot.findings()
