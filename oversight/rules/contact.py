"""Action rules about contact with the public through liaison stations (A9.6)."""
from __future__ import annotations

import datetime as dt

from .builders import action_finding, activity_evidence
from .context import DeputyContext
from .findings import Evidence, Finding
from .windows import nth_served_day, served_days


def no_contact_talk(ctx: DeputyContext) -> list[Finding]:
    """A9.6: 一年以上不进代表之家、联络站联系接待群众 → a talk by the street committee director."""
    days = ctx.thresholds["no_contact_days"]
    receptions = ctx.attended.get("station_receptions", ())
    last = max(receptions, key=lambda p: (p.date, p.activity_id), default=None)
    # L: the last attended reception, else the later of term start and service start (ctx.start).
    since = last.date if last is not None else ctx.start
    # (choice) the gap is measured up to as_of or the end of service, whichever is first: a gap that
    # only grows after the deputy has left office is nobody's to talk about.
    until = ctx.limit
    # (RULES.md "Suspension") suspended days are not counted in the gap, and push the trigger on by as many.
    gap = served_days(since + dt.timedelta(days=1), until, ctx.suspended)
    if gap <= days:
        return []  # only the current gap counts; a gap closed by a reception is history
    evidence = activity_evidence(ctx, [last]) if last is not None else ()
    trigger = nth_served_day(since, days + 1, ctx.suspended)
    return [action_finding(ctx, "no_contact_talk", since, until, gap, days, trigger, evidence)]


def resignation_advice(ctx: DeputyContext) -> list[Finding]:
    """A9.6: 约谈后仍未能改进 → the standing committee advises the deputy to resign."""
    talks = ctx.interventions.get("no_contact_talk")
    if not talks:
        return []
    talk = talks[-1]  # D: the latest no-contact talk (by as_of)
    if any(p.date >= talk.date for p in ctx.attended.get("station_receptions", ())):
        return []  # a reception on or after the talk is the improvement asked for
    grace = ctx.thresholds["resignation_grace_days"]
    until = ctx.limit  # (choice) as for no_contact_talk, no waiting counts after the service has ended
    waited = served_days(talk.date + dt.timedelta(days=1), until, ctx.suspended)  # suspended days do not count
    if waited <= grace:
        return []
    trigger = nth_served_day(talk.date, grace + 1, ctx.suspended)
    evidence = (Evidence("intervention", talk.id, talk.date),)
    return [action_finding(ctx, "resignation_advice", talk.date, until, waited, grace, trigger, evidence)]
