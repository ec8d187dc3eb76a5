from django.db import models


class OpinionStatus(models.TextChoices):
    RECEIVED = "received", "已收集"
    FORWARDED = "forwarded", "已转办"
    REPLIED = "replied", "已答复"
    CLOSED = "closed", "已反馈办结"


class OpinionAction(models.TextChoices):
    RECORD = "record", "登记"
    EDIT = "edit", "修改"
    FORWARD = "forward", "转办"
    REPLY = "reply", "答复"
    CLOSE = "close", "反馈办结"
