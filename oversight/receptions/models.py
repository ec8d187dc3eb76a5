"""The deputy a street committee recommends for a 主任会议成员接待代表 activity (Art. 10(六)); imported by
oversight/models.py."""
from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from activities.models import Activity
from deputies.models import Deputy, StreetCommittee


class ReceptionRecommendation(models.Model):
    """One street's recommended deputy for one reception: at most one per street and reception (Art. 10(六): 每个
    人大街工委每次推荐1名代表). Written only by oversight/receptions/services.py, which checks the activity's kind, the
    deputy's street and their service on the reception's day; every change is kept in history."""

    reception = models.ForeignKey(
        Activity, verbose_name="接待活动", on_delete=models.PROTECT, related_name="recommendations",
        limit_choices_to={"kind": "director_reception"},
    )
    street_committee = models.ForeignKey(
        StreetCommittee, verbose_name="推荐的街道工委", on_delete=models.PROTECT, related_name="reception_recommendations",
    )
    deputy = models.ForeignKey(
        Deputy, verbose_name="推荐的代表", on_delete=models.PROTECT, related_name="reception_recommendations",
    )
    note = models.CharField("推荐说明", max_length=500, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="推荐人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField("推荐时间", default=timezone.now)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "接待代表活动推荐"
        ordering = ["reception__date", "street_committee__code"]
        constraints = [
            models.UniqueConstraint(fields=["reception", "street_committee"], name="reception_one_per_street"),
        ]

    def __str__(self) -> str:
        return f"{self.street_committee} 推荐 {self.deputy}"
