"""Demo data for `make run`: Dongcheng's 17 street committees, the 17th term with ~280 synthetic
deputies and five years of records, and one demo user per role.

Everything is generated from `random.Random(SEED)`, so every run builds the same district. The
records are planned in memory first (so thresholds can be checked and topped up before anything
is written), then written with `bulk_create` (no history rows: seeded data has no editor).

Most deputies are deliberately ordinary: as of DEMO_TODAY they meet every yearly and term
threshold, never miss a reception for a year, speak at every session and have at most one
confirmed absence from an invitation. A few deputies are planted so that every rule and data
check of RULES.md fires; `DEMO_CASES` names them (one per rule/check id) so tests can find them.

Deliberate cases, as of DEMO_TODAY = 2026-11-27 (sessions: s1 2022-01-04..07, s2 2023-01-09..12,
s3 2024-01-08..11, s4 2025-01-06..09, s5 2026-01-12..15):

| rule / check              | deputy | street   | what the records show                                             |
|---------------------------|--------|----------|-------------------------------------------------------------------|
| closed_session_activities | 孙建平 | 安定门   | 1 A4.1 activity attended in 2025 (missed), 1 in 2026 (behind)     |
| group_activities          | 周晓燕 | 东花市   | 2 group activities in 2024 (missed), 1 in 2026 (behind)           |
| station_receptions        | 吴国强 | 交道口   | 1 reception in 2025 (June; missed); other years normal            |
| training                  | 郑丽娟 | 北新桥   | 1 training over the term (behind)                                 |
| lectures                  | 冯志刚 | 崇文门外 | 2 lectures over the term (behind)                                 |
| sc_meeting_attendance     | 陈秀兰 | 景山     | never sat in on a standing-committee meeting (behind)             |
| duty_report               | 褚文博 | 建国门   | never reported to the voters (behind)                             |
| absence_notice            | 卫红梅 | 东华门   | 2 unexcused delegation meetings at s5, present at the rest; no    |
|                           |        |          | notice since                                                      |
| session_absence_talk      | 蒋立新 | 东四     | absent from all of s4 with only a *pending* whole-session leave;  |
|                           |        |          | no talk                                                           |
| qualification_termination | 韩德明 | 东四     | absent from all of s3 (no leave) and s4 (whole-session leave      |
|                           |        |          | rejected); talk after s3 (resolved); no termination               |
| silent_in_sessions_talk   | 杨淑芬 | 朝阳门   | present at s3 and s4 but only a motion / an inquiry there; no talk |
| activity_absence_notice   | 朱永华 | 朝阳门   | accepted, then absent: inspection (Mar 2025), lecture (May 2025); |
|                           |        |          | no notice                                                         |
| activity_absence_talk     | 秦海燕 | 东四     | two such absences Feb/Mar 2024, notice 2024-10-15, absent again   |
|                           |        |          | at an SC meeting Apr 2025; no talk                                |
| no_contact_talk           | 许振东 | 东四     | last reception June 2025 (two that year), none since; no talk     |
| resignation_advice        | 何桂英 | 龙潭     | last reception Feb 2023; no_contact talk 2024-04-10; none since   |
| unrecorded_attendance     | 施慧敏 | 东直门   | no attendance record for one s2 delegation meeting               |
| duplicate_registration    | 孔令华 | 东四     | the district theme activity and 东四's registration of it, same day |
| leave_conflict            | 曹雅琴 | 前门     | approved plenary leave for s3's second plenary, recorded present  |
| leave_not_filed           | 苏春学 |          | delegation-meeting leave at s5 approved by his head (deciding),   |
|                           |        |          | never filed by the secretariat; his absence is excused            |
| record_outside_service    | 严卫国 | 朝阳门   | resigned 2024-06-30; a station reception attended in Aug 2024     |

More variants (`DEMO_EXTRA_CASES`): 沈玉珍 (朝阳门) missed all of s3 without leave, talked to
after it (session_absence_talk resolved); 吕志强 (朝阳门) had no reception from Apr 2022 to Aug
2023 and a talk in May 2023 (a historical no_contact_talk, closed since); 张伟东 (和平里) has
an unrecorded s4 plenary; 华雪梅 (天坛) had an approved whole-session leave for s3 (example 5 of
RULES.md). Unexcused absences at s1–s4 were all followed by a secretariat notice; those at s5 not.

Suggestions (issue 13, dutyadmin/demo_suggestions.py): the handling units (区政府 departments, 区人民法院,
区人民检察院, 区监委, one 街道办事处 per street) and about fifty suggestions of s5 and of the closed period after it,
one in every state of their cycle as of DEMO_TODAY, made only through oversight/suggestions/services.py. From s5
on, every `suggestion` contribution is a suggestion's own (the plan's plain ones of that time are dropped).
The `chengguan_unit` user replies for 区城市管理委.

One threshold change (the thresholds page, /oversight/thresholds/): resignation_grace_days 180 → 150 from
2026-12-15, entered by the liaison office on 2026-11-20 (not in force as of DEMO_TODAY, so still deletable).

One suspension (暂时停止执行代表职务, 代表法 Art. 61; `DEMO_SUSPENSION`): 张伟东 (和平里) from 2026-03-01 to
2026-06-30, 因涉嫌犯罪被羁押, entered by the liaison office. He has no record inside it, and his 2026 yearly
requirements are owed pro rata on the 243 days not suspended (A4.1 and A4.4: 2, not 3; the deputy's page and his
2026 handbook show it).
"""
from __future__ import annotations

import random
import time
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from activities.choices import ActivityKind, OrganizerLevel, Outcome, SelfRegistrationStatus
from activities.models import Activity, Participation, SelfRegistration
from deputies.choices import DeputyStatus, Gender
from deputies.models import (
    ContactAssignment,
    Delegation,
    Deputy,
    HandlingUnit,
    StreetCommittee,
    Suspension,
    Term,
    ThresholdChange,
    UserScope,
)
from dutyadmin.roles import Role
from meetings.choices import (
    AttendanceStatus,
    ContributionKind,
    HalfDay,
    LeaveRoute,
    LeaveStatus,
    MeetingKind,
    StepStatus,
)
from meetings.models import Attendance, CongressSession, Contribution, LeaveApprovalStep, LeaveRequest, Meeting
from meetings.services import LEAVE_CHAINS
from oversight.models import Intervention
from oversight.suggestions.models import Suggestion
from oversight.rules import DeputyFacts, Facts, Finding, ParticipationFact, TermFacts, build_facts, evaluate
from oversight.rules.catalog import (
    A93_KINDS,
    DEFAULT_THRESHOLDS,
    THRESHOLD_RULES,
    THRESHOLD_RULES_BY_ID,
    ThresholdRule,
)
from oversight.rules.windows import is_suspended, prorated_required, service_window, suspended_spans, year_windows

from .demo_checkin import checkin_write  # --- gaps14a
from .demo_contacts import DEMO_CONTACT_MEMBERS, contacts_write
from .demo_opinions import opinions_write  # --- opinions
from .demo_receptions import receptions_write  # --- receptions
from .demo_suggestions import DEMO_UNIT_CODE, DEMO_UNIT_NAME, handling_units_ensure, suggestions_write

SEED = 20220101
DEMO_TODAY = date(2026, 11, 27)
DEMO_THRESHOLD_CHANGE_FROM = date(2026, 12, 15)  # the demo's threshold change takes effect after DEMO_TODAY
# The demo's suspension (代表法 Art. 61): deputy, first and last day, reason; in the past year, between sessions.
DEMO_SUSPENSION = ("张伟东", date(2026, 3, 1), date(2026, 6, 30),
                   "因涉嫌犯罪被羁押，依法暂时停止执行代表职务；2026年6月30日取保候审解除羁押，自7月1日起恢复执行代表职务。")
DEMO_PASSWORD = "demo-2026"
TZ = ZoneInfo("Asia/Shanghai")

TERM_NUMBER = 17
TERM_NAME = "东城区第十七届人民代表大会"
TERM_START = date(2022, 1, 1)
TERM_END = date(2026, 12, 31)
BY_ELECTION = date(2024, 10, 1)

# Dongcheng's 17 streets with their administrative division codes (GB/T 10114).
STREETS: list[tuple[str, str]] = [
    ("东华门", "110101001"),
    ("景山", "110101002"),
    ("交道口", "110101003"),
    ("安定门", "110101004"),
    ("北新桥", "110101005"),
    ("东四", "110101006"),
    ("朝阳门", "110101007"),
    ("建国门", "110101008"),
    ("东直门", "110101009"),
    ("和平里", "110101010"),
    ("前门", "110101011"),
    ("崇文门外", "110101012"),
    ("东花市", "110101013"),
    ("龙潭", "110101014"),
    ("体育馆路", "110101015"),
    ("天坛", "110101016"),
    ("永定门外", "110101017"),
]
STREET_NAMES = [name for name, _ in STREETS]
LARGER_STREETS = {"和平里", "东直门", "龙潭", "体育馆路", "东花市"}  # one more seat each

CN_NUMBERS = "一二三四五六七八九十"
SESSION_DATES = [
    (date(2022, 1, 4), date(2022, 1, 7)),
    (date(2023, 1, 9), date(2023, 1, 12)),
    (date(2024, 1, 8), date(2024, 1, 11)),
    (date(2025, 1, 6), date(2025, 1, 9)),
    (date(2026, 1, 12), date(2026, 1, 15)),
]
# (day of the session, half day, kind, title): every deputy in service is expected at each.
MEETING_PLAN = [
    (0, HalfDay.AM, MeetingKind.PREPARATORY, "预备会议"),
    (0, HalfDay.PM, MeetingKind.PLENARY, "第一次全体会议(开幕)"),
    (1, HalfDay.AM, MeetingKind.DELEGATION, "代表团会议:审议政府工作报告"),
    (1, HalfDay.PM, MeetingKind.DELEGATION, "代表团会议:审议计划和预算报告"),
    (2, HalfDay.AM, MeetingKind.PLENARY, "第二次全体会议"),
    (2, HalfDay.PM, MeetingKind.DELEGATION, "代表团会议:审议常委会、法院、检察院工作报告"),
    (3, HalfDay.AM, MeetingKind.DELEGATION, "代表团会议:审议决议草案"),
    (3, HalfDay.PM, MeetingKind.PLENARY, "第三次全体会议(闭幕)"),
]

