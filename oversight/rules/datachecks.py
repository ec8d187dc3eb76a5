"""Data-quality checks (RULES.md): warnings for the staff who can fix a record, never sanctions."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from .catalog import ALL_DEPUTY_MEETING_KINDS, ATTENDED, DATA_CHECKS, LEAVE_APPROVED
from .classify import deputy_spans, read_leave
from .facts import DeputyFacts, Facts, TermFacts
from .findings import DataCheck, GroupedDataCheck
from .windows import is_suspended, served_days, service_window, year_windows

_CHECK_ORDER = {check: index for index, check in enumerate(DATA_CHECKS)}


def _day(value: dt.date) -> str:
    return f"{value.year}年{value.month}月{value.day}日"


def unrecorded_attendance(facts: Facts, deputy: DeputyFacts, window: tuple[dt.date, dt.date] | None,
                          as_of: dt.date) -> list[DataCheck]:
    """A session has ended and a deputy in service has no attendance record for one of its meetings."""
    if window is None:
        return []
    start, end = window
    spans = deputy_spans(deputy, window, as_of)  # a suspended deputy is not expected at a meeting (no gap)
    marks = facts.attendance.get(deputy.id, {})
    checks = []
    for session in facts.sessions:
        if session.end > as_of or session.end < start or session.start > end:
            continue
        for meeting in facts.session_meetings.get(session.id, ()):
            # (choice) only meetings every deputy must attend (Art. 3(一)); presidium and special committee
            # meetings concern only their members, whose absence of a record elsewhere is no gap.
            if (meeting.kind not in ALL_DEPUTY_MEETING_KINDS or not start <= meeting.date <= end
                    or is_suspended(meeting.date, spans)):
                continue
            if meeting.id not in marks:
                checks.append(DataCheck(
                    "unrecorded_attendance", deputy.id, "meeting", meeting.id, meeting.date,
                    f"{session.name or '大会'}已闭幕,但该代表{_day(meeting.date)}的会议(#{meeting.id})没有出席记录;"
                    "未录入的点名既不算缺席,也不算出席,请补录。",
                ))
    return checks


def duplicate_registration(facts: Facts, deputy: DeputyFacts, as_of: dt.date) -> list[DataCheck]:
    """The deputy is recorded as attending two activities of the same kind on the same day."""
    records = facts.participations.get(deputy.id, ())
    # Most deputies have no two such records: a set finds whether any (kind, day) comes twice, and only then are
    # the activities of each grouped.
    seen: set[tuple[str, dt.date]] = set()
    twice: set[tuple[str, dt.date]] = set()
    for p in records:
        if p.outcome == ATTENDED and p.date <= as_of:
            key = (p.kind, p.date)
            if key in seen:
                twice.add(key)
            else:
                seen.add(key)
    if not twice:
        return []
    same_day: dict[tuple[str, dt.date], list[int]] = {}
    for p in records:
        if p.outcome == ATTENDED and p.date <= as_of and (p.kind, p.date) in twice:
            same_day.setdefault((p.kind, p.date), []).append(p.activity_id)
    checks = []
    for (_kind, day), activity_ids in same_day.items():
        if len(activity_ids) < 2:
            continue
        activity_ids = sorted(set(activity_ids))
        for activity_id in activity_ids:
            others = "、".join(f"#{other}" for other in activity_ids if other != activity_id)
            checks.append(GroupedDataCheck(
                "duplicate_registration", deputy.id, "activity", activity_id, day,
                f"该代表{_day(day)}同时被登记出席了同类活动 #{activity_id} 和 {others},"
                "可能是两个组织方重复登记了同一活动。",
                group=tuple(activity_ids),
            ))
    return checks


def one_per_problem(checks: Iterable[DataCheck]) -> list[DataCheck]:
    """The checks with each problem once: of the checks of one group (a duplicate's activities, each given
    its own check by the API) only the first is kept; the order is kept."""
    seen: set[tuple[str, int, tuple[int, ...]]] = set()
    kept = []
    for check in checks:
        if isinstance(check, GroupedDataCheck):
            key = (check.check, check.deputy, check.group)
            if key in seen:
                continue
            seen.add(key)
        kept.append(check)
    return kept


def leave_conflict(facts: Facts, deputy: DeputyFacts, as_of: dt.date) -> list[DataCheck]:
    """An approved leave covers a meeting where the deputy is recorded present."""
    marks = facts.attendance.get(deputy.id, {})
    cover = read_leave(facts.leaves.get(deputy.id, ()))
    covering = {m.id: leave_id for session_id, leave_id in cover.whole.items()
                for m in facts.session_meetings.get(session_id, ())}
    for meeting_id, leave_id in cover.meetings.items():
        covering.setdefault(meeting_id, leave_id)
    checks = []
    for meeting_id, leave_id in covering.items():
        meeting = facts.meetings.get(meeting_id)
        if meeting is None or meeting.date > as_of or not marks.get(meeting_id):
            continue
        checks.append(DataCheck(
            "leave_conflict", deputy.id, "meeting", meeting_id, meeting.date,
            f"已批准的请假(#{leave_id})覆盖{_day(meeting.date)}的会议(#{meeting_id}),"
            "但该代表在此会议被记录为出席;请核对出席记录或请假。",
        ))
    return checks


def leave_not_filed(facts: Facts, deputy: DeputyFacts, as_of: dt.date) -> list[DataCheck]:
    """An approved leave whose filing step (备案) is still open after its session has ended.

    "After its session has ended": from the day after the session's last day (on the last day the office
    may still be filing); a leave of a session not in the facts is not judged."""
    sessions = {session.id: session for session in facts.sessions}
    checks = []
    for leave in sorted(facts.leaves.get(deputy.id, ()), key=lambda leave: leave.id):
        session = sessions.get(leave.session_id)
        if leave.status != LEAVE_APPROVED or not leave.filing_open or session is None or session.end >= as_of:
            continue
        checks.append(DataCheck(
            "leave_not_filed", deputy.id, "leave_request", leave.id, session.end,
            f"已批准的请假(#{leave.id})在{session.name or '大会'}{_day(session.end)}闭幕后仍未备案;"
            "请假已经生效,请备案部门补办备案。",
        ))
    return checks


def record_outside_service(facts: Facts, deputy: DeputyFacts, window: tuple[dt.date, dt.date] | None,
                           as_of: dt.date) -> list[DataCheck]:
    """A participation or attendance dated outside the deputy's service period, or inside one of their suspensions."""
    spans = deputy_spans(deputy, window, as_of)

    def where(day: dt.date) -> str | None:
        """Why the day is outside service (the sentence's middle), or None when the deputy served on it."""
        if window is None or not window[0] <= day <= window[1]:
            return "不在该代表任职期间内"
        if spans and is_suspended(day, spans):
            return "在该代表暂停执行代表职务期间内"
        return None

    checks = []
    for p in facts.participations.get(deputy.id, ()):
        reason = where(p.date) if p.date <= as_of else None
        if reason is not None:
            checks.append(DataCheck(
                "record_outside_service", deputy.id, "activity", p.activity_id, p.date,
                f"活动(#{p.activity_id})日期{_day(p.date)}{reason},该记录不计入履职统计。",
            ))
    for meeting_id in facts.attendance.get(deputy.id, {}):
        meeting = facts.meetings.get(meeting_id)
        reason = where(meeting.date) if meeting is not None and meeting.date <= as_of else None
        if reason is not None:
            checks.append(DataCheck(
                "record_outside_service", deputy.id, "meeting", meeting_id, meeting.date,
                f"会议(#{meeting_id})日期{_day(meeting.date)}{reason},该出席记录不计入履职统计。",
            ))
    return checks


