"""Excel exports: one base class, one registry, one renderer (pretix's exporter, made for this office).

An exporter names itself (`identifier`, `verbose_name`), reads its parameters with a form (the list
page's FilterSet and what else it needs: term, year, session), applies the user's scope through the
selectors, and `iterate()` yields the header row, then the number of rows to come (for the progress
bar), then the rows. An exporter of several sheets (pretix's multi-sheet exporter) overrides `sheets()`
instead: each `ExportSheet` has its tab name, title row and rows yielded the same way; the default
`sheets()` is the one sheet of `iterate()`. A header item is a column's name, or a `Column(group, name)`:
consecutive columns of one group get one cell above them (merged over them) and short names below (the rule,
then 完成 / 要求 / 状态), a plain name spans both header rows. An exporter with `print_landscape` prints on
landscape pages one page wide. `render_xlsx` lays them out with openpyxl in write-only mode: a title row (district,
term, year, as-of date), the Chinese header frozen below it with an autofilter, widths from the content,
and cells wrapped in `Mark` filled in the colour of their tone (below a threshold, absent …).

Big exports run as a Celery task (dutyadmin.tasks.export_run) that records its progress on an ExportJob.
"""
from __future__ import annotations

import datetime as dt
import importlib
import tempfile
import unicodedata
from collections.abc import Callable, Iterator
from contextlib import suppress
from copy import copy
from dataclasses import dataclass
from typing import IO, Any, ClassVar

from django import forms
from django.conf import settings
from django.http import QueryDict
from django.utils import timezone
from lxml import etree
from openpyxl import Workbook
from openpyxl.cell import Cell, WriteOnlyCell
from openpyxl.cell._writer import etree_write_cell
from openpyxl.cell.cell import ERROR_CODES, ILLEGAL_CHARACTERS_RE
from openpyxl.compat import safe_string
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import IllegalCharacterError
from openpyxl.worksheet._write_only import WriteOnlyWorksheet
from openpyxl.worksheet.worksheet import Worksheet

from dutyadmin.scope import Scope, scope_for

from .permissions import allows

# Modules whose exporters register themselves when imported (the registry loads them on first use).
EXPORTER_MODULES: tuple[str, ...] = (
    "deputies.exporters",
    "oversight.exports.year_summary",
    "oversight.exports.findings",
    "oversight.exports.attendance",
    "oversight.exports.activities",
    "oversight.exports.bulletin",
    "oversight.exports.suggestions",
    # --- opinions
    "oversight.exports.opinions",
    # --- gaps14b
    "oversight.exports.contacts",
    # --- audit15: the audit log (administrator)
    "dutyadmin.audit_export",
)

CHINESE_DATE_FORMAT = 'yyyy"年"m"月"d"日"'
ROW_CHUNK = 1000  # how often the progress callback hears from the renderer
WIDTH_SAMPLE = 200  # rows read before the column widths are fixed (write-only sheets need them first)


def chinese_date(day: dt.date | None) -> str:
    return f"{day.year}年{day.month}月{day.day}日" if day else ""


# --- cells with a tone ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Mark:
    """A cell value with a tone: `bad` (missed, unexcused absence), `warn` (behind, on leave), `ok`, `muted`."""

    value: Any
    tone: str = "bad"


TONE_STYLES: dict[str, tuple[PatternFill, Font]] = {
    "bad": (PatternFill("solid", start_color="FFFDE2E0", end_color="FFFDE2E0"), Font(color="FFB42318", bold=True)),
    "warn": (PatternFill("solid", start_color="FFFFF2CC", end_color="FFFFF2CC"), Font(color="FF9A6700")),
    "ok": (PatternFill("solid", start_color="FFE6F4EA", end_color="FFE6F4EA"), Font(color="FF1A7F37")),
    "muted": (PatternFill("solid", start_color="FFF2F2F2", end_color="FFF2F2F2"), Font(color="FF57606A")),
}
HEADER_FILL = PatternFill("solid", start_color="FF9B1C1C", end_color="FF9B1C1C")
HEADER_FONT = Font(color="FFFFFFFF", bold=True)
TITLE_FONT = Font(size=14, bold=True)
WRAP = Alignment(vertical="top", wrap_text=True)
CENTER = Alignment(horizontal="center", vertical="center", wrap_text=True)


