"""classification_for: the classification of a term's deputies from the database, in pinned query counts; the
attendance-only and one-session loads read meetings exactly as the whole load does."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputies.models import Deputy
from oversight.findings.facts import facts_load
from oversight.findings.selectors import classification_for
from tests import factories
from tests.oversight.test_attendance_agreement import build_world

pytestmark = pytest.mark.django_db


def queries(run) -> int:
    with CaptureQueriesContext(connection) as ctx:
        run()
    return len(ctx.captured_queries)


@pytest.mark.parametrize(("options", "pinned"), [
    # The deputies' suspensions are one query of each load (issue 12: a suspended day expects no meeting).
    ({}, 10),
    ({"attendance_only": True}, 7),
    ({"attendance_only": True, "session": "first"}, 7),
])
def test_it_takes_a_pinned_number_of_queries_whatever_the_size(options, pinned):
    world = build_world(5)
    if options.get("session") == "first":
        options = {**options, "session": world["sessions"][0][0].pk}
    deputies = Deputy.objects.filter(term=world["term"])
    assert queries(lambda: classification_for(term=world["term"], as_of=world["today"], deputies=deputies,
                                              **options)) == pinned
    for _ in range(10):  # more deputies, records and leave
        deputy = factories.DeputyFactory(term=world["term"])
        for session, meetings in world["sessions"]:
            for meeting in meetings:
                factories.AttendanceFactory(meeting=meeting, deputy=deputy, status="absent")
            leave = factories.LeaveRequestFactory(deputy=deputy, session=session, route="plenary", status="approved")
            leave.meetings.set(meetings[:2])
    assert queries(lambda: classification_for(term=world["term"], as_of=world["today"], **options)) == pinned


def test_the_narrow_loads_read_meetings_as_the_whole_load_does():
    world = build_world(7)
    term, today = world["term"], world["today"]
    whole = classification_for(term=term, as_of=today)
    attendance = classification_for(term=term, as_of=today, attendance_only=True)
    (first, first_meetings), (second, _second_meetings) = world["sessions"]
    one = classification_for(term=term, as_of=today, attendance_only=True, session=first.pk)
    for deputy_id, reading in whole.deputies.items():
        assert attendance.deputies[deputy_id].meetings == reading.meetings
        assert attendance.deputies[deputy_id].sessions == reading.sessions
        assert attendance.deputies[deputy_id].participations == {}
        assert one.deputies[deputy_id].meetings == {m.pk: reading.meetings[m.pk] for m in first_meetings}
        assert one.session(deputy_id, first.pk) == whole.session(deputy_id, first.pk)
        assert one.session(deputy_id, second.pk) is None


def test_only_knows_the_attendance_facts():
    world = build_world(8)
    with pytest.raises(ValueError, match="attendance"):
        facts_load(term=world["term"], only=("participations",))
