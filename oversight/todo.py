"""待办: what a user must do now, as lines of the home page (oversight.home).

Each source is one small function of a TodoContext returning TodoItems (a label, a count, the link to
the page where the user does it, already filtered, a tone and the date of the newest thing counted);
SOURCES lists them, and adding a source (the overdue suggestions and opinions of a later issue) is one
function and one line there. A source asks the predicates of dutyadmin/permissions.py whether the user
does that kind of work at all, and reads through the selectors, so its count is what the linked page
lists. The findings are read once per request by the caller (TodoContext.findings): the sources filter
that list, they never evaluate the rules again.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.db.models import Count, Max, Min, Q
from django.urls import reverse
from django.utils import timezone

from activities.choices import SelfRegistrationStatus
from activities.selectors import declined_invitations, my_invitations, self_registration_list, unanswered
from deputies.contacts import contact_assignment_list, last_contacts_in_year
from deputies.models import Deputy, Term
from dutyadmin.dates import chinese_date
from dutyadmin.permissions import ForRule, allows, unit_of
from dutyadmin.roles import Role
from dutyadmin.scope import Scope
from meetings.choices import LeaveStatus
from meetings.selectors import contribution_list, leave_filings_waiting, leave_inbox, leave_request_list
from oversight.rules import DataCheck, Finding
from oversight.rules.catalog import ACTION_REQUIRED

from .choices import ReviewStatus
from .labels import DATA_CHECK_LABELS, RULE_LABELS, action_label
from .models import YearReview
from .suggestions.choices import SuggestionStatus
from .suggestions.selectors import due_soon_q, feedback_missing_q, overdue_q, suggestion_list
from .opinions import selectors as opinion_selectors  # --- opinions
from .office_checks import OFFICE_CHECK_LABELS, office_data_checks
from .receptions import selectors as reception_selectors

# Tones, as the badges of the pages: bad (overdue or a sanction owed), warn (waiting for the user),
# info (in progress, nothing to do but wait).
BAD, WARN, INFO = "bad", "warn", "info"


@dataclass(frozen=True)
class TodoItem:
    """One line of the to-do list: `count` things, done at `url`; `newest` is the date of the newest."""

    label: str
    count: int
    url: str
    tone: str = WARN
    newest: dt.date | None = None
    detail: str = ""


@dataclass
class TodoContext:
    """What the sources read: the user, their scope, the current term and today, and the findings.

    findings: the action_required findings of the deputies in the user's scope, read once by the caller
    (None when the user records no intervention). deputies: those findings' deputies, by id."""

    user: object
    scope: Scope
    term: Term | None
    today: dt.date
    findings: list[Finding] | None = None
    deputies: dict[int, Deputy] = field(default_factory=dict)
    data_checks: list[DataCheck] | None = None


def _day(value) -> dt.date | None:
    """A datetime as the local date; a date as it is."""
    if isinstance(value, dt.datetime):
        return timezone.localdate(value) if timezone.is_aware(value) else value.date()
    return value


def _with_query(url: str, **params) -> str:
    params = {k: v for k, v in params.items() if v not in (None, "")}
    return f"{url}?{urlencode(params)}" if params else url


def _names(deputies: Iterable[Deputy | None], limit: int = 3) -> str:
    names = [d.name for d in deputies if d is not None]
    shown = "、".join(names[:limit])
    return f"{shown}等{len(names)}人" if len(names) > limit else shown


# --- the sources ------------------------------------------------------------------------------------


def interventions_owed(ctx: TodoContext) -> list[TodoItem]:
    """Talks, notices, terminations and advice owed by the user's role: one line per rule, from the
    findings' `responsible` as record_intervention (the ONE predicate) reads it for each deputy."""
    if not ctx.findings:
        return []
    owed: dict[str, list[Finding]] = defaultdict(list)
    for finding in ctx.findings:
        deputy = ctx.deputies.get(finding.deputy)
        if deputy is not None and allows(ctx.scope, "record_intervention", ForRule(deputy, finding.rule)):
            owed[finding.rule].append(finding)
    items = []
    for rule, findings in owed.items():
        action = action_label(findings[0].action)
        if len(findings) == 1:  # one deputy: straight to the form, filled in, back home once saved
            url = _with_query(reverse("oversight:intervention_create"), deputy=findings[0].deputy, rule=rule,
                              next=reverse("home"))
        else:
            url = _with_query(reverse("oversight:finding_list"), status=ACTION_REQUIRED, rule=rule)
        condition = str(RULE_LABELS.get(rule, rule)).split(" → ")[0]  # "未经批准两次不出席 → 代表资格终止"
        items.append(TodoItem(
            label=f"待{action}:{condition}", count=len(findings), url=url, tone=BAD,
            newest=max((f.trigger_date for f in findings if f.trigger_date), default=None),
            detail=_names(ctx.deputies.get(f.deputy) for f in findings),
        ))
    return items


