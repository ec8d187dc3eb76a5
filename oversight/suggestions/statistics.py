"""The handling statistics of suggestions (RULES.md "Suggestions"): per lead unit and term, and per session.

Counted in the database, one grouped query (per lead unit and session) whatever the number of suggestions; the page, the export
and the tests read the same figures. Each count has its filter in SuggestionFilterSet (the same Q of
selectors.py), so a count's link lists exactly the suggestions counted. Satisfaction alone hides replies that
solve nothing, so the share resolved stands beside it.

Scope: district roles see every unit; a handling unit's staff see their own unit as lead unit only.
"""
from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, fields
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q

from deputies.models import HandlingUnit, Term
from dutyadmin.permissions import allows, unit_of
from dutyadmin.scope import scope_for
from meetings.models import CongressSession

from .choices import Resolution, Satisfaction, SuggestionStatus
from .models import Suggestion
from .selectors import assigned_q, overdue_q, rehandled_q, replied_on_time_q, replied_q

S = SuggestionStatus
CLOSED_PERIOD = "closed"  # the session choice meaning 闭会期间 (no session)
CLOSED_PERIOD_LABEL = "闭会期间"
EMPTY = "—"  # a share whose denominator is zero


@dataclass(frozen=True)
class Figures:
    """The counts of one row; the shares are derived (None when their denominator is zero)."""

    submitted: int = 0  # every suggestion registered (withdrawn included)
    pending: int = 0  # 待交办
    withdrawn: int = 0
    assigned: int = 0  # assigned_q
    replied: int = 0  # replied_q
    on_time: int = 0  # replied_on_time_q
    overdue: int = 0  # overdue_q(today): a reply awaited past its due date
    extended: int = 0  # assigned and extended
    satisfied: int = 0
    basically_satisfied: int = 0
    dissatisfied: int = 0
    resolved: int = 0  # the latest reply says 已解决
    rehandled: int = 0
    closed: int = 0

    def __add__(self, other: Figures) -> Figures:
        return Figures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @property
    def evaluated(self) -> int:
        return self.satisfied + self.basically_satisfied + self.dissatisfied

    @property
    def late(self) -> int:
        """Replied, but the first reply after its due date."""
        return self.replied - self.on_time

    @property
    def on_time_rate(self) -> Decimal | None:
        return share(self.on_time, self.replied)

    @property
    def satisfaction_rate(self) -> Decimal | None:
        """(satisfied + basically satisfied) / evaluated (RULES.md)."""
        return share(self.satisfied + self.basically_satisfied, self.evaluated)

    @property
    def resolved_share(self) -> Decimal | None:
        """Replies saying 已解决 over replied suggestions."""
        return share(self.resolved, self.replied)

    @property
    def reply_rate(self) -> Decimal | None:
        return share(self.replied, self.assigned)


@dataclass(frozen=True)
class UnitRow:
    unit: HandlingUnit
    figures: Figures


@dataclass(frozen=True)
class SessionRow:
    """A session of the term, or the closed period (session None)."""

    session: CongressSession | None
    figures: Figures

    @property
    def label(self) -> str:
        return self.session.name if self.session is not None else CLOSED_PERIOD_LABEL


@dataclass(frozen=True)
class TermStatistics:
    term: Term
    session: CongressSession | None
    closed_period: bool
    units: tuple[UnitRow, ...]
    unit_total: Figures
    sessions: tuple[SessionRow, ...]
    session_total: Figures
    district: bool  # every unit in view (the totals mean something); else one unit's own rows


def share(part: int, whole: int) -> Decimal | None:
    """part / whole as a percentage with one decimal (half up); None when whole is zero."""
    if not whole:
        return None
    return (Decimal(part * 100) / Decimal(whole)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def percent_text(value: Decimal | None) -> str:
    """85.0% for a share, — for none (the page and the export write shares alike)."""
    return EMPTY if value is None else f"{value}%"


def _counts(today: dt.date) -> dict[str, Count]:
    """Figures' counts as aggregates over Suggestion rows (each Q the FilterSet's filter of the same name)."""
    assigned = assigned_q()
    return {
        "submitted": Count("pk"),
        "pending": Count("pk", filter=Q(status=S.SUBMITTED)),
        "withdrawn": Count("pk", filter=Q(status=S.WITHDRAWN)),
        "assigned": Count("pk", filter=assigned),
        "replied": Count("pk", filter=replied_q()),
        "on_time": Count("pk", filter=replied_on_time_q()),
        "overdue": Count("pk", filter=overdue_q(today)),
        "extended": Count("pk", filter=assigned & Q(extended=True)),
        "satisfied": Count("pk", filter=Q(satisfaction=Satisfaction.SATISFIED)),
        "basically_satisfied": Count("pk", filter=Q(satisfaction=Satisfaction.BASICALLY_SATISFIED)),
        "dissatisfied": Count("pk", filter=Q(satisfaction=Satisfaction.DISSATISFIED)),
        "resolved": Count("pk", filter=Q(resolution=Resolution.RESOLVED)),
        "rehandled": Count("pk", filter=rehandled_q()),
        "closed": Count("pk", filter=Q(status=S.CLOSED)),
    }


def _grouped(queryset, today: dt.date) -> dict[tuple[int | None, int | None], Figures]:
    """(lead unit, session) → Figures, in one query: both tables are sums of these cells (counts add up)."""
    rows = queryset.order_by().values("lead_unit", "session").annotate(**_counts(today))
    return {(row.pop("lead_unit"), row.pop("session")): Figures(**row) for row in rows}


def _sum(cells) -> Figures:
    return sum(cells, Figures())


def statistics_unit(user) -> int | None:
    """The unit whose rows the user sees (a unit's staff), None for district roles; PermissionDenied for others."""
    scope = scope_for(user)
    if not allows(scope, "see_suggestion_statistics"):
        raise PermissionDenied("您的角色不能查看建议办理统计。")
    return None if scope.is_district else unit_of(scope)


def term_statistics(*, user, term: Term, today: dt.date, session: CongressSession | None = None,
                    closed_period: bool = False) -> TermStatistics:
    """Per lead unit (of the term, or of one session or the closed period) and per session of the term, in
    three queries: the counts per unit and session, the units, the sessions."""
    unit = statistics_unit(user)
    base = Suggestion.objects.filter(term=term)
    units = HandlingUnit.objects.all()
    if unit is not None:
        base = base.filter(lead_unit_id=unit)
        units = units.filter(pk=unit)
    by_unit: dict[int | None, Figures] = defaultdict(Figures)
    by_session: dict[int | None, Figures] = defaultdict(Figures)
    for (lead, of), figures in _grouped(base, today).items():
        by_session[of] += figures
        if session is not None and of != session.pk or closed_period and session is None and of is not None:
            continue
        by_unit[lead] += figures
    unit_rows = tuple(UnitRow(u, by_unit[u.pk]) for u in units)
    session_rows = [SessionRow(s, by_session[s.pk])
                    for s in CongressSession.objects.filter(term=term).order_by("number", "start_date")]
    session_rows.append(SessionRow(None, by_session[None]))
    return TermStatistics(
        term=term, session=session, closed_period=closed_period and session is None,
        units=unit_rows, unit_total=_sum(r.figures for r in unit_rows),
        sessions=tuple(session_rows), session_total=_sum(r.figures for r in session_rows),
        district=unit is None,
    )