# Rule/check id → the deputy planted to make it fire (see the table above).
DEMO_CASES: dict[str, str] = {
    "closed_session_activities": "孙建平",
    "group_activities": "周晓燕",
    "station_receptions": "吴国强",
    "training": "郑丽娟",
    "lectures": "冯志刚",
    "sc_meeting_attendance": "陈秀兰",
    "duty_report": "褚文博",
    "absence_notice": "卫红梅",
    "session_absence_talk": "蒋立新",
    "qualification_termination": "韩德明",
    "silent_in_sessions_talk": "杨淑芬",
    "activity_absence_notice": "朱永华",
    "activity_absence_talk": "秦海燕",
    "no_contact_talk": "许振东",
    "resignation_advice": "何桂英",
    "unrecorded_attendance": "施慧敏",
    "duplicate_registration": "孔令华",
    "leave_conflict": "曹雅琴",
    "leave_not_filed": "苏春学",  # an ordinary deputy drawn by the seed (build_leaves), not planted by name
    "record_outside_service": "严卫国",
}
DEMO_EXTRA_CASES: dict[str, str] = {
    "session_absence_talk_resolved": "沈玉珍",
    "no_contact_talk_historical": "吕志强",
    "unrecorded_attendance_second": "张伟东",
    "whole_session_leave_approved": "华雪梅",
}
DEMO_DEPUTY_NAME = "金晓明"  # an ordinary deputy of 东四, the `deputy` demo user
DEMO_HEAD_NAME = "魏建华"  # head of 东四代表团, the `delegation_head` demo user

M, F = Gender.MALE, Gender.FEMALE
# name, gender, street, case key, service_end, status
_PLANTED: list[tuple[str, str, str, str, date | None, str]] = [
    (DEMO_HEAD_NAME, M, "东四", "head", None, DeputyStatus.ACTIVE),
    (DEMO_DEPUTY_NAME, M, "东四", "demo_deputy", None, DeputyStatus.ACTIVE),
    *[
        (name, gender, street, key, None, DeputyStatus.ACTIVE)
        for key, (name, gender, street) in {
            "closed_session_activities": ("孙建平", M, "安定门"),
            "group_activities": ("周晓燕", F, "东花市"),
            "station_receptions": ("吴国强", M, "交道口"),
            "training": ("郑丽娟", F, "北新桥"),
            "lectures": ("冯志刚", M, "崇文门外"),
            "sc_meeting_attendance": ("陈秀兰", F, "景山"),
            "duty_report": ("褚文博", M, "建国门"),
            "absence_notice": ("卫红梅", F, "东华门"),
            "session_absence_talk": ("蒋立新", M, "东四"),
            "qualification_termination": ("韩德明", M, "东四"),
            "silent_in_sessions_talk": ("杨淑芬", F, "朝阳门"),
            "activity_absence_notice": ("朱永华", M, "朝阳门"),
            "activity_absence_talk": ("秦海燕", F, "东四"),
            "no_contact_talk": ("许振东", M, "东四"),
            "resignation_advice": ("何桂英", F, "龙潭"),
            "unrecorded_attendance": ("施慧敏", F, "东直门"),
            "duplicate_registration": ("孔令华", M, "东四"),
            "leave_conflict": ("曹雅琴", F, "前门"),
            "session_absence_talk_resolved": ("沈玉珍", F, "朝阳门"),
            "no_contact_talk_historical": ("吕志强", M, "朝阳门"),
            "unrecorded_attendance_second": ("张伟东", M, "和平里"),
            "whole_session_leave_approved": ("华雪梅", F, "天坛"),
        }.items()
    ],
    ("严卫国", M, "朝阳门", "record_outside_service", date(2024, 6, 30), DeputyStatus.RESIGNED),
]
# Generated deputies whose service ended, and by-election deputies: (street, status, end).
_ENDED = [
    ("东华门", DeputyStatus.TERMINATED, date(2023, 11, 30)),
    ("北新桥", DeputyStatus.DECEASED, date(2025, 3, 20)),
    ("龙潭", DeputyStatus.RESIGNED, date(2026, 4, 30)),
]
_BY_ELECTED_STREETS = ["东四", "景山", "天坛"]

# Staff users' display names; conducted_by / acted_by_name use the same names.
STAFF_NAMES = {
    "dongsi_staff": "王静",
    "dongsi_director": "刘敏",
    "chaoyangmen_staff": "赵磊",
    "secretariat": "李娜",
    "secretary_general": "高建军",
    "sc_office": "张华",
    "sc_leader": "马志远",
    "liaison": "黄丽",
    "chengguan_unit": "邵嘉禾",  # 嘉 and 禾 are in no pool of person_name: never a deputy's name
    "admin": "系统管理员",
}


@dataclass(frozen=True)
class DemoUser:
    username: str
    role: str
    street: str | None = None  # street committee name
    delegation_of: str | None = None  # the street whose delegation the user heads
    deputy: str | None = None  # deputy name
    unit: str | None = None  # handling unit name (made if missing: DEMO_UNITS)


# The handling units demo users reply for: name → (code, kind); made by demo_users_ensure when missing.
DEMO_UNITS: dict[str, tuple[str, str]] = {DEMO_UNIT_NAME: (DEMO_UNIT_CODE, "government_department")}

DEMO_USERS: tuple[DemoUser, ...] = (
    DemoUser("dongsi_staff", Role.STREET_STAFF, street="东四"),
    DemoUser("dongsi_director", Role.STREET_DIRECTOR, street="东四"),
    DemoUser("chaoyangmen_staff", Role.STREET_STAFF, street="朝阳门"),
    DemoUser("dongsi_deputy", Role.DEPUTY, deputy=DEMO_DEPUTY_NAME),
    DemoUser("dongsi_head", Role.DELEGATION_HEAD, delegation_of="东四", deputy=DEMO_HEAD_NAME),
    DemoUser("secretariat", Role.SECRETARIAT),
    DemoUser("secretary_general", Role.PRESIDIUM_SECRETARY_GENERAL),
    DemoUser("sc_office", Role.SC_OFFICE),
    DemoUser("sc_leader", Role.SC_LEADER),
    DemoUser("liaison", Role.LIAISON_OFFICE),
    DemoUser("chengguan_unit", Role.HANDLING_UNIT, unit=DEMO_UNIT_NAME),
    DemoUser("sc_member", Role.SC_MEMBER),
    # --- gaps14b: the other standing-committee members of demo_contacts, printed with the rest
    DemoUser("scm_li", Role.SC_MEMBER),
    DemoUser("scm_zhao", Role.SC_MEMBER),
    DemoUser("scm_chen", Role.SC_MEMBER),
    DemoUser("admin", Role.ADMIN),
)


# --- gaps14b: the standing-committee members' display names (not in STAFF_NAMES: the deputies' names avoid those)
MEMBER_NAMES = {username: name for username, name, *_ in DEMO_CONTACT_MEMBERS}


def delegation_name(street: str) -> str:
    """The demo delegation of a street: one delegation per street."""
    return f"{street}代表团"


@dataclass(frozen=True)
class UserRow:
    """One line of the credentials table."""

    username: str
    password: str
    role: str  # Chinese label
    scope: str
    created: bool


@dataclass
class SeedResult:
    created: bool
    seconds: float
    counts: dict[str, int]
    users: list[UserRow]


# ---------------------------------------------------------------------------------------------
# Vocabulary for plausible records
# ---------------------------------------------------------------------------------------------

SURNAMES = (
    "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许傅沈曾彭吕苏卢蒋蔡贾丁魏薛叶阎余潘杜戴"
    "夏钟汪田任姜范方石姚谭廖邹熊金陆郝孔白崔康毛邱秦江史顾侯邵孟龙万段雷钱汤尹黎易常武乔贺赖龚文"
)
GIVEN_M = "伟强磊军勇杰涛明超刚平辉鹏华飞鑫波斌宇浩凯健俊帆旭宁龙林建国志文海东永庆德振宏新立春光卫晓天成学毅峰"
GIVEN_F = "芳娜敏静丽艳娟霞秀玲桂英燕萍红梅琳雪慧颖洁婷倩晶岚雅琴淑兰莉丹欣悦佳蕾云华晓玉珍婧"
COMMUNITIES = ["和平", "民安", "新景", "福祥", "育群", "青龙", "府学", "花园", "北里", "南里", "东里", "西里"]
UNITS: list[tuple[str, tuple[str, ...]]] = [
    ("{street}街道办事处", ("副主任", "社区建设办公室主任", "平安建设办公室主任")),
    ("{street}街道{community}社区居委会", ("党委书记", "主任", "副主任")),
    ("{street}街道{community}社区居委会", ("居民",)),
    ("北京市第二中学", ("教师", "副校长")),
    ("北京市第一六六中学", ("教师", "年级组长")),
    ("史家胡同小学", ("教师", "德育主任")),
    ("北京协和医院", ("主任医师", "护士长")),
    ("首都医科大学附属北京同仁医院", ("副主任医师", "护士长")),
    ("北京中医医院", ("主任医师",)),
    ("东城区第一人民医院", ("医生", "科主任")),
    ("东城区社区卫生服务中心", ("全科医生", "主任")),
    ("王府井百货集团", ("部门经理", "营业员")),
    ("北京同仁堂股份有限公司", ("高级工程师", "药师")),
    ("东城区市场监督管理局", ("科长",)),
    ("东城区城市管理委员会", ("副主任", "科长")),
    ("东城区民政局", ("科长",)),
    ("东城区教育委员会", ("副主任",)),
    ("北京市公安局东城分局", ("社区民警", "派出所所长")),
    ("东城区消防救援支队", ("站长",)),
    ("东城区残疾人联合会", ("副理事长",)),
    ("东城区总工会", ("干部",)),
    ("律师事务所", ("律师", "合伙人")),
    ("物业服务企业", ("项目经理",)),
    ("科技企业", ("技术总监", "总经理")),
    ("个体工商户", ("经营者",)),
    ("退休", ("退休干部", "退休教师")),
]
TOPICS = [
    "老旧小区综合整治", "背街小巷环境精细化治理", "养老服务驿站建设", "居民停车难问题", "义务教育资源均衡配置",
    "生活垃圾分类", "历史文化街区保护更新", "社区卫生服务能力", "便民商业网点布局", "交通拥堵治理",
    "无障碍环境建设", "平房区安全隐患排查", "共享单车停放管理", "社区菜市场升级", "物业管理全覆盖",
    "接诉即办诉求办理", "中轴线申遗保护", "胡同绿化美化", "老年助餐服务", "婴幼儿托育服务",
    "文物腾退与活化利用", "商圈消费升级", "社区体育设施", "地下管网改造", "群众文化活动",
]
REPORTS = [
    "政府工作报告", "国民经济和社会发展计划执行情况与计划草案的报告", "财政预算执行情况和预算草案的报告",
    "区人大常委会工作报告", "区人民法院工作报告", "区人民检察院工作报告",
]
LAWS = [
    "北京市物业管理条例", "北京市生活垃圾管理条例", "北京历史文化名城保护条例", "北京市街道办事处条例",
    "北京市文明行为促进条例", "北京市接诉即办工作条例", "北京市安全生产条例", "北京市消防条例",
    "中华人民共和国未成年人保护法", "北京市居家养老服务条例",
]
THEMES = ["代表在身边", "人民城市人民建", "民生实事代表行", "首都文明代表行", "接诉即办代表行", "美丽家园共建"]
DEPARTMENTS = ["区民政局", "区卫生健康委", "区教委", "区城市管理委", "区住房城乡建设委", "区市场监管局", "区文化和旅游局"]
LECTURE_SUBJECTS = [
    "宪法和代表法学习", "预算审查监督实务", "如何提出高质量的代表建议", "历史文化街区保护", "基层治理与接诉即办",
    "生态环境保护", "法治政府建设", "人口老龄化与养老服务", "全过程人民民主实践", "城市更新政策解读",
]
LEAVE_REASONS = [
    "因公出差,单位已出具请假证明", "住院治疗", "家中老人病重需陪护", "参加单位重要会议", "因公出国(境)",
    "突发疾病", "参加上级单位专项工作",
]

