"""Threshold rules (RULES.md "Threshold rules → status"): attended activities against a yearly or term number."""
from __future__ import annotations

from .builders import term_findings, yearly_findings
from .context import DeputyContext
from .findings import Finding


def closed_session_activities(ctx: DeputyContext) -> list[Finding]:
    """A4.1: research, inspection, law enforcement check, theme activity, work evaluation ≥ 3 a year."""
    return yearly_findings(ctx, "closed_session_activities")


def group_activities(ctx: DeputyContext) -> list[Finding]:
    """A4.4: deputy joint-group, group and specialist-group activities ≥ 3 a year."""
    return yearly_findings(ctx, "group_activities")


def station_receptions(ctx: DeputyContext) -> list[Finding]:
    """A6.2: receptions of the public at a liaison station ≥ 2 a year."""
    return yearly_findings(ctx, "station_receptions")


def training(ctx: DeputyContext) -> list[Finding]:
    """A5.3: concentrated study and training ≥ 3 a term."""
    return term_findings(ctx, "training")


def lectures(ctx: DeputyContext) -> list[Finding]:
    """A5.3: deputy lecture hall (代表大讲堂) ≥ 5 a term."""
    return term_findings(ctx, "lectures")


def sc_meeting_attendance(ctx: DeputyContext) -> list[Finding]:
    """A9.4: attend a standing committee meeting as a non-voting member ≥ 1 a term."""
    return term_findings(ctx, "sc_meeting_attendance")


def duty_report(ctx: DeputyContext) -> list[Finding]:
    """A9.5: report on duty to the constituency's voters ≥ 1 a term."""
    return term_findings(ctx, "duty_report")
