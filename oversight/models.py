from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from deputies.models import Deputy
from oversight.rules.catalog import ACTION_RULES, ACTION_RULES_BY_ID

from .choices import ActionRuleChoices, InterventionKind


class Intervention(models.Model):
    """What the office actually did about an action finding: a talk, notice, termination or advice."""

    deputy = models.ForeignKey(Deputy, verbose_name="代表", on_delete=models.CASCADE, related_name="interventions")
    rule = models.CharField("规则", max_length=40, choices=ActionRuleChoices.choices)
    kind = models.CharField("处置方式", max_length=20, choices=InterventionKind.choices)
    date = models.DateField("日期")
    conducted_by = models.CharField("实施人", max_length=100)
    notes = models.TextField("备注", blank=True)
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
        rule = ACTION_RULES_BY_ID.get(self.rule)
        if rule and self.kind and self.kind != rule.kind:
            kind_label = InterventionKind(rule.kind).label
            raise ValidationError({"kind": f"规则“{self.rule}”的处置方式只能是“{rule.kind}”({kind_label})。"})
