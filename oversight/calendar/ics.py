"""The iCalendar text (RFC 5545) of a deputy's events, written with the icalendar package."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from icalendar import Calendar, Event, vDuration

from .selectors import CalendarEvent

PRODID = "-//dutyadmin//calendar feed//ZH"


def feed_ical(events: Iterable[CalendarEvent], *, name: str, now: dt.datetime) -> bytes:
    """One VCALENDAR with a VEVENT per event and the VTIMEZONE (Asia/Shanghai) its timed events name."""
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", "Asia/Shanghai")
    # clients that honour it poll hourly; the response itself may be cached for five minutes
    cal.add("refresh-interval", vDuration(dt.timedelta(hours=1)), parameters={"VALUE": "DURATION"})
    cal.add("x-published-ttl", vDuration(dt.timedelta(hours=1)))
    stamp = now.astimezone(dt.timezone.utc)
    for e in events:
        event = Event()
        event.add("uid", e.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", e.start)
        event.add("dtend", e.end)
        event.add("summary", e.summary)
        if e.location:
            event.add("location", e.location)
        event.add("description", e.description)
        event.add("url", e.url)
        event.add("status", e.status)
        event.add("transp", "TRANSPARENT" if e.free else "OPAQUE")
        event.add("sequence", e.sequence)
        if e.last_modified is not None:
            event.add("last-modified", e.last_modified.astimezone(dt.timezone.utc))
        if e.kind_label:
            event.add("categories", [e.kind_label])
        cal.add_component(event)
    cal.add_missing_timezones()
    # the zone before the events that name it: some clients read the file in one pass
    cal.subcomponents.sort(key=lambda component: component.name != "VTIMEZONE")
    return cal.to_ical()
