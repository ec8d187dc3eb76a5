"""Demo: some deputies checked in by scanning the code (自助签到), so staff see the mark on the attendance sheet
of the latest session's meetings and on the latest activities, as they would after a real session."""
from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from activities.choices import Outcome
from activities.models import Activity, Participation
from deputies.models import Term
from meetings.choices import AttendanceStatus
from meetings.models import Attendance, CongressSession

TZ = ZoneInfo("Asia/Shanghai")
MEETINGS = 3  # the latest session's first meetings
ACTIVITIES = 4  # the latest activities held by the demo's day
SHARE = 3  # every third deputy present (or attended) scanned the code; the others were entered by staff


def _at(day: dt.date, minute: int) -> dt.datetime:
    return dt.datetime(day.year, day.month, day.day, 8, 10 + minute % 20, tzinfo=TZ)


def checkin_write(*, term: Term, today: dt.date) -> None:
    session = CongressSession.objects.filter(term=term, start_date__lte=today).order_by("-start_date").first()
    marked: list = []
    if session is not None:
        for meeting in session.meetings.order_by("date", "half_day", "id")[:MEETINGS]:
            present = Attendance.objects.filter(meeting=meeting, status=AttendanceStatus.PRESENT).order_by("deputy_id")
            for i, a in enumerate(present):
                if i % SHARE == 0:
                    a.self_checked_in, a.self_checked_in_at = True, _at(meeting.date, i)
                    marked.append(a)
    Attendance.objects.bulk_update(marked, ["self_checked_in", "self_checked_in_at"])
    marked = []
    for activity in Activity.objects.filter(term=term, date__lte=today).order_by("-date", "-id")[:ACTIVITIES]:
        attended = Participation.objects.filter(activity=activity, outcome=Outcome.ATTENDED).order_by("deputy_id")
        for i, p in enumerate(attended):
            if i % SHARE == 0:
                p.self_checked_in, p.self_checked_in_at = True, _at(activity.date, i)
                marked.append(p)
    Participation.objects.bulk_update(marked, ["self_checked_in", "self_checked_in_at"])
