"""Spreadsheet import of activities and participations (the street committees' .xlsx files).

Three steps, each refusing bad input with a Chinese message and saving nothing:

1. `check_upload`: the file itself — size, that it is a real .xlsx (a zip with a workbook), and
   that the zip is not a bomb (entry count and total uncompressed size, read from the zip's own
   directory BEFORE openpyxl inflates anything).
2. `read_sheet`: openpyxl in read-only mode; the header row must name the template's columns;
   merged cells, formulas and too many rows are refused.
3. `plan_import`: every row checked against the database (kinds, dates, terms, deputies by name in
   their street committee, scope, service period, duplicates); each problem is reported with its
   row number and column. Only a plan without problems is saved, by `plan_save`, in one
   transaction with history.

The template (`template_workbook`) has the same columns, drop-down lists for kinds, outcomes and
streets, an example row and a sheet explaining every column.
"""
from __future__ import annotations

import datetime as dt
import difflib
import io
import re
import zipfile
from collections import defaultdict
from dataclasses import dataclass, field
from typing import IO, Any

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from deputies.choices import Role
from deputies.models import Deputy, StreetCommittee, Term
from deputies.scope import Scope, scope_for
from deputies.selectors import deputy_list
from dutyadmin.permissions import allows

from .choices import ActivityKind, OrganizerLevel, Outcome
from .models import Activity, ActivityImport, Participation

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
# A real .xlsx has a dozen entries and a few MB of XML even for 20,000 rows.
MAX_ZIP_ENTRIES = 500
MAX_UNCOMPRESSED_BYTES = 100 * 1024 * 1024
MAX_PROBLEMS_KEPT = 1000
EXAMPLE_PREFIX = "示例:"
DATA_SHEET = "活动登记"
HELP_SHEET = "填写说明"
LISTS_SHEET = "选项"
XLSX_SIGNATURE = b"PK\x03\x04"
OLE2_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls and password-protected .xlsx


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool
    width: int
    help: str


COLUMNS: tuple[Column, ...] = (
    Column("title", "活动名称", True, 36, "必填。名称、类型、日期都相同的各行是同一项活动的不同参加代表。"),
    Column("kind", "活动类型", True, 26, "必填。从下拉列表选择。"),
    Column("date", "日期", True, 13, "必填。活动(第一天)的日期,如 2025-03-01。"),
    Column("end_date", "结束日期", False, 13, "多日活动的最后一天;一天的活动不填。"),
    Column("location", "地点", False, 24, "如“东四街道代表之家”。同一项活动各行应相同。"),
    Column("deputy_name", "代表姓名", True, 12, "必填。在代表所属街工委中按姓名查找。"),
    Column("street", "街工委", False, 12, "代表所属的人大街工委;街工委工作人员可不填,默认为本街工委。"),
    Column("confirmed", "应邀确定参加", False, 13, "是 / 否;不填为“否”。"),
    Column("outcome", "参加情况", False, 11, "出席 / 请假 / 缺席 / 待定;不填为“待定”。今天以后的活动只能是“待定”。"),
    Column("deputy_id", "代表编号", False, 11, "仅在同一街工委有重名代表时填写(系统会提示可选的编号)。"),
)
COLUMN_BY_KEY = {c.key: c for c in COLUMNS}
COLUMN_BY_HEADER = {c.header: c for c in COLUMNS}

KIND_BY_TEXT = {**{label: value for value, label in ActivityKind.choices}, **{v: v for v in ActivityKind.values}}
OUTCOME_BY_TEXT = {**{label: value for value, label in Outcome.choices}, **{v: v for v in Outcome.values}}
YES, NO = "是", "否"
CONFIRMED_BY_TEXT = {YES: True, NO: False, "true": True, "false": False}
DATE_TEXT = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?$")
MERGE_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref=\"([A-Z0-9:]+)\"")


class ImportRefused(Exception):
    """The file as a whole cannot be read; the message says why, in Chinese."""


@dataclass(frozen=True)
class Problem:
    """One problem of one row (row numbers as Excel shows them; column by its header)."""

    row: int
    column: str
    message: str

    def as_json(self) -> dict:
        return {"row": self.row, "column": self.column, "message": self.message}


@dataclass
class SheetRow:
    number: int
    values: dict[str, Any]


@dataclass
class Sheet:
    rows: list[SheetRow]
    problems: list[Problem]
    examples_skipped: int = 0


@dataclass
class PlannedParticipation:
    row: int
    deputy_id: int
    deputy_name: str
    confirmed: bool
    outcome: str


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


