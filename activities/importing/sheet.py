"""Step 2 of the import: the sheet, read into rows of cell values with their row numbers.

openpyxl in read-only mode; the header row must name the template's columns (`COLUMNS`, shared
with the template); merged cells, formulas, unreadable cells and too many rows are refused — a
cell problem is reported with its row number and column, a sheet problem refuses the file.
"""
from __future__ import annotations

import csv
import datetime as dt
import re
import time
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from .files import ImportRefused

MAX_ROWS = 20_000
# Every row read counts, blank or not (a sheet of a million empty rows once held a process 79 s): reading stops
# at the first limit with a message. Blank rows between data rows are normal, so the read limit is larger.
MAX_ROWS_READ = MAX_ROWS + 5_000
MAX_CELLS_READ = MAX_ROWS_READ * 20
MAX_READ_SECONDS = 20
EXAMPLE_PREFIX = "示例:"
DATA_SHEET = "活动登记"
HELP_SHEET = "填写说明"
LISTS_SHEET = "选项"
YES, NO = "是", "否"
MERGE_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?mergeCell\b[^>]*?\bref=\"([A-Z0-9:]+)\"")


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


def read_sheet(fileobj: IO[bytes], *, columns: tuple[Column, ...] = COLUMNS, sheet_name: str = DATA_SHEET,
               example_key: str = "title") -> Sheet:
    """The data rows of the first (or `sheet_name`) sheet, keyed by column; refuses unreadable sheets.

    `columns` default to the activities' template; another import (users) passes its own and the same limits apply.
    """
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(fileobj, read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds (KeyError, ValueError, InvalidFileException…)
        raise ImportRefused("无法读取这个 Excel 文件,它可能已损坏或不是 .xlsx 格式。请在 Excel 中重新保存后上传。") from exc
    try:
        return _read_workbook(workbook, columns=columns, sheet_name=sheet_name, example_key=example_key)
    finally:
        workbook.close()


def read_csv(text: IO[str], *, columns: tuple[Column, ...], example_key: str) -> Sheet:
    """The data rows of a CSV file (already decoded), read under the same limits and rules as a sheet."""
    reader = csv.reader(text)
    try:
        header = next(reader, None)
        return _read_rows(header, reader, columns=columns, example_key=example_key)
    except csv.Error as exc:
        raise ImportRefused(f"CSV 文件格式有误（{exc}），请在 Excel 中另存为 .xlsx 或 UTF-8 CSV 后再试。") from exc


def _read_workbook(workbook, *, columns: tuple[Column, ...], sheet_name: str, example_key: str) -> Sheet:
    sheets = workbook.worksheets
    if not sheets:
        raise ImportRefused("表格中没有工作表。请下载模板填写后上传。")
    sheet = next((ws for ws in sheets if ws.title == sheet_name), sheets[0])
    path = getattr(sheet, "_worksheet_path", None)
    if path:
        merged = _first_merge(workbook._archive, path)
        if merged:
            raise ImportRefused(
                f"工作表“{sheet.title}”中有合并单元格({merged})。请取消合并,在每一行填写完整后再上传。"
            )
    sheet.reset_dimensions()  # some programs write a wrong size; read every row that is there
    rows = sheet.iter_rows(values_only=True)
    return _read_rows(next(rows, None), rows, columns=columns, example_key=example_key)


def _read_rows(header, rows, *, columns: tuple[Column, ...], example_key: str) -> Sheet:
    """Header and data rows (of a sheet or a CSV) → a Sheet, every row counted against the limits."""
    by_index = _header_columns(header, columns)
    width = max(by_index) + 1
    problems: list[Problem] = []
    data: list[SheetRow] = []
    examples = 0
    cells = 0
    started = time.monotonic()
    for number, raw in enumerate(rows, start=2):
        cells += len(raw)
        if number - 1 > MAX_ROWS_READ or cells > MAX_CELLS_READ:
            raise ImportRefused(
                f"表格行数过多(读到第 {number} 行仍未结束,空行也计算在内;一次最多 {MAX_ROWS} 行数据)。"
                "请删除表格末尾的空行或把表格分成几份后上传。")
        if time.monotonic() - started > MAX_READ_SECONDS:
            raise ImportRefused(f"表格读取超过 {MAX_READ_SECONDS} 秒(读到第 {number} 行),已停止。请删除多余的空行和格式后再上传。")
        raw = tuple(raw[:width]) + (None,) * (width - len(raw))
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in raw):
            continue
        if len(data) >= MAX_ROWS:
            raise ImportRefused(f"数据行太多:一次最多导入 {MAX_ROWS} 行,请把表格分成几份上传。")
        values: dict[str, Any] = {}
        for index, column in by_index.items():
            value = raw[index]
            if isinstance(value, str) and value.lstrip().startswith("="):
                problems.append(Problem(number, column.header, "单元格是公式。请把公式复制后“粘贴为数值”,再上传。"))
                value = None
            elif not isinstance(value, SUPPORTED_CELL_TYPES):
                problems.append(Problem(number, column.header, "单元格内容无法识别(如数组公式),请改为普通文字或日期。"))
                value = None
            values[column.key] = _cell_text(value)
        example = values.get(example_key)
        if isinstance(example, str) and example.startswith(EXAMPLE_PREFIX):
            examples += 1
            continue
        data.append(SheetRow(number, values))
    if not data and not problems:
        raise ImportRefused("表格中没有可导入的数据行(以“示例:”开头的示例行不会导入)。请在表头下面逐行填写。")
    return Sheet(rows=data, problems=problems, examples_skipped=examples)


def _header_columns(header, columns: tuple[Column, ...] = COLUMNS) -> dict[int, Column]:
    """{column index: Column} from the header row; wrong or missing headers refuse the file."""
    by_header = {c.header: c for c in columns}
    expected = "、".join(c.header for c in columns if c.required)
    if header is None or all(v is None or (isinstance(v, str) and not v.strip()) for v in header):
        raise ImportRefused(f"表格第 1 行应是表头(至少包括 {expected}),但它是空的。请下载模板填写后上传。")
    found: dict[int, Column] = {}
    unknown: list[str] = []
    seen: set[str] = set()
    for index, value in enumerate(header):
        text = str(value).strip().rstrip("*＊").strip() if value is not None else ""
        if not text:
            continue
        column = by_header.get(text)
        if column is None:
            unknown.append(text[:20])
        elif column.key in seen:
            raise ImportRefused(f"表头中“{text}”出现了两次。请下载模板填写后上传。")
        else:
            seen.add(column.key)
            found[index] = column
    missing = [c.header for c in columns if c.required and c.key not in seen]
    if missing or unknown:
        parts = []
        if missing:
            parts.append("缺少列:" + "、".join(missing))
        if unknown:
            parts.append("无法识别的列:" + "、".join(unknown))
        raise ImportRefused(f"表头不正确({';'.join(parts)})。请使用下载的模板,不要改动第 1 行。")
    return found
