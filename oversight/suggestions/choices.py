from django.db import models


class SuggestionStatus(models.TextChoices):
    """Where a suggestion is in its cycle (DESIGN.md `suggestions/` status)."""

    SUBMITTED = "submitted", "已提交，待交办"
    ASSIGNED = "assigned", "已交办，办理中"
    REPLIED = "replied", "已答复，待代表评价"
    REHANDLING = "rehandling", "重新办理中"
    CLOSED = "closed", "已办结"
    WITHDRAWN = "withdrawn", "已撤回"


class Resolution(models.TextChoices):
    """What a reply says about the problem (RULES.md: the measure is what was solved)."""

    RESOLVED = "resolved", "已解决"
    IN_PROGRESS = "in_progress", "正在解决"
    PLANNED = "planned", "列入计划逐步解决"
    EXPLAINED = "explained", "留作参考/说明解释"


class Satisfaction(models.TextChoices):
    """The lead deputy's evaluation of a reply."""

    SATISFIED = "satisfied", "满意"
    BASICALLY_SATISFIED = "basically_satisfied", "基本满意"
    DISSATISFIED = "dissatisfied", "不满意"


class SuggestionAction(models.TextChoices):
    """A step of a suggestion's history (SuggestionEvent.action)."""

    SUBMIT = "submit", "提交"
    EDIT = "edit", "修改"
    ASSIGN = "assign", "交办"
    EXTEND = "extend", "延期"
    REPLY = "reply", "答复"
    EVALUATE = "evaluate", "评价"
    CLOSE = "close", "办结"
    WITHDRAW = "withdraw", "撤回"
    CHASE = "chase", "催办"


# The states in which a unit's reply is awaited (the due date runs).
AWAITING_REPLY = frozenset({SuggestionStatus.ASSIGNED, SuggestionStatus.REHANDLING})
