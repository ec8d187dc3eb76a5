"""Issue 15 part 7: spreadsheets that cannot attack. A text beginning with = + - @ tab or CR (a deputy's name, an
activity's title, a username typed at the login page …) is written as text in every export: an inline string
(data_type 's', never a formula 'f'), with Excel's quote prefix; numbers, negative ones too, stay numbers."""
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from django.test import RequestFactory
from openpyxl import load_workbook

from activities.choices import ActivityKind
from activities.importing.template import template_workbook
from dutyadmin.audit import record
from dutyadmin.exporters import ExportSheet, FORMULA_START, registry, render_xlsx
from dutyadmin.models import AuditKind
from dutyadmin.roles import Role
from dutyadmin.scope import scope_for
from meetings.choices import AttendanceStatus, MeetingKind
from tests import factories

pytestmark = pytest.mark.django_db

ATTACKS = ['=HYPERLINK("http://x")', "+1", "-2", "@SUM(A1)", "\tx", "\r=1+1", "=cmd|' /C calc'!A0"]
TODAY = dt.date(2025, 3, 1)
ROOT = Path(__file__).resolve().parents[2]
PARAMS = {
    "attendance_matrix": lambda w: {"session": w["session"].pk},
    "absence_bulletin": lambda w: {"session": w["session"].pk},
    "year_summary": lambda w: {"year": 2024},
    "findings": lambda w: {"as_of": "2025-01-01"},
    "contacts": lambda w: {"year": 2024},
}
EXPORTERS = sorted(exporter.identifier for exporter in registry.all())


@pytest.fixture
def hostile(world, personas):
    """The small district with names and titles that look like formulas."""
    zhang, li, wang = world["zhang"], world["li"], world["wang"]
    for deputy, name in ((zhang, ATTACKS[0]), (li, "+1"), (wang, "-2")):
        deputy.name = name
        deputy.save()
    session = world["session"]
    session.name = "@SUM(A1)"
    session.save()
    for title, deputy in (("@SUM(A1)", zhang), ("\tx", li), ("=1+1", wang)):
        activity = factories.ActivityFactory(term=world["term"], kind=ActivityKind.INSPECTION,
                                             date=dt.date(2024, 3, 5), title=title)
        factories.ParticipationFactory(activity=activity, deputy=deputy)
    meeting = factories.MeetingFactory(session=session, kind=MeetingKind.PLENARY, title="-第一次全体会议",
                                       date=session.start_date)
    factories.AttendanceFactory(meeting=meeting, deputy=zhang, status=AttendanceStatus.PRESENT)
    factories.AttendanceFactory(meeting=meeting, deputy=li, status=AttendanceStatus.ABSENT)
    request = RequestFactory(HTTP_USER_AGENT="=HYPERLINK(\"http://x\",\"ua\")").post("/=1+1/")
    record(AuditKind.LOGIN_FAILED, request=request, username="=cmd|' /C calc'!A0")
    return world


def user_for(identifier: str, personas):
    exporter = registry.get(identifier)
    for role in (Role.LIAISON_OFFICE, Role.SC_OFFICE, Role.ADMIN, Role.SC_MEMBER, Role.SECRETARIAT):
        if exporter.available(scope_for(personas[role])):
            return personas[role]
    raise AssertionError(f"no persona may use {identifier}")


def render(exporter) -> bytes:
    out = io.BytesIO()
    render_xlsx(exporter, out)
    return out.getvalue()


def every_cell(content: bytes):
    for sheet in load_workbook(io.BytesIO(content)).worksheets:
        for row in sheet.iter_rows():
            yield from row


def assert_no_formula(content: bytes) -> list:
    """No cell is a formula; every text that looks like one is a quoted inline string. Returns those texts."""
    quoted = []
    for cell in every_cell(content):
        assert cell.data_type != "f", (cell.coordinate, cell.value)
        if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
            assert cell.data_type == "s" and cell.quotePrefix, (cell.coordinate, cell.value)
            quoted.append(cell.value)
    return quoted


