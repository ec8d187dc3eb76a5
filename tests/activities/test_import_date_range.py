"""Issue 17: a spreadsheet's dates are kept to 1900-01-01 … 2100-12-31 like every other write: a row dated outside
(start or end, typed or an Excel date) is reported by its row number with the shared message; nothing is saved."""
from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from activities import services
from activities.choices import ImportStatus
from activities.models import Activity, Participation
from dutyadmin.dates import DATE_RANGE_MESSAGE
from dutyadmin.roles import Role

from .conftest import row

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("changes", "column"),
    [({"date": "1899-12-31"}, "日期"), ({"date": dt.datetime(2101, 3, 1)}, "日期"),
     ({"end_date": "2101-01-01"}, "结束日期"), ({"end_date": dt.datetime(9999, 12, 31)}, "结束日期")],
)
def test_a_row_dated_out_of_range_is_reported_by_row_and_nothing_is_saved(personas, world, sheet, changes, column):
    record = services.activity_import_upload(user=personas[Role.STREET_STAFF], upload=sheet([row(), row(**changes)]))
    assert record.status == ImportStatus.INVALID
    assert [(p["row"], p["column"], p["message"]) for p in record.errors] == [(3, column, DATE_RANGE_MESSAGE)]
    with pytest.raises(ValidationError):
        services.activity_import_confirm(user=personas[Role.STREET_STAFF], activity_import=record)
    assert not Activity.objects.exists() and not Participation.objects.exists()


def test_the_last_day_in_range_still_imports(personas, world, sheet):
    record = services.activity_import_upload(user=personas[Role.STREET_STAFF],
                                             upload=sheet([row(date="2024-03-01", end_date="2100-12-31")]))
    assert record.status == ImportStatus.READY, record.errors
