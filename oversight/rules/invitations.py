"""Action rules about confirmed invitations missed without leave (A9.3)."""
from __future__ import annotations

from .builders import action_finding, activity_evidence
from .context import DeputyContext
from .findings import Evidence, Finding


def activity_absence_notice(ctx: DeputyContext) -> list[Finding]:
    """A9.3: 应邀确定参加而无故两次不参加 → a notice by the standing committee office; one finding per term."""
    required = ctx.thresholds["activity_absence_notice_at"]
    absences = ctx.a93_absences  # confirmed, outcome absent, an A9.3 kind, in service, by as_of; by date
    if len(absences) < required:
        return []
    trigger = absences[required - 1].date  # the activity whose absence reached the number
    return [action_finding(
        ctx, "activity_absence_notice", ctx.start, ctx.end, len(absences), required, trigger,
        activity_evidence(ctx, absences),
    )]


def activity_absence_talk(ctx: DeputyContext) -> list[Finding]:
    """A9.3: 通报后仍不积极参加 → a talk by the street committee director; one finding per term."""
    notices = ctx.interventions.get("activity_absence_notice")
    if not notices:
        return []
    notice = notices[0]  # D: the first notice recorded (by as_of)
    after = [p for p in ctx.a93_absences if p.date > notice.date]  # strictly after D
    if not after:
        return []
    evidence = (Evidence("intervention", notice.id, notice.date),) + activity_evidence(ctx, after)
    return [action_finding(
        ctx, "activity_absence_talk", ctx.start, ctx.end, len(after), 1, after[0].date, evidence,
    )]
