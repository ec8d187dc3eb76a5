"""Every page, export and API that shows attendance agrees with the classification (issue 10, items 1–2).

Random worlds (seeded, so a failure is reproducible): deputies whose service starts or ends in the middle of
a session, present / absent / unrecorded at each meeting, leave of every route in every state, whole-session
leave. For every deputy and meeting, the absence bulletin (page data and both xlsx sheets), the attendance
sheet, the session tallies, the attendance API's `excused` (field and filter) and the attendance matrix say
what `classification_for` says.
"""
from __future__ import annotations

import datetime as dt
import io
import random

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from rest_framework.test import APIClient

from dutyadmin.roles import Role
from dutyadmin.exporters import registry, render_xlsx
from meetings.choices import HalfDay, LeaveRoute, LeaveStatus, MeetingKind
from oversight.attendance.bulletin import session_bulletin
from oversight.attendance.selectors import attendance_sheet, session_tallies
from oversight.findings.selectors import classification_for
from oversight.rules.classify import EXCUSED, NOT_IN_SERVICE, NOT_RECORDED, PRESENT, UNEXCUSED
from tests import factories

pytestmark = pytest.mark.django_db

KINDS = [MeetingKind.PREPARATORY, MeetingKind.PLENARY, MeetingKind.DELEGATION, MeetingKind.PLENARY,
         MeetingKind.PRESIDIUM]
STATES = [LeaveStatus.APPROVED, LeaveStatus.PENDING, LeaveStatus.REJECTED, LeaveStatus.WITHDRAWN, LeaveStatus.DRAFT]
MATRIX = {PRESENT: "出席", EXCUSED: "请假", UNEXCUSED: "缺席", NOT_RECORDED: "未记录", NOT_IN_SERVICE: "不在任"}


