"""The renderer writes a sheet's data rows itself (openpyxl's cell objects cost seconds on a big export): the
file must hold exactly the cells openpyxl's own write-only sheet would, value, type and style alike."""
import datetime as dt
import gc
import io
import zipfile
from decimal import Decimal

import pytest
from lxml import etree
from openpyxl import Workbook, load_workbook
from openpyxl.utils.exceptions import IllegalCharacterError

from dutyadmin.exporters import ExportSheet, Mark, _Styles, render_xlsx

ROWS = [
    [1, "张东", "东四街道", "", Mark("已终止", "muted"), 0, Mark(3, "bad"), 2.5, None, Mark(None, "warn")],
    [2, " 前后有空格 ", "A & B <c> \"d\"", "行一\n行二", Mark("未达标", ""), True, False, -7, 10**20, 1.0],
    [3, "=SUM(A1:A2)", "+1", "-x", "@y", Mark("=1+1", "ok"), "#N/A", Mark("#DIV/0!", "bad"), "a\rb", "\tz"],
    [4, dt.date(2025, 3, 1), dt.datetime(2025, 3, 1, 9, 30), Mark(dt.date(2025, 12, 31), "warn"), Decimal("1.5"),
     float("nan"), "x" * 40000, "", None, Mark(0, "ok")],
]


class Exporter:
    sheet_name = verbose_name = "表"

    def __init__(self, rows):
        self.rows = rows

    def sheets(self):
        def rows():
            yield [f"列{n}" for n in range(1, 11)]
            yield len(self.rows)
            yield from self.rows

        yield ExportSheet("表", rows(), "标题")


def openpyxl_cells(rows) -> list[list]:
    """The rows as openpyxl's write-only sheet writes them (the renderer's styles, openpyxl's cells)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("表")
    styles = _Styles(sheet)
    for row in rows:
        sheet.append([styles.convert(value) for value in row])
    out = io.BytesIO()
    workbook.save(out)
    return cells_of(out.getvalue(), first=1)


def cells_of(content: bytes, first: int) -> list[list]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[0]
    return [[(c.value, c.data_type, c.number_format, c.quotePrefix, c.fill.fgColor.rgb, c.font.color and c.font.color.rgb,
              c.font.bold) for c in row] for row in sheet.iter_rows(min_row=first, max_col=10)]


def sheet_data(content: bytes, first: int) -> list[bytes]:
    """The data rows' XML, canonical, renumbered from 1 (cell references rewritten alike)."""
    root = etree.fromstring(zipfile.ZipFile(io.BytesIO(content)).read("xl/worksheets/sheet1.xml"))
    rows = [row for row in root.iter("{*}row") if int(row.get("r")) >= first]
    for row in rows:
        number = int(row.get("r"))
        row.set("r", str(number - first + 1))
        for cell in row:
            cell.set("r", cell.get("r").removesuffix(str(number)) + str(number - first + 1))
            cell.attrib.pop("s", None)  # style indexes differ between workbooks: compared as styles above
    return [etree.tostring(row, method="c14n") for row in rows]


def test_the_rows_written_are_the_cells_openpyxl_writes(tmp_path):
    out = io.BytesIO()
    assert render_xlsx(Exporter(ROWS), out) == len(ROWS)
    content = out.getvalue()
    assert cells_of(content, first=3)[:len(ROWS)] == openpyxl_cells(ROWS)
    reference = io.BytesIO()
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("表")
    styles = _Styles(sheet)
    for row in ROWS:
        sheet.append([styles.convert(value) for value in row])
    workbook.save(reference)
    assert sheet_data(content, first=3) == sheet_data(reference.getvalue(), first=1)


def test_a_text_is_kept_as_typed_and_a_long_one_cut_where_excel_stops():
    out = io.BytesIO()
    render_xlsx(Exporter(ROWS), out)
    sheet = load_workbook(io.BytesIO(out.getvalue())).worksheets[0]
    assert sheet["B4"].value == " 前后有空格 " and sheet["C4"].value == 'A & B <c> "d"'
    assert sheet["D4"].value == "行一\n行二" and sheet["I5"].value == "a\rb"
    assert sheet["B5"].value == "=SUM(A1:A2)" and sheet["B5"].data_type == "s"
    assert len(sheet["G6"].value) == 32767


# The failed export's sheets are closed by the renderer, not left half-written for the collector to close (which
# reported each of openpyxl's nested XML writers closed out of order).
@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_a_character_a_spreadsheet_cannot_hold_fails_as_openpyxl_does():
    with pytest.raises(IllegalCharacterError):
        render_xlsx(Exporter([[1, "bell\x07"]]), io.BytesIO())
    gc.collect()  # what is left of the failed workbook is collected now, within this test


def test_many_rows_are_numbered_in_order_across_batches():
    rows = [[n, f"代表{n}", Mark(n % 3, "bad")] for n in range(1, 1001)]
    out = io.BytesIO()
    assert render_xlsx(Exporter(rows), out) == 1000
    sheet = load_workbook(io.BytesIO(out.getvalue()), read_only=True).worksheets[0]
    read = [row for row in sheet.iter_rows(min_row=3, values_only=True)]
    assert [r[:3] for r in read] == [(n, f"代表{n}", n % 3) for n in range(1, 1001)]
