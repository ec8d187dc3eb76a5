"""Fixtures of the export tests: the small district of tests/ui, its personas, Celery in-process."""
import io

import pytest
from openpyxl import load_workbook

from tests.ui.conftest import login, personas, world  # noqa: F401 - re-exported as fixtures


@pytest.fixture(autouse=True)
def _celery_in_process(celery_in_process):
    """Export tasks run in the test's process even when REDIS_URL is set (CI)."""


def read_sheet(content: bytes):
    """The first sheet of an xlsx as openpyxl reads it back (styles included)."""
    return load_workbook(io.BytesIO(content)).worksheets[0]


def rows_of(sheet, first: int = 3) -> list[list]:
    """The data rows (below the title and header rows) as lists of values."""
    return [list(row) for row in sheet.iter_rows(min_row=first, values_only=True)]


@pytest.fixture
def run_on_commit(django_capture_on_commit_callbacks):
    """with run_on_commit(execute=True): … — run the tasks a view sends on commit (tests never commit)."""
    return django_capture_on_commit_callbacks
