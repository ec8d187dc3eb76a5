from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from deputies.models import Deputy, StreetCommittee, Term
from dutyadmin.dates import after_today, future_intervention_message
from oversight.rules.catalog import ACTION_RULES, ACTION_RULES_BY_ID

from .choices import ActionRuleChoices, EntryStatus, InterventionKind, ReviewAction, ReviewStatus


class Intervention(models.Model):
    """What the office actually did about an action finding: a talk, notice, termination or advice."""

    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="interventions")
    rule = models.CharField("规则", max_length=40, choices=ActionRuleChoices.choices)
    kind = models.CharField("处置方式", max_length=20, choices=InterventionKind.choices)
    date = models.DateField("日期")
    conducted_by = models.CharField("实施人", max_length=100)
    notes = models.TextField("备注", blank=True)
    # --- public: the liaison office may publish an intervention on the public duty pages (default not).
    published = models.BooleanField("在履职公示页公开", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "履职处置"
        ordering = ["-date", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(kind__in=InterventionKind.values), name="intervention_kind_valid"
            ),
            # The kind must be the rule's own kind (RULES.md, action rules).
            models.CheckConstraint(
                condition=Q(
                    *[Q(rule=rule.id, kind=rule.kind) for rule in ACTION_RULES], _connector=Q.OR
                ),
                name="intervention_kind_matches_rule",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.deputy} {self.get_kind_display()} {self.date:%Y-%m-%d}"

    def clean(self) -> None:
        errors = {}
        rule = ACTION_RULES_BY_ID.get(self.rule)
        if rule and self.kind and self.kind != rule.kind:
            kind_label = InterventionKind(rule.kind).label
            errors["kind"] = f"规则“{self.rule}”的处置方式只能是“{rule.kind}”({kind_label})。"
        if after_today(self.date):
            errors["date"] = future_intervention_message(self.date)
        if errors:
            raise ValidationError(errors)


# --- year-end review of the duty handbooks (Art. 8(二)) ---------------------------------------------


class ReviewDeadline(models.Model):
    """When a term's street committees must submit a year's handbooks; without one, the year's last day
    (Art. 8(二): 履职手册于年底前由人大街工委汇总统计并报代表联络机构审核)."""

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.CASCADE, related_name="review_deadlines")
    year = models.PositiveSmallIntegerField("年度")
    due_date = models.DateField("报送截止日期")
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "年度报送截止日期"
        ordering = ["term", "year"]
        constraints = [models.UniqueConstraint(fields=["term", "year"], name="review_deadline_one_per_year")]

    def __str__(self) -> str:
        return f"{self.term} {self.year}年度:{self.due_date:%Y-%m-%d}"

    def clean(self) -> None:
        if self.term_id and self.year and not self.term.start_date.year <= self.year <= self.term.end_date.year:
            raise ValidationError({"year": "年度必须在本届任期内。"})
        if self.year and self.due_date and self.due_date.year < self.year:
            raise ValidationError({"due_date": "报送截止日期不能早于该年度。"})


class YearReview(models.Model):
    """One street committee's handbooks of one year: compiled and submitted by its staff, reviewed by the
    liaison office. Approval locks the year's records of the street's deputies (oversight.review.lock)."""

    term = models.ForeignKey(Term, verbose_name="届", on_delete=models.PROTECT, related_name="year_reviews")
    year = models.PositiveSmallIntegerField("年度")
    street_committee = models.ForeignKey(
        StreetCommittee, verbose_name="人大街工委", on_delete=models.PROTECT, related_name="year_reviews"
    )
    status = models.CharField("状态", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT)
    note = models.TextField("报送说明", blank=True)
    submitted_at = models.DateTimeField("报送时间", null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="报送人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField("审核时间", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="审核人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "年度履职手册审核"
        ordering = ["-year", "street_committee__code"]
        constraints = [
            models.UniqueConstraint(fields=["term", "year", "street_committee"], name="year_review_one_per_street"),
            models.CheckConstraint(condition=Q(status__in=ReviewStatus.values), name="year_review_status_valid"),
        ]
        # The lock check asks for approved reviews by street and year on every protected write.
        indexes = [models.Index(fields=["street_committee", "year", "status"])]

    def __str__(self) -> str:
        return f"{self.street_committee} {self.year}年度"


class YearReviewEntry(models.Model):
    """One deputy's handbook in a street's submission: submitted, returned with a reason, approved."""

    review = models.ForeignKey(YearReview, verbose_name="年度审核", on_delete=models.CASCADE, related_name="entries")
    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="year_review_entries")
    status = models.CharField("状态", max_length=10, choices=EntryStatus.choices, default=EntryStatus.DRAFT)
    return_reason = models.TextField("退回理由", blank=True)
    # The year's progress as submitted: {"rules": {rule id: [count, required, status]}, "records": n}.
    snapshot = models.JSONField("报送时的统计", default=dict, blank=True)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "年度审核代表"
        ordering = ["review", "deputy__name", "deputy_id"]
        constraints = [
            models.UniqueConstraint(fields=["review", "deputy"], name="year_review_entry_one_per_deputy"),
            models.CheckConstraint(condition=Q(status__in=EntryStatus.values), name="year_review_entry_status_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.review} · {self.deputy}"


class YearReviewEvent(models.Model):
    """What happened to a submission, in order: who submitted, returned (whom, why), approved, reopened (why)."""

    review = models.ForeignKey(YearReview, verbose_name="年度审核", on_delete=models.CASCADE, related_name="events")
    entry = models.ForeignKey(
        YearReviewEntry, verbose_name="代表", null=True, blank=True, on_delete=models.CASCADE, related_name="events"
    )
    action = models.CharField("操作", max_length=10, choices=ReviewAction.choices)
    reason = models.TextField("理由或说明", blank=True)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name="操作人", null=True, blank=True, on_delete=models.SET_NULL,
        related_name="+",
    )
    at = models.DateTimeField("时间", default=timezone.now)

    class Meta:
        verbose_name = verbose_name_plural = "年度审核记录"
        ordering = ["at", "id"]
        constraints = [
            models.CheckConstraint(condition=Q(action__in=ReviewAction.values), name="year_review_event_action_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.review} {self.get_action_display()}"


# Notifications live in their own module; imported here so Django sees them as this app's models.
from .notifications.models import (  # noqa: E402,F401
    Notification,
    NotificationPreference,
)
from .suggestions.models import (  # noqa: E402,F401
    Suggestion,
    SuggestionEvent,
    SuggestionReply,
    SuggestionReplyAttachment,
)
# --- opinions: constituents' opinions (issue 14) ---
from .opinions.models import Opinion, OpinionEvent, OpinionPhoneRead  # noqa: E402,F401



# --- public: the district's switches for the public duty pages (代表法第五十八条，条例第九条第（十）项)
class PublicDutySettings(models.Model):
    """One row (pk=1): whether the public duty pages are on and which optional fields they show."""

    enabled = models.BooleanField("开放履职公示页", default=False)
    show_unit = models.BooleanField("公示工作单位", default=False)
    show_position = models.BooleanField("公示职务", default=False)
    history = HistoricalRecords()

    class Meta:
        verbose_name = verbose_name_plural = "履职公示设置"

    def __str__(self) -> str:
        return "履职公示设置"

    @classmethod
    def current(cls) -> "PublicDutySettings":
        return cls.objects.get_or_create(pk=1)[0]


# --- receptions: A10.6 a street's recommended deputy for a 主任会议成员接待代表 activity
from .receptions.models import ReceptionRecommendation  # noqa: E402,F401
