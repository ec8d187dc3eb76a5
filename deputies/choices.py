from django.db import models


class Gender(models.TextChoices):
    MALE = "M", "男"
    FEMALE = "F", "女"


class DeputyStatus(models.TextChoices):
    ACTIVE = "active", "在任"
    TERMINATED = "terminated", "资格终止"
    RESIGNED = "resigned", "辞职"
    RECALLED = "recalled", "罢免"
    DECEASED = "deceased", "去世"


# The badge class of a deputy's status (templates/deputies/status_badge.html and the deputy list's rows).
STATUS_BADGE = {DeputyStatus.ACTIVE: "badge-ok", DeputyStatus.TERMINATED: "badge-bad", DeputyStatus.RECALLED: "badge-bad"}
STATUS_BADGE_OTHER = "badge-warn"


class HandlingUnitKind(models.TextChoices):
    """What kind of body a handling unit (承办单位) of suggestions and opinions is."""

    GOVERNMENT_DEPARTMENT = "government_department", "区政府部门"
    COURT = "court", "法院"
    PROCURATORATE = "procuratorate", "检察院"
    SUPERVISION_COMMISSION = "supervision_commission", "监委"
    STREET_OFFICE = "street_office", "街道办事处"
    OTHER = "other", "其他"


class ContactMode(models.TextChoices):
    """How a standing-committee member contacts a deputy (Art. 10(五)); values fixed by DESIGN.md contacts/."""

    RESEARCH = "research", "专题调研"
    INSPECTION = "inspection", "集中视察"
    VISIT = "visit", "走访"
    PHONE = "phone", "电话"
    LETTER = "letter", "信函"
    GROUP_ACTIVITY = "group_activity", "参加代表联组活动"
    FORUM = "forum", "召开座谈会"
