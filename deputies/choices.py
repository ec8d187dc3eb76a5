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
