"""Rule ids, articles, thresholds and activity kinds exactly as ../shared/RULES.md names them."""
from __future__ import annotations

from dataclasses import dataclass

# Threshold keys and their defaults (RULES.md, "Thresholds").
DEFAULT_THRESHOLDS: dict[str, int] = {
    "closed_session_activities": 3,
    "group_activities": 3,
    "station_receptions": 2,
    "training": 3,
    "lectures": 5,
    "sc_meeting_attendance": 1,
    "duty_report": 1,
    "session_absence_talk_at": 1,
    "termination_at": 2,
    "silent_years": 2,
    "activity_absence_notice_at": 2,
    "no_contact_days": 365,
    "resignation_grace_days": 180,
}

THRESHOLD_LABELS: dict[str, str] = {
    "closed_session_activities": "闭会期间活动(次/年)",
    "group_activities": "代表联组、小组活动(次/年)",
    "station_receptions": "代表联络站接待群众(次/年)",
    "training": "集中学习培训(次/届)",
    "lectures": "代表大讲堂(次/届)",
    "sc_meeting_attendance": "列席常委会会议(次/届)",
    "duty_report": "向选民述职(次/届)",
    "session_absence_talk_at": "未经批准不出席大会:约谈(次)",
    "termination_at": "未经批准不出席大会:资格终止(次)",
    "silent_years": "连续不发表审议意见、不提建议(年)",
    "activity_absence_notice_at": "应邀确定参加而无故不参加:通报(次)",
    "no_contact_days": "不进代表之家、联络站:约谈(天)",
    "resignation_grace_days": "约谈后仍未改进:劝辞(天)",
}

# The article each threshold key belongs to, and how one setting reads in a sentence ("{n}" is its value):
# the one place the settings page, the admin and the "why" page take a key's words from.
THRESHOLD_ARTICLES: dict[str, str] = {
    "closed_session_activities": "A4.1",
    "group_activities": "A4.4",
    "station_receptions": "A6.2",
    "training": "A5.3",
    "lectures": "A5.3",
    "sc_meeting_attendance": "A9.4",
    "duty_report": "A9.5",
    "session_absence_talk_at": "A9.1",
    "termination_at": "A9.1",
    "silent_years": "A9.2",
    "activity_absence_notice_at": "A9.3",
    "no_contact_days": "A9.6",
    "resignation_grace_days": "A9.6",
}

THRESHOLD_PHRASES: dict[str, str] = {
    "closed_session_activities": "闭会期间活动每年{n}次",
    "group_activities": "代表联组、小组活动每年{n}次",
    "station_receptions": "接待群众每年{n}次",
    "training": "集中学习培训每届{n}次",
    "lectures": "代表大讲堂每届{n}次",
    "sc_meeting_attendance": "列席常委会会议每届{n}次",
    "duty_report": "向选民述职每届{n}次",
    "session_absence_talk_at": "未经批准不出席大会{n}次即约谈",
    "termination_at": "未经批准不出席大会{n}次即资格终止",
    "silent_years": "连续{n}年不发表审议意见、不提建议即约谈",
    "activity_absence_notice_at": "应邀确定参加而无故不参加{n}次即通报",
    "no_contact_days": "超过{n}天不进代表之家、联络站即约谈",
    "resignation_grace_days": "约谈后超过{n}天仍未改进即劝辞",
}


def threshold_phrase(key: str, value: int) -> str:
    """One setting in words: 接待群众每年3次."""
    return THRESHOLD_PHRASES[key].format(n=value)


# Activity kinds of the A9.3 rule (invitations confirmed then missed).
A93_KINDS = frozenset(
    {
        "special_research",
        "inspection",
        "law_enforcement_check",
        "theme_activity",
        "work_evaluation",
        "training",
        "lecture",
        "sc_meeting",
    }
)


@dataclass(frozen=True)
class ThresholdRule:
    id: str
    article: str
    kinds: frozenset[str]
    threshold_key: str
    window: str  # "year" | "term"
    label: str


@dataclass(frozen=True)
class ActionRule:
    id: str
    article: str
    kind: str  # the one intervention kind that resolves it
    responsible: str
    label: str
    threshold_key: str | None = None  # the setting that triggers it, if any


THRESHOLD_RULES: tuple[ThresholdRule, ...] = (
    ThresholdRule(
        "closed_session_activities",
        "A4.1",
        frozenset({"special_research", "inspection", "law_enforcement_check", "theme_activity", "work_evaluation"}),
        "closed_session_activities",
        "year",
        "参加闭会期间活动",
    ),
    ThresholdRule("group_activities", "A4.4", frozenset({"group_activity"}), "group_activities", "year", "参加代表联组、小组活动"),
    ThresholdRule("station_receptions", "A6.2", frozenset({"station_reception"}), "station_receptions", "year", "参加代表联络站接待群众"),
    ThresholdRule("training", "A5.3", frozenset({"training"}), "training", "term", "参加集中学习培训"),
    ThresholdRule("lectures", "A5.3", frozenset({"lecture"}), "lectures", "term", "参加代表大讲堂"),
    ThresholdRule("sc_meeting_attendance", "A9.4", frozenset({"sc_meeting"}), "sc_meeting_attendance", "term", "列席区人大常委会会议"),
    ThresholdRule("duty_report", "A9.5", frozenset({"duty_report"}), "duty_report", "term", "向原选区选民述职"),
)

