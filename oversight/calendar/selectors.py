"""What a deputy's calendar holds: the session meetings expected of them and the activities they are invited to.

Expected meetings (choice, as the data checks read Art. 3(一)): every preparatory, plenary and delegation meeting
of the deputy's term inside their service period, plus any other meeting (presidium, special committee) where an
attendance of theirs is recorded. Suspended days (代表法 Art. 61) are outside the service period for every rule:
meetings and activities on them are left out. A meeting covered by approved leave stays in, marked 已准假 and
free (TRANSP:TRANSPARENT), so the deputy still sees the session. Invitations the deputy declined (不能参加, not
overridden by a recorded outcome) and those the organizer recorded as leave (请假) are left out.
The feed starts FEED_PAST_DAYS before today (or at the start of service) to stay small.
"""
from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.db.models import Count, Exists, OuterRef, Q, Subquery
from django.urls import reverse

from activities.choices import Outcome
from activities.models import Activity, Participation
from deputies.models import Deputy, Suspension
from meetings.choices import HalfDay, LeaveStatus
from meetings.models import Attendance, LeaveRequest, Meeting
from oversight.rules.catalog import ALL_DEPUTY_MEETING_KINDS
from oversight.rules.classify import read_leave
from oversight.rules.facts import LeaveFact, MeetingFacts
from oversight.rules.windows import is_suspended, service_window, suspended_spans

FEED_PAST_DAYS = 365
SHANGHAI = ZoneInfo("Asia/Shanghai")
# When a half day's sitting runs (the office's usual hours): 上午 08:30–12:00, 下午 14:00–17:30, 全天 08:30–17:30.
HALF_DAY_HOURS: dict[str, tuple[dt.time, dt.time]] = {
    HalfDay.AM: (dt.time(8, 30), dt.time(12, 0)),
    HalfDay.PM: (dt.time(14, 0), dt.time(17, 30)),
    HalfDay.FULL: (dt.time(8, 30), dt.time(17, 30)),
}


@dataclass(frozen=True)
class CalendarEvent:
    """One VEVENT: timed (a meeting, Asia/Shanghai) or all-day (an activity, end exclusive)."""

    uid: str
    anchor: str  # the id of its row on the 我的日历订阅 page
    summary: str
    start: dt.datetime | dt.date
    end: dt.datetime | dt.date
    description: str
    url: str
    location: str = ""
    status: str = "CONFIRMED"  # CONFIRMED, or TENTATIVE for an invitation not answered yet
    free: bool = False  # TRANSP:TRANSPARENT (leave approved)
    last_modified: dt.datetime | None = None
    sequence: int = 0
    kind_label: str = ""

    @property
    def timed(self) -> bool:
        return isinstance(self.start, dt.datetime)

    @property
    def day(self) -> dt.date:
        return self.start.date() if isinstance(self.start, dt.datetime) else self.start


def _cn_date(day: dt.date) -> str:
    return f"{day.year}年{day.month}月{day.day}日"


def _history_annotations(model, ref: str = "pk") -> dict:
    """The record's last change and how many changes it had (SEQUENCE), from its simple_history rows."""
    rows = model.history.model.objects.filter(id=OuterRef(ref)).order_by()
    return {
        "changed_at": Subquery(rows.order_by("-history_date").values("history_date")[:1]),
        "versions": Subquery(rows.values("id").annotate(n=Count("*")).values("n")[:1]),
    }


