from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from deputies.models import Deputy, StreetCommittee, Term

from .choices import ActivityKind, OrganizerLevel, Outcome


class Activity(models.Model):
    """A closed-period activity (闭会期间活动)."""

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="activities")
    kind = models.CharField("活动类型", max_length=30, choices=ActivityKind.choices)
    title = models.CharField("名称", max_length=200)
    date = models.DateField("日期")
    end_date = models.DateField("结束日期", null=True, blank=True)
    organizer_level = models.CharField("组织方", max_length=20, choices=OrganizerLevel.choices)
    street_committee = models.ForeignKey(
        StreetCommittee,
        verbose_name="组织街工委",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="activities",
    )
    location = models.CharField("地点", max_length=200, blank=True)
    description = models.TextField("说明", blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "活动"
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(end_date__isnull=True) | Q(end_date__gte=F("date")), name="activity_end_not_before_start"
            ),
            models.CheckConstraint(condition=Q(kind__in=ActivityKind.values), name="activity_kind_valid"),
            models.CheckConstraint(
                condition=Q(organizer_level__in=OrganizerLevel.values), name="activity_organizer_level_valid"
            ),
        ]
        indexes = [models.Index(fields=["term", "kind", "date"])]

    def __str__(self) -> str:
        return f"{self.title}({self.date:%Y-%m-%d})"

    def clean(self) -> None:
        errors = {}
        if self.date and self.end_date and self.end_date < self.date:
            errors["end_date"] = "结束日期不能早于开始日期。"
        if self.organizer_level == OrganizerLevel.STREET_COMMITTEE and not self.street_committee_id:
            errors["street_committee"] = "街工委组织的活动必须注明街工委。"
        if self.term_id and self.date:
            term = self.term
            if not term.start_date <= self.date <= term.end_date:
                errors["date"] = "活动日期必须在本届任期内。"
        if errors:
            raise ValidationError(errors)


class Participation(models.Model):
    """One deputy's invitation to and outcome at one activity."""

    activity = models.ForeignKey(Activity, verbose_name="活动", on_delete=models.CASCADE, related_name="participations")
    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="participations")
    confirmed = models.BooleanField("应邀确定参加", default=False)
    outcome = models.CharField("参加情况", max_length=10, choices=Outcome.choices, default=Outcome.PENDING)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "参加记录"
        ordering = ["activity", "deputy"]
        constraints = [
            models.UniqueConstraint(fields=["activity", "deputy"], name="participation_one_per_activity_and_deputy"),
            models.CheckConstraint(condition=Q(outcome__in=Outcome.values), name="participation_outcome_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} @ {self.activity}: {self.get_outcome_display()}"

    def clean(self) -> None:
        if self.activity_id and self.deputy_id and self.deputy.term_id != self.activity.term_id:
            raise ValidationError({"deputy": "代表与活动不属于同一届。"})