# District-level schedule per year: (month, day, kind); dates on a weekend move to a weekday.
DISTRICT_A41 = [
    (2, 22, ActivityKind.SPECIAL_RESEARCH),
    (3, 15, ActivityKind.INSPECTION),
    (4, 19, ActivityKind.LAW_ENFORCEMENT_CHECK),
    (5, 17, ActivityKind.THEME_ACTIVITY),
    (6, 14, ActivityKind.SPECIAL_RESEARCH),
    (7, 12, ActivityKind.INSPECTION),
    (9, 13, ActivityKind.WORK_EVALUATION),
    (10, 18, ActivityKind.LAW_ENFORCEMENT_CHECK),
    (11, 15, ActivityKind.THEME_ACTIVITY),
]
STREET_A41 = [
    (3, 31, ActivityKind.THEME_ACTIVITY),
    (6, 20, ActivityKind.SPECIAL_RESEARCH),
    (10, 25, ActivityKind.INSPECTION),
]
TRAININGS = [(3, 10), (9, 8)]
LECTURES = [(3, 24), (5, 26), (9, 22), (11, 10)]
SC_MEETINGS = [(2, 25), (4, 26), (6, 27), (8, 29), (10, 27), (12, 20)]
GROUPS = [(2, 28), (5, 10), (8, 16), (11, 8), (12, 12)]
RECEPTIONS_H1 = [(2, 15), (4, 15), (6, 15)]
RECEPTIONS_H2 = [(8, 15), (10, 15), (12, 10)]
A41_KINDS = THRESHOLD_RULES_BY_ID["closed_session_activities"].kinds
YEARS = range(TERM_START.year, TERM_END.year + 1)


def _weekday(d: date) -> date:
    """Move a Saturday to Friday and a Sunday to Monday: offices work on weekdays."""
    if d.weekday() == 5:
        return d - timedelta(days=1)
    if d.weekday() == 6:
        return d + timedelta(days=1)
    return d


def _at(d: date, hour: int, minute: int = 0) -> datetime:
    return datetime(d.year, d.month, d.day, hour, minute, tzinfo=TZ)


# ---------------------------------------------------------------------------------------------
# The in-memory plan
# ---------------------------------------------------------------------------------------------


@dataclass(eq=False)
class _Dep:
    name: str
    gender: str
    street: str
    case: str = ""
    start: date = TERM_START
    end: date | None = None
    status: str = DeputyStatus.ACTIVE
    clean: bool = False  # demo users and delegation heads: never a random lapse
    unit: str = ""
    position: str = ""
    constituency: str = ""
    party_member: bool = False
    phone: str = ""
    suspensions: tuple[tuple[date, date | None], ...] = ()  # 暂时停止执行代表职务: outside service for every rule
    obj: Deputy | None = None

    @property
    def until(self) -> date:
        return self.end or TERM_END

    def serves(self, d: date) -> bool:
        return self.start <= d <= self.until and not is_suspended(d, self.spans)

    @property
    def spans(self) -> tuple[tuple[date, date], ...]:
        """The suspended days as the rules read them as of DEMO_TODAY (oversight.rules.windows)."""
        return suspended_spans(self.suspensions, self.start, self.until, DEMO_TODAY) if self.suspensions else ()

    @property
    def ordinary(self) -> bool:
        return not self.case and not self.clean


@dataclass(eq=False)
class _Act:
    kind: str
    title: str
    date: date
    level: str
    street: str | None
    location: str
    description: str = ""
    obj: Activity | None = None


@dataclass
class _Part:
    confirmed: bool
    outcome: str
    locked: bool = False  # planted by a deliberate case: top-ups and clean-ups leave it alone


@dataclass(eq=False)
class _Meet:
    session: int
    kind: str
    title: str
    date: date
    half_day: str
    obj: Meeting | None = None


@dataclass(eq=False)
class _Leave:
    dep: int
    session: int
    route: str
    status: str
    meetings: list[int]
    reason: str
    # pending: the waiting step; rejected: the rejecting one; withdrawn: first not done; approved: the filing
    # step still open (None: every step done)
    step: int | None = None
    comment: str = ""
    backfilled: bool = False
    effect: str = "absent"  # absent | present | conflict: what the deputy did at the covered meetings