def _meeting_events(deputy: Deputy, start: dt.date, end: dt.date, spans, absolute: Callable[[str], str],
                    page_url: str) -> list[CalendarEvent]:
    recorded = Attendance.objects.filter(meeting_id=OuterRef("pk"), deputy_id=deputy.pk)
    meetings = (Meeting.objects.filter(session__term_id=deputy.term_id, date__gte=start, date__lte=end)
                .filter(Q(kind__in=ALL_DEPUTY_MEETING_KINDS) | Q(Exists(recorded)))
                .select_related("session").annotate(**_history_annotations(Meeting))
                .order_by("date", "half_day", "id"))
    leaves = LeaveRequest.objects.filter(deputy_id=deputy.pk, status=LeaveStatus.APPROVED).prefetch_related("meetings")
    cover = read_leave(LeaveFact(leave.pk, deputy.pk, leave.session_id, leave.route, leave.status,
                                 frozenset(m.pk for m in leave.meetings.all())) for leave in leaves)
    events = []
    for meeting in meetings:
        if is_suspended(meeting.date, spans):
            continue
        first, last = HALF_DAY_HOURS.get(meeting.half_day, HALF_DAY_HOURS[HalfDay.FULL])
        excused = cover.leave_for(MeetingFacts(meeting.pk, meeting.session_id, meeting.date, meeting.kind)) is not None
        when = _cn_date(meeting.date) + ("" if meeting.half_day == HalfDay.FULL else meeting.get_half_day_display())
        name = f"{meeting.session.name}{meeting.title}"
        if excused:
            notice = (f"{deputy.name}代表:{name}定于{when}举行。您的请假已获批准,本场会议无需出席。")
        else:
            notice = (f"{deputy.name}代表:{name}定于{when}举行,请准时出席。"
                      "如不能出席,请按规定履行请假手续,未经批准不到会的按缺席对待。")
        url = f"{page_url}#meeting-{meeting.pk}"
        events.append(CalendarEvent(
            uid=f"meeting-{meeting.pk}@dutyadmin", anchor=f"meeting-{meeting.pk}",
            summary=("【已准假】" if excused else "") + name,
            start=dt.datetime.combine(meeting.date, first, SHANGHAI),
            end=dt.datetime.combine(meeting.date, last, SHANGHAI),
            description=f"{notice}\n\n详情:{url}", url=url, free=excused,
            last_modified=meeting.changed_at, sequence=max((meeting.versions or 1) - 1, 0),
            kind_label=meeting.get_kind_display(),
        ))
    return events


def _activity_events(deputy: Deputy, start: dt.date, end: dt.date, spans,
                     absolute: Callable[[str], str]) -> list[CalendarEvent]:
    declined = Q(confirmed=False, answered_at__isnull=False, outcome=Outcome.PENDING)
    invitations = (Participation.objects.filter(deputy_id=deputy.pk, activity__date__gte=start,
                                                activity__date__lte=end)
                   .exclude(declined).exclude(outcome=Outcome.EXCUSED)
                   .select_related("activity").prefetch_related("activity__materials")
                   .annotate(**_history_annotations(Activity, ref="activity_id"))
                   .order_by("activity__date", "activity_id"))
    invitations_page = absolute(reverse("activities:my_invitations"))
    events = []
    for p in invitations:
        activity = p.activity
        if is_suspended(activity.date, spans):
            continue
        last_day = activity.end_date or activity.date
        when = _cn_date(activity.date) + (f"至{_cn_date(last_day)}" if last_day != activity.date else "")
        url = absolute(reverse("activities:detail", args=[activity.pk]))
        lines = [f"{deputy.name}代表:{activity.get_kind_display()}“{activity.title}”定于{when}举行"
                 + (f",地点:{activity.location}" if activity.location else "") + "。"]
        if activity.description:
            lines.append(activity.description)
        materials = list(activity.materials.all())
        if materials:
            lines.append("活动材料:")
            lines += [f"· {m.name}:{absolute(reverse('activities:material_download', args=[m.pk]))}"
                      for m in materials]
        tentative = p.outcome == Outcome.PENDING and not p.confirmed
        if tentative:
            lines.append(f"您尚未答复这项邀请,请在“我的邀请”中答复能否参加:{invitations_page}")
        elif p.outcome == Outcome.PENDING:
            lines.append("您已确定参加;如不能参加,请提前向组织方请假。")
        lines.append(f"详情:{url}")
        events.append(CalendarEvent(
            uid=f"activity-{activity.pk}@dutyadmin", anchor=f"activity-{activity.pk}",
            summary=activity.title, start=activity.date, end=last_day + dt.timedelta(days=1),
            location=activity.location, description="\n".join(lines), url=url,
            status="TENTATIVE" if tentative else "CONFIRMED",
            last_modified=p.changed_at, sequence=max((p.versions or 1) - 1, 0),
            kind_label=activity.get_kind_display(),
        ))
    return events


def calendar_events(*, deputy: Deputy, today: dt.date, absolute: Callable[[str], str]) -> list[CalendarEvent]:
    """The deputy's feed, by start: in a fixed number of queries whatever the number of events (six: suspensions, meetings, leave and its meetings, invitations and their materials)."""
    term = deputy.term
    window = service_window(term.start_date, term.end_date, deputy.service_start, deputy.service_end)
    if window is None:
        return []
    start, end = max(window[0], today - dt.timedelta(days=FEED_PAST_DAYS)), window[1]
    if start > end:
        return []
    spans = suspended_spans(Suspension.objects.filter(deputy_id=deputy.pk).values_list("start_date", "end_date"),
                            start, end, today)
    page_url = absolute(reverse("calendar:page"))
    events = (_meeting_events(deputy, start, end, spans, absolute, page_url)
              + _activity_events(deputy, start, end, spans, absolute))
    return sorted(events, key=lambda e: (e.day, e.uid))
