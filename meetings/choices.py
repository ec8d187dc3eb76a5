from django.db import models


class MeetingKind(models.TextChoices):
    PREPARATORY = "preparatory", "预备会议"
    PLENARY = "plenary", "全体会议"
    DELEGATION = "delegation", "分团会议"
    PRESIDIUM = "presidium", "主席团会议"
    SPECIAL_COMMITTEE = "special_committee", "专门委员会会议"


class HalfDay(models.TextChoices):
    AM = "am", "上午"
    PM = "pm", "下午"
    FULL = "full", "全天"


class AttendanceStatus(models.TextChoices):
    PRESENT = "present", "出席"
    ABSENT = "absent", "缺席"


class LeaveRoute(models.TextChoices):
    WHOLE_SESSION = "whole_session", "全程请假"
    PLENARY = "plenary", "全体会议请假"
    DELEGATION_MEETING = "delegation_meeting", "分团会议请假"


class LeaveStatus(models.TextChoices):
    DRAFT = "draft", "草稿"
    PENDING = "pending", "审批中"
    APPROVED = "approved", "已批准"
    REJECTED = "rejected", "已驳回"
    WITHDRAWN = "withdrawn", "已撤回"


class StepStatus(models.TextChoices):
    WAITING = "waiting", "待处理"
    DONE = "done", "已完成"
    REJECTED = "rejected", "已驳回"
    CANCELLED = "cancelled", "已取消"


class ContributionKind(models.TextChoices):
    REVIEW_OPINION = "review_opinion", "审议意见"
    SUGGESTION = "suggestion", "建议、批评和意见"
    MOTION = "motion", "议案"
    INQUIRY = "inquiry", "询问、质询"