class _Plan:
    """Builds the whole demo district in memory, deterministically."""

    def __init__(self) -> None:
        self.rng = random.Random(SEED)
        self.used_names: set[str] = {row[0] for row in _PLANTED} | set(STAFF_NAMES.values())
        self.deps: list[_Dep] = []
        self.by_name: dict[str, int] = {}
        self.heads: dict[str, int] = {}
        self.directors: dict[str, str] = {}
        self.meets: list[_Meet] = []
        self.attendance: dict[tuple[int, int], str] = {}
        self.leaves: list[_Leave] = []
        self.acts: list[_Act] = []
        self.acts_by_kind: dict[str, list[int]] = defaultdict(list)
        self.parts: dict[tuple[int, int], _Part] = {}
        self.dep_parts: dict[int, list[int]] = defaultdict(list)
        self.attended_days: dict[int, set[tuple[str, date]]] = defaultdict(set)
        self.contributions: list[tuple[int, int | None, str, date, str]] = []
        self.interventions: list[tuple[int, str, str, date, str, str]] = []
        self.contacts: list[tuple[str, int]] = []
        self.sc_meeting_no = 0

    # -- names ---------------------------------------------------------------------------------

    def person_name(self, gender: str) -> str:
        rng = self.rng
        while True:
            pool = GIVEN_M if gender == M else GIVEN_F
            given = rng.choice(pool) if rng.random() < 0.3 else rng.choice(pool) + rng.choice(pool)
            if len(given) == 2 and given[0] == given[1]:
                continue
            name = rng.choice(SURNAMES) + given
            if name not in self.used_names:
                self.used_names.add(name)
                return name

    # -- deputies --------------------------------------------------------------------------------

    def build_deputies(self) -> None:
        rng = self.rng
        planted_by_street: dict[str, list[tuple]] = defaultdict(list)
        for row in _PLANTED:
            planted_by_street[row[2]].append(row)
        ended = {street: (status, end) for street, status, end in _ENDED}
        for street in STREET_NAMES:
            size = 17 if street in LARGER_STREETS else 16
            members: list[_Dep] = []
            for name, gender, _, case, end, status in planted_by_street[street]:
                members.append(_Dep(name=name, gender=gender, street=street, case=case if case not in
                                    ("head", "demo_deputy") else "", clean=case in ("head", "demo_deputy"),
                                    end=end, status=status))
            while len(members) < size:
                gender = M if rng.random() < 0.6 else F
                members.append(_Dep(name=self.person_name(gender), gender=gender, street=street))
            if street in ended:
                # The last generated deputy of the street left office.
                members[-1].status, members[-1].end = ended[street]
            if street in _BY_ELECTED_STREETS:
                gender = M if rng.random() < 0.5 else F
                members.append(_Dep(name=self.person_name(gender), gender=gender, street=street, start=BY_ELECTION))
            for i, dep in enumerate(members):
                self._describe(dep, i)
            for dep in members:
                self.by_name[dep.name] = len(self.deps)
                self.deps.append(dep)
            if street == "东四":
                self.heads[street] = self.by_name[DEMO_HEAD_NAME]
            else:
                head = next(d for d in members if d.ordinary and d.end is None and d.start == TERM_START)
                head.clean = True
                self.heads[street] = self.by_name[head.name]
            self.directors[street] = STAFF_NAMES["dongsi_director"] if street == "东四" else self.person_name(
                M if rng.random() < 0.5 else F
            )

    def _describe(self, dep: _Dep, i: int) -> None:
        rng = self.rng
        template, positions = rng.choice(UNITS)
        dep.unit = template.format(street=dep.street, community=rng.choice(COMMUNITIES))
        dep.position = rng.choice(positions)
        dep.constituency = f"{dep.street}街道第{i // 2 + 1}选区"
        dep.party_member = rng.random() < 0.7
        # 100… is no mobile allocation in China, so the numbers reach nobody.
        dep.phone = f"100{rng.randrange(10**8):08d}"

    def d(self, name: str) -> int:
        return self.by_name[name]

    def in_service(self, when: date) -> list[int]:
        return [i for i, dep in enumerate(self.deps) if dep.serves(when)]

    # -- sessions, leave, attendance, contributions ----------------------------------------------

    def build_meetings(self) -> None:
        for s, (start, _) in enumerate(SESSION_DATES):
            for day, half, kind, title in MEETING_PLAN:
                self.meets.append(_Meet(s, kind, title, start + timedelta(days=day), half))

    def session_meetings(self, s: int, kind: str | None = None) -> list[int]:
        return [i for i, m in enumerate(self.meets) if m.session == s and (kind is None or m.kind == kind)]

    def expected_at(self, s: int) -> list[int]:
        start, end = SESSION_DATES[s]
        return [i for i, dep in enumerate(self.deps) if dep.start <= start and end <= dep.until]

    def build_leaves(self) -> None:
        rng = self.rng
        W, P, DM = LeaveRoute.WHOLE_SESSION, LeaveRoute.PLENARY, LeaveRoute.DELEGATION_MEETING
        A, PE, R, WD, DR = (LeaveStatus.APPROVED, LeaveStatus.PENDING, LeaveStatus.REJECTED,
                            LeaveStatus.WITHDRAWN, LeaveStatus.DRAFT)
        # (deputy or None for an ordinary one, session, route, status, step, backfilled, effect)
        specs = [
            ("华雪梅", 2, W, A, None, False, "absent"),
            (None, 0, W, A, None, False, "absent"),
            (None, 3, W, A, None, True, "absent"),
            (None, 1, P, A, None, False, "absent"),
            (None, 4, P, A, None, True, "absent"),
            ("曹雅琴", 2, P, A, None, False, "conflict"),
            (None, 0, DM, A, None, False, "absent"),
            (None, 3, DM, A, None, False, "absent"),
            (None, 4, DM, A, None, True, "absent"),
            ("蒋立新", 3, W, PE, 3, False, "absent"),
            (None, 4, P, PE, 1, False, "absent"),
            (None, 3, P, PE, 2, False, "absent"),
            (None, 4, P, PE, 3, False, "absent"),
            (None, 4, DM, PE, 1, False, "absent"),
            # 苏春学: approved by his delegation head (the deciding step), never filed by the secretariat.
            (None, 4, DM, A, 2, False, "absent"),
            ("韩德明", 3, W, R, 3, False, "absent"),
            (None, 1, W, R, 1, False, "present"),
            (None, 2, P, R, 3, False, "absent"),
            (None, 4, DM, R, 1, False, "present"),
            (None, 1, P, WD, 2, False, "present"),
            (None, 2, W, WD, 1, False, "present"),
            (None, 4, DM, WD, None, False, "present"),
            (None, 4, W, DR, None, False, "present"),
            (None, 4, P, DR, None, False, "present"),
            (None, 4, DM, DR, None, False, "absent"),
        ]
        used: set[int] = set()
        for name, s, route, status, step, backfilled, effect in specs:
            if name:
                di = self.d(name)
            else:
                pool = [i for i in self.expected_at(s) if self.deps[i].ordinary and i not in used]
                di = rng.choice(pool)
            used.add(di)
            if route == W:
                meetings: list[int] = []
            elif route == DM:
                meetings = rng.sample(self.session_meetings(s, MeetingKind.DELEGATION), rng.choice([1, 2]))
            elif name == "曹雅琴":
                meetings = [self.session_meetings(s, MeetingKind.PLENARY)[1]]
            else:
                meetings = rng.sample(self.session_meetings(s, MeetingKind.PLENARY), rng.choice([1, 2]))
            comment = ""
            if status == R:
                comment = "事由不属于可以请假的情形,请按时出席大会。" if route == W else "请假理由不充分,不予同意。"
            leave = _Leave(di, s, route, status, sorted(meetings), rng.choice(LEAVE_REASONS), step, comment,
                           backfilled, effect)
            self.leaves.append(leave)

    def covered(self) -> set[tuple[int, int]]:
        """(meeting, deputy) pairs an approved leave covers."""
        cover = set()
        for leave in self.leaves:
            if leave.status != LeaveStatus.APPROVED:
                continue
            ms = self.session_meetings(leave.session) if leave.route == LeaveRoute.WHOLE_SESSION else leave.meetings
            cover.update((mi, leave.dep) for mi in ms)
        return cover

    def build_attendance(self) -> None:
        rng = self.rng
        whole_absent = {
            (self.d("沈玉珍"), 2), (self.d("蒋立新"), 3), (self.d("韩德明"), 2), (self.d("韩德明"), 3),
        }
        forced: dict[tuple[int, int], str] = {}
        for leave in self.leaves:
            ms = self.session_meetings(leave.session) if leave.route == LeaveRoute.WHOLE_SESSION else leave.meetings
            status = AttendanceStatus.ABSENT if leave.effect == "absent" else AttendanceStatus.PRESENT
            forced.update(((mi, leave.dep), status) for mi in ms)
        s5_delegation = self.session_meetings(4, MeetingKind.DELEGATION)
        for mi in (s5_delegation[0], s5_delegation[2]):
            forced[(mi, self.d("卫红梅"))] = AttendanceStatus.ABSENT
        unrecorded = {
            (self.session_meetings(1, MeetingKind.DELEGATION)[1], self.d("施慧敏")),
            (self.session_meetings(3, MeetingKind.PLENARY)[1], self.d("张伟东")),
        }
        for s in range(len(SESSION_DATES)):
            for di in self.expected_at(s):
                dep = self.deps[di]
                for mi in self.session_meetings(s):
                    key = (mi, di)
                    if key in unrecorded:
                        continue
                    if (di, s) in whole_absent:
                        status = AttendanceStatus.ABSENT
                    elif key in forced:
                        status = forced[key]
                    elif dep.ordinary and rng.random() < 0.004:
                        status = AttendanceStatus.ABSENT
                    else:
                        status = AttendanceStatus.PRESENT
                    self.attendance[key] = status

    def build_contributions(self) -> None:
        rng = self.rng
        silent = self.d("杨淑芬")
        for s, (start, end) in enumerate(SESSION_DATES):
            days = [start + timedelta(days=k) for k in range(1, 4)]
            for di in self.expected_at(s):
                marks = [self.attendance.get((mi, di)) for mi in self.session_meetings(s)]
                present = AttendanceStatus.PRESENT in marks
                if not present:
                    continue
                if di == silent and s in (2, 3):
                    kind = ContributionKind.MOTION if s == 2 else ContributionKind.INQUIRY
                    title = f"关于{TOPICS[s]}的议案" if s == 2 else f"关于{TOPICS[s]}情况的询问"
                    self.contributions.append((di, s, kind, days[0], title))
                    continue
                for report in rng.sample(REPORTS, rng.choice([1, 1, 2])):
                    self.contributions.append(
                        (di, s, ContributionKind.REVIEW_OPINION, rng.choice(days), f"对《{report}》的审议意见")
                    )
                if rng.random() < 0.6:
                    self.contributions.append(
                        (di, s, ContributionKind.SUGGESTION, end, f"关于{rng.choice(TOPICS)}的建议")
                    )
                if rng.random() < 0.04:
                    self.contributions.append((di, s, ContributionKind.MOTION, days[0], f"关于{rng.choice(TOPICS)}的议案"))
                if rng.random() < 0.03:
                    self.contributions.append(
                        (di, s, ContributionKind.INQUIRY, days[1], f"关于{rng.choice(TOPICS)}情况的询问")
                    )
        # Closed-period suggestions and inquiries (session null): they never count for A9.2.
        for year in YEARS:
            last = min(date(year, 12, 31), DEMO_TODAY)
            for _ in range(60):
                when = date(year, 2, 1) + timedelta(days=rng.randrange((last - date(year, 2, 1)).days + 1))
                pool = self.in_service(when)
                kind = ContributionKind.SUGGESTION if rng.random() < 0.85 else ContributionKind.INQUIRY
                title = f"关于{rng.choice(TOPICS)}的建议" if kind == ContributionKind.SUGGESTION else (
                    f"关于{rng.choice(TOPICS)}情况的询问"
                )
                self.contributions.append((rng.choice(pool), None, kind, when, title))
        self.contributions.append((silent, None, ContributionKind.SUGGESTION, date(2024, 6, 18), "关于胡同停车秩序的建议"))

    # -- activities ------------------------------------------------------------------------------

    def add_act(self, kind: str, title: str, when: date, level: str, street: str | None, location: str,
                description: str = "") -> int:
        self.acts.append(_Act(kind, title, when, level, street, location, description))
        ai = len(self.acts) - 1
        self.acts_by_kind[kind].append(ai)
        return ai

    def set_part(self, ai: int, di: int, outcome: str, confirmed: bool = True, locked: bool = False) -> None:
        key = (ai, di)
        act = self.acts[ai]
        old = self.parts.get(key)
        if old is None:
            self.dep_parts[di].append(ai)
        elif old.outcome == Outcome.ATTENDED:
            self.attended_days[di].discard((act.kind, act.date))
        self.parts[key] = _Part(confirmed, outcome, locked)
        if outcome == Outcome.ATTENDED:
            self.attended_days[di].add((act.kind, act.date))

    def drop_part(self, ai: int, di: int) -> None:
        part = self.parts.pop((ai, di))
        self.dep_parts[di].remove(ai)
        if part.outcome == Outcome.ATTENDED:
            act = self.acts[ai]
            self.attended_days[di].discard((act.kind, act.date))

    def invite(self, ai: int, di: int, attend_p: float) -> None:
        """An invitation with a plausible outcome: past ones attended or not, future ones pending."""
        rng = self.rng
        act = self.acts[ai]
        if act.date > DEMO_TODAY:
            self.set_part(ai, di, Outcome.PENDING, confirmed=rng.random() < 0.6)
            return
        if self.deps[di].clean:
            attend_p = max(attend_p, 0.9)
        if rng.random() < attend_p and (act.kind, act.date) not in self.attended_days[di]:
            self.set_part(ai, di, Outcome.ATTENDED)
        elif rng.random() < 0.6:
            self.set_part(ai, di, Outcome.EXCUSED)  # asked for leave beforehand
        else:
            self.set_part(ai, di, Outcome.ABSENT, confirmed=False)  # never accepted the invitation

    def build_activities(self) -> None:
        for year in YEARS:
            self._district_year(year)
            for street in STREET_NAMES:
                self._street_year(year, street)
        by_elected = [i for i, dep in enumerate(self.deps) if dep.start == BY_ELECTION]
        ai = self.add_act(ActivityKind.TRAINING, "新任代表履职培训", date(2024, 11, 12),
                          OrganizerLevel.STANDING_COMMITTEE, None, "区人大常委会机关会议室",
                          "补选代表任职后的履职基础培训。")
        for di in by_elected:
            self.invite(ai, di, 0.95)
        self._duty_reports()
        self._sc_meetings()

    def _district_year(self, year: int) -> None:
        rng = self.rng
        sc = OrganizerLevel.STANDING_COMMITTEE
        titles = {
            ActivityKind.SPECIAL_RESEARCH: lambda: f"关于{rng.choice(TOPICS)}的专题调研",
            ActivityKind.INSPECTION: lambda: f"{rng.choice(TOPICS)}工作集中视察",
            ActivityKind.LAW_ENFORCEMENT_CHECK: lambda: f"《{rng.choice(LAWS)}》执法检查",
            ActivityKind.THEME_ACTIVITY: lambda: f"“{rng.choice(THEMES)}”主题活动",
            ActivityKind.WORK_EVALUATION: lambda: f"对{rng.choice(DEPARTMENTS)}工作的评议",
        }
        for month, day, kind in DISTRICT_A41:
            when = _weekday(date(year, month, day))
            ai = self.add_act(kind, titles[kind](), when, sc, None, "区人大常委会组织", "区人大常委会组织代表参加。")
            for di in rng.sample(self.in_service(when), 40):
                self.invite(ai, di, 0.85)
        if year == 2026:
            ai = self.add_act(ActivityKind.INSPECTION, "年末安全生产工作集中视察", date(2026, 12, 8), sc, None,
                              "区人大常委会组织", "计划中的活动。")
            for di in rng.sample(self.in_service(date(2026, 12, 8)), 40):
                self.invite(ai, di, 0.85)
        for k, (month, day) in enumerate(TRAININGS):
            when = _weekday(date(year, month, day))
            half = "上" if k == 0 else "下"
            ai = self.add_act(ActivityKind.TRAINING, f"区人大代表集中学习培训({year}年{half}半年)", when, sc, None,
                              "区委党校", "全体代表参加的集中学习培训。")
            for di in self.in_service(when):
                self.invite(ai, di, 0.85)
        for month, day in LECTURES:
            when = _weekday(date(year, month, day))
            ai = self.add_act(ActivityKind.LECTURE, f"代表大讲堂:{rng.choice(LECTURE_SUBJECTS)}", when, sc, None,
                              "区人大常委会机关报告厅")
            for di in self.in_service(when):
                self.invite(ai, di, 0.6)
        for k, month in enumerate((4, 10)):
            when = _weekday(date(year, month, 8 + k))
            ai = self.add_act(ActivityKind.DIRECTOR_RECEPTION, f"主任会议成员接待代表({year}年第{k + 1}次)", when, sc,
                              None, "区人大常委会机关")
            for di in rng.sample(self.in_service(when), 8):
                self.invite(ai, di, 0.9)
        for month, day, title in ((7, 1, "应邀参加“七一”座谈会"), (12, 3, "应邀参加区政府重点工作通报会")):
            when = _weekday(date(year, month, day))
            if when > TERM_END:
                continue
            ai = self.add_act(ActivityKind.INVITED_EVENT, title, when, OrganizerLevel.OTHER, None, "区政府")
            for di in rng.sample(self.in_service(when), 20):
                self.invite(ai, di, 0.8)
        for month, day in ((6, 6), (11, 22)):
            when = _weekday(date(year, month, day))
            ai = self.add_act(ActivityKind.COURT_HEARING, "旁听区人民法院庭审", when, sc, None, "东城区人民法院")
            for di in rng.sample(self.in_service(when), 10):
                self.invite(ai, di, 0.9)
        for month in (5, 8, 10):
            when = _weekday(date(year, month, 20))
            di = rng.choice(self.in_service(when))
            dep = self.deps[di]
            ai = self.add_act(ActivityKind.CARD_INSPECTION, f"持证视察:{rng.choice(TOPICS)}", when,
                              OrganizerLevel.DEPUTY, dep.street, f"{dep.street}街道", f"{dep.name}代表持代表证视察。")
            self.invite(ai, di, 1.0)

    def _street_year(self, year: int, street: str) -> None:
        rng = self.rng
        level = OrganizerLevel.STREET_COMMITTEE
        home = f"{street}街道代表之家"

        def members(when: date) -> list[int]:
            return [i for i in self.in_service(when) if self.deps[i].street == street]

        for month, day, kind in STREET_A41:
            when = _weekday(date(year, month, day))
            title = {
                ActivityKind.THEME_ACTIVITY: f"{street}街道“{rng.choice(THEMES)}”主题活动",
                ActivityKind.SPECIAL_RESEARCH: f"{street}街道{rng.choice(TOPICS)}专题调研",
                ActivityKind.INSPECTION: f"视察{street}街道{rng.choice(TOPICS)}工作",
            }[kind]
            ai = self.add_act(kind, title, when, level, street, f"{street}街道")
            for di in members(when):
                self.invite(ai, di, 0.85)
        for month, day in GROUPS:
            when = _weekday(date(year, month, day))
            if month == 12 and year != TERM_END.year:
                continue  # the December meeting is only planned for the last year
            ai = self.add_act(ActivityKind.GROUP_ACTIVITY, f"{street}代表小组活动:{rng.choice(TOPICS)}", when,
                              OrganizerLevel.DEPUTY_GROUP, street, home)
            for di in members(when):
                self.invite(ai, di, 0.8)
        # Station receptions: each deputy takes a turn in each half year, some a third.
        halves = []
        for slots in (RECEPTIONS_H1, RECEPTIONS_H2):
            ids = []
            for month, day in slots:
                when = _weekday(date(year, month, day))
                ids.append(self.add_act(ActivityKind.STATION_RECEPTION, f"{street}街道代表之家接待选民", when, level,
                                        street, home, "代表轮流接待群众,听取意见建议。"))
            halves.append(ids)
        joined = [i for i in members(date(year, 12, 31)) if self.deps[i].start > date(year, 1, 1)]
        for di in members(date(year, 1, 1)) + joined:
            open_slots = [[ai for ai in ids if self.deps[di].serves(self.acts[ai].date)] for ids in halves]
            chosen = [rng.choice(ids) for ids in open_slots if ids]
            rest = [ai for ids in open_slots for ai in ids if ai not in chosen]
            if rest and rng.random() < 0.3:
                chosen.append(rng.choice(rest))
            for ai in chosen:
                self.invite(ai, di, 1.0)
        for month in (4, 9):
            when = _weekday(date(year, month, 25))
            ai = self.add_act(ActivityKind.CONSTITUENT_VISIT, f"走访{street}街道{rng.choice(COMMUNITIES)}社区居民",
                              when, level, street, f"{street}街道")
            pool = members(when)
            for di in rng.sample(pool, min(6, len(pool))):
                self.invite(ai, di, 0.9)
        for month, day in ((7, 15), (12, 18)):
            when = _weekday(date(year, month, day))
            ai = self.add_act(ActivityKind.STREET_MEETING, f"{street}人大街工委、街道办事处工作通报会", when, level,
                              street, f"{street}街道办事处")
            for di in members(when):
                self.invite(ai, di, 0.8)

    def _duty_reports(self) -> None:
        """Each deputy reports to the voters once, in 2023 or 2025 (Art. 9(五))."""
        for street in STREET_NAMES:
            events = {}
            for year in (2023, 2025):
                when = _weekday(date(year, 11, 20))
                events[year] = self.add_act(ActivityKind.DUTY_REPORT, f"{street}街道代表向原选区选民述职会({year}年)",
                                            when, OrganizerLevel.STREET_COMMITTEE, street, f"{street}街道代表之家")
            members = [i for i, dep in enumerate(self.deps) if dep.street == street]
            for k, di in enumerate(members):
                dep = self.deps[di]
                early = dep.until < self.acts[events[2025]].date or (dep.start < BY_ELECTION and k % 2 == 0)
                ai = events[2023] if early else events[2025]
                if dep.serves(self.acts[ai].date):
                    self.invite(ai, di, 0.95)

    def _sc_meetings(self) -> None:
        """Deputies take turns sitting in on standing-committee meetings (Art. 9(四))."""
        rng = self.rng
        queue: list[int] = []
        for year in YEARS:
            for month, day in SC_MEETINGS:
                when = _weekday(date(year, month, day))
                self.sc_meeting_no += 1
                ai = self.add_act(ActivityKind.SC_MEETING, f"列席区十七届人大常委会第{self.sc_meeting_no}次会议", when,
                                  OrganizerLevel.STANDING_COMMITTEE, None, "区人大常委会会议室")
                seated: list[int] = []
                skipped: list[int] = []
                while len(seated) < 12:
                    if not queue:
                        queue = [i for i, dep in enumerate(self.deps) if dep.until >= when]
                        rng.shuffle(queue)
                    di = queue.pop()
                    if self.deps[di].serves(when) and di not in seated:
                        seated.append(di)
                    elif self.deps[di].start > when:
                        skipped.append(di)
                queue = skipped + queue
                for di in seated:
                    self.invite(ai, di, 0.9)

    def find_act(self, kind: str, when: date, street: str | None) -> int:
        return next(
            ai for ai in self.acts_by_kind[kind] if self.acts[ai].date == when and self.acts[ai].street == street
        )

    # -- deliberate cases in activities ----------------------------------------------------------

    def set_receptions(self, name: str, *, keep_until: date | None = None, years: dict[int, list[int]]) -> None:
        """Give a deputy exactly these reception months in these years (and none after keep_until)."""
        di = self.d(name)
        street = self.deps[di].street
        for ai in list(self.dep_parts[di]):
            act = self.acts[ai]
            if act.kind != ActivityKind.STATION_RECEPTION:
                continue
            if act.date.year in years or (keep_until and act.date > keep_until):
                self.drop_part(ai, di)
        for year, months in years.items():
            for month in months:
                day = 10 if month == 12 else 15
                ai = self.find_act(ActivityKind.STATION_RECEPTION, _weekday(date(year, month, day)), street)
                self.set_part(ai, di, Outcome.ATTENDED, locked=True)

    def plant_activity_cases(self) -> None:
        # A9.6: no reception for over a year, now and historically; talk then no improvement.
        self.set_receptions("许振东", keep_until=date(2025, 6, 30), years={2025: [4, 6]})
        self.set_receptions("何桂英", keep_until=date(2023, 2, 28), years={2023: [2]})
        self.set_receptions("吕志强", years={2022: [2, 4], 2023: [8, 10]})
        self.set_receptions("吴国强", years={2025: [6], 2026: [2, 8]})
        # A9.3: confirmed, then absent without leave.
        absent = Outcome.ABSENT
        for name, kind, when, street in (
            ("朱永华", ActivityKind.INSPECTION, _weekday(date(2025, 3, 15)), None),
            ("朱永华", ActivityKind.LECTURE, _weekday(date(2025, 5, 26)), None),
            ("秦海燕", ActivityKind.SPECIAL_RESEARCH, _weekday(date(2024, 2, 22)), None),
            ("秦海燕", ActivityKind.TRAINING, _weekday(date(2024, 3, 10)), None),
            ("秦海燕", ActivityKind.SC_MEETING, _weekday(date(2025, 4, 26)), None),
        ):
            self.set_part(self.find_act(kind, when, street), self.d(name), absent, confirmed=True, locked=True)
        # Data check: one event registered twice, by the district and by 东四.
        di = self.d("孔令华")
        district = self.find_act(ActivityKind.THEME_ACTIVITY, _weekday(date(2025, 5, 17)), None)
        act = self.acts[district]
        twin = self.add_act(ActivityKind.THEME_ACTIVITY, f"{act.title}(东四街工委登记)", act.date,
                            OrganizerLevel.STREET_COMMITTEE, "东四", "东四街道", "街工委组织本街道代表参加区人大主题活动。")
        self.set_part(district, di, Outcome.ATTENDED, locked=True)
        self.set_part(twin, di, Outcome.ATTENDED, locked=True)
        # Data check: a reception recorded after the deputy resigned.
        di = self.d("严卫国")
        ai = self.find_act(ActivityKind.STATION_RECEPTION, _weekday(date(2024, 8, 15)), "朝阳门")
        self.set_part(ai, di, Outcome.ATTENDED, locked=True)

    def dedupe(self) -> None:
        """An ordinary deputy attends one activity of a kind per day (the twin above is deliberate)."""
        for di, ais in self.dep_parts.items():
            seen: set[tuple[str, date]] = set()
            for ai in sorted(ais, key=lambda a: (not self.parts[(a, di)].locked, a)):
                part = self.parts[(ai, di)]
                if part.outcome != Outcome.ATTENDED:
                    continue
                key = (self.acts[ai].kind, self.acts[ai].date)
                if key in seen and not part.locked:
                    self.set_part(ai, di, Outcome.EXCUSED)
                seen.add(key)

    # -- thresholds: top up ordinary deputies, then cap the planted ones -----------------------

    def windows(self, di: int, rule: ThresholdRule) -> list[tuple[date, date, int]]:
        """(start, end, required) of each window of a threshold rule for a deputy, as the engine computes them
        (oversight.rules.windows: term ∩ service period, calendar years, pro rata in exact integers)."""
        dep = self.deps[di]
        span = service_window(TERM_START, TERM_END, dep.start, dep.end)
        if span is None:
            return []
        threshold = DEFAULT_THRESHOLDS[rule.threshold_key]
        if rule.window == "term":
            return [(span[0], span[1], threshold)]
        # A year wholly suspended owes nothing (the engine gives it no finding); the others pro rata on days served.
        return [(start, end, prorated_required(threshold, year, start, end, dep.spans))
                for year, start, end in year_windows(*span)]

    def attended(self, di: int, kinds, start: date, end: date) -> list[int]:
        end = min(end, DEMO_TODAY)
        dep = self.deps[di]
        return [
            ai for ai in self.dep_parts[di]
            if self.acts[ai].kind in kinds and start <= self.acts[ai].date <= end and dep.serves(self.acts[ai].date)
            and self.parts[(ai, di)].outcome == Outcome.ATTENDED
        ]

    def ensure(self, di: int, kinds, start: date, end: date, need: int) -> None:
        """Make the deputy attend `need` activities of `kinds` within [start, min(end, today)]."""
        end = min(end, DEMO_TODAY)
        missing = need - len(self.attended(di, kinds, start, end))
        if missing <= 0:
            return
        dep = self.deps[di]

        def fits(ai: int) -> bool:
            act = self.acts[ai]
            return (act.kind in kinds and start <= act.date <= end and act.street in (None, dep.street)
                    and dep.serves(act.date) and (act.kind, act.date) not in self.attended_days[di])

        invited = [ai for ai in self.dep_parts[di] if fits(ai) and not self.parts[(ai, di)].locked
                   and self.parts[(ai, di)].outcome != Outcome.ATTENDED]
        self.rng.shuffle(invited)
        fresh = [
            ai for kind in sorted(kinds) for ai in self.acts_by_kind[kind] if fits(ai) and (ai, di) not in self.parts
        ]
        self.rng.shuffle(fresh)
        for ai in invited + fresh:
            if missing <= 0:
                break
            if fits(ai):
                self.set_part(ai, di, Outcome.ATTENDED)
                missing -= 1
        if missing > 0:
            raise RuntimeError(f"演示数据无法满足 {dep.name} 在 {start}–{end} 的 {sorted(kinds)} 要求")

    # Their receptions are set by hand (set_receptions); a top-up would undo the case.
    EXPLICIT_RECEPTIONS = ("许振东", "何桂英", "吴国强")

    def top_up(self) -> None:
        explicit = {self.d(n) for n in self.EXPLICIT_RECEPTIONS}
        for di in range(len(self.deps)):
            for rule in THRESHOLD_RULES:
                if rule.id == "station_receptions" and di in explicit:
                    continue
                for start, end, required in self.windows(di, rule):
                    if start <= DEMO_TODAY:
                        self.ensure(di, rule.kinds, start, end, required)

    def cap(self, name: str, kinds, start: date, end: date, keep: int) -> None:
        """Leave the deputy only `keep` attended activities of `kinds` in the window; the rest excused."""
        di = self.d(name)
        for ai in sorted(self.attended(di, kinds, start, end), key=lambda a: self.acts[a].date)[keep:]:
            if self.acts[ai].kind == ActivityKind.DUTY_REPORT:
                self.drop_part(ai, di)
            else:
                self.set_part(ai, di, Outcome.EXCUSED, locked=True)

    def plant_threshold_cases(self) -> None:
        self.cap("孙建平", A41_KINDS, date(2025, 1, 1), date(2025, 12, 31), 1)
        self.cap("孙建平", A41_KINDS, date(2026, 1, 1), date(2026, 12, 31), 1)
        self.cap("周晓燕", {ActivityKind.GROUP_ACTIVITY}, date(2024, 1, 1), date(2024, 12, 31), 2)
        self.cap("周晓燕", {ActivityKind.GROUP_ACTIVITY}, date(2026, 1, 1), date(2026, 12, 31), 1)
        self.cap("郑丽娟", {ActivityKind.TRAINING}, TERM_START, TERM_END, 1)
        self.cap("冯志刚", {ActivityKind.LECTURE}, TERM_START, TERM_END, 2)
        self.cap("陈秀兰", {ActivityKind.SC_MEETING}, TERM_START, TERM_END, 0)
        self.cap("褚文博", {ActivityKind.DUTY_REPORT}, TERM_START, TERM_END, 0)

    def plant_suspension(self) -> None:
        """DEMO_SUSPENSION: the deputy's invitations inside it go (a detained deputy is not invited), and their
        yearly requirements are topped up to the pro-rata share of the days not suspended. A generator of its own
        keeps every other deputy's records as they were."""
        name, first, last, _reason = DEMO_SUSPENSION
        di = self.d(name)
        dep = self.deps[di]
        dep.suspensions = ((first, last),)
        for ai in [ai for ai in self.dep_parts[di] if first <= self.acts[ai].date <= last]:
            self.drop_part(ai, di)
        shared, self.rng = self.rng, random.Random(SEED + 61)
        try:
            for rule in THRESHOLD_RULES:
                for start, end, required in self.windows(di, rule):
                    if start <= DEMO_TODAY:
                        self.ensure(di, rule.kinds, start, end, required)
        finally:
            self.rng = shared

    def sprinkle_single_absences(self) -> None:
        """A dozen ordinary deputies missed one invitation they had accepted: one, never two (A9.3)."""
        rng = self.rng
        pool = [i for i, dep in enumerate(self.deps) if dep.ordinary]
        for di in rng.sample(pool, 12):
            options = [
                ai for ai in self.dep_parts[di]
                if self.acts[ai].kind in A93_KINDS and self.acts[ai].date <= DEMO_TODAY
                and self.parts[(ai, di)].outcome in (Outcome.EXCUSED, Outcome.ABSENT)
                and not self.parts[(ai, di)].locked
            ]
            if options:
                self.set_part(rng.choice(options), di, Outcome.ABSENT, confirmed=True, locked=True)

    def facts(self) -> tuple[TermFacts, Facts]:
        """The plan's deputies and participations as the rules' facts (deputy ids are plan indexes)."""
        term = TermFacts(0, TERM_START, TERM_END, dict(DEFAULT_THRESHOLDS))
        return term, build_facts(
            deputies=[DeputyFacts(di, dep.start, dep.end, dep.status, dep.suspensions) for di, dep in enumerate(self.deps)],
            participations=[
                ParticipationFact(ai, str(self.acts[ai].kind), self.acts[ai].date, di, part.confirmed, str(part.outcome))
                for (ai, di), part in self.parts.items()
            ],
        )

    def threshold_findings(self) -> list[Finding]:
        """Every threshold rule's finding (met ones included) of every window begun by DEMO_TODAY, as the engine
        evaluates the plan as of DEMO_TODAY."""
        term, facts = self.facts()
        findings = evaluate(term, facts, DEMO_TODAY, include_met=True)
        return [f for f in findings if f.rule in THRESHOLD_RULES_BY_ID]

    def verify(self) -> None:
        """Fail loudly if an ordinary deputy would show up in a finding they were not planted for."""
        capped = {"孙建平": "closed_session_activities", "周晓燕": "group_activities", "郑丽娟": "training",
                  "冯志刚": "lectures", "陈秀兰": "sc_meeting_attendance", "褚文博": "duty_report"}
        receptions_exempt = {"许振东", "何桂英", "吴国强"}
        problems = []
        # The engine's threshold findings as of DEMO_TODAY, read from the plan's participations: every window
        # of an ordinary deputy is met, the current year's included (as if it had ended today).
        for finding in self.threshold_findings():
            dep = self.deps[finding.deputy]
            if capped.get(dep.name) == finding.rule or (finding.rule == "station_receptions"
                                                          and dep.name in receptions_exempt):
                continue
            if finding.count < finding.required:
                problems.append(f"{dep.name} {finding.rule} {finding.period_start}")
        for di, dep in enumerate(self.deps):
            if dep.name not in receptions_exempt | {"吕志强"}:
                dates = sorted(self.acts[ai].date for ai in self.attended(di, {ActivityKind.STATION_RECEPTION},
                                                                          dep.start, dep.until))
                points = [max(TERM_START, dep.start), *dates, min(dep.until, DEMO_TODAY)]
                if any((b - a).days > DEFAULT_THRESHOLDS["no_contact_days"] for a, b in zip(points, points[1:])):
                    problems.append(f"{dep.name} no_contact")
            if dep.ordinary or dep.clean:
                confirmed_absences = [
                    ai for ai in self.dep_parts[di]
                    if self.acts[ai].kind in A93_KINDS and self.parts[(ai, di)].confirmed
                    and self.parts[(ai, di)].outcome == Outcome.ABSENT
                ]
                if len(confirmed_absences) > 1:
                    problems.append(f"{dep.name} activity_absence_notice")
        if problems:
            raise RuntimeError("演示数据自检失败:" + ";".join(problems[:20]))

    # -- interventions and contacts --------------------------------------------------------------

    def build_interventions(self) -> None:
        cover = self.covered()
        for s in range(len(SESSION_DATES) - 1):  # s5's absences have not been notified yet
            end = SESSION_DATES[s][1]
            absentees = sorted({
                di for (mi, di), status in self.attendance.items()
                if self.meets[mi].session == s and status == AttendanceStatus.ABSENT and (mi, di) not in cover
            })
            for di in absentees:
                self.interventions.append((di, "absence_notice", "notice", end + timedelta(days=14), "大会秘书处",
                                           f"第十七届第{CN_NUMBERS[s]}次会议缺席情况通报。"))
        director = self.directors
        self.interventions += [
            (self.d("沈玉珍"), "session_absence_talk", "talk", SESSION_DATES[2][1] + timedelta(days=14),
             f"朝阳门代表团团长 {self.deps[self.heads['朝阳门']].name}", "未经批准未出席第十七届第三次会议,已约谈。"),
            (self.d("韩德明"), "session_absence_talk", "talk", SESSION_DATES[2][1] + timedelta(days=19),
             f"东四街工委主任 {director['东四']}", "未经批准未出席第十七届第三次会议,已约谈,本人表示今后按时出席。"),
            (self.d("秦海燕"), "activity_absence_notice", "notice", date(2024, 10, 15), "区人大常委会办公室",
             "应邀确定参加专题调研、集中学习培训而无故未参加,予以通报。"),
            (self.d("何桂英"), "no_contact_talk", "talk", date(2024, 4, 10), f"龙潭街工委主任 {director['龙潭']}",
             "一年以上未到代表之家接待群众,已约谈。"),
            (self.d("吕志强"), "no_contact_talk", "talk", date(2023, 5, 10), f"朝阳门街工委主任 {director['朝阳门']}",
             "一年以上未到代表之家接待群众,已约谈;此后已恢复参加接待。"),
        ]

    def leave_2026_suggestions_to_the_module(self) -> None:
        """From the last session on, every suggestion is a Suggestion (demo_suggestions), whose contribution the
        services make: drop the plain `suggestion` contributions of that session and of the closed period after
        it, or A9.2 and the handbook would count suggestions the suggestions' pages never show. (Everyone present
        at a session also gave a review opinion there, so no finding changes.)"""
        last = len(SESSION_DATES) - 1
        start = SESSION_DATES[last][0]
        self.contributions = [
            c for c in self.contributions
            if not (c[2] == ContributionKind.SUGGESTION and (c[1] == last or (c[1] is None and c[3] >= start)))
        ]

    def build_contacts(self) -> None:
        """Art. 10(五): about fifty standing-committee members, each in touch with 5–6 deputies."""
        rng = self.rng
        active = [i for i, dep in enumerate(self.deps) if dep.end is None]
        rng.shuffle(active)
        members = 50
        base, extra = divmod(len(active), members)
        pos = 0
        for k in range(members):
            name = self.person_name(M if rng.random() < 0.6 else F)
            size = base + (1 if k < extra else 0)
            self.contacts += [(name, di) for di in active[pos:pos + size]]
            pos += size

    def build(self) -> "_Plan":
        self.build_deputies()
        self.build_meetings()
        self.build_leaves()
        self.build_attendance()
        self.build_contributions()
        self.build_activities()
        self.plant_activity_cases()
        self.dedupe()
        self.top_up()
        self.plant_threshold_cases()
        self.sprinkle_single_absences()
        self.plant_suspension()
        self.verify()
        self.build_interventions()
        self.build_contacts()
        self.leave_2026_suggestions_to_the_module()
        return self