# --- 1. the file --------------------------------------------------------------------------------


def check_upload(upload) -> None:
    """Refuse what is not a small, genuine .xlsx before any spreadsheet code reads it."""
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size == 0:
        raise ImportRefused("上传的文件是空的(0 字节)。请选择填好的 .xlsx 表格。")
    if size > MAX_UPLOAD_BYTES:
        raise ImportRefused(
            f"文件太大({size / 1024 / 1024:.1f} MB),一次最多上传 {MAX_UPLOAD_BYTES // 1024 // 1024} MB。"
            f"请删去空行、图片,或把表格分成几份上传。"
        )
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    name = (getattr(upload, "name", "") or "").lower()
    if head.startswith(OLE2_SIGNATURE):
        raise ImportRefused(
            "这是旧版 Excel(.xls)文件或设置了打开密码的表格。请在 Excel 中“另存为”Excel 工作簿(.xlsx)、取消密码后再上传。"
        )
    if not head.startswith(XLSX_SIGNATURE):
        hint = "(CSV 文件请在 Excel 中另存为 .xlsx)" if name.endswith(".csv") else ""
        raise ImportRefused(f"文件不是 Excel 工作簿(.xlsx){hint}。请下载模板填写后上传。")
    try:
        with zipfile.ZipFile(upload) as archive:
            entries = archive.infolist()
            if len(entries) > MAX_ZIP_ENTRIES:
                raise ImportRefused(f"文件结构异常(包含 {len(entries)} 个部件),不是正常的 Excel 表格,已拒绝。")
            total = sum(max(entry.file_size, 0) for entry in entries)
            if total > MAX_UNCOMPRESSED_BYTES:
                raise ImportRefused(
                    f"文件解压后过大(约 {total / 1024 / 1024:.0f} MB,上限 {MAX_UNCOMPRESSED_BYTES // 1024 // 1024} MB),"
                    "可能是异常文件,已拒绝。"
                )
            names = {entry.filename for entry in entries}
            if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
                raise ImportRefused("文件不是 Excel 工作簿(.xlsx)。请下载模板填写后上传。")
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ImportRefused("文件已损坏,无法读取。请在 Excel 中重新保存为 .xlsx 后上传。") from exc
    finally:
        upload.seek(0)


# --- 2. the sheet -------------------------------------------------------------------------------


def _first_merge(archive: zipfile.ZipFile, path: str) -> str | None:
    """The first merged range of a worksheet part, read as a stream (read-only openpyxl hides merges)."""
    tail = b""
    with archive.open(path) as part:
        while chunk := part.read(1 << 20):
            data = tail + chunk
            if match := MERGE_TAG.search(data):
                return match.group(1).decode("ascii")
            tail = data[-200:]
    return None


def _cell_text(value: Any) -> Any:
    """Normalize a cell: strings stripped (empty → None); numbers that are whole become ints."""
    if isinstance(value, str):
        value = value.strip()
        return value or None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


SUPPORTED_CELL_TYPES = (str, int, float, bool, dt.date, dt.datetime, type(None))


def read_sheet(fileobj: IO[bytes]) -> Sheet:
    """The data rows of the first (or 活动登记) sheet, keyed by column; refuses unreadable sheets."""
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, ValueError, InvalidFileException…)
        raise ImportRefused("无法读取这个 Excel 文件,它可能已损坏或不是 .xlsx 格式。请在 Excel 中重新保存后上传。") from exc
    try:
        return _read_workbook(workbook)
    finally:
        workbook.close()