def display_width(value: Any) -> int:
    """How many Latin-character widths a value takes in a cell (a Chinese character takes two)."""
    if isinstance(value, Mark):
        value = value.value
    if value is None:
        return 0
    if isinstance(value, dt.date):
        return 16 if isinstance(value, dt.datetime) else 13
    text = str(value)
    longest = max(text.split("\n"), key=len) if "\n" in text else text
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1 for ch in longest)


# --- the base class ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Column:
    """A header item of a column under a group: `group` once above all its columns, `name` below."""

    group: str
    name: str


def _header_rows(header: list) -> tuple[list[str], list[str]] | None:
    """(groups row, names row) of a header with Column items (a plain name in both); None if it has none."""
    if not any(isinstance(item, Column) for item in header):
        return None
    top = [item.group if isinstance(item, Column) else str(item) for item in header]
    bottom = [item.name if isinstance(item, Column) else str(item) for item in header]
    return top, bottom


def _header_merges(header: list) -> list[tuple[int, int, bool]]:
    """(first column, last column, spans both rows) of each header cell wider or taller than one cell
    (1-based columns): a group over its consecutive columns, a plain name over both rows."""
    merges: list[tuple[int, int, bool]] = []
    index = 0
    while index < len(header):
        item = header[index]
        if not isinstance(item, Column):
            merges.append((index + 1, index + 1, True))
            index += 1
            continue
        last = index
        while (last + 1 < len(header) and isinstance(header[last + 1], Column)
               and header[last + 1].group == item.group):
            last += 1
        if last > index:
            merges.append((index + 1, last + 1, False))
        index = last + 1
    return merges


@dataclass
class ExportSheet:
    """One sheet of a workbook: its tab, its title row, the columns frozen at its left, and `rows`, which
    yields the header, then the number of rows to come, then the rows (as BaseExporter.iterate does)."""

    name: str
    rows: Iterator[Any]
    title: str = ""
    frozen_columns: int = 1
    # Printed on landscape pages one page wide (as many pages down as the rows need).
    print_landscape: bool = False


class ExportForm(forms.Form):
    """An exporter's parameters; subclasses add fields. Errors are shown next to the fields."""


