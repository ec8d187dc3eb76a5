"""Reads of constituents' opinions, scoped by user (pages, API, export, 待办 and statistics agree)."""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from dutyadmin.permissions import allows, unit_of
from dutyadmin.roles import STREET_ROLES, Role
from dutyadmin.scope import scope_for
from oversight.rules import clocks

from .choices import OpinionStatus
from .models import Opinion, OpinionEvent, OpinionPhoneRead

OS = OpinionStatus


def opinion_scope_q(user) -> Q:
    """District roles all; street committees their street's; a unit's staff only what was forwarded to it;
    a deputy the opinions they heard."""
    scope = scope_for(user)
    if scope.is_district:
        return Q()
    q = Q(pk__in=[])
    if scope.roles & STREET_ROLES and scope.street_committee_id:
        q |= Q(street_committee_id=scope.street_committee_id)
    unit = unit_of(scope)
    if unit is not None:
        q |= Q(forwarded_to_id=unit)
    if Role.DEPUTY in scope.roles and scope.deputy_id:
        q |= Q(pk__in=Opinion.deputies.through.objects.filter(deputy_id=scope.deputy_id).values("opinion_id"))
    return q


def opinion_list(*, user) -> QuerySet[Opinion]:
    """The opinions the user sees, with what a list shows (a fixed number of queries for any count)."""
    return (
        Opinion.objects.filter(opinion_scope_q(user))
        .select_related("reception", "street_committee", "forwarded_to")
        .prefetch_related("deputies")
    )


def opinion_detail(*, user, pk: int) -> Opinion:
    """One opinion in view, with its steps; Opinion.DoesNotExist when out of view."""
    return opinion_list(user=user).prefetch_related(
        Prefetch("events", queryset=OpinionEvent.objects.select_related("actor"))
    ).get(pk=pk)


def overdue_q(today: dt.date) -> Q:
    """Opinion.overdue_on(today) in SQL: forwarded, reply due before today."""
    return Q(status=OS.FORWARDED, reply_due__lt=today)


def due_soon_q(today: dt.date, days: int = clocks.REMINDER_DAYS_BEFORE) -> Q:
    """Forwarded, due within `days` days from today (today included), not yet overdue."""
    return Q(status=OS.FORWARDED, reply_due__gte=today, reply_due__lte=today + dt.timedelta(days=days))


# --- gaps14b: what the office and the street still owe: forwarding, and feedback to the citizen
FORWARD_WAIT_DAYS = 7  # (choice) an opinion received and not forwarded for more than 7 days is a 待办 line


def unforwarded_q(today: dt.date, days: int = FORWARD_WAIT_DAYS) -> Q:
    """Received more than `days` days before today and not forwarded yet."""
    return Q(status=OS.RECEIVED, received_on__lt=today - dt.timedelta(days=days))


def feedback_owed_q() -> Q:
    """Replied by the unit, the answer not yet given back to the citizen (反馈)."""
    return Q(status=OS.REPLIED)


def opinion_phone_for(*, user, opinion: Opinion, via: str = "page") -> str:
    """The constituent's phone as this user may read it: unmasked for the staff of the opinion's street
    committee (each such read logged: who, when, where), masked (138****1234) for everyone else."""
    if not opinion.citizen_phone:
        return ""
    if not allows(user, "see_citizen_phone", opinion):
        return opinion.phone_masked
    OpinionPhoneRead.objects.create(opinion=opinion, user=user, via=via[:50])
    return opinion.citizen_phone


def phone_reads(*, opinion: Opinion) -> QuerySet[OpinionPhoneRead]:
    return opinion.phone_reads.select_related("user")


# --- statistics: per station (the reception's location) and per street -----------------------------------

VISIT_LABEL = "走访等其他途径"


@dataclass
class OpinionFigures:
    taken: int = 0
    forwarded: int = 0
    replied: int = 0
    on_time: int = 0
    overdue: int = 0
    closed: int = 0

    def add(self, o: Opinion, today: dt.date) -> None:
        self.taken += 1
        if o.status != OS.RECEIVED:
            self.forwarded += 1
        if o.replied_on is not None:
            self.replied += 1
            self.on_time += bool(o.replied_on_time)
        self.overdue += o.overdue_on(today)
        self.closed += o.status == OS.CLOSED


@dataclass
class OpinionStatistics:
    streets: list[tuple[str, OpinionFigures]] = field(default_factory=list)
    stations: list[tuple[str, str, OpinionFigures]] = field(default_factory=list)  # (street, station, figures)
    total: OpinionFigures = field(default_factory=OpinionFigures)


def opinion_statistics(*, user, today: dt.date, year: int | None = None) -> OpinionStatistics:
    """Taken, forwarded, answered (on time), overdue and closed per street committee and per station
    (a reception's location; opinions without a reception as 走访等其他途径), for the opinions in view."""
    qs = Opinion.objects.filter(opinion_scope_q(user)).select_related("reception", "street_committee").order_by()
    if year:
        qs = qs.filter(received_on__year=year)
    streets: dict[str, OpinionFigures] = defaultdict(OpinionFigures)
    stations: dict[tuple[str, str], OpinionFigures] = defaultdict(OpinionFigures)
    stats = OpinionStatistics()
    for o in qs.only("status", "replied_on", "reply_due", "street_committee__name", "reception__location"):
        street = o.street_committee.name
        station = (o.reception.location or "（未填地点）") if o.reception_id else VISIT_LABEL
        streets[street].add(o, today)
        stations[(street, station)].add(o, today)
        stats.total.add(o, today)
    stats.streets = sorted(streets.items())
    stats.stations = [(s, st, f) for (s, st), f in sorted(stations.items())]
    return stats