ACTION_RULES: tuple[ActionRule, ...] = (
    ActionRule("absence_notice", "A3", "notice", "secretariat", "缺席通报"),
    ActionRule("session_absence_talk", "A9.1", "talk", "delegation_head", "未经批准一次不出席 → 约谈", "session_absence_talk_at"),
    ActionRule("qualification_termination", "A9.1", "termination", "sc", "未经批准两次不出席 → 代表资格终止", "termination_at"),
    ActionRule("silent_in_sessions_talk", "A9.2", "talk", "delegation_head", "连续两年不发表审议意见、不提交建议 → 约谈",
               "silent_years"),
    ActionRule("activity_absence_notice", "A9.3", "notice", "sc_office", "应邀确定参加而无故两次不参加 → 通报",
               "activity_absence_notice_at"),
    ActionRule("activity_absence_talk", "A9.3", "talk", "street_director", "通报后仍不积极参加 → 约谈"),
    ActionRule("no_contact_talk", "A9.6", "talk", "street_director", "一年以上不进代表之家、联络站 → 约谈",
               "no_contact_days"),
    ActionRule("resignation_advice", "A9.6", "resignation_advice", "sc", "约谈后仍未改进 → 劝辞", "resignation_grace_days"),
)

# The setting each rule reads (threshold rules and the action rules that have one).
RULE_THRESHOLD_KEY: dict[str, str] = {
    rule.id: rule.threshold_key for rule in (*THRESHOLD_RULES, *ACTION_RULES) if rule.threshold_key
}

ACTION_RULES_BY_ID: dict[str, ActionRule] = {rule.id: rule for rule in ACTION_RULES}
THRESHOLD_RULES_BY_ID: dict[str, ThresholdRule] = {rule.id: rule for rule in THRESHOLD_RULES}

DATA_CHECKS: tuple[str, ...] = (
    "unrecorded_attendance",
    "duplicate_registration",
    "leave_conflict",
    "leave_not_filed",
    "record_outside_service",
)


def validate_thresholds(values: dict) -> dict[str, str]:
    """Return {key: Chinese error} for unknown keys and values that are not positive whole numbers."""
    errors: dict[str, str] = {}
    if not isinstance(values, dict):
        return {"thresholds": "必须是一个对象(键为阈值名称,值为正整数)。"}
    for key, value in values.items():
        if key not in DEFAULT_THRESHOLDS:
            errors[key] = f"未知的阈值“{key}”。"
        elif isinstance(value, bool) or not isinstance(value, int) or value < 1:
            errors[key] = "必须是正整数。"
    return errors


def thresholds_with_defaults(values: dict | None) -> dict[str, int]:
    """Every threshold key, the term's own value where it has one."""
    return {**DEFAULT_THRESHOLDS, **(values or {})}


# --- Vocabulary the rules read (values of the models' choices; kept here so the rules stay pure). ---

# Finding statuses (RULES.md, "Threshold rules → status" and "Action rules → status").
MET = "met"
ON_TRACK = "on_track"
BEHIND = "behind"
MISSED = "missed"
ACTION_REQUIRED = "action_required"
RESOLVED = "resolved"
THRESHOLD_STATUSES: tuple[str, ...] = (MET, ON_TRACK, BEHIND, MISSED)
ACTION_STATUSES: tuple[str, ...] = (ACTION_REQUIRED, RESOLVED)
# How good a threshold status is for the deputy, worst first: one more attended record can only
# move a finding up this scale (missed → met once the window is over; behind → on_track → met before).
THRESHOLD_STATUS_RANK: dict[str, int] = {MISSED: 0, BEHIND: 1, ON_TRACK: 2, MET: 3}

# Participation outcomes.
ATTENDED = "attended"
ABSENT = "absent"

# Leave routes and the one leave status that excuses anything (Art. 3(一): 未经批准不到会的,一律按缺席对待).
WHOLE_SESSION = "whole_session"
LEAVE_APPROVED = "approved"

# Contribution kinds that keep a year from being silent (A9.2: 审议意见, 建议、批评和意见).
A92_CONTRIBUTION_KINDS = frozenset({"review_opinion", "suggestion"})

# Meeting kinds every deputy is expected at (Art. 3(一): 预备会议、全体会议、分团会议). Presidium and special
# committee meetings involve only the deputies elected or invited to them (Art. 3(二)), so a missing roll
# call there is no data gap for the others.
ALL_DEPUTY_MEETING_KINDS = frozenset({"preparatory", "plenary", "delegation"})

# Threshold rule id of each activity kind that counts toward one (the kinds of THRESHOLD_RULES are disjoint).
THRESHOLD_RULE_OF_KIND: dict[str, str] = {kind: rule.id for rule in THRESHOLD_RULES for kind in rule.kinds}
A93_RULE = "activity_absence_notice"  # the rule a confirmed absence counts toward (and, after a notice, the talk)


def counted_toward(kind: str, outcome: str, confirmed: bool) -> str | None:
    """The rule a participation counts toward when dated in service by the as-of date, read from its kind and outcome
    alone: an attended activity of a threshold kind, or a confirmed absence (应邀确定参加而无故不参加) at an A9.3 kind."""
    if outcome == ATTENDED:
        return THRESHOLD_RULE_OF_KIND.get(kind)
    if outcome == ABSENT and confirmed and kind in A93_KINDS:
        return A93_RULE
    return None
STATION_RECEPTION = "station_reception"