def leave_steps_waiting(ctx: TodoContext) -> list[TodoItem]:
    """Leave requests whose current step is the user's (待我审批)."""
    if not allows(ctx.scope, "decide_leave_step"):
        return []
    row = leave_inbox(user=ctx.user).order_by().aggregate(n=Count("id"), newest=Max("created_at"))
    return [TodoItem("请假申请待审批", row["n"], reverse("meetings:leave_inbox"), WARN, _day(row["newest"]))]


def leave_filings_to_do(ctx: TodoContext) -> list[TodoItem]:
    """Approved leave whose filing step (备案) is the user's: it decides nothing, but stays to be done."""
    if not allows(ctx.scope, "decide_leave_step"):
        return []
    row = leave_filings_waiting(user=ctx.user).order_by().aggregate(n=Count("id"), newest=Max("created_at"))
    return [TodoItem("请假已批准,待备案", row["n"], reverse("meetings:leave_inbox") + "#filings-title", INFO,
                     _day(row["newest"]))]


def registrations_to_review(ctx: TodoContext) -> list[TodoItem]:
    """Deputies' personal registrations waiting for the user's review (the queue of 登记审核)."""
    if not allows(ctx.scope, "review_self_registration"):
        return []
    pending = self_registration_list(user=ctx.user).filter(status=SelfRegistrationStatus.PENDING)
    if not ctx.scope.has(Role.LIAISON_OFFICE):
        pending = pending.filter(deputy__street_committee_id=ctx.scope.street_committee_id)
    row = pending.order_by().aggregate(n=Count("id"), newest=Max("submitted_at"))
    return [TodoItem("代表个人登记待审核", row["n"], reverse("activities:review_list"), WARN, _day(row["newest"]))]


def contributions_to_review(ctx: TodoContext) -> list[TodoItem]:
    """Deputies' own contributions neither confirmed nor returned yet."""
    if not allows(ctx.scope, "enter_contribution"):
        return []
    row = (contribution_list(user=ctx.user).filter(confirmed=False, return_reason="").order_by()
           .aggregate(n=Count("id"), newest=Max("date")))
    return [TodoItem("代表填报的审议意见和建议待确认", row["n"], reverse("meetings:contribution_review"), WARN,
                     row["newest"])]


def year_reviews_to_review(ctx: TodoContext) -> list[TodoItem]:
    """The liaison office: street committees' year-end submissions waiting for review."""
    if not allows(ctx.scope, "review_year") or ctx.term is None:
        return []
    submitted = YearReview.objects.filter(term=ctx.term, status=ReviewStatus.SUBMITTED)
    row = submitted.order_by().aggregate(n=Count("id"), newest=Max("submitted_at"), year=Max("year"))
    url = _with_query(reverse("oversight:review_board"), term=ctx.term.pk, year=row["year"])
    return [TodoItem("街工委报送的年度履职手册待审核", row["n"], url, WARN, _day(row["newest"]))]


def year_reviews_returned(ctx: TodoContext) -> list[TodoItem]:
    """Street staff: their street's year-end submission returned by the liaison office, to correct and resubmit."""
    sid = ctx.scope.street_committee_id
    if ctx.term is None or sid is None or Role.STREET_STAFF not in ctx.scope.roles:
        return []
    if not allows(ctx.scope, "submit_handbooks", sid):
        return []
    items = []
    for review in YearReview.objects.filter(term=ctx.term, street_committee_id=sid, status=ReviewStatus.RETURNED):
        items.append(TodoItem(
            f"{review.year}年度履职手册被退回,待修改后重新报送", 1,
            reverse("oversight:review_street", args=[ctx.term.pk, review.year, sid]), BAD, _day(review.reviewed_at),
        ))
    return items


