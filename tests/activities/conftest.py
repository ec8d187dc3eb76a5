"""Fixtures of the activity tests: the UI personas and small district, and spreadsheets to upload.

The district (tests/ui/conftest.py): 东四 with 张东 and 李四, 朝阳门 with 王朝; term 17 from
2022-01-01 to 2026-12-31; street roles work for 东四, the deputy persona is 张东.
"""
from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook

from activities.importing.sheet import COLUMNS
from tests.ui.conftest import login, personas, world  # noqa: F401 - re-exported as fixtures

HEADERS = [c.header for c in COLUMNS]


def xlsx_bytes(rows: list[list], *, headers: list | None = None, edit=None) -> bytes:
    """An .xlsx whose first sheet has the headers (the template's by default) and the rows."""
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "活动登记"
    sheet.append(HEADERS if headers is None else headers)
    for row in rows:
        sheet.append(row)
    if edit is not None:
        edit(sheet)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "活动.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(
        name, content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def row(title="东四街道代表之家接待选民", kind="代表之家、联络站接待群众", date="2024-03-01", end_date=None,
        location="东四街道代表之家", name="张东", street=None, confirmed="是", outcome="出席", deputy_id=None) -> list:
    """One data row in the template's column order."""
    return [title, kind, date, end_date, location, name, street, confirmed, outcome, deputy_id]


@pytest.fixture
def sheet():
    """sheet(rows, headers=…, edit=…) → an uploaded .xlsx file."""

    def make(rows: list[list], **kwargs) -> SimpleUploadedFile:
        return upload(xlsx_bytes(rows, **kwargs))

    return make
