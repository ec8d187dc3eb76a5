"""Reads of suggestions and handling units, scoped by user (pages, API and exports agree)."""
from __future__ import annotations

import datetime as dt

from django.db.models import Prefetch, Q, QuerySet

from deputies.models import HandlingUnit
from dutyadmin.permissions import allows, unit_of
from dutyadmin.roles import Role
from dutyadmin.scope import scope_for
from oversight.rules import clocks

from .choices import SuggestionStatus
from .models import Suggestion, SuggestionEvent, SuggestionReply

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


def suggestions_due_soon(user, today: dt.date, days: int = 15) -> QuerySet[Suggestion]:
    """The user's suggestions whose awaited reply is due within `days` days from today (today included), not yet
    overdue: the 15-day reminder's list (RULES.md "Overdue")."""
    window = awaiting_reply_q(due_on_or_before=today + dt.timedelta(days=days)) & ~overdue_q(today)
    return suggestions_visible_to(user).filter(window).order_by("due_date", "id")


def suggestions_feedback_missing(user, today: dt.date) -> QuerySet[Suggestion]:
    """Replied suggestions without an evaluation past the feedback deadline (代表未反馈: the office may close them)."""
    return suggestions_visible_to(user).filter(status=S.REPLIED, feedback_due__lt=today).order_by("feedback_due", "id")


# --- sgremind: reads of the 待办 home and the reminders ------------------------------------------------------


def feedback_missing_q(today: dt.date) -> Q:
    """Suggestion.feedback_missing_on(today) in SQL (代表未反馈): a reply waits for its evaluation past feedback_due."""
    return Q(status=S.REPLIED, feedback_due__lt=today)


def due_soon_q(today: dt.date) -> Q:
    """A reply awaited and due within the reminders' days from today (today included), not yet overdue."""
    return awaiting_reply_q(due_on_or_before=clocks.due_soon_until(today)) & ~overdue_q(today)