# ---------------------------------------------------------------------------------------------
# Writing the plan
# ---------------------------------------------------------------------------------------------


def _street_committees() -> dict[str, StreetCommittee]:
    out = {}
    for name, code in STREETS:
        street = StreetCommittee.objects.filter(name=name).first()
        if street is None:
            street = StreetCommittee.objects.create(name=name, code=code)
        out[name] = street
    return out


def _write(plan: _Plan, streets: dict[str, StreetCommittee]) -> list[UserRow]:
    (term,) = Term.objects.bulk_create(
        [Term(number=TERM_NUMBER, name=TERM_NAME, start_date=TERM_START, end_date=TERM_END,
              thresholds=dict(DEFAULT_THRESHOLDS))]
    )
    delegations = {
        street: d for street, d in zip(
            STREET_NAMES,
            Delegation.objects.bulk_create([Delegation(term=term, name=delegation_name(s)) for s in STREET_NAMES]),
        )
    }
    for dep in plan.deps:
        dep.obj = Deputy(
            term=term, name=dep.name, gender=dep.gender, street_committee=streets[dep.street],
            delegation=delegations[dep.street], status=dep.status, service_start=dep.start, service_end=dep.end,
            unit=dep.unit, position=dep.position, constituency=dep.constituency, party_member=dep.party_member,
            phone=dep.phone,
        )
    Deputy.objects.bulk_create([dep.obj for dep in plan.deps])
    for street, delegation in delegations.items():
        delegation.head = plan.deps[plan.heads[street]].obj
    Delegation.objects.bulk_update(list(delegations.values()), ["head"])

    units = handling_units_ensure(STREET_NAMES)
    rows, users = demo_users_ensure(term=term)
    _write_sessions(plan, term, users)
    _write_activities(plan, term, streets)
    Intervention.objects.bulk_create(
        Intervention(deputy=plan.deps[di].obj, rule=rule, kind=kind, date=when, conducted_by=by, notes=notes)
        for di, rule, kind, when, by, notes in plan.interventions
    )
    # --- contacts: A10.5 members are users now (plan.contacts, name-only, is still built: the rng stays the same)
    contacts_write(term=term, users=users, by=users["liaison"], password=DEMO_PASSWORD, as_of=DEMO_TODAY)
    _write_threshold_change(term, users)
    _write_suspension(plan, users)
    _write_waiting_for_review(plan, users)
    _write_suggestions(plan, term, users, units)
    opinions_write(users=users)  # --- opinions: constituents' opinions at the stations (dutyadmin/demo_opinions.py)
    checkin_write(term=term, today=DEMO_TODAY)  # --- gaps14a: 自助签到 marks (dutyadmin/demo_checkin.py)
    receptions_write(term=term, users=users, today=DEMO_TODAY)  # --- receptions: A10.6 (dutyadmin/demo_receptions.py)
    return rows


