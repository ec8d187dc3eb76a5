"""Chinese words for the rules' values (statuses, actions, who must act), shared by pages and the API."""
from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from oversight.rules.catalog import ACTION_RULES, DATA_CHECKS, THRESHOLD_RULES

STATUS_LABELS = {
    "met": _("已达标"),
    "on_track": _("进度正常"),
    "behind": _("进度落后"),
    "missed": _("未达标"),
    "action_required": _("待处置"),
    "resolved": _("已处置"),
}
STATUSES: tuple[str, ...] = tuple(STATUS_LABELS)

# The badge colour of each status on the pages (ok / warn / bad).
STATUS_TONES = {
    "met": "ok",
    "on_track": "ok",
    "behind": "warn",
    "missed": "bad",
    "action_required": "bad",
    "resolved": "ok",
}

ACTION_LABELS = {
    "none": _("无需处置"),
    "talk": _("约谈"),
    "notice": _("通报"),
    "termination": _("资格终止"),
    "resignation_advice": _("劝辞"),
}
ACTIONS: tuple[str, ...] = tuple(ACTION_LABELS)

# Who must act (RULES.md, action rules → responsible).
RESPONSIBLE_LABELS = {
    "deputy": _("代表本人"),
    "secretariat": _("大会秘书处"),
    "delegation_head": _("代表团团长"),
    "sc": _("区人大常委会"),
    "sc_office": _("区人大常委会办公室"),
    "street_director": _("人大街工委主任"),
}

RULE_LABELS = {rule.id: rule.label for rule in (*THRESHOLD_RULES, *ACTION_RULES)}
RULE_ARTICLES = {rule.id: rule.article for rule in (*THRESHOLD_RULES, *ACTION_RULES)}
RULE_IDS: tuple[str, ...] = tuple(RULE_LABELS)

DATA_CHECK_LABELS = {
    "unrecorded_attendance": _("出席记录缺失"),
    "duplicate_registration": _("同日重复登记"),
    "leave_conflict": _("请假与出席冲突"),
    "leave_not_filed": _("请假未备案"),
    "record_outside_service": _("任职期间以外的记录"),
}
assert tuple(DATA_CHECK_LABELS) == DATA_CHECKS

# What sets off each action rule, in words, with the term's numbers filled in by the page.
ACTION_TRIGGERS = {
    "absence_notice": _("大会期间有未经批准的缺席(每次大会至少一次)时,由大会秘书处通报。"),
    "session_absence_talk": _("任期内未经批准不出席大会达到 {session_absence_talk_at} 次时,由代表团团长或人大街工委主任约谈。"),
    "qualification_termination": _("任期内未经批准不出席大会达到 {termination_at} 次时,代表资格终止。"),
    "silent_in_sessions_talk": _("连续 {silent_years} 年在大会期间不发表审议意见、不提交建议时,由代表团团长约谈。"),
    "activity_absence_notice": _("应邀确定参加而无故不参加区人大常委会活动达到 {activity_absence_notice_at} 次时,由常委会办公室通报。"),
    "activity_absence_talk": _("通报后又有应邀确定参加而无故不参加的活动时,由人大街工委主任约谈。"),
    "no_contact_talk": _("超过 {no_contact_days} 天不进代表之家、联络站接待群众时,由人大街工委主任约谈。"),
    "resignation_advice": _("因不联系群众被约谈后,超过 {resignation_grace_days} 天仍未参加接待群众活动时,由区人大常委会劝辞。"),
}


def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status))


def responsible_label(responsible: str, rule: str = "") -> str:
    """Who must act, in Chinese; A9.1's talk may also be held by the street committee director."""
    if rule == "session_absence_talk":
        return str(_("代表团团长或人大街工委主任"))
    return str(RESPONSIBLE_LABELS.get(responsible, responsible))


def action_label(action: str) -> str:
    return str(ACTION_LABELS.get(action, action))


# How an action rule's count reads (what is counted, its unit, and the number that sets it off): absences and
# days are numbers in their status colour on the pages, never a progress bar ("8 / 1" is not 800 % done).
ACTION_MEASURES = {
    "absence_notice": (_("未经批准缺席会议"), _("场"), _("缺席 {required} 场即通报")),
    "session_absence_talk": (_("未经批准不出席大会"), _("次"), _("达到 {required} 次即约谈")),
    "qualification_termination": (_("未经批准不出席大会"), _("次"), _("达到 {required} 次资格终止")),
    "silent_in_sessions_talk": (_("连续不发表审议意见、不提交建议"), _("年"), _("达到 {required} 年即约谈")),
    "activity_absence_notice": (_("应邀确定参加而无故不参加"), _("次"), _("达到 {required} 次即通报")),
    "activity_absence_talk": (_("通报后又无故不参加"), _("次"), _("出现 {required} 次即约谈")),
    "no_contact_talk": (_("未进代表之家、联络站接待群众"), _("天"), _("超过 {required} 天即约谈")),
    "resignation_advice": (_("约谈后仍未参加接待群众"), _("天"), _("超过 {required} 天即劝辞")),
}
assert set(ACTION_MEASURES) == {rule.id for rule in ACTION_RULES}


def action_measure(rule: str, required: int) -> tuple[str, str, str]:
    """(what is counted, its unit, what sets the rule off) of an action rule, the term's number filled in."""
    what, unit, trigger = ACTION_MEASURES[rule]
    return str(what), str(unit), str(trigger).format(required=required)