def build_world(seed: int) -> dict:
    rng = random.Random(seed)
    today = timezone.localdate()
    term = factories.TermFactory(number=17, name="第十七届", start_date=dt.date(today.year - 3, 1, 1),
                                 end_date=dt.date(today.year + 2, 12, 31))
    streets = [factories.StreetCommitteeFactory(name=f"街道{i}", code=f"S{i}") for i in range(2)]
    delegations = [factories.DelegationFactory(term=term, name=f"代表团{i}") for i in range(2)]
    sessions = []
    for number, days_ago in ((1, 400), (2, 40)):
        start = today - dt.timedelta(days=days_ago)
        session = factories.CongressSessionFactory(term=term, number=number, name=f"第十七届第{number}次会议",
                                                   start_date=start, end_date=start + dt.timedelta(days=2))
        meetings = [
            factories.MeetingFactory(session=session, kind=kind, title=f"会议{number}-{i}",
                                     date=start + dt.timedelta(days=i // 2), half_day=[HalfDay.AM, HalfDay.PM][i % 2])
            for i, kind in enumerate(KINDS)
        ]
        sessions.append((session, meetings))
    deputies = []
    for i in range(10):
        start, end, status = term.start_date, None, "active"
        session, meetings = rng.choice(sessions)
        shape = rng.random()
        if shape < 0.2:  # sworn in during the session (by-election)
            start = meetings[2].date
        elif shape < 0.4:  # gone during the session
            end, status = meetings[1].date, "resigned"
        deputies.append(factories.DeputyFactory(
            term=term, name=f"代表{seed}-{i}", street_committee=streets[i % 2], delegation=delegations[i % 2],
            service_start=start, service_end=end, status=status))
    for session, meetings in sessions:
        for deputy in deputies:
            style = rng.random()
            for meeting in meetings:
                if style < 0.15:
                    mark = "absent"  # missed everything
                elif style < 0.3:
                    mark = rng.choice(["absent", None])  # absent once, other roll calls missing
                else:
                    mark = rng.choice(["present", "present", "absent", None])
                if mark is not None:
                    factories.AttendanceFactory(meeting=meeting, deputy=deputy, status=mark)
            for _ in range(rng.choice([0, 0, 1, 2])):
                route = rng.choice(list(LeaveRoute.values))
                leave = factories.LeaveRequestFactory(deputy=deputy, session=session, route=route,
                                                      status=rng.choice(STATES))
                if route != LeaveRoute.WHOLE_SESSION:
                    leave.meetings.set(rng.sample(meetings, rng.randint(1, 3)))
    return {"term": term, "sessions": sessions, "deputies": deputies, "today": today}


def xlsx_of(identifier: str, user, params: dict):
    exporter = registry.get(identifier)(user=user, params=params)
    assert exporter.is_valid(), exporter.errors()
    out = io.BytesIO()
    render_xlsx(exporter, out)
    return load_workbook(io.BytesIO(out.getvalue()))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_pages_exports_and_the_api_agree_with_the_classification(seed):
    world = build_world(seed)
    user = factories.make_user(Role.SECRETARIAT)
    api = APIClient()
    api.force_authenticate(user)
    reading = classification_for(term=world["term"], as_of=world["today"])
    statuses_seen = set()
    for session, meetings in world["sessions"]:
        deputies = world["deputies"]

        def mark(deputy, meeting):
            return reading.meeting(deputy.pk, meeting.pk)

        # The bulletin's page data.
        bulletin = session_bulletin(user=user, session=session)
        assert bulletin.ended
        for block in bulletin.meetings:
            m = block.meeting
            on_leave = {e.deputy.pk for e in block.on_leave}
            unexcused = {e.deputy.pk for e in block.unexcused}
            unrecorded = {e.deputy.pk for e in block.unrecorded}
            for d in deputies:
                status = mark(d, m).status
                statuses_seen.add(status)
                assert (d.pk in on_leave) == (status == EXCUSED or (status == PRESENT and mark(d, m).leave_id is not None))
                assert (d.pk in unexcused) == (status == UNEXCUSED)
                assert (d.pk in unrecorded) == (status == NOT_RECORDED)
            assert block.present == sum(1 for d in deputies if mark(d, m).status == PRESENT and mark(d, m).leave_id is None)
        whole = {item.deputy.pk: item.whole_session for item in bulletin.by_deputy}
        for d in deputies:
            session_mark = reading.session(d.pk, session.pk)
            assert (d.pk in whole) == any(mark(d, m).status == UNEXCUSED for m in meetings)
            if d.pk in whole:
                assert whole[d.pk] == (session_mark is not None and session_mark.non_attendance)

        # The bulletin's spreadsheet, both sheets.
        workbook = xlsx_of("absence_bulletin", user, {"session": session.pk})
        names = {d.name: d for d in deputies}
        titles = {m.title: m for m in meetings}
        heading = {EXCUSED: "请假(已批准)", UNEXCUSED: "未经批准缺席", NOT_RECORDED: "未登记(不作缺席)"}
        cells = {(row[2], row[5]): row[4] for row in workbook["按会议"].iter_rows(min_row=3, values_only=True)}
        for d in deputies:
            for m in meetings:
                status = mark(d, m).status
                if status == PRESENT and mark(d, m).leave_id is not None:
                    status = EXCUSED  # listed under leave, flagged for checking
                assert cells.get((m.title, d.name)) == heading.get(status), (m.title, d.name)
        assert set(titles) >= {title for title, _name in cells}
        summary = {row[0]: row[5] for row in workbook["按代表汇总"].iter_rows(min_row=3, values_only=True)}
        assert set(summary) == {names[n].name for n in names if names[n].pk in whole}
        for name, flag in summary.items():
            session_mark = reading.session(names[name].pk, session.pk)
            assert flag == ("是" if session_mark is not None and session_mark.non_attendance else "否")

        # The session's tallies and each meeting's sheet.
        for tally in session_tallies(user=user, session=session):
            m = tally.meeting
            statuses = [mark(d, m).status for d in deputies]
            assert (tally.present, tally.excused, tally.unexcused, tally.unrecorded) == (
                statuses.count(PRESENT), statuses.count(EXCUSED), statuses.count(UNEXCUSED),
                statuses.count(NOT_RECORDED))
            assert tally.expected == len(statuses) - statuses.count(NOT_IN_SERVICE)
            rows = {row.deputy.pk: row for row in attendance_sheet(user=user, meeting=m)}
            for d in deputies:
                mk = mark(d, m)
                assert (d.pk in rows) == (mk.status != NOT_IN_SERVICE or mk.recorded is not None)
                if d.pk in rows:
                    assert rows[d.pk].excused == (mk.status == EXCUSED)
                    assert (rows[d.pk].approved_leave is not None) == (mk.leave_id is not None)

        # The attendance API: the field and the filter.
        rows = api.get("/api/v1/attendance/", {"session": session.pk, "page_size": 1000}).json()["results"]
        assert rows
        by_pk = {d.pk: d for d in deputies}
        by_meeting = {m.pk: m for m in meetings}
        for row in rows:
            assert row["excused"] == (mark(by_pk[row["deputy"]], by_meeting[row["meeting"]]).status == EXCUSED)
        excused = api.get("/api/v1/attendance/", {"session": session.pk, "excused": "true", "page_size": 1000}).json()
        assert {r["id"] for r in excused["results"]} == {r["id"] for r in rows if r["excused"]}
        not_excused = api.get("/api/v1/attendance/", {"session": session.pk, "excused": "false",
                                                      "page_size": 1000}).json()
        assert {r["id"] for r in not_excused["results"]} == {r["id"] for r in rows if not r["excused"]}

        # The attendance matrix.
        sheet = xlsx_of("attendance_matrix", user, {"session": session.pk}).worksheets[0]
        header = [c.value for c in sheet[2]]
        columns = {title: header.index(next(h for h in header if h and h.endswith("\n" + title)))
                   for title in titles}
        shown = {row[0]: row for row in sheet.iter_rows(min_row=3, values_only=True)}
        for d in deputies:
            in_session = reading.session(d.pk, session.pk) is not None
            recorded = any(mark(d, m).recorded is not None for m in meetings)
            assert (d.name in shown) == (in_session or recorded)
            if d.name not in shown:
                continue
            for m in meetings:
                status = mark(d, m).status
                expected = MATRIX[status]
                if status == NOT_RECORDED and m.kind == MeetingKind.PRESIDIUM:
                    expected = "—"  # only its members sit there
                assert shown[d.name][columns[m.title]] == expected, (d.name, m.title)
    assert {PRESENT, EXCUSED, UNEXCUSED, NOT_RECORDED} <= statuses_seen


def test_one_absence_with_the_other_roll_calls_missing_is_not_a_whole_non_attendance():
    """The bug of issue 10: absent at one half-day, the session's other meetings simply not recorded yet."""
    today = timezone.localdate()
    term = factories.TermFactory(start_date=dt.date(today.year - 1, 1, 1), end_date=dt.date(today.year + 3, 12, 31))
    start = today - dt.timedelta(days=30)
    session = factories.CongressSessionFactory(term=term, name="第十七届第二次会议", start_date=start,
                                               end_date=start + dt.timedelta(days=1))
    plenary = factories.MeetingFactory(session=session, kind=MeetingKind.PLENARY, title="第一次全体会议", date=start)
    factories.MeetingFactory(session=session, kind=MeetingKind.PLENARY, title="第二次全体会议",
                             date=start + dt.timedelta(days=1))
    deputy = factories.DeputyFactory(term=term, name="缺一次")
    factories.AttendanceFactory(meeting=plenary, deputy=deputy, status="absent")
    user = factories.make_user(Role.SECRETARIAT)

    bulletin = session_bulletin(user=user, session=session)
    assert [(item.deputy.name, item.whole_session) for item in bulletin.by_deputy] == [("缺一次", False)]
    summary = xlsx_of("absence_bulletin", user, {"session": session.pk})["按代表汇总"]
    assert [row[:1] + row[5:] for row in summary.iter_rows(min_row=3, values_only=True)] == [("缺一次", "否")]
    assert not classification_for(term=term, as_of=today).session(deputy.pk, session.pk).non_attendance
