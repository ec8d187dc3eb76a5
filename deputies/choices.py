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


class HandlingUnitKind(models.TextChoices):
    """What kind of body a handling unit (承办单位) of suggestions and opinions is."""

    GOVERNMENT_DEPARTMENT = "government_department", "区政府部门"
    COURT = "court", "法院"
    PROCURATORATE = "procuratorate", "检察院"
    SUPERVISION_COMMISSION = "supervision_commission", "监委"
    STREET_OFFICE = "street_office", "街道办事处"
    OTHER = "other", "其他"
