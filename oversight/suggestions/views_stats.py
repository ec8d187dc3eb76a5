"""建议办理统计: per lead unit and per session of a term, each count linking to the list of what it counts."""
from __future__ import annotations

from urllib.parse import urlencode

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from deputies.models import Term
from deputies.selectors import current_term
from dutyadmin.api.filters import IdField
from meetings.models import CongressSession

from ..findings.forms import IdChoiceField
from .choices import Resolution, Satisfaction, SuggestionStatus
from .statistics import CLOSED_PERIOD, CLOSED_PERIOD_LABEL, Figures, percent_text, statistics_unit, term_statistics

S = SuggestionStatus


class StatisticsForm(forms.Form):
    """?term= (default the current one) and ?session= (a session of that term, or `closed` for 闭会期间)."""

    term = IdChoiceField(label="届", queryset=Term.objects.all(), required=False,
                         error_messages={"invalid_choice": "届“%(value)s”不存在。"})
    session = forms.CharField(label="大会", required=False)

    def clean(self) -> dict:
        data = super().clean()
        term = data.get("term") or current_term()
        data["term"] = term
        raw = (data.get("session") or "").strip()
        data["session"], data["closed_period"] = None, False
        if not raw or term is None:
            return data
        if raw == CLOSED_PERIOD:
            data["closed_period"] = True
            return data
        try:
            pk = IdField().clean(raw)
        except forms.ValidationError:
            pk = None
        session = CongressSession.objects.filter(pk=pk, term=term).first() if pk else None
        if session is None:
            self.add_error("session", f"所选的届没有这次大会（“{raw[:50]}”）。")
        data["session"] = session
        return data


# Each count of a row: the filters (besides the row's own) that list exactly the suggestions counted.
UNIT_LINKS = {
    "assigned": {"assigned": "true"},
    "replied": {"replied": "true"},
    "on_time": {"on_time": "true"},
    "overdue": {"overdue": "true"},
    "extended": {"assigned": "true", "extended": "true"},
    "satisfied": {"satisfaction": Satisfaction.SATISFIED},
    "basically_satisfied": {"satisfaction": Satisfaction.BASICALLY_SATISFIED},
    "dissatisfied": {"satisfaction": Satisfaction.DISSATISFIED},
    "resolved": {"resolution": Resolution.RESOLVED},
    "rehandled": {"rehandled": "true"},
}
SESSION_LINKS = {
    "submitted": {},
    "pending": {"status": S.SUBMITTED},
    "assigned": {"assigned": "true"},
    "replied": {"replied": "true"},
    "on_time": {"on_time": "true"},
    "overdue": {"overdue": "true"},
    "closed": {"status": S.CLOSED},
    "withdrawn": {"status": S.WITHDRAWN},
}


def list_url() -> str:
    """The liaison office's list (suggestions:list) by name; empty while no such page is installed."""
    try:
        return reverse("suggestions:list")
    except NoReverseMatch:
        return ""


def _cells(figures: Figures, base: dict, links: dict, url: str) -> dict:
    """Each count with its link to the list of what it counts; each share as text (85.0%, or — without one)."""
    counts = {}
    for name, extra in links.items():
        n = getattr(figures, name)
        href = f"{url}?{urlencode({**base, **extra})}" if url and n else ""
        # The cell's HTML made here: a page of 40 units has some 600 of them (an include each costs ~0.2 ms).
        html = format_html('<a href="{}">{}</a>', href, n) if href else (
            format_html("{}", n) if n else mark_safe('<span class="muted">0</span>'))
        counts[name] = {"n": n, "href": href, "html": html}
    return {
        **counts,
        "evaluated": figures.evaluated,
        "on_time_rate": percent_text(figures.on_time_rate),
        "satisfaction_rate": percent_text(figures.satisfaction_rate),
        "resolved_share": percent_text(figures.resolved_share),
    }


@login_required
def statistics_view(request: HttpRequest) -> HttpResponse:
    """The term's (or one session's) figures per lead unit, and per session; a unit's staff see their own."""
    own_unit = statistics_unit(request.user)  # 403 for roles without statistics
    form = StatisticsForm(request.GET)
    form.is_valid()
    data = getattr(form, "cleaned_data", {})
    term = data.get("term") or current_term()
    context = {"section": "suggestion_statistics", "form": form, "term": term, "terms": Term.objects.all()}
    if term is None:
        return render(request, "oversight/suggestions/statistics.html", context)
    session, closed_period = data.get("session"), data.get("closed_period", False)
    stats = term_statistics(user=request.user, term=term, today=timezone.localdate(), session=session,
                            closed_period=closed_period)
    base = {"term": term.pk}
    if session is not None:
        base["session"] = session.pk
    elif closed_period:
        base["closed_period"] = "true"
    own = {"lead_unit": own_unit} if own_unit is not None else {}
    url = list_url()
    unit_rows = [{"unit": row.unit, **_cells(row.figures, {**base, "lead_unit": row.unit.pk}, UNIT_LINKS, url)}
                 for row in stats.units]
    session_rows = []
    for row in stats.sessions:
        where = {"session": row.session.pk} if row.session is not None else {"closed_period": "true"}
        session_rows.append({"label": row.label, "session": row.session, "selected": (
            row.session == session if row.session is not None else closed_period),
            **_cells(row.figures, {"term": term.pk, **where, **own}, SESSION_LINKS, url)})
    context.update({
        "stats": stats,
        "sessions": [(row.session.pk, row.session.name) for row in stats.sessions if row.session is not None],
        "closed_value": CLOSED_PERIOD, "closed_label": CLOSED_PERIOD_LABEL,
        "selected_session": str(session.pk) if session else (CLOSED_PERIOD if closed_period else ""),
        "scope_label": CLOSED_PERIOD_LABEL if closed_period else (session.name if session else "全届"),
        "unit_rows": unit_rows,
        "unit_total": _cells(stats.unit_total, {**base, **own}, UNIT_LINKS, url),
        "session_rows": session_rows,
        "session_total": _cells(stats.session_total, {"term": term.pk, **own}, SESSION_LINKS, url),
        "export_query": urlencode({k: v for k, v in base.items()}),
    })
    return render(request, "oversight/suggestions/statistics.html", context)