# Who corrects the record a data check is about: attendance of meetings is the secretariat's,
# activities their registrar's.
DATA_CHECK_FIXERS: dict[str, str] = {"meeting": "record_attendance", "activity": "enter_activity"}


def data_checks_to_fix(ctx: TodoContext) -> list[TodoItem]:
    """Data checks about records the user may correct: one line per check."""
    if not ctx.data_checks:
        return []
    fixable: dict[str, list[DataCheck]] = defaultdict(list)
    for check in ctx.data_checks:
        act = DATA_CHECK_FIXERS.get(check.type)
        if act and allows(ctx.scope, act):
            fixable[check.check].append(check)
    return [
        TodoItem(f"数据检查:{DATA_CHECK_LABELS.get(name, name)}", len(checks),
                 _with_query(reverse("oversight:data_check_list"), check=name), WARN,
                 max(c.date for c in checks))
        for name, checks in fixable.items()
    ]


def organizer_q(scope: Scope, prefix: str = "activity__") -> Q:
    """The activities whose organizer the user is for answering declines: street staff their street's,
    the liaison office the district's (no street committee); an admin all. notifications'
    invitation_answered_notify tells the same people (activity_organizers)."""
    if scope.is_admin:
        return Q()
    q = Q(pk__in=[])
    if scope.has(Role.LIAISON_OFFICE):
        q |= Q(**{f"{prefix}street_committee__isnull": True})
    if Role.STREET_STAFF in scope.roles and scope.street_committee_id:
        q |= Q(**{f"{prefix}street_committee_id": scope.street_committee_id})
    return q


def declines_to_decide(ctx: TodoContext) -> list[TodoItem]:
    """Invitations deputies declined with a reason: the organizer decides 请假 or not, one line per activity."""
    if not allows(ctx.scope, "enter_activity"):
        return []
    rows = (declined_invitations(user=ctx.user).filter(organizer_q(ctx.scope)).order_by("activity__date", "pk")
            .values_list("activity_id", "activity__title", "activity__date", "deputy__name", "answered_at"))
    by_activity: dict[int, list] = defaultdict(list)
    for row in rows:
        by_activity[row[0]].append(row)
    items = []
    for activity_id, declines in by_activity.items():
        title = declines[0][1]
        items.append(TodoItem(
            f"代表不能参加“{title}”,待决定是否准假", len(declines),
            reverse("activities:participations", args=[activity_id]), WARN,
            _day(max(d[4] for d in declines)), detail="、".join(d[3] for d in declines),
        ))
    return items


def invitations_to_answer(ctx: TodoContext) -> list[TodoItem]:
    """A deputy's invitations to activities still to come that they have not answered."""
    if not allows(ctx.scope, "answer_invitation"):
        return []
    waiting = unanswered(my_invitations(deputy_id=ctx.scope.deputy_id, today=ctx.today))
    row = waiting.order_by().aggregate(n=Count("id"), soonest=Min("activity__date"))
    # Dated today: an answer is due now, before the activity's day (which the detail names).
    soonest = f"最近一项:{row['soonest']:%Y年%-m月%-d日}" if row["soonest"] else ""
    return [TodoItem("活动邀请待答复", row["n"], reverse("activities:my_invitations"), WARN, ctx.today, soonest)]


def my_returned_registrations(ctx: TodoContext) -> list[TodoItem]:
    """A deputy's personal registrations returned by the staff, to complete and submit again."""
    if not allows(ctx.scope, "self_register"):
        return []
    row = (self_registration_list(user=ctx.user).filter(deputy_id=ctx.scope.deputy_id,
                                                        status=SelfRegistrationStatus.RETURNED)
           .order_by().aggregate(n=Count("id"), newest=Max("reviewed_at")))
    return [TodoItem("个人登记被退回,待补充修改", row["n"], reverse("activities:self_list"), BAD, _day(row["newest"]))]


def my_returned_contributions(ctx: TodoContext) -> list[TodoItem]:
    """A deputy's own contributions returned by the staff."""
    if not allows(ctx.scope, "self_register"):
        return []
    row = (contribution_list(user=ctx.user).filter(deputy_id=ctx.scope.deputy_id, confirmed=False)
           .exclude(return_reason="").order_by().aggregate(n=Count("id"), newest=Max("date")))
    return [TodoItem("审议意见和建议被退回,待修改", row["n"], reverse("meetings:contribution_list"), BAD,
                     row["newest"])]