def _write_threshold_change(term: Term, users: dict[str, object]) -> None:
    """One change of the term's thresholds, decided before DEMO_TODAY and in force after it: the thresholds page
    lists it (and may still delete it) while every finding as of DEMO_TODAY stays as planned."""
    change = ThresholdChange(
        term=term, effective_from=DEMO_THRESHOLD_CHANGE_FROM, values={"resignation_grace_days": 150},
        reason="区人大常委会主任会议2026年11月20日决定:因不联系群众被约谈后,超过150天仍未参加接待群众活动的即劝辞"
               "(原为180天),自2026年12月15日起施行。",
        created_by=users.get("liaison"), created_at=_at(date(2026, 11, 20), 16),
    )
    change._history_user = users.get("liaison")
    change._history_date = change.created_at
    change.save()


def _write_suspension(plan: _Plan, users: dict[str, object]) -> None:
    """DEMO_SUSPENSION, entered by the liaison office the day after it began (with its history)."""
    name, first, last, reason = DEMO_SUSPENSION
    suspension = Suspension(
        deputy=plan.deps[plan.d(name)].obj, start_date=first, end_date=last, reason=reason,
        created_by=users.get("liaison"), created_at=_at(first + timedelta(days=1), 10),
    )
    suspension._history_user = users.get("liaison")
    suspension._history_date = suspension.created_at
    suspension.save()


