"""The contact data checks of a term (contact_assignment_size, contact_missing): facts loaded in four queries,
judged by oversight.rules.datachecks (pure)."""
from __future__ import annotations

import datetime as dt

from deputies.contacts import member_display, sc_members
from deputies.models import Contact, ContactAssignment, Deputy, Suspension, Term
from oversight.rules import DeputyFacts
from oversight.rules.datachecks import (
    ContactAssignmentFact,
    ContactCheck,
    contact_assignment_size,
    contact_missing,
)

CONTACT_CHECK_LABELS = {
    "contact_assignment_size": "联系代表人数不符",
    "contact_missing": "全年未联系代表",
}


def contact_checks(*, term: Term, as_of: dt.date, member_id: int | None = None) -> list[ContactCheck]:
    """Every contact data check of the term at as_of (one member's when member_id is given). Assignments of older
    rows with no member user are not judged (they name nobody who could act)."""
    rows = ContactAssignment.objects.filter(term=term, member__isnull=False).select_related("member", "deputy")
    members = {u.pk: member_display(u) for u in sc_members()}
    if member_id is not None:
        rows = rows.filter(member_id=member_id)
        members = {k: v for k, v in members.items() if k == member_id}
    assignments = [ContactAssignmentFact(a.pk, a.member_id, member_display(a.member), a.deputy_id, a.deputy.name)
                   for a in rows]
    deputy_ids = {a.deputy_id for a in assignments}
    suspensions: dict[int, list] = {}
    for deputy_id, start, end in Suspension.objects.filter(deputy_id__in=deputy_ids).values_list(
            "deputy_id", "start_date", "end_date"):
        suspensions.setdefault(deputy_id, []).append((start, end))
    deputies = {
        pk: DeputyFacts(pk, start, end, status, tuple(suspensions.get(pk, ())))
        for pk, start, end, status in Deputy.objects.filter(pk__in=deputy_ids).values_list(
            "pk", "service_start", "service_end", "status")
    }
    dates: dict[int, list[dt.date]] = {}
    for assignment_id, day in Contact.objects.filter(assignment_id__in=[a.id for a in assignments]).values_list(
            "assignment_id", "date"):
        dates.setdefault(assignment_id, []).append(day)
    return (contact_assignment_size(assignments, members)
            + contact_missing(term.start_date, term.end_date, assignments, deputies, dates, as_of))
