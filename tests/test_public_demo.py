"""The demo turns the public duty pages on with unit and position shown, and approves one past year."""
import datetime as dt

import pytest

from oversight.choices import ReviewStatus
from oversight.models import PublicDutySettings, YearReview
from oversight.public.demo import demo_public_on
from tests.factories import DeputyFactory

pytestmark = pytest.mark.django_db


def test_demo_turns_public_pages_on(client):
    d = DeputyFactory(unit="某单位", position="某职务")
    demo_public_on(today=dt.date(2026, 12, 2))
    row = PublicDutySettings.objects.get(pk=1)
    assert row.enabled and row.show_unit and row.show_position
    assert YearReview.objects.filter(status=ReviewStatus.APPROVED, year=2022).exists()
    html = client.get(f"/public/deputies/{d.pk}/").content.decode()
    assert "某单位" in html and "某职务" in html
    demo_public_on(today=dt.date(2026, 12, 2))  # safe to repeat
    assert YearReview.objects.filter(status=ReviewStatus.APPROVED).count() == 1