class BaseExporter:
    """One kind of spreadsheet. Subclasses set the class attributes and write `form_class`, `title()`
    and `iterate()`; `available()` says which roles may use it (the data are scoped in any case)."""

    do_not_call_in_templates = True  # templates list the classes themselves
    identifier: ClassVar[str]
    verbose_name: ClassVar[str]
    description: ClassVar[str] = ""
    sheet_name: ClassVar[str] = ""
    form_class: ClassVar[type[forms.Form]] = ExportForm
    # The list page's FilterSet (the same filters, the same meaning); it filters `base_queryset()`.
    filterset_class: ClassVar[type | None] = None
    # Columns frozen at the left besides the header (e.g. the deputy's name).
    frozen_columns: ClassVar[int] = 1
    # Printed on landscape pages, fit to one page's width (a wide table of many short columns).
    print_landscape: ClassVar[bool] = False

    def __init__(self, *, user, params: QueryDict | dict | None = None, today: dt.date | None = None) -> None:
        self.user = user
        self.scope: Scope = scope_for(user)
        self.today = today or timezone.localdate()
        data = self._as_data(params)
        self.form = self.form_class(data, **self.form_kwargs())
        self.filterset = None
        if self.filterset_class is not None:
            self.filterset = self.filterset_class(self.filter_data(data), queryset=self.base_queryset())
        self._valid = None

    @staticmethod
    def _as_data(params: QueryDict | dict | None) -> QueryDict:
        if isinstance(params, QueryDict):
            return params
        data = QueryDict(mutable=True)
        for key, value in (params or {}).items():
            if isinstance(value, (list, tuple)):
                data.setlist(key, [str(v) for v in value])
            elif value is not None:
                data[key] = str(value)
        return data

    @classmethod
    def available(cls, scope: Scope) -> bool:
        return allows(scope, "export")

    def form_kwargs(self) -> dict:
        """Extra arguments of the form (e.g. the user's choices)."""
        return {}

    def base_queryset(self):
        """What the FilterSet filters: the selector's rows for this user (scope applied)."""
        raise NotImplementedError

    def filter_data(self, data: QueryDict) -> QueryDict:
        """The FilterSet's input; a subclass may fill a default (the list page's current term)."""
        return data

    def is_valid(self) -> bool:
        if self._valid is None:
            valid = self.form.is_valid()
            if self.filterset is not None:
                valid = self.filterset.is_valid() and valid
            self._valid = valid
        return self._valid

    def errors(self) -> dict[str, list[str]]:
        """Every parameter's errors by field name (the form's, then the FilterSet's)."""
        self.is_valid()
        errors = {name: [str(m) for m in messages] for name, messages in self.form.errors.items()}
        if self.filterset is not None:
            for name, messages in self.filterset.form.errors.items():
                errors.setdefault(name, []).extend(str(m) for m in messages)
        return errors

    def filtered(self):
        """The base queryset through the FilterSet (valid parameters only)."""
        if not self.is_valid():
            raise ValueError("the export's parameters are not valid")
        return self.filterset.qs

    def fields(self) -> list:
        """The bound fields a page shows: the form's, then the FilterSet's not already there; an empty
        choice reads 全部 (or 当前届 for a term that defaults to the current one)."""
        shown = list(self.form)
        if self.filterset is not None:
            names = {field.name for field in shown}
            shown += [field for field in self.filterset.form if field.name not in names]
        for bound in shown:
            _empty_label(bound.field, "当前届" if bound.form is self.form and bound.name == "term" else "全部")
        return shown

    @property
    def data(self) -> dict:
        if not self.is_valid():
            raise ValueError("the export's parameters are not valid")
        return self.form.cleaned_data

    def params(self) -> dict:
        """The parameters as given (valid), to be stored on a job and read again by the worker."""
        return {key: values if len(values) > 1 else values[0] for key, values in self.form.data.lists() if values}

    def title(self) -> str:
        """The sheet's first row: what, where, when."""
        return f"{settings.DISTRICT_NAME} {self.verbose_name}(截至{chinese_date(self.today)})"

    def filename(self) -> str:
        return f"{self.verbose_name}-{self.today:%Y%m%d}.xlsx"

    def iterate(self) -> Iterator[Any]:
        """Yield the header (a list of strings), then the number of rows as an int, then each row."""
        raise NotImplementedError

    def sheets(self) -> Iterator[ExportSheet]:
        """The workbook's sheets, in order; by default one, named after the export, of `iterate()`."""
        yield ExportSheet(self.sheet_name or self.verbose_name, self.iterate(), self.title(), self.frozen_columns,
                          self.print_landscape)


def _empty_label(field: forms.Field, label: str) -> None:
    if field.required:
        label = "请选择"
    if isinstance(field, forms.ModelChoiceField):
        field.empty_label = label
        field.widget.choices = field.choices
    elif isinstance(field, forms.ChoiceField):
        field.choices = [(value, label if value == "" else text) for value, text in field.choices]


# --- the registry -----------------------------------------------------------------------------------


class ExporterRegistry:
    """identifier → exporter class; modules of EXPORTER_MODULES are imported on first use."""

    def __init__(self) -> None:
        self._exporters: dict[str, type[BaseExporter]] = {}
        self._loaded = False

    def register(self, exporter: type[BaseExporter]) -> type[BaseExporter]:
        if exporter.identifier in self._exporters and self._exporters[exporter.identifier] is not exporter:
            raise ValueError(f"two exporters named {exporter.identifier!r}")
        self._exporters[exporter.identifier] = exporter
        return exporter

    def _load(self) -> None:
        if not self._loaded:
            for module in EXPORTER_MODULES:
                importlib.import_module(module)
            self._loaded = True

    def get(self, identifier: str) -> type[BaseExporter] | None:
        self._load()
        return self._exporters.get(identifier)

    def all(self) -> list[type[BaseExporter]]:
        self._load()
        return list(self._exporters.values())

    def for_scope(self, scope: Scope) -> list[type[BaseExporter]]:
        return [exporter for exporter in self.all() if exporter.available(scope)]


registry = ExporterRegistry()
register = registry.register


# --- the renderer -----------------------------------------------------------------------------------


PLAIN = frozenset({str, int, float, bool, type(None)})  # most cells: written as they are, no style

# --- deploy15: a text that a spreadsheet could read as a formula (or DDE) is written as text, never evaluated
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: Any) -> bool:
    return isinstance(value, str) and value.startswith(FORMULA_START)