def data_checks(term: TermFacts, facts: Facts, as_of: dt.date,
                deputy_ids: Iterable[int] | None = None) -> list[DataCheck]:
    """Every data-quality warning of the term at as_of (records dated after it are not seen)."""
    ids = sorted(facts.deputies) if deputy_ids is None else sorted(set(deputy_ids) & facts.deputies.keys())
    checks: list[DataCheck] = []
    for deputy_id in ids:
        deputy = facts.deputies[deputy_id]
        window = service_window(term.start, term.end, deputy.service_start, deputy.service_end)
        found = (
            unrecorded_attendance(facts, deputy, window, as_of)
            + duplicate_registration(facts, deputy, as_of)
            + leave_conflict(facts, deputy, as_of)
            + leave_not_filed(facts, deputy, as_of)
            + record_outside_service(facts, deputy, window, as_of)
        )
        found.sort(key=lambda c: (_CHECK_ORDER[c.check], c.date, c.type, c.id))
        checks.extend(found)
    return checks


# --- contacts: A10.5 (Art. 10(五)) standing-committee members' contacts with their deputies -----------------
# Not per deputy like the checks above: contact_assignment_size is about a member (a user), so these checks are
# ContactCheck rows (member, deputy or None, year or None), computed from their own small facts.

CONTACT_DEPUTIES_MIN = 5  # Art. 10(五): "每位区人大常委会组成人员直接联系 5-6 名代表"
CONTACT_DEPUTIES_MAX = 6


