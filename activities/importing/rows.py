"""Step 3 of the import: every row of the sheet checked against the database, as planned records.

Kinds, dates, terms, deputies by name in their street committee, scope, service period,
duplicates and activities already registered: each problem is reported with its row number and
column, and the rows are grouped into planned activities with their participations. No writes;
`saving` checks the plan as the services check every write, then saves it.
"""
from __future__ import annotations

import datetime as dt
import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from dutyadmin.dates import DATE_RANGE_MESSAGE, future_activity_message, in_date_range
from dutyadmin.roles import Role
from deputies.models import Deputy, StreetCommittee, Term
from dutyadmin.scope import Scope, scope_for
from deputies.selectors import deputy_list
from dutyadmin.permissions import allows

from ..choices import ActivityKind, OrganizerLevel, Outcome
from ..models import Activity, Participation
from .sheet import COLUMN_BY_HEADER, COLUMN_BY_KEY, COLUMNS, NO, YES, Problem, Sheet

MAX_PROBLEMS_KEPT = 1000
COLUMN_KEYS = [c.key for c in COLUMNS]
KIND_BY_TEXT = {**{label: value for value, label in ActivityKind.choices}, **{v: v for v in ActivityKind.values}}
OUTCOME_BY_TEXT = {**{label: value for value, label in Outcome.choices}, **{v: v for v in Outcome.values}}
CONFIRMED_BY_TEXT = {YES: True, NO: False, "true": True, "false": False}
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")


@dataclass
class PlannedParticipation:
    row: int
    deputy_id: int
    deputy_name: str
    confirmed: bool
    outcome: str
    street_committee_id: int


@dataclass
class PlannedActivity:
    first_row: int
    term_id: int
    kind: str
    title: str
    date: dt.date
    end_date: dt.date | None
    location: str
    participations: list[PlannedParticipation] = field(default_factory=list)

    def as_json(self) -> dict:
        names = [p.deputy_name for p in self.participations]
        return {
            "row": self.first_row,
            "title": self.title,
            "kind": self.kind,
            "date": self.date.isoformat(),
            "end_date": self.end_date.isoformat() if self.end_date else None,
            "location": self.location,
            "count": len(names),
            "attended": sum(1 for p in self.participations if p.outcome == Outcome.ATTENDED),
            "deputies": names[:30],
        }


@dataclass
class ImportPlan:
    row_count: int
    activities: list[PlannedActivity]
    problems: list[Problem]
    organizer_level: str
    street_committee_id: int | None
    examples_skipped: int = 0

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def participation_count(self) -> int:
        return sum(len(a.participations) for a in self.activities)

    def problems_json(self) -> list[dict]:
        return [p.as_json() for p in self.problems[:MAX_PROBLEMS_KEPT]]

    def summary_json(self) -> list[dict]:
        return [a.as_json() for a in self.activities]


def problem_order(problem: Problem) -> tuple[int, int]:
    """Problems by row, then by the column's place in the template."""
    return problem.row, COLUMN_KEYS.index(COLUMN_BY_HEADER[problem.column].key) if problem.column in COLUMN_BY_HEADER else 99


def _parse_date(value: Any) -> dt.date | None:
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str) and (match := DATE_TEXT.match(value)):
        try:
            return dt.date(*(int(part) for part in match.groups()))
        except ValueError:
            return None
    return None


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


@dataclass
class _Candidate:
    deputy: Deputy  # with its term, so deputy.serves_on costs no query
    street_name: str
    editable: bool

    @property
    def id(self) -> int:
        return self.deputy.pk

    @property
    def name(self) -> str:
        return self.deputy.name

    @property
    def unit(self) -> str:
        return self.deputy.unit or ""


class _Directory:
    """The deputies the user sees, by (term, street, name) and (term, name), loaded in one query."""

    def __init__(self, *, user, scope: Scope, organizer_street_id: int | None, terms: list[Term]) -> None:
        probe = Activity(street_committee_id=organizer_street_id)
        rows = (
            deputy_list(user=user)
            .select_related(None)
            .order_by()
            .values_list(
                "id", "name", "term_id", "street_committee_id", "street_committee__name", "unit",
                "service_start", "service_end", "delegation_id",
            )
        )
        term_by_id = {t.pk: t for t in terms}
        self.by_street: dict[tuple[int, int, str], list[_Candidate]] = defaultdict(list)
        self.by_term: dict[tuple[int, str], list[_Candidate]] = defaultdict(list)
        self.by_id: dict[int, _Candidate] = {}
        self.names_by_street: dict[tuple[int, int], set[str]] = defaultdict(set)
        self.names_by_term: dict[int, set[str]] = defaultdict(set)
        for pk, name, term_id, street_id, street_name, unit, start, end, delegation_id in rows:
            deputy = Deputy(id=pk, name=name, term=term_by_id[term_id], street_committee_id=street_id,
                            delegation_id=delegation_id, unit=unit, service_start=start, service_end=end)
            candidate = _Candidate(deputy, street_name, allows(scope, "enter_participation", Participation(activity=probe, deputy=deputy)))
            self.by_street[(term_id, street_id, name)].append(candidate)
            self.by_term[(term_id, name)].append(candidate)
            self.by_id[pk] = candidate
            self.names_by_street[(term_id, street_id)].add(name)
            self.names_by_term[term_id].add(name)

    @staticmethod
    def suggestion(name: str, names: set[str]) -> str:
        close = difflib.get_close_matches(name, sorted(names), n=3, cutoff=0.5)
        return f"是否为:{'、'.join(close)}?" if close else ""