def _read_workbook(workbook) -> Sheet:
    sheets = workbook.worksheets
    if not sheets:
        raise ImportRefused("表格中没有工作表。请下载模板填写后上传。")
    sheet = next((ws for ws in sheets if ws.title == DATA_SHEET), sheets[0])
    path = getattr(sheet, "_worksheet_path", None)
    if path:
        merged = _first_merge(workbook._archive, path)
        if merged:
            raise ImportRefused(
                f"工作表“{sheet.title}”中有合并单元格({merged})。请取消合并,在每一行填写完整后再上传。"
            )
    sheet.reset_dimensions()  # some programs write a wrong size; read every row that is there
    rows = sheet.iter_rows(values_only=True)
    header = next(rows, None)
    columns = _header_columns(header)
    width = max(columns) + 1
    problems: list[Problem] = []
    data: list[SheetRow] = []
    examples = 0
    for number, raw in enumerate(rows, start=2):
        raw = tuple(raw[:width]) + (None,) * (width - len(raw))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
            continue
        if len(data) >= MAX_ROWS:
            raise ImportRefused(f"数据行太多:一次最多导入 {MAX_ROWS} 行,请把表格分成几份上传。")
        values: dict[str, Any] = {}
        for index, column in columns.items():
            value = raw[index]
            if isinstance(value, str) and value.lstrip().startswith("="):
                problems.append(Problem(number, column.header, "单元格是公式。请把公式复制后“粘贴为数值”,再上传。"))
                value = None
            elif not isinstance(value, SUPPORTED_CELL_TYPES):
                problems.append(Problem(number, column.header, "单元格内容无法识别(如数组公式),请改为普通文字或日期。"))
                value = None
            values[column.key] = _cell_text(value)
        title = values.get("title")
        if isinstance(title, str) and title.startswith(EXAMPLE_PREFIX):
            examples += 1
            continue
        data.append(SheetRow(number, values))
    if not data and not problems:
        raise ImportRefused("表格中没有可导入的数据行(以“示例:”开头的示例行不会导入)。请在表头下面逐行填写。")
    return Sheet(rows=data, problems=problems, examples_skipped=examples)


def _header_columns(header) -> dict[int, Column]:
    """{column index: Column} from the header row; wrong or missing headers refuse the file."""
    expected = "、".join(c.header for c in COLUMNS if c.required)
    if header is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in header):
        raise ImportRefused(f"表格第 1 行应是表头(至少包括 {expected}),但它是空的。请下载模板填写后上传。")
    columns: dict[int, Column] = {}
    unknown: list[str] = []
    seen: set[str] = set()
    for index, value in enumerate(header):
        text = str(value).strip().rstrip("*＊").strip() if value is not None else ""
        if not text:
            continue
        column = COLUMN_BY_HEADER.get(text)
        if column is None:
            unknown.append(text[:20])
        elif column.key in seen:
            raise ImportRefused(f"表头中“{text}”出现了两次。请下载模板填写后上传。")
        else:
            seen.add(column.key)
            columns[index] = column
    missing = [c.header for c in COLUMNS if c.required and c.key not in seen]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("缺少列:" + "、".join(missing))
        if unknown:
            parts.append("无法识别的列:" + "、".join(unknown))
        raise ImportRefused(f"表头不正确({';'.join(parts)})。请使用下载的模板,不要改动第 1 行。")
    return columns


# --- 3. the rows --------------------------------------------------------------------------------


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
    id: int
    name: str
    term_id: int
    street_id: int
    street_name: str
    unit: str
    service_start: dt.date
    service_until: dt.date
    editable: bool


class _Directory:
    """The deputies the user sees, by (term, street, name) and (term, name), loaded in one query."""

    def __init__(self, *, user, scope: Scope, organizer_street_id: int | None) -> None:
        probe = Activity(street_committee_id=organizer_street_id)
        rows = (
            deputy_list(user=user)
            .select_related(None)
            .order_by()
            .values_list(
                "id", "name", "term_id", "street_committee_id", "street_committee__name", "unit",
                "service_start", "service_end", "term__end_date", "delegation_id",
            )
        )
        self.by_street: dict[tuple[int, int, str], list[_Candidate]] = defaultdict(list)
        self.by_term: dict[tuple[int, str], list[_Candidate]] = defaultdict(list)
        self.by_id: dict[int, _Candidate] = {}
        self.names_by_street: dict[tuple[int, int], set[str]] = defaultdict(set)
        self.names_by_term: dict[int, set[str]] = defaultdict(set)
        for pk, name, term_id, street_id, street_name, unit, start, end, term_end, delegation_id in rows:
            deputy = Deputy(id=pk, street_committee_id=street_id, delegation_id=delegation_id)
            candidate = _Candidate(
                pk, name, term_id, street_id, street_name, unit or "", start, end or term_end,
                allows(scope, "enter_participation", Participation(activity=probe, deputy=deputy)),
            )
            self.by_street[(term_id, street_id, name)].append(candidate)
            self.by_term[(term_id, name)].append(candidate)
            self.by_id[pk] = candidate
            self.names_by_street[(term_id, street_id)].add(name)
            self.names_by_term[term_id].add(name)

    @staticmethod
    def suggestion(name: str, names: set[str]) -> str:
        close = difflib.get_close_matches(name, sorted(names), n=3, cutoff=0.5)
        return f"是否为:{'、'.join(close)}?" if close else ""


