"""The demo deputy (dongsi_deputy) has a calendar feed whose address seed_demo prints once."""
from __future__ import annotations

import re

from deputies.models import CalendarFeedKey
from oversight.calendar.demo import demo_calendar_key
from tests import factories


def test_the_demo_deputy_gets_a_feed_printed_once(client, db):
    deputy = factories.DeputyFactory(name="金晓明")
    factories.make_user("deputy", username="dongsi_deputy", deputy=deputy)
    line = demo_calendar_key(sender=None)
    url = re.search(r"http://127\.0\.0\.1:8000(/calendar/[A-Za-z0-9_-]{43}\.ics)", line).group(1)
    assert "金晓明" in line
    assert client.get(url).status_code == 200
    assert demo_calendar_key(sender=None) is None  # a live key: nothing made, nothing printed
    assert CalendarFeedKey.objects.filter(deputy=deputy).count() == 1


def test_no_demo_user_no_feed(db):
    assert demo_calendar_key(sender=None) is None
    assert not CalendarFeedKey.objects.exists()
