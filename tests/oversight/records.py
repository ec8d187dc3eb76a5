"""Database records for the oversight tests: a term, deputies and their records, made quickly."""
from __future__ import annotations

import datetime as dt

from activities.models import Activity, Participation
from deputies.models import Deputy
from meetings.models import Attendance, Contribution, LeaveRequest
from oversight.models import Intervention
from tests import factories

D = dt.date


def session_with_meetings(term, start: dt.date, end: dt.date, *, number: int, kinds=("plenary",) * 3):
    """A session and one meeting per kind, a day apart from its start (the last ones on its last day)."""
    session = factories.CongressSessionFactory(term=term, number=number, name=f"第{number}次会议",
                                               start_date=start, end_date=end)
    meetings = [
        factories.MeetingFactory(session=session, kind=kind, date=min(start + dt.timedelta(days=i), end))
        for i, kind in enumerate(kinds)
    ]
    return session, meetings


def attend(deputy, meetings, status: str = "present") -> None:
    Attendance.objects.bulk_create(Attendance(meeting=m, deputy=deputy, status=status) for m in meetings)


def leave(deputy, session, *, route: str = "whole_session", status: str = "approved", meetings=()) -> LeaveRequest:
    request = LeaveRequest.objects.create(deputy=deputy, session=session, route=route, status=status, reason="出差")
    request.meetings.set(meetings)
    return request


def activity(term, kind: str, date: dt.date, **fields) -> Activity:
    return factories.ActivityFactory(term=term, kind=kind, date=date, **fields)


def take_part(deputy, act: Activity, outcome: str = "attended", confirmed: bool = True) -> Participation:
    return Participation.objects.create(activity=act, deputy=deputy, outcome=outcome, confirmed=confirmed)


def many_deputies(term, count: int, street=None, session_number: int = 90) -> list[Deputy]:
    """`count` deputies of the term, each with attendance, leave, participations, contributions and an
    intervention, in a few bulk inserts."""
    street = street or factories.StreetCommitteeFactory()
    delegation = factories.DelegationFactory(term=term)
    deputies = Deputy.objects.bulk_create(
        Deputy(term=term, name=f"代表{i}", gender="F", street_committee=street, delegation=delegation,
               service_start=term.start_date)
        for i in range(count)
    )
    session, meetings = session_with_meetings(term, D(2024, 1, 10), D(2024, 1, 12), number=session_number)
    acts = [activity(term, kind, D(2024, 3, i + 1)) for i, kind in enumerate(("inspection", "station_reception",
                                                                              "training", "lecture"))]
    Attendance.objects.bulk_create(
        Attendance(meeting=m, deputy=d, status="present" if i % 5 else "absent")
        for i, d in enumerate(deputies) for m in meetings
    )
    Participation.objects.bulk_create(
        Participation(activity=a, deputy=d, outcome="attended" if i % 4 else "absent", confirmed=True)
        for i, d in enumerate(deputies) for a in acts
    )
    Contribution.objects.bulk_create(
        Contribution(deputy=d, session=session, kind="suggestion", date=D(2024, 1, 11), title="建议")
        for d in deputies
    )
    Intervention.objects.bulk_create(
        Intervention(deputy=d, rule="absence_notice", kind="notice", date=D(2024, 2, 1), conducted_by="秘书处")
        for d in deputies[::3]
    )
    leaves = LeaveRequest.objects.bulk_create(
        LeaveRequest(deputy=d, session=session, route="plenary", status="approved", reason="出差")
        for d in deputies[::7]
    )
    LeaveRequest.meetings.through.objects.bulk_create(
        LeaveRequest.meetings.through(leaverequest_id=request.pk, meeting_id=meetings[0].pk) for request in leaves
    )
    return deputies