def _write_waiting_for_review(plan: _Plan, users: dict[str, object]) -> None:
    """What 东四's staff find in their review queues: a deputy's own entries, which count for nothing yet."""
    deputy = plan.deps[plan.d(DEMO_DEPUTY_NAME)].obj
    submitter = users.get("dongsi_deputy")
    SelfRegistration.objects.bulk_create([
        SelfRegistration(deputy=deputy, kind=ActivityKind.STATION_RECEPTION, title="东四街道代表之家接待群众",
                         date=date(2026, 11, 20), location="东四街道代表之家", submitted_by=submitter,
                         description="接待居民6人次,反映老旧小区加装电梯问题。", submitted_at=_at(date(2026, 11, 20), 18)),
        SelfRegistration(deputy=deputy, kind=ActivityKind.CONSTITUENT_VISIT, title="走访选区居民",
                         date=date(2026, 11, 24), location="东四六条社区", submitted_by=submitter,
                         submitted_at=_at(date(2026, 11, 24), 17)),
        SelfRegistration(deputy=deputy, kind=ActivityKind.COURT_HEARING, title="旁听区法院庭审",
                         date=date(2026, 11, 10), location="东城区人民法院", submitted_by=submitter,
                         submitted_at=_at(date(2026, 11, 10), 16), status=SelfRegistrationStatus.RETURNED,
                         reviewed_by=users.get("dongsi_staff"), reviewed_at=_at(date(2026, 11, 12), 10),
                         return_reason="请补充旁听的案件名称和法院通知。"),
    ])
    # His own suggestion of 2026-11-18 (a pending contribution too) is one of demo_suggestions'.