def as_text(cell):
    """Keep a cell's string as text: an inline string (never a formula, even "=…") shown as typed, with
    Excel's quote prefix so editing the cell keeps it text. Every writer of xlsx passes its cells here."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        cell.quotePrefix = True
    return cell


class _Styles:
    """Each combination of tone and number format registered once in the workbook; a cell then takes a
    copy of its style ids (setting fill and font per cell re-hashes them: seconds on a big sheet)."""

    def __init__(self, sheet) -> None:
        self.sheet = sheet
        self._arrays: dict[tuple[str, bool], Any] = {}

    def _array(self, tone: str, is_date: bool, quoted: bool = False):
        key = (tone, is_date, quoted)
        if key not in self._arrays:
            template = WriteOnlyCell(self.sheet)
            if tone == "header":
                template.fill, template.font, template.alignment = HEADER_FILL, HEADER_FONT, CENTER
            elif tone:
                template.fill, template.font = TONE_STYLES.get(tone, TONE_STYLES["bad"])
            if is_date:
                template.number_format = CHINESE_DATE_FORMAT
            template.quotePrefix = quoted
            self._arrays[key] = template._style  # noqa: SLF001 - openpyxl's own per-cell style ids
        return self._arrays[key]

    def cell(self, value: Any, tone: str = ""):
        is_date = isinstance(value, dt.date)
        quoted = looks_like_formula(value)
        cell = WriteOnlyCell(self.sheet, value=value)
        cell._style = copy(self._array(tone, is_date, quoted))  # noqa: SLF001
        return as_text(cell) if quoted else cell

    def convert(self, value: Any):
        """A plain value as it is; a Mark, a date or a text that looks like a formula as a write-only cell."""
        if looks_like_formula(value):
            return self.cell(value)
        kind = type(value)
        if kind in PLAIN:
            return value
        if kind is Mark:
            return self.cell(value.value, value.tone or "bad")
        if isinstance(value, dt.date):
            return self.cell(value)
        return value


class _Sheet(WriteOnlyWorksheet):
    """openpyxl's write-only sheet that also takes rows already serialized (`append_xml`): openpyxl's cell
    objects and its incremental writer, cell by cell, cost seconds on a sheet of a million cells."""

    def __init__(self, parent, title) -> None:
        super().__init__(parent, title)
        self.next_row = 1  # the number of the next row appended

    def append(self, row) -> None:
        super().append(row)
        self.next_row += 1

    def append_xml(self, rows: str, count: int) -> None:
        """`count` <row> elements (numbered from next_row on) written as they are."""
        self._get_writer()
        if self._rows is None:
            self._rows = self._write_rows()
            next(self._rows)
        self._rows.send(_Serialized(rows, count))
        self.next_row += count

    def _write_rows(self):
        # openpyxl 3.1's WriteOnlyWorksheet._write_rows, taking serialized rows as well.
        try:
            xf = self._writer.xf.send(True)
        except StopIteration:
            self._already_saved()
        with xf.element("sheetData"):
            row_idx = 1
            try:
                while True:
                    row = (yield)
                    if type(row) is _Serialized:
                        for element in etree.fromstring(f"<rows>{row.xml}</rows>"):
                            xf.write(element)
                        row_idx += row.count
                        continue
                    row = self._values_to_row(row, row_idx)
                    self._writer.write_row(xf, row, row_idx)
                    row_idx += 1
            except GeneratorExit:
                pass
        self._writer.xf.send(None)


class _Captured:
    """Stands for openpyxl's XML stream: keeps the element a cell writer writes."""

    def __init__(self, into: list) -> None:
        self.write = into.append


@dataclass(frozen=True, slots=True)
class _Serialized:
    xml: str
    count: int


XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
XML_SPECIAL = frozenset("&<>\r")
ROW_BATCH = 200  # rows serialized, then parsed and written, at a time


