"""The contact data checks of a term (contact_assignment_size, contact_missing): facts loaded in four queries,
judged by oversight.rules.datachecks (pure)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from deputies.contacts import member_display, sc_members
from deputies.models import Contact, ContactAssignment, Deputy, Term
from dutyadmin.permissions import allows
from oversight.findings.facts import deputy_facts
from oversight.rules import DataCheck
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
    deputies = deputy_facts(Deputy.objects.filter(pk__in={a.deputy_id for a in assignments}))
    dates: dict[int, list[dt.date]] = {}
    for assignment_id, day in Contact.objects.filter(assignment_id__in=[a.id for a in assignments]).values_list(
            "assignment_id", "date"):
        dates.setdefault(assignment_id, []).append(day)
    return (contact_assignment_size(assignments, members)
            + contact_missing(term.start_date, term.end_date, assignments, deputies, dates, as_of))


# --- gaps14b: the contact checks as rows of the data-checks API, page and 待办 -------------------------------
# They are about a member (a user), not a deputy: `deputy` is null for contact_assignment_size, `member`,
# `member_name` and `year` are added. type/id name the record to fix: the member (a user id, whose assignments the
# office completes) or the contact assignment (whose member logs the missing contact). date (choice): the as-of date
# for a size (the state on that day), 31 December of the year for a missing contact.


@dataclass(frozen=True, slots=True)
class ContactDataCheck(DataCheck):
    member: int | None = None
    member_name: str = ""
    year: int | None = None


def contact_data_checks(*, user, term: Term, as_of: dt.date, filters: Mapping[str, Any] | None = None
                        ) -> list[ContactDataCheck]:
    """The contact checks the user fixes (the liaison office, which assigns: manage_contact_assignments), with the
    filters of the data-checks page and API (check; street_committee and deputy keep only contact_missing rows)."""
    filters = filters or {}
    check = filters.get("check")
    if not allows(user, "manage_contact_assignments") or (check and check not in CONTACT_CHECK_LABELS):
        return []
    found = [c for c in contact_checks(term=term, as_of=as_of) if not check or c.check == check]
    street, deputy = filters.get("street_committee"), filters.get("deputy")
    if street is not None or deputy is not None:
        found = [c for c in found if c.deputy_id is not None]
    rows = ContactAssignment.objects.filter(term=term, member__isnull=False)
    if street is not None:
        rows = rows.filter(deputy__street_committee_id=getattr(street, "pk", street))
    if deputy is not None:
        rows = rows.filter(deputy_id=deputy)
    assignments = {(m, d): (pk, name) for m, d, pk, name in rows.values_list("member_id", "deputy_id", "pk", "member_name")}
    members = {u.pk: member_display(u) for u in sc_members()} if found else {}
    out = []
    for c in found:
        if c.deputy_id is None:
            out.append(ContactDataCheck(c.check, None, "member", c.member_id, as_of, c.message, c.member_id,
                                        members.get(c.member_id, ""), None))
        elif (c.member_id, c.deputy_id) in assignments:
            pk, name = assignments[(c.member_id, c.deputy_id)]
            out.append(ContactDataCheck(c.check, c.deputy_id, "contact_assignment", pk, dt.date(c.year, 12, 31),
                                        c.message, c.member_id, members.get(c.member_id) or name, c.year))
    return out