def _organizer(scope: Scope) -> tuple[str, int | None]:
    """Who organizes what the user imports: their street committee, or the standing committee."""
    if not scope.has(Role.LIAISON_OFFICE) and Role.STREET_STAFF in scope.roles and scope.street_committee_id:
        return OrganizerLevel.STREET_COMMITTEE, scope.street_committee_id
    return OrganizerLevel.STANDING_COMMITTEE, None


def plan_import(*, user, sheet: Sheet) -> ImportPlan:
    """Check every row against the database and group rows into activities; no writes."""
    scope = scope_for(user)
    organizer_level, organizer_street_id = _organizer(scope)
    problems = list(sheet.problems)
    terms = sorted(Term.objects.all(), key=lambda t: -t.number)
    streets = {s.name: s for s in StreetCommittee.objects.all()}
    own_street = next((s for s in streets.values() if s.pk == organizer_street_id), None)
    directory = _Directory(user=user, scope=scope, organizer_street_id=organizer_street_id)
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
        elif (term := next((t for t in terms if t.start_date <= date <= t.end_date), None)) is None:
            add("date", f"{date:%Y-%m-%d} 不在任何一届的任期内。")

        end_date = None
        if v.get("end_date") is not None:
            end_date = _parse_date(v["end_date"])
            if end_date is None:
                add("end_date", f"“{_text(v['end_date'])[:30]}”不是有效的日期,请填写如 2025-03-02,或不填。")
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
                add("outcome", "活动还没有举行(日期在今天以后),参加情况只能是“待定”。")

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
        activity.participations.append(PlannedParticipation(row.number, deputy.id, deputy.name, confirmed, outcome))

    _check_already_registered(planned, organizer_level, organizer_street_id, problems)
    _check_year_locked(planned, problems)
    problems.sort(key=lambda p: (p.row, [c.header for c in COLUMNS].index(p.column) if p.column in COLUMN_BY_HEADER else 99))
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
    if date is not None and not deputy.service_start <= date <= deputy.service_until:
        add(
            "deputy_name",
            f"{date:%Y-%m-%d} 时“{name}”不在任职期间(任职 {deputy.service_start:%Y-%m-%d} 至 {deputy.service_until:%Y-%m-%d})。",
        )
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


def _check_year_locked(planned: dict, problems: list) -> None:
    """A row for a deputy whose street's year was approved in the year-end review is refused: that year is locked.

    The same rule as oversight.review.lock.assert_year_open, checked for every row at once (two queries).
    """
    from oversight.review.lock import LOCKED_MESSAGE, locked_years

    activities = [a for a in planned.values() if a.participations]
    locked = locked_years(years={a.date.year for a in activities}) if activities else {}
    if not locked:
        return
    street_of = dict(
        Deputy.objects.filter(pk__in={p.deputy_id for a in activities for p in a.participations})
        .values_list("id", "street_committee_id")
    )
    for activity in activities:
        for p in activity.participations:
            street_name = locked.get((activity.term_id, street_of.get(p.deputy_id), activity.date.year))
            if street_name:
                problems.append(Problem(p.row, "日期", LOCKED_MESSAGE.format(street=street_name, year=activity.date.year)))


def plan_save(*, user, plan: ImportPlan, record: ActivityImport) -> tuple[int, int]:
    """Create the planned activities and participations (with history); call inside a transaction."""
    history_user = user if user and user.is_authenticated else None
    activities = [
        Activity(
            term_id=a.term_id, kind=a.kind, title=a.title, date=a.date, end_date=a.end_date,
            organizer_level=plan.organizer_level, street_committee_id=plan.street_committee_id,
            location=a.location, source_import=record,
        )
        for a in plan.activities
    ]
    created = bulk_create_with_history(activities, Activity, default_user=history_user, batch_size=500)
    if any(a.pk is None for a in created):  # databases that do not return ids from a bulk insert
        created = list(Activity.objects.filter(source_import=record).order_by("id"))
    participations = [
        Participation(activity_id=activity.pk, deputy_id=p.deputy_id, confirmed=p.confirmed, outcome=p.outcome)
        for activity, planned in zip(created, plan.activities, strict=True)
        for p in planned.participations
    ]
    bulk_create_with_history(participations, Participation, default_user=history_user, batch_size=1000)
    return len(activities), len(participations)


# --- the template -------------------------------------------------------------------------------