class _RowWriter:
    """A sheet's data rows as openpyxl writes them (the same cells, values, types and styles), serialized here:
    plain numbers and texts, and Marks of them, directly; anything else (dates, formula-like or error texts)
    through openpyxl's own cell, whose type and value are then serialized alike."""

    def __init__(self, sheet: _Sheet, styles: _Styles) -> None:
        self.sheet, self.styles = sheet, styles
        self.letters: list[str] = []
        self.style_ids: dict[str, str] = {}  # tone → ' s="…"' (or "" for no style) of a plain value
        self.parts: list[str] = []
        self.count = 0

    def _style(self, tone: str) -> str:
        attribute = self.style_ids.get(tone)
        if attribute is None:
            array = self.styles._array(tone, False)  # noqa: SLF001
            attribute = f' s="{self.sheet.parent._cell_styles.add(array)}"' if any(array) else ""  # noqa: SLF001
            self.style_ids[tone] = attribute
        return attribute

    def write(self, row: list) -> None:
        number = self.sheet.next_row + self.count
        if number in self.sheet.row_dimensions:  # a row with its own height: openpyxl writes its attributes
            self.flush()
            self.sheet.append([self.styles.convert(value) for value in row])
            return
        letters = self.letters
        while len(letters) < len(row):
            letters.append(get_column_letter(len(letters) + 1))
        parts = self.parts
        parts.append(f'<row r="{number}">')
        for column, value in enumerate(row, start=1):
            if value is None:
                continue
            kind = type(value)
            plain, style = value, ""
            if kind is Mark:
                plain = value.value
                kind = type(plain)
                if plain is None:
                    parts.append(f'<c r="{letters[column - 1]}{number}"{self._style(value.tone or "bad")} t="n"/>')
                    continue
                style = self._style(value.tone or "bad")
            if kind is int or kind is float:
                parts.append(f'<c r="{letters[column - 1]}{number}"{style} t="n"><v>{safe_string(plain)}</v></c>')
            elif kind is str and not plain.startswith(FORMULA_START) and plain not in ERROR_CODES:
                parts.append(f'<c r="{letters[column - 1]}{number}"{style} t="inlineStr">{self._text(plain)}</c>')
            else:
                parts.append(self._cell(column, number, value))
        parts.append("</row>")
        self.count += 1
        if self.count >= ROW_BATCH:
            self.flush()

    @staticmethod
    def _text(value: str) -> str:
        """An inline string's content as openpyxl writes it (cut at Excel's 32,767 characters)."""
        value = value[:32767]
        if not value:
            return ""
        if ILLEGAL_CHARACTERS_RE.search(value):
            raise IllegalCharacterError(f"{value} cannot be used in worksheets.")
        space = ' xml:space="preserve"' if value != value.strip() else ""
        if not XML_SPECIAL.isdisjoint(value):
            value = value.translate(XML_ESCAPES)
        return f"<is><t{space}>{value}</t></is>"

    def _cell(self, column: int, number: int, value: Any) -> str:
        """Any other value (a date, a bool, a formula-like text …) as openpyxl's own cell and cell writer make it."""
        converted = self.styles.convert(value)
        cell = converted if isinstance(converted, Cell) else WriteOnlyCell(self.sheet, value=converted)
        cell.column, cell.row = column, number
        written: list = []
        etree_write_cell(_Captured(written), self.sheet, cell, cell.has_style)
        return etree.tostring(written[0], encoding="unicode")

    def flush(self) -> None:
        if self.count:
            self.sheet.append_xml("".join(self.parts), self.count)
            self.parts.clear()
            self.count = 0


def render_xlsx(exporter: BaseExporter, out: IO[bytes],
                progress: Callable[[int, int], None] | None = None) -> int:
    """Write the exporter's sheets to `out` (a binary file); return the number of data rows of all sheets.

    Memory stays flat whatever the size: rows stream from the exporter to openpyxl's write-only sheets,
    only the first WIDTH_SAMPLE of a sheet are held to size its columns. `progress(done, total)` is called
    every ROW_CHUNK rows and at the end (total: the rows of the sheets begun so far).
    """
    workbook = Workbook(write_only=True)
    done = 0
    try:
        for sheet in exporter.sheets():
            done = _write_sheet(workbook, sheet, done, progress)
    except BaseException:
        _close_sheets(workbook)
        raise
    if not workbook.worksheets:
        workbook.create_sheet((exporter.sheet_name or exporter.verbose_name)[:31])
    workbook.save(out)
    if progress is not None:
        progress(done, done)
    return done


def _close_sheets(workbook: Workbook) -> None:
    """A failed export's sheets closed in order (rows, then the sheet's stream), not left to the garbage collector,
    which closes openpyxl's nested XML writers in any order and reports each failure; a closing that fails is
    dropped so that the export's own error is the one reported."""
    for sheet in workbook.worksheets:
        if isinstance(sheet, WriteOnlyWorksheet) and not sheet.closed:
            with suppress(Exception):
                sheet.close()