@dataclass(frozen=True, slots=True)
class ContactAssignmentFact:
    """One assignment of a term: this member (a user id, with the name pages show) contacts this deputy."""

    id: int
    member_id: int
    member_name: str
    deputy_id: int
    deputy_name: str = ""


@dataclass(frozen=True, slots=True)
class ContactCheck:
    check: str  # contact_assignment_size | contact_missing
    member_id: int
    deputy_id: int | None
    year: int | None
    message: str


def contact_size_ok(count: int) -> bool:
    """Does a member with `count` deputies in the term satisfy Art. 10(五) (5 to 6)?"""
    return CONTACT_DEPUTIES_MIN <= count <= CONTACT_DEPUTIES_MAX


def contact_size_message(count: int) -> str:
    """The warning for a member with `count` deputies, or "" when the count is right."""
    if count < CONTACT_DEPUTIES_MIN:
        return f"只分配了 {count} 名联系代表，少于第十条（五）规定的 {CONTACT_DEPUTIES_MIN} 名。"
    if count > CONTACT_DEPUTIES_MAX:
        return f"分配了 {count} 名联系代表，多于第十条（五）规定的 {CONTACT_DEPUTIES_MAX} 名。"
    return ""


def contact_assignment_size(assignments: Iterable[ContactAssignmentFact],
                            members: Mapping[int, str] | None = None) -> list[ContactCheck]:
    """A member with fewer than 5 or more than 6 deputies in the term. `members` ({user id: name}, the term's
    sc_member users) adds those with no assignment at all (0 deputies)."""
    counts: dict[int, int] = dict.fromkeys(members or {}, 0)
    names: dict[int, str] = dict(members or {})
    for a in assignments:
        counts[a.member_id] = counts.get(a.member_id, 0) + 1
        names.setdefault(a.member_id, a.member_name)
    checks = []
    for member_id in sorted(counts, key=lambda m: (names.get(m, ""), m)):
        message = contact_size_message(counts[member_id])
        if message:
            checks.append(ContactCheck("contact_assignment_size", member_id, None, None,
                                       f"常委会组成人员{names.get(member_id, '')}{message}"))
    return checks


def contact_expected_years(term_start: dt.date, term_end: dt.date, deputy: DeputyFacts,
                           as_of: dt.date) -> list[int]:
    """The calendar years that have ENDED by as_of (31 December before as_of) in which the deputy served at least
    one day of the term not suspended: a contact was owed in each of them.

    (choice) The current year is never a data check: the member still has until 31 December; the member's page and
    待办 home list who is not yet contacted this year instead. A year in which the deputy never served (not yet
    elected, service ended, suspended all of it) owes no contact."""
    window = service_window(term_start, term_end, deputy.service_start, deputy.service_end)
    if window is None:
        return []
    spans = deputy_spans(deputy, window, as_of)
    return [year for year, first, last in year_windows(*window)
            if dt.date(year, 12, 31) < as_of and served_days(first, last, spans) > 0]


def contact_missing(term_start: dt.date, term_end: dt.date, assignments: Iterable[ContactAssignmentFact],
                    deputies: Mapping[int, DeputyFacts], contact_dates: Mapping[int, Iterable[dt.date]],
                    as_of: dt.date) -> list[ContactCheck]:
    """An assigned deputy with no contact (by their member) in an ended calendar year they served in.

    contact_dates: {assignment id: dates of its contacts}; contacts dated after as_of are not seen."""
    checks = []
    for a in sorted(assignments, key=lambda a: (a.member_name, a.member_id, a.deputy_name, a.deputy_id)):
        deputy = deputies.get(a.deputy_id)
        if deputy is None:
            continue
        years_contacted = {d.year for d in contact_dates.get(a.id, ()) if d <= as_of}
        for year in contact_expected_years(term_start, term_end, deputy, as_of):
            if year not in years_contacted:
                checks.append(ContactCheck(
                    "contact_missing", a.member_id, a.deputy_id, year,
                    f"常委会组成人员{a.member_name}在{year}年没有联系代表{a.deputy_name}的记录"
                    "（第十条（五）：直接联系代表）；如有联系请补录。",
                ))
    return checks