def _write_suggestions(plan: _Plan, term: Term, users: dict[str, object], units: dict[str, HandlingUnit]) -> None:
    """The last session's suggestions and the closed period's after it (dutyadmin/demo_suggestions.py), led and
    cosigned by ordinary deputies in service all year who sat at the session."""
    last = len(SESSION_DATES) - 1
    meetings = plan.session_meetings(last)
    candidates: dict[str, list[Deputy]] = defaultdict(list)
    for di, dep in enumerate(plan.deps):
        if dep.ordinary and dep.end is None and dep.start <= SESSION_DATES[last][0] and any(
            plan.attendance.get((mi, di)) == AttendanceStatus.PRESENT for mi in meetings
        ):
            candidates[dep.street].append(dep.obj)
    session = CongressSession.objects.get(term=term, number=last + 1)
    suggestions_write(session=session, candidates=candidates, demo_deputy=plan.deps[plan.d(DEMO_DEPUTY_NAME)].obj,
                      users=users, units=units)


def _approver(plan: _Plan, leave: _Leave, role: str, users: dict[str, object]) -> tuple[object | None, str]:
    """Who acted on a step: a demo user where one holds that role for this deputy, and a name."""
    dep = plan.deps[leave.dep]
    if role == Role.STREET_DIRECTOR:
        return users.get("dongsi_director") if dep.street == "东四" else None, plan.directors[dep.street]
    if role == Role.DELEGATION_HEAD:
        head = plan.deps[plan.heads[dep.street]].name
        return users.get("dongsi_head") if dep.street == "东四" else None, head
    username = {
        Role.SC_OFFICE: "sc_office",
        Role.SC_LEADER: "sc_leader",
        Role.SECRETARIAT: "secretariat",
        Role.PRESIDIUM_SECRETARY_GENERAL: "secretary_general",
    }[role]
    return users.get(username), STAFF_NAMES[username]


def _write_sessions(plan: _Plan, term: Term, users: dict[str, object]) -> None:
    sessions = CongressSession.objects.bulk_create(
        CongressSession(term=term, number=s + 1, name=f"第十七届第{CN_NUMBERS[s]}次会议", start_date=start, end_date=end)
        for s, (start, end) in enumerate(SESSION_DATES)
    )
    for meet in plan.meets:
        meet.obj = Meeting(session=sessions[meet.session], kind=meet.kind, title=meet.title, date=meet.date,
                           half_day=meet.half_day)
    Meeting.objects.bulk_create([m.obj for m in plan.meets])
    Attendance.objects.bulk_create(
        (Attendance(meeting=plan.meets[mi].obj, deputy=plan.deps[di].obj, status=status)
         for (mi, di), status in plan.attendance.items()),
        batch_size=2000,
    )
    Contribution.objects.bulk_create(
        (Contribution(deputy=plan.deps[di].obj, session=sessions[s] if s is not None else None, kind=kind, date=when,
                      title=title) for di, s, kind, when, title in plan.contributions),
        batch_size=2000,
    )
    leaves = LeaveRequest.objects.bulk_create(
        LeaveRequest(deputy=plan.deps[lv.dep].obj, session=sessions[lv.session], route=lv.route, reason=lv.reason,
                     status=lv.status, backfilled=lv.backfilled,
                     created_by=users.get("secretariat") if lv.backfilled else None)
        for lv in plan.leaves
    )
    through = LeaveRequest.meetings.through
    through.objects.bulk_create(
        through(leaverequest_id=obj.pk, meeting_id=plan.meets[mi].obj.pk)
        for lv, obj in zip(plan.leaves, leaves) for mi in lv.meetings
    )
    steps = []
    for lv, obj in zip(plan.leaves, leaves):
        start, end = SESSION_DATES[lv.session]
        first = plan.meets[lv.meetings[0]].date if lv.meetings else start
        # Whole-session leave goes through four offices in the week before; the others the day before.
        decided = _at(max(first - timedelta(days=7 if lv.route == LeaveRoute.WHOLE_SESSION else 1), TERM_START), 9)
        created = _at(end + timedelta(days=20), 10) if lv.backfilled else decided - timedelta(days=1)
        LeaveRequest.objects.filter(pk=obj.pk).update(created_at=created)
        if lv.status == LeaveStatus.DRAFT or (lv.status == LeaveStatus.WITHDRAWN and lv.step is None):
            continue
        for order, spec in enumerate(LEAVE_CHAINS[lv.route], start=1):
            step = LeaveApprovalStep(leave_request=obj, order=order, code=spec.code, role=spec.role)
            if lv.status == LeaveStatus.APPROVED:
                acted = lv.step is None or order < lv.step  # lv.step: the filing step still open
            else:
                acted = order < (lv.step or 0)
            if acted or (lv.status == LeaveStatus.REJECTED and order == lv.step):
                user, name = _approver(plan, lv, spec.role, users)
                step.acted_by = None if lv.backfilled else user
                step.acted_by_name = name
                step.acted_at = decided + timedelta(hours=3 * order)
                step.status = StepStatus.DONE if acted else StepStatus.REJECTED
                step.comment = "同意。" if acted else lv.comment
            elif lv.status in (LeaveStatus.REJECTED, LeaveStatus.WITHDRAWN):
                step.status = StepStatus.CANCELLED
                step.comment = "本人撤回。" if lv.status == LeaveStatus.WITHDRAWN else ""
            steps.append(step)
    LeaveApprovalStep.objects.bulk_create(steps)


def _write_activities(plan: _Plan, term: Term, streets: dict[str, StreetCommittee]) -> None:
    for act in plan.acts:
        act.obj = Activity(term=term, kind=act.kind, title=act.title, date=act.date, organizer_level=act.level,
                           street_committee=streets[act.street] if act.street else None, location=act.location,
                           description=act.description)
    Activity.objects.bulk_create([a.obj for a in plan.acts], batch_size=1000)
    Participation.objects.bulk_create(
        (Participation(activity=plan.acts[ai].obj, deputy=plan.deps[di].obj, confirmed=part.confirmed,
                       outcome=part.outcome) for (ai, di), part in sorted(plan.parts.items())),
        batch_size=2000,
    )


# ---------------------------------------------------------------------------------------------
# Users
# ---------------------------------------------------------------------------------------------


def _scope_label(spec: DemoUser) -> str:
    if spec.role == Role.ADMIN:
        return "全部(超级用户)"
    if spec.street:
        return f"{spec.street}街工委"
    if spec.delegation_of:
        return f"{delegation_name(spec.delegation_of)}(团长 {spec.deputy})"
    if spec.deputy:
        return f"本人:{spec.deputy}代表"
    if spec.unit:
        return f"承办单位：{spec.unit}"
    if spec.role == Role.SC_MEMBER:
        return "联系代表"
    return "全区"


def demo_users_ensure(*, term: Term | None = None) -> tuple[list[UserRow], dict[str, object]]:
    """Create the demo users that do not exist yet; an existing user is left exactly as it is."""
    User = get_user_model()
    term = term or Term.objects.filter(number=TERM_NUMBER).first()
    existing = {u.username: u for u in User.objects.filter(username__in=[s.username for s in DEMO_USERS])}
    # The role groups come from a migration; made again if a database lost them (a flushed test database),
    # or the demo users would have no role at all.
    groups = {role: Group.objects.get_or_create(name=role)[0] for role in dict.fromkeys(s.role for s in DEMO_USERS)}
    password = make_password(DEMO_PASSWORD)  # hashed once: the same password for every demo user
    rows, users = [], {}
    for spec in DEMO_USERS:
        user = existing.get(spec.username)
        created = user is None
        if created:
            deputy = Deputy.objects.filter(term=term, name=spec.deputy).first() if spec.deputy and term else None
            delegation = (Delegation.objects.filter(term=term, name=delegation_name(spec.delegation_of)).first()
                          if spec.delegation_of and term else None)
            display = spec.deputy or STAFF_NAMES.get(spec.username, "") or MEMBER_NAMES.get(spec.username, "")
            user = User(username=spec.username, password=password, first_name=display,
                        is_staff=spec.role == Role.ADMIN, is_superuser=spec.role == Role.ADMIN)
            user.save()
            user.groups.add(groups[spec.role])
            unit = None
            if spec.unit:
                code, kind = DEMO_UNITS[spec.unit]
                unit = HandlingUnit.objects.get_or_create(name=spec.unit, defaults={"code": code, "kind": kind})[0]
            UserScope.objects.create(
                user=user,
                street_committee=StreetCommittee.objects.filter(name=spec.street).first() if spec.street else None,
                delegation=delegation,
                deputy=deputy,
                handling_unit=unit,
            )
        users[spec.username] = user
        rows.append(UserRow(spec.username, DEMO_PASSWORD, Role(spec.role).label, _scope_label(spec), created))
    return rows, users


# ---------------------------------------------------------------------------------------------
# Entry point
# ---------------------------------------------------------------------------------------------


def demo_counts() -> dict[str, int]:
    """Row counts of every seeded model (for the summary line and the idempotency test)."""
    models = [StreetCommittee, Term, Delegation, Deputy, ContactAssignment, CongressSession, Meeting, Attendance,
              LeaveRequest, LeaveApprovalStep, Contribution, Activity, Participation, Intervention, UserScope,
              HandlingUnit, Suggestion]
    return {model._meta.model_name: model.objects.count() for model in models}


def demo_seed() -> SeedResult:
    """Load the demo district unless term 17 already exists; always make sure the demo users exist."""
    started = time.perf_counter()
    if Term.objects.filter(number=TERM_NUMBER).exists():
        with transaction.atomic():
            rows, _ = demo_users_ensure()
        return SeedResult(False, time.perf_counter() - started, demo_counts(), rows)
    plan = _Plan().build()
    with transaction.atomic():
        rows = _write(plan, _street_committees())
    return SeedResult(True, time.perf_counter() - started, demo_counts(), rows)
