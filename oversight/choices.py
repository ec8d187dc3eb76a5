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


class ReviewStatus(models.TextChoices):
    """A street committee's year-end submission (Art. 8(二)), as the board shows it."""

    DRAFT = "draft", "待报送"
    SUBMITTED = "submitted", "已报送,待审核"
    RETURNED = "returned", "已退回修改"
    APPROVED = "approved", "已审核通过"
    REOPENED = "reopened", "已重新开放"


class EntryStatus(models.TextChoices):
    """One deputy's handbook inside a street's submission."""

    DRAFT = "draft", "待报送"
    SUBMITTED = "submitted", "待审核"
    RETURNED = "returned", "已退回"
    APPROVED = "approved", "已通过"


class ReviewAction(models.TextChoices):
    SUBMIT = "submit", "报送"
    RETURN = "return", "退回"
    APPROVE = "approve", "审核通过"
    REOPEN = "reopen", "重新开放"