GROUP_LINES_MAX = 4  # a group's name wraps to at most this many lines above its columns
LINE_HEIGHT = 15  # points of one header line


def _write_sheet(workbook: Workbook, spec: ExportSheet, done: int,
                 progress: Callable[[int, int], None] | None) -> int:
    """One sheet: title row, header (one row, or two with groups) frozen below it with an autofilter on its
    last row, then the rows; returns rows so far."""
    rows = spec.rows
    header = list(next(rows))
    total = next(rows)
    if not isinstance(total, int):
        raise TypeError("an exporter yields the header, then the number of rows, then the rows")
    total += done
    sample: list[list] = []
    for row in rows:
        sample.append(row)
        if len(sample) >= WIDTH_SAMPLE:
            break

    sheet = _Sheet(parent=workbook, title=spec.name[:31])
    workbook._add_sheet(sheet)  # noqa: SLF001 - create_sheet would make openpyxl's own write-only sheet
    two_rows = _header_rows(header)
    names = two_rows[1] if two_rows else [str(name) for name in header]
    header_last = 3 if two_rows else 2  # the header's last row (row 1 is the title)
    widths = [display_width(name) + 2 for name in names]
    for row in sample:
        for index, value in enumerate(row[:len(widths)]):
            widths[index] = max(widths[index], display_width(value) + 2)
    widths = [max(6, min(width, 60)) for width in widths]
    merges = _header_merges(header) if two_rows else []
    if two_rows:
        lines = 1
        for first, last, tall in merges:
            if tall:
                continue
            span = sum(widths[first - 1:last])
            need = display_width(two_rows[0][first - 1]) + 2
            if need > span * GROUP_LINES_MAX:  # widen the group's columns alike until its name fits
                extra = -(-(need - span * GROUP_LINES_MAX) // (GROUP_LINES_MAX * (last - first + 1)))
                for index in range(first - 1, last):
                    widths[index] = min(widths[index] + extra, 60)
                span = sum(widths[first - 1:last])
            lines = max(lines, min(GROUP_LINES_MAX, -(-need // span)))
        sheet.row_dimensions[2].height = LINE_HEIGHT * lines + 4
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = f"{get_column_letter(spec.frozen_columns + 1)}{header_last + 1}"
    sheet.print_title_rows = f"2:{header_last}"
    if spec.print_landscape:
        sheet.page_setup.orientation = "landscape"
        sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
        sheet.page_setup.fitToWidth = 1
        sheet.page_setup.fitToHeight = 0  # as many pages down as needed
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        sheet.print_options.horizontalCentered = True
        sheet.page_margins.left = sheet.page_margins.right = 0.4

    styles = _Styles(sheet)
    title = WriteOnlyCell(sheet, value=spec.title)
    if looks_like_formula(spec.title):
        as_text(title)
    title.font = TITLE_FONT
    sheet.append([title])
    if two_rows:
        top, bottom = two_rows
        covered = {number for first, last, tall in merges for number in range(first + 1, last + 1)}
        sheet.append([styles.cell(None if number in covered else group, "header")
                      for number, group in enumerate(top, start=1)])
        sheet.append([styles.cell(name if isinstance(item, Column) else None, "header")
                      for item, name in zip(header, bottom)])
        for first, last, tall in merges:
            sheet.merged_cells.add(f"{get_column_letter(first)}2:{get_column_letter(last)}{3 if tall else 2}")
    else:
        sheet.append([styles.cell(name, "header") for name in names])

    first = done
    writer = _RowWriter(sheet, styles)

    def write(row: list) -> None:
        nonlocal done
        writer.write(row)
        done += 1
        if progress is not None and done % ROW_CHUNK == 0:
            progress(done, max(total, done))

    for row in sample:
        write(row)
    del sample
    for row in rows:
        write(row)
    writer.flush()
    last_column = get_column_letter(max(len(header), 1))
    sheet.auto_filter.ref = f"A{header_last}:{last_column}{done - first + header_last}"
    return done


def render_to_tempfile(exporter: BaseExporter, progress: Callable[[int, int], None] | None = None):
    """render_xlsx into a temporary file (deleted when closed), rewound; returns (file, rows)."""
    out = tempfile.TemporaryFile(suffix=".xlsx")
    count = render_xlsx(exporter, out, progress)
    out.seek(0)
    return out, count