def my_leave_in_progress(ctx: TodoContext) -> list[TodoItem]:
    """A deputy's leave requests still being decided (nothing to do but know it)."""
    if not allows(ctx.scope, "act_as_deputy"):
        return []
    row = (leave_request_list(user=ctx.user).filter(deputy_id=ctx.scope.deputy_id, status=LeaveStatus.PENDING)
           .order_by().aggregate(n=Count("id"), newest=Max("created_at")))
    return [TodoItem("请假申请审批中", row["n"], _with_query(reverse("meetings:leave_list"), status=LeaveStatus.PENDING),
                     INFO, _day(row["newest"]))]


# --- sgremind: suggestions (issue 13), one query per role ------------------------------------------------


def _earliest(*days: dt.date | None) -> dt.date | None:
    return min((d for d in days if d is not None), default=None)


def unit_suggestions_to_reply(ctx: TodoContext) -> list[TodoItem]:
    """A handling unit's staff: the suggestions their unit leads (and so replies to) that are overdue, due within
    15 days, or back for rehandling after a dissatisfied evaluation; each line links to the unit's list so filtered."""
    unit = unit_of(ctx.scope)
    if unit is None or not allows(ctx.scope, "reply_suggestion"):
        return []
    today, S = ctx.today, SuggestionStatus
    late, soon = overdue_q(today), due_soon_q(today)
    row = suggestion_list(user=ctx.user).filter(lead_unit_id=unit).order_by().aggregate(
        overdue=Count("id", filter=late),
        late_first=Min("due_date", filter=late & Q(status=S.ASSIGNED)),
        late_rehandling=Min("rehandling_due", filter=late & Q(status=S.REHANDLING)),
        soon=Count("id", filter=soon),
        soon_first=Min("due_date", filter=soon & Q(status=S.ASSIGNED)),
        soon_rehandling=Min("rehandling_due", filter=soon & Q(status=S.REHANDLING)),
        rehandling=Count("id", filter=Q(status=S.REHANDLING)),
        rehandling_due=Min("rehandling_due", filter=Q(status=S.REHANDLING)),
        reopened=Max("evaluated_on", filter=Q(status=S.REHANDLING)),
    )
    url = reverse("suggestions:unit_list")
    items = []
    if row["overdue"]:
        first = _earliest(row["late_first"], row["late_rehandling"])
        items.append(TodoItem("建议逾期未答复", row["overdue"], _with_query(url, lead_unit=unit, overdue="true"), BAD,
                              today, f"最早的期限：{chinese_date(first)}"))
    if row["soon"]:
        first = _earliest(row["soon_first"], row["soon_rehandling"])
        items.append(TodoItem("建议15天内到期，待答复", row["soon"], _with_query(url, lead_unit=unit, due_soon="true"),
                              WARN, today, f"最近的期限：{chinese_date(first)}"))
    if row["rehandling"]:
        items.append(TodoItem("代表不满意，建议待重新办理", row["rehandling"],
                              _with_query(url, lead_unit=unit, status=S.REHANDLING), WARN, row["reopened"],
                              f"最近的期限：{chinese_date(row['rehandling_due'])}"))
    return items


def office_suggestions_to_handle(ctx: TodoContext) -> list[TodoItem]:
    """The liaison office: suggestions submitted and not assigned yet, replies overdue across the district, and
    replies the deputy left without feedback past the deadline (代表未反馈: the office may close them)."""
    if not allows(ctx.scope, "assign_suggestion"):
        return []
    today, S = ctx.today, SuggestionStatus
    late, missing = overdue_q(today), feedback_missing_q(today)
    row = suggestion_list(user=ctx.user).order_by().aggregate(
        submitted=Count("id", filter=Q(status=S.SUBMITTED)),
        submitted_newest=Max("submitted_on", filter=Q(status=S.SUBMITTED)),
        overdue=Count("id", filter=late),
        missing=Count("id", filter=missing),
        missing_newest=Max("feedback_due", filter=missing),
    )
    url = reverse("suggestions:list")
    return [
        TodoItem("代表建议待交办", row["submitted"], _with_query(url, status=S.SUBMITTED), WARN,
                 row["submitted_newest"]),
        TodoItem("建议逾期未答复（全区）", row["overdue"], _with_query(url, overdue="true"), BAD, today),
        TodoItem("代表未在期限内评价答复，可办结", row["missing"], _with_query(url, feedback_missing="true"), INFO,
                 row["missing_newest"]),
    ]