def make_exporter(identifier, world, personas):
    params = PARAMS.get(identifier, lambda w: {})(world)
    exporter = registry.get(identifier)(user=user_for(identifier, personas), params=params, today=TODAY)
    assert exporter.is_valid(), exporter.errors()
    return exporter


def test_the_registry_is_the_whole_list_of_exports():
    assert len(EXPORTERS) >= 10 and {"roster", "activities", "audit_log", "suggestions", "opinions"} <= set(EXPORTERS)


@pytest.mark.parametrize("identifier", EXPORTERS)
def test_every_export_writes_hostile_texts_as_text(identifier, hostile, personas, monkeypatch):
    """Each exporter's own sheets, with a row of hostile texts (and numbers) added, read back."""
    exporter = make_exporter(identifier, hostile, personas)
    own_sheets = exporter.sheets

    def with_a_hostile_row():
        for spec in own_sheets():
            def rows(original=spec.rows):
                header = list(next(original))
                yield header
                yield next(original) + 1
                yield from original
                yield (ATTACKS + [-2, -1.5, 0, 3] + [""] * len(header))[:max(len(header), len(ATTACKS) + 4)]
            yield ExportSheet(spec.name, rows(), spec.title, spec.frozen_columns, spec.print_landscape)

    monkeypatch.setattr(exporter, "sheets", with_a_hostile_row)
    content = render(exporter)
    quoted = assert_no_formula(content)
    assert set(ATTACKS) <= set(quoted), quoted
    numbers = [cell for cell in every_cell(content) if cell.value in (-2, -1.5) and not isinstance(cell.value, str)]
    assert len(numbers) >= 2 and all(cell.data_type == "n" and not cell.quotePrefix for cell in numbers)


@pytest.mark.parametrize("identifier", EXPORTERS)
def test_every_export_of_hostile_records_has_no_formula(identifier, hostile, personas):
    """The records themselves (names, titles, a session's name, an audit row's username, path and browser)."""
    quoted = assert_no_formula(render(make_exporter(identifier, hostile, personas)))
    expected = {
        "roster": {ATTACKS[0], "+1", "-2"},
        "activities": {"@SUM(A1)", "\tx", "=1+1", ATTACKS[0]},
        "attendance_matrix": {ATTACKS[0], "+1"},
        "year_summary": {ATTACKS[0], "+1"},
        "audit_log": {"=cmd|' /C calc'!A0", "=HYPERLINK(\"http://x\",\"ua\")"},
    }.get(identifier, set())
    assert expected <= set(quoted), quoted


def test_the_titles_row_of_a_sheet_is_text_too(hostile, personas):
    exporter = make_exporter("absence_bulletin", hostile, personas)
    assert exporter.title().startswith("@SUM(A1)")
    sheet = load_workbook(io.BytesIO(render(exporter))).worksheets[0]
    assert sheet["A1"].value.startswith("@SUM(A1)") and sheet["A1"].data_type == "s" and sheet["A1"].quotePrefix


def test_the_import_template_keeps_a_street_named_like_a_formula_as_text(hostile, personas):
    hostile["dongsi"].name = "=HYPERLINK(\"http://x\")"
    hostile["dongsi"].save()
    content = template_workbook(user=personas[Role.STREET_STAFF])
    assert "=HYPERLINK(\"http://x\")" in assert_no_formula(content)


def test_no_module_writes_a_workbook_but_the_shared_renderer_and_the_import_template():
    writers = []
    for path in ROOT.glob("*/**/*.py"):
        parts = path.relative_to(ROOT).parts
        if parts[0] in {"tests", "bench", ".venv", "node_modules"} or "site-packages" in parts:
            continue
        if re.search(r"\bWorkbook\(", path.read_text()):
            writers.append("/".join(parts))
    assert sorted(writers) == ["activities/importing/template.py", "dutyadmin/exporters.py"]
