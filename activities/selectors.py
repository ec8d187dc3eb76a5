"""Reads of activities and participations, scoped by user."""
from __future__ import annotations

from django.db.models import Count, Exists, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from dutyadmin.roles import STREET_ROLES
from dutyadmin.scope import scope_for

from .choices import Outcome
from .models import Activity, ActivityImport, Participation, SelfRegistration


def activity_list(*, user) -> QuerySet[Activity]:
    """District roles see all; others see their street's activities and those their deputies joined."""
    scope = scope_for(user)
    qs = Activity.objects.select_related("term", "street_committee")
    if scope.is_district:
        return qs
    visible = Exists(Participation.objects.filter(scope.deputy_q("deputy__"), activity_id=OuterRef("pk")))
    own_street = Q(street_committee_id=scope.street_committee_id) if scope.roles & STREET_ROLES else Q(pk__in=[])
    return qs.filter(own_street | Q(visible))


def with_participation_counts(activities: QuerySet[Activity]) -> QuerySet[Activity]:
    """The activities with `invited` and `attended`: counted per row shown (correlated subqueries, evaluated after a
    page's LIMIT), not by joining every participation of every activity in scope before the page is cut."""
    def count(**conditions):
        rows = (Participation.objects.filter(activity_id=OuterRef("pk"), **conditions).order_by()
                .values("activity_id").annotate(n=Count("pk")).values("n"))
        return Coalesce(Subquery(rows, output_field=IntegerField()), 0)

    return activities.annotate(invited=count(), attended=count(outcome=Outcome.ATTENDED))


def participation_list(*, user) -> QuerySet[Participation]:
    scope = scope_for(user)
    return Participation.objects.filter(scope.deputy_q("deputy__")).select_related("activity", "deputy")


def my_invitations(*, deputy_id: int, today) -> QuerySet[Participation]:
    """A deputy's invitations to activities still to come (today's included), soonest first."""
    return (Participation.objects.filter(deputy_id=deputy_id, activity__date__gte=today)
            .select_related("activity", "activity__street_committee").order_by("activity__date", "activity_id"))


# Where an invitation stands (Participation.answer_state says the same of one record): the organizer has
# recorded the outcome; else the deputy (or staff for them) confirmed; else the deputy declined; else no answer.
ANSWER_STATES: dict[str, Q] = {
    "recorded": ~Q(outcome=Outcome.PENDING),
    "confirmed": Q(outcome=Outcome.PENDING, confirmed=True),
    "declined": Q(outcome=Outcome.PENDING, confirmed=False, answered_at__isnull=False),
    "unanswered": Q(outcome=Outcome.PENDING, confirmed=False, answered_at__isnull=True),
}


def unanswered(invitations: QuerySet[Participation]) -> QuerySet[Participation]:
    """Invitations neither answered by the deputy nor confirmed by staff, with no outcome yet."""
    return invitations.filter(ANSWER_STATES["unanswered"])


def invitation_counts(invitations: QuerySet[Participation]) -> dict[str, int]:
    """How many of the invitations are in each answer state (ANSWER_STATES' keys), in one query."""
    counts = invitations.order_by().aggregate(**{f"n_{state}": Count("pk", filter=q) for state, q in ANSWER_STATES.items()})
    return {state: counts[f"n_{state}"] for state in ANSWER_STATES}  # (an alias may not be a field's name)


def declined_invitations(*, user) -> QuerySet[Participation]:
    """Invitations a deputy declined with a reason (a request for leave) whose outcome the organizer has not
    recorded yet, at activities of the user's scope: the organizer's to decide (请假 or not)."""
    return participation_list(user=user).filter(outcome=Outcome.PENDING, answered_at__isnull=False,
                                                confirmed=False).exclude(decline_reason="")


def self_registration_list(*, user) -> QuerySet[SelfRegistration]:
    """Personal registrations of the deputies the user may see (a deputy: their own)."""
    scope = scope_for(user)
    return SelfRegistration.objects.filter(scope.deputy_q("deputy__")).select_related(
        "deputy", "deputy__street_committee", "deputy__term", "reviewed_by", "activity"
    )


def activity_import_list(*, user) -> QuerySet[ActivityImport]:
    """Spreadsheet imports: district roles see all, street staff their street's, anyone their own."""
    scope = scope_for(user)
    qs = ActivityImport.objects.select_related("user", "street_committee")
    if scope.is_district:
        return qs
    own = Q(user_id=scope.user_id) if scope.user_id else Q(pk__in=[])
    if scope.roles & STREET_ROLES and scope.street_committee_id:
        own |= Q(street_committee_id=scope.street_committee_id)
    return qs.filter(own)
