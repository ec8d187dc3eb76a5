"""Reads of suggestions and handling units, scoped by user (pages, API and exports agree)."""
from __future__ import annotations

import datetime as dt

from django.db.models import (
    BooleanField, Case, Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, Value, When,
)
from django.db.models.functions import Coalesce

from deputies.models import HandlingUnit
from dutyadmin.permissions import allows, unit_of
from dutyadmin.roles import Role
from dutyadmin.scope import scope_for
from oversight.rules import clocks

from .choices import SuggestionStatus
from .models import Suggestion, SuggestionEvent, SuggestionReply, SuggestionReplyAttachment

S = SuggestionStatus


def handling_unit_list(*, user) -> QuerySet[HandlingUnit]:
    """Every handling unit for staff who see them (see_handling_units); nothing for others."""
    if not allows(user, "see_handling_units"):
        return HandlingUnit.objects.none()
    return HandlingUnit.objects.all()


def suggestion_scope_q(user) -> Q:
    """The suggestions the user sees: district roles all; whoever sees deputies those led by a deputy in view
    (a deputy: also those they cosigned); a handling unit's staff those assigned to their unit, as lead or
    co-unit (assigned only: a unit never sees what was not given to it)."""
    scope = scope_for(user)
    if scope.is_district:
        return Q()
    q = Q(pk__in=[])
    if allows(scope, "see_records"):
        q |= scope.deputy_q("lead_deputy__")
        if Role.DEPUTY in scope.roles and scope.deputy_id:
            q |= Q(pk__in=Suggestion.cosigners.through.objects.filter(deputy_id=scope.deputy_id)
                   .values("suggestion_id"))
    unit = unit_of(scope)
    if unit is not None:
        q |= Q(lead_unit_id=unit) | Q(
            pk__in=Suggestion.co_units.through.objects.filter(handlingunit_id=unit).values("suggestion_id")
        )
    return q


def suggestions_visible_to(user) -> QuerySet[Suggestion]:
    """The suggestions the user may see, with what a list shows (a fixed number of queries for any count)."""
    return (
        Suggestion.objects.filter(suggestion_scope_q(user))
        .select_related("term", "session", "lead_deputy", "lead_unit")
        .prefetch_related("cosigners", "co_units")
    )


def suggestion_list(*, user) -> QuerySet[Suggestion]:
    """suggestions_visible_to with the keyword signature of the other selectors (the API's viewset)."""
    return suggestions_visible_to(user)


def suggestion_detail_list(*, user) -> QuerySet[Suggestion]:
    """suggestions_visible_to with each one's replies (and their attachments) and steps: a detail page's reads."""
    return suggestions_visible_to(user).prefetch_related(
        Prefetch("replies", queryset=SuggestionReply.objects.select_related("unit", "replied_by")
                 .prefetch_related("attachments")),
        Prefetch("events", queryset=SuggestionEvent.objects.select_related("actor")),
    )


def suggestion_detail(*, user, pk: int) -> Suggestion:
    """One suggestion in the user's view, with its replies and steps; Suggestion.DoesNotExist when out of view."""
    return suggestion_detail_list(user=user).get(pk=pk)


def awaiting_reply_q(*, due_before: dt.date | None = None, due_on_or_before: dt.date | None = None) -> Q:
    """Suggestions whose unit's reply is awaited (assigned: due_date; rehandling: rehandling_due), optionally with
    that due date before / on or before a day: Suggestion.reply_due in SQL."""
    assigned, rehandling = Q(status=S.ASSIGNED), Q(status=S.REHANDLING)
    if due_before is not None:
        assigned &= Q(due_date__lt=due_before)
        rehandling &= Q(rehandling_due__lt=due_before)
    if due_on_or_before is not None:
        assigned &= Q(due_date__lte=due_on_or_before)
        rehandling &= Q(rehandling_due__lte=due_on_or_before)
    return assigned | rehandling


def overdue_q(today: dt.date) -> Q:
    """Suggestion.overdue_on(today) in SQL: a reply awaited whose due date ended before today
    (clocks.is_overdue(due, None, today) is today > due; tests/oversight/test_suggestions_selectors.py checks both agree)."""
    return awaiting_reply_q(due_before=today)


def suggestions_overdue(user, today: dt.date) -> QuerySet[Suggestion]:
    """The user's suggestions whose reply is overdue on this day, earliest due first."""
    return suggestions_visible_to(user).filter(overdue_q(today)).order_by("due_date", "id")


def suggestions_due_soon(user, today: dt.date, days: int = clocks.REMINDER_DAYS_BEFORE) -> QuerySet[Suggestion]:
    """The user's suggestions whose awaited reply is due soon (due_soon_q): the 15-day reminder's list."""
    return suggestions_visible_to(user).filter(due_soon_q(today, days)).order_by("due_date", "id")


def suggestions_feedback_missing(user, today: dt.date) -> QuerySet[Suggestion]:
    """Replied suggestions without an evaluation past the feedback deadline (代表未反馈: the office may close them)."""
    return suggestions_visible_to(user).filter(status=S.REPLIED, feedback_due__lt=today).order_by("feedback_due", "id")


# --- sgoffice: the liaison office's work list and the handling unit's list ------------------------------


