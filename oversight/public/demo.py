"""Demo: the public duty pages turned on, with unit and position shown; one street's earliest past year
approved (if no year is approved yet) so its deputies' pages have something to show."""
from __future__ import annotations

from django.utils import timezone

from deputies.models import StreetCommittee, Term

from ..choices import ReviewStatus
from ..models import PublicDutySettings, YearReview


def demo_public_on(sender=None, today=None, **_kwargs) -> None:
    today = today or timezone.localdate()
    PublicDutySettings.objects.update_or_create(pk=1, defaults={"enabled": True, "show_unit": True,
                                                               "show_position": True})
    term = Term.objects.order_by("-start_date").first()
    street = StreetCommittee.objects.order_by("code").first()
    if term is None or street is None or YearReview.objects.filter(status=ReviewStatus.APPROVED).exists():
        return
    year = term.start_date.year
    if year >= today.year:
        return
    YearReview.objects.update_or_create(term=term, year=year, street_committee=street,
                                        defaults={"status": ReviewStatus.APPROVED, "note": "演示：已审核通过"})