def organizer(scope: Scope) -> tuple[str, int | None]:
    """Who organizes what the user imports: their street committee, or the standing committee."""
    if not scope.has(Role.LIAISON_OFFICE) and Role.STREET_STAFF in scope.roles and scope.street_committee_id:
        return OrganizerLevel.STREET_COMMITTEE, scope.street_committee_id
    return OrganizerLevel.STANDING_COMMITTEE, None


def plan_import(*, user, sheet: Sheet) -> ImportPlan:
    """Check every row against the database and group rows into activities; no writes."""
    scope = scope_for(user)
    organizer_level, organizer_street_id = organizer(scope)
    problems = list(sheet.problems)
    terms = sorted(Term.objects.all(), key=lambda t: -t.number)
    streets = {s.name: s for s in StreetCommittee.objects.all()}
    own_street = next((s for s in streets.values() if s.pk == organizer_street_id), None)
    directory = _Directory(user=user, scope=scope, organizer_street_id=organizer_street_id, terms=terms)
    today = timezone.localdate()

    # A cell refused while reading (a formula) is reported once, not again as "missing".
    reported = {(p.row, p.column) for p in sheet.problems}
    planned: dict[tuple[str, str, dt.date], PlannedActivity] = {}
    seen_deputy: dict[tuple[tuple[str, str, dt.date], int], int] = {}
    for row in sheet.rows:
        bad = len(problems)

        def add(column_key: str, message: str, row=row) -> None:
            header = COLUMN_BY_KEY[column_key].header
            if (row.number, header) not in reported:
                problems.append(Problem(row.number, header, message))

        v = row.values
        title = _text(v.get("title"))
        if not title:
            add("title", "请填写活动名称。")
        elif len(title) > 200:
            add("title", f"活动名称太长({len(title)} 字),最多 200 字。")

        kind = None
        if v.get("kind") is None:
            add("kind", "请从下拉列表选择活动类型。")
        elif (kind := KIND_BY_TEXT.get(_text(v["kind"]))) is None:
            add("kind", f"未知的活动类型“{_text(v['kind'])[:30]}”,请从下拉列表选择。")

        date = _parse_date(v.get("date"))
        term = None
        if v.get("date") is None:
            add("date", "请填写日期,如 2025-03-01。")
        elif date is None:
            add("date", f"“{_text(v['date'])[:30]}”不是有效的日期,请填写如 2025-03-01。")
        elif not in_date_range(date):  # the range every record keeps (issue 17), as a form and the API say
            add("date", DATE_RANGE_MESSAGE)
            date = None
        elif (term := next((t for t in terms if t.start_date <= date <= t.end_date), None)) is None:
            add("date", f"{date:%Y-%m-%d} 不在任何一届的任期内。")

        end_date = None
        if v.get("end_date") is not None:
            end_date = _parse_date(v["end_date"])
            if end_date is None:
                add("end_date", f"“{_text(v['end_date'])[:30]}”不是有效的日期,请填写如 2025-03-02,或不填。")
            elif not in_date_range(end_date):
                add("end_date", DATE_RANGE_MESSAGE)
                end_date = None
            elif date and end_date < date:
                add("end_date", "结束日期不能早于开始日期。")

        location = _text(v.get("location"))
        if len(location) > 200:
            add("location", f"地点太长({len(location)} 字),最多 200 字。")

        confirmed = False
        if v.get("confirmed") is not None:
            raw = v["confirmed"]
            confirmed = raw if isinstance(raw, bool) else CONFIRMED_BY_TEXT.get(_text(raw).lower())
            if confirmed is None:
                add("confirmed", f"“{_text(raw)[:20]}”无效,请填写“是”或“否”。")
                confirmed = False

        outcome = Outcome.PENDING
        if v.get("outcome") is not None:
            outcome = OUTCOME_BY_TEXT.get(_text(v["outcome"]))
            if outcome is None:
                add("outcome", f"“{_text(v['outcome'])[:20]}”无效,请填写出席、请假、缺席或待定。")
                outcome = Outcome.PENDING
            elif date and date > today and outcome != Outcome.PENDING:
                add("outcome", future_activity_message(date, Outcome(outcome).label))

        # The deputy: by name within their street committee (the user's, unless the row names one).
        street = own_street
        street_text = _text(v.get("street"))
        if street_text:
            street = streets.get(street_text)
            if street is None:
                add("street", f"未知的街工委“{street_text[:20]}”,请从下拉列表选择。")
            elif own_street is not None and street.pk != own_street.pk:
                add("street", f"超出您的管理范围:只能导入{own_street.name}街工委的代表,这一行是“{street.name}”。")
                street = None
        deputy = _find_deputy(row, v, term, street, date, directory, add, street_given=bool(street_text))

        if len(problems) > bad or kind is None or date is None or term is None or deputy is None:
            continue
        key = (title, kind, date)
        activity = planned.get(key)
        if activity is None:
            activity = planned[key] = PlannedActivity(row.number, term.pk, kind, title, date, end_date, location)
        else:
            if (end_date or None) != activity.end_date:
                add("end_date", f"与第 {activity.first_row} 行是同一项活动,但结束日期不同。")
            if location != activity.location:
                add("location", f"与第 {activity.first_row} 行是同一项活动,但地点不同。")
        first = seen_deputy.setdefault((key, deputy.id), row.number)
        if first != row.number:
            add("deputy_name", f"与第 {first} 行重复:同一项活动、同一位代表({deputy.name})。")
        if len(problems) > bad:
            continue
        activity.participations.append(PlannedParticipation(
            row.number, deputy.id, deputy.name, confirmed, outcome, deputy.deputy.street_committee_id
        ))

    _check_already_registered(planned, organizer_level, organizer_street_id, problems)
    problems.sort(key=problem_order)
    return ImportPlan(
        row_count=len(sheet.rows),
        activities=[a for a in planned.values() if a.participations],
        problems=problems,
        organizer_level=organizer_level,
        street_committee_id=organizer_street_id,
        examples_skipped=sheet.examples_skipped,
    )