def my_suggestion_replies(ctx: TodoContext) -> list[TodoItem]:
    """A deputy: the replies to the suggestions they lead that wait for their evaluation, with the nearest deadline."""
    if not allows(ctx.scope, "evaluate_suggestion"):
        return []
    row = (suggestion_list(user=ctx.user).filter(lead_deputy_id=ctx.scope.deputy_id, status=SuggestionStatus.REPLIED)
           .order_by().aggregate(n=Count("id"), deadline=Min("feedback_due"), newest=Max("replied_on")))
    detail = f"请于{chinese_date(row['deadline'])}前评价" if row["deadline"] else ""
    return [TodoItem("建议已答复，待您评价", row["n"], reverse("suggestions:mine"), WARN, row["newest"], detail)]


# --- contacts: A10.5 standing-committee members' contacts with their deputies -----------------------------
def contacts_owed_this_year(ctx: TodoContext) -> list[TodoItem]:
    """A standing-committee member: their deputies of the term not yet contacted this calendar year (in service)."""
    if ctx.term is None or not allows(ctx.scope, "see_own_contacts"):
        return []
    assignments = list(contact_assignment_list(user=ctx.user).filter(term=ctx.term, member_id=ctx.scope.user_id)
                       .filter(Q(deputy__service_end__isnull=True)
                               | Q(deputy__service_end__gte=dt.date(ctx.today.year, 1, 1))))
    contacted = last_contacts_in_year(assignments, ctx.today.year)
    owed = [a.deputy for a in assignments if a.pk not in contacted]
    return [TodoItem(f"{ctx.today.year}年尚未联系的代表", len(owed), reverse("contacts:mine"), WARN, None,
                     _names(owed))]


# --- opinions: constituents' opinions overdue or due soon (issue 14) --------------------------------------


def _opinion_lines(ctx: TodoContext, queryset, url: str, who: str, *, soon: bool = True) -> list[TodoItem]:
    today = ctx.today
    late, near = opinion_selectors.overdue_q(today), opinion_selectors.due_soon_q(today)
    row = queryset.order_by().aggregate(overdue=Count("id", filter=late), late_first=Min("reply_due", filter=late),
                                        soon=Count("id", filter=near), soon_first=Min("reply_due", filter=near))
    items = [TodoItem(f"群众意见逾期未答复{who}", row["overdue"], _with_query(url, overdue="true"), BAD, today,
                      f"最早的期限：{chinese_date(row['late_first'])}" if row["late_first"] else "")]
    if soon:
        items.append(TodoItem(f"群众意见15天内到期，待答复{who}", row["soon"], _with_query(url, due_soon="true"), WARN,
                              today, f"最近的期限：{chinese_date(row['soon_first'])}" if row["soon_first"] else ""))
    return items


def opinions_to_follow(ctx: TodoContext) -> list[TodoItem]:
    """Street staff (their street's), a handling unit's staff (what was forwarded to it) and the liaison office
    (the district's overdue ones): forwarded opinions overdue or due within 15 days; the lines link to the list."""
    scope, url = ctx.scope, reverse("opinions:list")
    qs = opinion_selectors.opinion_list(user=ctx.user)
    if scope.has(Role.LIAISON_OFFICE):
        return _opinion_lines(ctx, qs, url, "（全区）", soon=False)
    unit = unit_of(scope)
    if unit is not None:
        return _opinion_lines(ctx, qs.filter(forwarded_to_id=unit), _with_query(url, forwarded_to=unit), "")
    if Role.STREET_STAFF in scope.roles and scope.street_committee_id:
        return _opinion_lines(ctx, qs.filter(street_committee_id=scope.street_committee_id), url, "")
    return []


# --- gaps14b: opinions waiting to be forwarded, replies waiting to be given back to the citizen --------------


