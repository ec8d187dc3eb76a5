"""The session, leave and bulletin pages load in a fixed number of queries, however many deputies,
requests and steps they show."""
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from dutyadmin.roles import Role
from dutyadmin.exporters import render_xlsx
from meetings.choices import AttendanceStatus, LeaveRoute, LeaveStatus
from oversight.exports.bulletin import BulletinExporter
from oversight.findings import snapshot
from tests import factories

from .helpers import leave_in_state

pytestmark = pytest.mark.django_db


def grow(district, people, n: int) -> None:
    """n more deputies of 东四 with marks at the past session and requests in every state."""
    states = [LeaveStatus.APPROVED, LeaveStatus.PENDING, LeaveStatus.REJECTED, LeaveStatus.WITHDRAWN]
    for i in range(n):
        deputy = factories.DeputyFactory(term=district["term"], street_committee=district["dongsi"],
                                         delegation=district["del_ds"])
        for meeting in district["pm"].values():
            factories.AttendanceFactory(meeting=meeting, deputy=deputy,
                                        status=AttendanceStatus.ABSENT if i % 2 else AttendanceStatus.PRESENT)
        leave_in_state(deputy=deputy, session=district["past"], status=states[i % 4], route=LeaveRoute.PLENARY,
                       meetings=[district["pm"]["plenary"]], admin=people[Role.ADMIN])
        leave_in_state(deputy=deputy, session=district["coming"], status=LeaveStatus.PENDING,
                       route=LeaveRoute.WHOLE_SESSION, admin=people[Role.ADMIN])
        factories.ContributionFactory(deputy=deputy, confirmed=False)


@pytest.mark.parametrize(("who", "page"), [
    (Role.SECRETARIAT, "session_detail"), (Role.SECRETARIAT, "bulletin"), (Role.SECRETARIAT, "attendance_sheet"),
    (Role.STREET_STAFF, "bulletin"), (Role.SECRETARIAT, "leave_list"), (Role.STREET_DIRECTOR, "leave_inbox"),
    (Role.ADMIN, "leave_inbox"), (Role.STREET_STAFF, "contribution_review"), (Role.SECRETARIAT, "session_list"),
])
def test_a_page_takes_the_same_queries_for_few_or_many_records(district, people, as_, who, page):
    args = [district["past"].pk] if page in ("session_detail", "bulletin") else []
    if page == "attendance_sheet":
        args = [district["pm"]["plenary"].pk]
    url = reverse(f"meetings:{page}", args=args)
    client = as_(who)
    client.get(url)

    def count() -> int:
        # Each read in the same state of today's findings snapshot (none: made from the facts), so that what is
        # compared is the records' number, not whether the snapshot was made or brought up to date meanwhile.
        snapshot.clear()
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    grow(district, people, 2)
    few = count()
    grow(district, people, 12)
    assert count() == few


def test_the_bulletin_export_takes_the_same_queries_for_few_or_many_records(district, people):
    """The bulletin's spreadsheet (an export job since the page's 导出 runs one) reads as the page does."""
    def count() -> int:
        exporter = BulletinExporter(user=people[Role.SECRETARIAT], params={"session": district["past"].pk})
        assert exporter.is_valid(), exporter.errors()
        with CaptureQueriesContext(connection) as ctx:
            render_xlsx(exporter, io.BytesIO())
        return len(ctx.captured_queries)

    grow(district, people, 2)
    few = count()
    grow(district, people, 12)
    assert count() == few
