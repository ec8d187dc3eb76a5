"""Demo: the demo deputy (dongsi_deputy) has a calendar feed; its address is printed once, with the demo users."""
from __future__ import annotations

from django.conf import settings
from django.contrib.auth import get_user_model
from django.urls import reverse

from deputies.services import calendar_key_active, calendar_key_reset

DEMO_CALENDAR_USER = "dongsi_deputy"
DEMO_SITE = "http://127.0.0.1:8000"  # where `make run` serves the demo


def demo_calendar_key(sender=None, today=None, **_kwargs) -> str | None:
    """Receiver of core's `demo_loaded`: make the demo deputy's key unless one is live; the line to print, once."""
    user = get_user_model().objects.filter(username=DEMO_CALENDAR_USER).select_related("scope__deputy").first()
    deputy = getattr(getattr(user, "scope", None), "deputy", None) if user is not None else None
    if deputy is None or calendar_key_active(deputy=deputy) is not None:
        return None
    token = calendar_key_reset(user=user, deputy=deputy)
    site = (getattr(settings, "SITE_URL", "") or DEMO_SITE).rstrip("/")
    return (f"\n日历订阅演示:{deputy.name}代表({DEMO_CALENDAR_USER})的订阅地址(只显示这一次,可在“我的日历订阅”中重置):\n"
            f"  {site}{reverse('calendar:feed', args=[token])}")