def _find_deputy(row, v, term, street, date, directory: _Directory, add, *, street_given: bool):
    """The one deputy a row names, or None after noting why."""
    name = _text(v.get("deputy_name"))
    if not name:
        add("deputy_name", "请填写代表姓名。")
        return None
    if term is None or (street is None and street_given):
        return None  # the date or the street is already reported; a name cannot be looked up without them
    if street is not None:
        candidates = directory.by_street.get((term.pk, street.pk, name), [])
        names = directory.names_by_street.get((term.pk, street.pk), set())
        where = f"{street.name}街工委"
    else:
        candidates = directory.by_term.get((term.pk, name), [])
        names = directory.names_by_term.get(term.pk, set())
        where = term.name
    wanted_id = v.get("deputy_id")
    if wanted_id is not None:
        if isinstance(wanted_id, bool) or not isinstance(wanted_id, int):
            add("deputy_id", f"代表编号应为整数,收到的是“{_text(wanted_id)[:20]}”。")
            return None
        candidates = [c for c in candidates if c.id == wanted_id]
        if not candidates:
            add("deputy_id", f"{where}没有编号为 {wanted_id}、名为“{name}”的代表。")
            return None
    if not candidates:
        hint = directory.suggestion(name, names)
        add("deputy_name", f"在{where}找不到代表“{name[:20]}”。{hint}".rstrip())
        return None
    if len(candidates) > 1:
        options = "、".join(
            f"{c.id}({c.street_name}{',' + c.unit if c.unit else ''})" for c in sorted(candidates, key=lambda c: c.id)
        )
        add("deputy_name", f"{where}有 {len(candidates)} 位代表名为“{name}”,请在“代表编号”列填写其中一位的编号:{options}。")
        return None
    deputy = candidates[0]
    if not deputy.editable:
        add("deputy_name", f"超出您的管理范围:不能登记{deputy.street_name}街工委代表“{name}”的参加情况。")
        return None
    if date is not None and not deputy.deputy.serves_on(date):
        start, until = deputy.deputy.service_start, deputy.deputy.service_until
        add("deputy_name", f"{date:%Y-%m-%d} 时“{name}”不在任职期间(任职 {start:%Y-%m-%d} 至 {until:%Y-%m-%d})。")
        return None
    return deputy


def _check_already_registered(planned: dict, organizer_level: str, street_id: int | None, problems: list) -> None:
    """An activity this organizer already registered (same name, kind and date) is not imported twice."""
    if not planned:
        return
    dates = [key[2] for key in planned]
    existing = Activity.objects.filter(
        organizer_level=organizer_level, street_committee_id=street_id, date__gte=min(dates), date__lte=max(dates)
    ).values_list("title", "kind", "date", "id")
    found = {(title, kind, date): pk for title, kind, date, pk in existing}
    for key, activity in planned.items():
        pk = found.get(key)
        if pk is None:
            continue
        for p in activity.participations:
            problems.append(
                Problem(p.row, "活动名称", f"系统中已有这项活动(编号 {pk}:同名、同类型、同日期),请勿重复导入;"
                        "如需补充参加代表,请在该活动页面邀请。")
            )
        activity.participations = []
