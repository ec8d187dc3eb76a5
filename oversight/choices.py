from django.db import models

from oversight.rules.catalog import ACTION_RULES


class InterventionKind(models.TextChoices):
    TALK = "talk", "约谈"
    NOTICE = "notice", "通报"
    TERMINATION = "termination", "资格终止"
    RESIGNATION_ADVICE = "resignation_advice", "劝辞"


ActionRuleChoices = models.TextChoices(
    "ActionRuleChoices", [(rule.id, (rule.id, f"{rule.article} {rule.label}")) for rule in ACTION_RULES]
)
