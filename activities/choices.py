from django.db import models


class ActivityKind(models.TextChoices):
    SPECIAL_RESEARCH = "special_research", "专题调研"
    INSPECTION = "inspection", "集中视察"
    LAW_ENFORCEMENT_CHECK = "law_enforcement_check", "执法检查"
    THEME_ACTIVITY = "theme_activity", "主题活动"
    WORK_EVALUATION = "work_evaluation", "工作评议"
    GROUP_ACTIVITY = "group_activity", "代表联组、小组、专业小组活动"
    TRAINING = "training", "集中学习培训"
    LECTURE = "lecture", "代表大讲堂"
    STATION_RECEPTION = "station_reception", "代表之家、联络站接待群众"
    CONSTITUENT_VISIT = "constituent_visit", "走访、座谈等联系群众"
    DUTY_REPORT = "duty_report", "向原选区选民述职"
    SC_MEETING = "sc_meeting", "列席区人大常委会会议"
    COURT_HEARING = "court_hearing", "旁听庭审"
    STREET_MEETING = "street_meeting", "街工委、办事处会议"
    CARD_INSPECTION = "card_inspection", "持证视察"
    DIRECTOR_RECEPTION = "director_reception", "主任会议成员接待代表"
    INVITED_EVENT = "invited_event", "应邀参加的其他活动"


class OrganizerLevel(models.TextChoices):
    STANDING_COMMITTEE = "standing_committee", "区人大常委会"
    STREET_COMMITTEE = "street_committee", "人大街工委"
    DEPUTY_GROUP = "deputy_group", "代表小组"
    DEPUTY = "deputy", "代表个人"
    OTHER = "other", "其他"


class Outcome(models.TextChoices):
    PENDING = "pending", "待定"
    ATTENDED = "attended", "出席"
    EXCUSED = "excused", "请假"
    ABSENT = "absent", "缺席"


class SelfRegistrationStatus(models.TextChoices):
    PENDING = "pending", "待审核"
    APPROVED = "approved", "已通过"
    RETURNED = "returned", "已退回"


# What a deputy may register on their own (个人登记): activities one takes part in individually or
# in a small group; district-organized kinds are registered by their organizer (Art. 8(一)).
SELF_REGISTRATION_KINDS = (
    ActivityKind.STATION_RECEPTION,
    ActivityKind.CONSTITUENT_VISIT,
    ActivityKind.DUTY_REPORT,
    ActivityKind.GROUP_ACTIVITY,
    ActivityKind.INVITED_EVENT,
    ActivityKind.COURT_HEARING,
    ActivityKind.STREET_MEETING,
    ActivityKind.CARD_INSPECTION,
)


class ImportStatus(models.TextChoices):
    INVALID = "invalid", "有错误,未导入"
    READY = "ready", "待确认"
    IMPORTED = "imported", "已导入"