def due_soon_q(today: dt.date, days: int = clocks.REMINDER_DAYS_BEFORE) -> Q:
    """A reply awaited, due within clocks.REMINDER_DAYS_BEFORE days from today (today included), not yet overdue:
    the 15-day reminder's window, the 待办 line and the list's filter."""
    return awaiting_reply_q(due_on_or_before=today + dt.timedelta(days=days)) & ~overdue_q(today)


def feedback_missing_q(today: dt.date) -> Q:
    """Suggestion.feedback_missing_on(today) in SQL (代表未反馈): replied, the feedback deadline ended before today."""
    return Q(status=S.REPLIED, feedback_due__lt=today)


def reply_due_at() -> Case:
    """Suggestion.reply_due in SQL, falling back to the first reply's due date when none is awaited."""
    return Case(When(status=S.REHANDLING, then=F("rehandling_due")), default=F("due_date"))


def suggestion_work_list(*, user) -> QuerySet[Suggestion]:
    """The liaison office's work list (and any staff's, scoped): what a row shows, co-units but not cosigners."""
    return (
        Suggestion.objects.filter(suggestion_scope_q(user))
        .select_related("session", "lead_deputy__street_committee", "lead_unit")
        .prefetch_related("co_units")
    )


def unit_suggestion_list(*, user) -> QuerySet[Suggestion]:
    """What is assigned to the user's handling unit, as lead or co-unit (`as_lead`), with `reply_due_at` (the due date
    of the reply awaited, else the first one's) and `awaiting`: awaited replies first, the earliest due first, so
    overdue ones lead. Nothing for a user who is not a unit's staff."""
    unit = unit_of(scope_for(user))
    if unit is None:
        return Suggestion.objects.none()
    cohandled = Suggestion.co_units.through.objects.filter(handlingunit_id=unit).values("suggestion_id")
    return (
        Suggestion.objects.filter(Q(lead_unit_id=unit) | Q(pk__in=cohandled))
        .select_related("session", "lead_deputy", "lead_unit")
        .annotate(
            as_lead=Case(When(lead_unit_id=unit, then=Value(True)), default=Value(False), output_field=BooleanField()),
            awaiting=Case(When(status__in=[S.ASSIGNED, S.REHANDLING], then=Value(True)), default=Value(False),
                          output_field=BooleanField()),
            reply_due_at=reply_due_at(),
        )
        .order_by("-awaiting", "reply_due_at", "id")
    )


def handling_unit_usage_list(*, user) -> QuerySet[HandlingUnit]:
    """handling_unit_list with how many suggestions each leads (`led`) and co-handles (`cohandled`): one that
    has any cannot be deleted."""
    led = (Suggestion.objects.filter(lead_unit_id=OuterRef("pk")).order_by().values("lead_unit_id")
           .annotate(n=Count("id")).values("n"))
    cohandled = (Suggestion.co_units.through.objects.filter(handlingunit_id=OuterRef("pk")).order_by()
                 .values("handlingunit_id").annotate(n=Count("id")).values("n"))
    return handling_unit_list(user=user).annotate(
        led=Coalesce(Subquery(led, output_field=IntegerField()), 0),
        cohandled=Coalesce(Subquery(cohandled, output_field=IntegerField()), 0),
    )


# --- sgpages: the detail page and the deputy's pages (我的建议) -------------------------------------------


def suggestions_of_deputy(*, user, deputy_id: int) -> QuerySet[Suggestion]:
    """The suggestions a deputy leads or cosigned, among those the user sees, newest first (我的建议)."""
    cosigned = Suggestion.cosigners.through.objects.filter(deputy_id=deputy_id).values("suggestion_id")
    return (
        suggestions_visible_to(user)
        .filter(Q(lead_deputy_id=deputy_id) | Q(pk__in=cosigned))
        .select_related("session__term")
        .order_by("-submitted_on", "-id")
    )


def suggestion_attachment(*, user, suggestion_pk: int, pk: int) -> SuggestionReplyAttachment:
    """A reply's attachment of a suggestion in the user's view; DoesNotExist when either is out of view."""
    return SuggestionReplyAttachment.objects.select_related("reply").get(
        pk=pk, reply__suggestion__in=suggestions_visible_to(user).filter(pk=suggestion_pk).values("pk"),
    )


# --- sgstats: the statistics' reads in SQL --------------------------------------------------------------


def assigned_q() -> Q:
    """Assigned to a lead unit and not withdrawn: the suggestions a unit answers for (交办件数)."""
    return Q(lead_unit__isnull=False) & ~Q(status=S.WITHDRAWN)


def replied_q() -> Q:
    """Answered at least once (答复件数): the first reply is on record."""
    return Q(first_replied_on__isnull=False)


def replied_on_time_q() -> Q:
    """Suggestion.replied_on_time in SQL: the first reply on or before the due date (clocks.is_overdue(due,
    first, first) is first > due; tests/oversight/test_suggestion_statistics.py checks both agree)."""
    return Q(first_replied_on__isnull=False, due_date__isnull=False, first_replied_on__lte=F("due_date"))


def rehandled_q() -> Q:
    """Suggestion.rehandled in SQL: reopened once by a dissatisfied evaluation."""
    return Q(rehandling_due__isnull=False)


def contributions_of_suggestions(ids: list[int]) -> set[int]:
    """Of these contribution ids, those a suggestion owns (meetings' register_contribution_owner hook)."""
    return set(Suggestion.objects.filter(contribution_id__in=ids).values_list("contribution_id", flat=True))