def opinions_to_move_on(ctx: TodoContext) -> list[TodoItem]:
    """The liaison office (the district's) and street staff (their street's): opinions received and not forwarded
    for more than FORWARD_WAIT_DAYS days, and replies not yet fed back to the citizen; the lines link to the list."""
    scope, url = ctx.scope, reverse("opinions:list")
    if scope.has(Role.LIAISON_OFFICE):
        qs, who = opinion_selectors.opinion_list(user=ctx.user), "（全区）"
    elif Role.STREET_STAFF in scope.roles and scope.street_committee_id:
        qs, who = opinion_selectors.opinion_list(user=ctx.user).filter(street_committee_id=scope.street_committee_id), ""
    else:
        return []
    waiting, owed = opinion_selectors.unforwarded_q(ctx.today), opinion_selectors.feedback_owed_q()
    row = qs.order_by().aggregate(waiting=Count("id", filter=waiting), first=Min("received_on", filter=waiting),
                                  owed=Count("id", filter=owed), replied=Max("replied_on", filter=owed))
    days = opinion_selectors.FORWARD_WAIT_DAYS
    return [
        TodoItem(f"群众意见收集超过{days}天未转办{who}", row["waiting"], _with_query(url, unforwarded="true"), WARN,
                 ctx.today, f"最早的收集日期：{chinese_date(row['first'])}" if row["first"] else ""),
        TodoItem(f"群众意见已答复，待向群众反馈{who}", row["owed"], _with_query(url, status="replied"), WARN,
                 row["replied"]),
    ]


def office_checks_to_fix(ctx: TodoContext) -> list[TodoItem]:
    """The liaison office: its own checks (A10.5 contacts, about members; A10.6 receptions, about a year; so not in
    ctx.data_checks), one line per check, counted as the data-checks page lists them (office_data_checks)."""
    if ctx.term is None:
        return []
    by_check: dict[str, list] = defaultdict(list)
    for check in office_data_checks(user=ctx.user, term=ctx.term, as_of=ctx.today):
        by_check[check.check].append(check)
    return [TodoItem(f"数据检查:{OFFICE_CHECK_LABELS[name]}", len(checks),
                     _with_query(reverse("oversight:data_check_list"), check=name), WARN, max(c.date for c in checks))
            for name, checks in by_check.items()]


# --- receptions: A10.6 a street committee's recommendations owed -------------------------------------------


def reception_recommendations_owed(ctx: TodoContext) -> list[TodoItem]:
    """A street's staff: the coming 主任会议成员接待代表 activities for which their street has not recommended a
    deputy yet (Art. 10(六)), the nearest first."""
    if ctx.term is None or not allows(ctx.scope, "recommend_reception_deputy", ctx.scope.street_committee_id):
        return []
    owed = reception_selectors.recommendations_owed(user=ctx.user, term=ctx.term, today=ctx.today)
    if not owed:
        return []
    first = owed[0].reception
    return [TodoItem("主任会议成员接待代表活动待推荐代表", len(owed), reverse("receptions:reception", args=[first.pk]),
                     WARN, first.date, f"最近的一次：{chinese_date(first.date)} {first.title}")]


Source = Callable[[TodoContext], list[TodoItem]]

SOURCES: tuple[Source, ...] = (
    interventions_owed,
    leave_steps_waiting,
    leave_filings_to_do,
    registrations_to_review,
    contributions_to_review,
    year_reviews_to_review,
    year_reviews_returned,
    data_checks_to_fix,
    declines_to_decide,
    invitations_to_answer,
    my_returned_registrations,
    my_returned_contributions,
    my_leave_in_progress,
    # sgremind
    unit_suggestions_to_reply,
    office_suggestions_to_handle,
    my_suggestion_replies,
    # --- contacts: A10.5
    contacts_owed_this_year,
    # --- opinions
    opinions_to_follow,
    # --- gaps14b
    opinions_to_move_on,
    office_checks_to_fix,
    # --- receptions
    reception_recommendations_owed,
)


def wants_findings(scope: Scope) -> bool:
    """Does some source read the findings in the user's scope (so the caller reads them once)?"""
    return allows(scope, "record_intervention")


def wants_data_checks(scope: Scope) -> bool:
    """Does the user correct some kind of record a data check is about?"""
    return allows(scope, "see_deputy_list") and any(allows(scope, act) for act in set(DATA_CHECK_FIXERS.values()))


def todo_list(ctx: TodoContext, sources: Iterable[Source] = SOURCES) -> list[TodoItem]:
    """Every source's lines with something in them, newest first (undated ones last)."""
    items = [item for source in sources for item in source(ctx) if item.count]
    return sorted(items, key=lambda item: item.newest or dt.date.min, reverse=True)