def template_workbook(*, user) -> bytes:
    """The .xlsx to fill: headers, drop-down lists, an example row and a sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    scope = scope_for(user)
    _level, street_id = _organizer(scope)
    streets = list(StreetCommittee.objects.order_by("code").values_list("pk", "name"))
    own_street = next((name for pk, name in streets if pk == street_id), "")

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    required_fill = PatternFill("solid", fgColor="F6D5D5")
    optional_fill = PatternFill("solid", fgColor="E8ECF1")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True, color="9B1C1C" if column.required else "1F2328")
        cell.fill = required_fill if column.required else optional_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.comment = Comment(("必填。" if column.required else "选填。") + column.help.removeprefix("必填。"), "系统")
        sheet.column_dimensions[cell.column_letter].width = column.width
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 22

    example = {
        "title": f"{EXAMPLE_PREFIX}{own_street or '东四'}街道代表之家接待选民(此行不会导入,可删除)",
        "kind": ActivityKind.STATION_RECEPTION.label,
        "date": dt.date(timezone.localdate().year, 3, 1),
        "end_date": None,
        "location": f"{own_street or '东四'}街道代表之家",
        "deputy_name": "张三",
        "street": own_street,
        "confirmed": YES,
        "outcome": Outcome.ATTENDED.label,
        "deputy_id": None,
    }
    grey = Font(italic=True, color="808080")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=2, column=index, value=example[column.key])
        cell.font = grey
    last = MAX_ROWS + 1
    for key in ("date", "end_date"):
        sheet[f"{_letter(key)}2"].number_format = "yyyy-mm-dd"

    lists = workbook.create_sheet(LISTS_SHEET)
    lists.append(["活动类型", "参加情况", "街工委", "应邀确定参加"])
    kinds = [label for _value, label in ActivityKind.choices]
    outcomes = [label for _value, label in Outcome.choices]
    street_names = [name for _pk, name in streets]
    for i in range(max(len(kinds), len(outcomes), len(street_names), 2)):
        lists.append([
            kinds[i] if i < len(kinds) else None,
            outcomes[i] if i < len(outcomes) else None,
            street_names[i] if i < len(street_names) else None,
            (YES, NO)[i] if i < 2 else None,
        ])
    lists.sheet_state = "hidden"

    def drop_down(key: str, source: str, title: str) -> None:
        validation = DataValidation(type="list", formula1=source, allow_blank=True, showDropDown=False)
        validation.error = f"请从下拉列表中选择{title}。"
        validation.errorTitle = f"{title}不正确"
        validation.prompt = COLUMN_BY_KEY[key].help
        validation.promptTitle = title
        validation.showErrorMessage = True
        validation.showInputMessage = True
        sheet.add_data_validation(validation)
        validation.add(f"{_letter(key)}2:{_letter(key)}{last}")

    drop_down("kind", f"'{LISTS_SHEET}'!$A$2:$A${len(kinds) + 1}", "活动类型")
    drop_down("outcome", f"'{LISTS_SHEET}'!$B$2:$B${len(outcomes) + 1}", "参加情况")
    drop_down("confirmed", f"'{LISTS_SHEET}'!$D$2:$D$3", "应邀确定参加")
    if street_names:
        drop_down("street", f"'{LISTS_SHEET}'!$C$2:$C${len(street_names) + 1}", "街工委")

    guide = workbook.create_sheet(HELP_SHEET, 1)
    guide.append(["列", "是否必填", "填写说明"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
        cell.fill = optional_fill
    for column in COLUMNS:
        guide.append([column.header, "必填" if column.required else "选填", column.help.removeprefix("必填。")])
    guide.append([])
    notes = [
        "填写规则",
        "1. 每一行是一位代表参加一项活动的记录;名称、类型、日期相同的各行属于同一项活动。",
        f"2. 第 2 行是示例,以“{EXAMPLE_PREFIX}”开头的行不会导入,可以删除。",
        "3. 不要改动第 1 行表头,不要合并单元格,不要使用公式(请“粘贴为数值”)。",
        f"4. 一次最多 {MAX_ROWS} 行,文件不超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB。",
        "5. 上传后系统逐行检查并列出所有问题(行号和列名),全部无误后才能确认导入;有任何问题都不会保存。",
        "6. 代表按姓名在其所属街工委中查找;同名代表请在“代表编号”列填写编号。",
        "7. 活动日期须在代表任职期间内;日期在今天以后的活动,参加情况只能是“待定”。",
        "8. 街工委工作人员导入的活动登记为本街工委组织的活动;代表联络机构导入的登记为区人大常委会组织的活动。",
    ]
    for note in notes:
        guide.append([note])
    guide.cell(row=len(COLUMNS) + 3, column=1).font = Font(bold=True)
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 80

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _letter(key: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter([c.key for c in COLUMNS].index(key) + 1)
