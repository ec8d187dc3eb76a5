"""A10.5 (Art. 10(五)): standing-committee members' contact assignments and their contacts — reads and writes.

Reads are scoped by Scope.contact_assignment_q (a sc_member sees their own assignments, district roles all,
street/delegation roles and deputies those of the deputies they see). Writes go through the services below:
validated in Chinese field by field, saved with the user in history (dutyadmin.services.record_save)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, QuerySet

from dutyadmin.dates import chinese_date
from dutyadmin.permissions import allows
from dutyadmin.roles import Role
from dutyadmin.scope import scope_for
from dutyadmin.services import record_delete, record_save

from .choices import ContactMode
from .models import Contact, ContactAssignment, Deputy, Term

# --- reads ----------------------------------------------------------------------------------------------


def contact_assignment_list(*, user) -> QuerySet[ContactAssignment]:
    """The contact assignments the user may see."""
    scope = scope_for(user)
    return ContactAssignment.objects.filter(scope.contact_assignment_q()).select_related(
        "deputy", "deputy__street_committee", "deputy__delegation", "term", "member"
    )


def contact_list(*, user) -> QuerySet[Contact]:
    """The contacts of the assignments the user may see."""
    scope = scope_for(user)
    return Contact.objects.filter(scope.contact_assignment_q("assignment__")).select_related(
        "assignment", "assignment__deputy", "assignment__member", "created_by"
    )


def sc_members() -> QuerySet:
    """The users of role sc_member (active), by name: whom the liaison office assigns deputies to."""
    return (get_user_model().objects.filter(groups__name=Role.SC_MEMBER, is_active=True)
            .order_by("last_name", "first_name", "username").distinct())


def member_assignments(*, user, term: Term, member_id: int) -> QuerySet[ContactAssignment]:
    """One member's assignments of the term (as the user may see them), with each one's last contact date."""
    return (contact_assignment_list(user=user).filter(term=term, member_id=member_id)
            .annotate(last_contact=Max("contact_records__date")).order_by("deputy__name", "id"))


def last_contacts_in_year(assignments: Iterable[ContactAssignment], year: int) -> dict[int, dt.date]:
    """{assignment id: the last contact date in the calendar year} for these assignments (one query)."""
    ids = [a.pk for a in assignments]
    rows = (Contact.objects.filter(assignment_id__in=ids, date__year=year).values("assignment_id")
            .annotate(last=Max("date")).values_list("assignment_id", "last"))
    return dict(rows)


def member_display(user) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


# --- writes ---------------------------------------------------------------------------------------------


def _check_member(member) -> None:
    if member is None:
        raise ValidationError({"member": "请选择常委会组成人员。"})
    if not member.groups.filter(name=Role.SC_MEMBER).exists():
        raise ValidationError({"member": f"用户“{member_display(member)}”不是常委会组成人员（角色 sc_member），不能分配联系代表。"})


def _check_deputy(term: Term, deputy: Deputy) -> None:
    if deputy.term_id != term.pk:
        raise ValidationError({"deputy": f"代表{deputy.name}不是{term.name}的代表。"})


def contact_assignment_create(*, user, term: Term, member, deputy: Deputy) -> ContactAssignment:
    """Assign one deputy to a member for the term (the API's POST)."""
    _check_member(member)
    _check_deputy(term, deputy)
    if ContactAssignment.objects.filter(term=term, member=member, deputy=deputy).exists():
        raise ValidationError({"deputy": f"代表{deputy.name}已经分配给该常委会组成人员。"})
    assignment = ContactAssignment(term=term, member=member, deputy=deputy, member_name=member_display(member))
    return record_save(assignment, user=user, allowed=allows(user, "manage_contact_assignments"))


def contact_assignment_update(*, user, assignment: ContactAssignment, term: Term | None = None, member=None,
                              deputy: Deputy | None = None) -> ContactAssignment:
    """Correct an assignment (the API's PATCH): another member or deputy; refused once contacts are logged under it
    (they were made by that member with that deputy)."""
    term = term or assignment.term
    member = member or assignment.member
    deputy = deputy or assignment.deputy
    _check_member(member)
    _check_deputy(term, deputy)
    changed = (term.pk, member.pk, deputy.pk) != (assignment.term_id, assignment.member_id, assignment.deputy_id)
    if changed and assignment.pk and assignment.contact_records.exists():
        raise ValidationError({"deputy": "这项分配下已有联系记录，不能改为其他常委会组成人员或代表；请新增一项分配。"})
    if changed and ContactAssignment.objects.filter(term=term, member=member, deputy=deputy).exclude(
            pk=assignment.pk).exists():
        raise ValidationError({"deputy": f"代表{deputy.name}已经分配给该常委会组成人员。"})
    assignment.term, assignment.member, assignment.deputy = term, member, deputy
    assignment.member_name = member_display(member)
    return record_save(assignment, user=user, allowed=allows(user, "manage_contact_assignments"))


def contact_assignment_delete(*, user, assignment: ContactAssignment) -> None:
    """Remove an assignment; one with logged contacts stays (its contacts are records of duty)."""
    if not allows(user, "manage_contact_assignments"):
        record_delete(assignment, user=user, allowed=False)
    if assignment.contact_records.exists():
        raise ValidationError({"deputy": f"已有与代表{assignment.deputy.name}的联系记录，不能取消这项分配。"})
    record_delete(assignment, user=user)


def contact_assignments_set(*, user, term: Term, member, deputies: Iterable[Deputy]) -> list[ContactAssignment]:
    """Make the member's deputies of the term exactly `deputies` (the liaison office's page): adds the new ones,
    removes the dropped ones (refused for one with contacts); all or nothing. Returns the member's assignments."""
    _check_member(member)
    wanted = {d.pk: d for d in deputies}
    for deputy in wanted.values():
        _check_deputy(term, deputy)
    with transaction.atomic():
        current = {a.deputy_id: a for a in ContactAssignment.objects.filter(term=term, member=member)
                   .select_related("deputy")}
        for deputy_id, assignment in current.items():
            if deputy_id not in wanted:
                contact_assignment_delete(user=user, assignment=assignment)
        for deputy_id, deputy in wanted.items():
            if deputy_id not in current:
                contact_assignment_create(user=user, term=term, member=member, deputy=deputy)
    return list(ContactAssignment.objects.filter(term=term, member=member).select_related("deputy"))


def contact_log(*, user, assignment: ContactAssignment, date: dt.date | None, mode: str, notes: str = "",
                today: dt.date, contact: Contact | None = None) -> Contact:
    """Log (or correct) a contact of the assignment's member with its deputy: a date in the term and not in the
    future, one of the modes of Art. 10(五)."""
    errors = {}
    if date is None:
        errors["date"] = "请填写联系日期。"
    elif date > today:
        errors["date"] = f"联系日期（{chinese_date(date)}）不能晚于今天。"
    elif not assignment.term.start_date <= date <= assignment.term.end_date:
        errors["date"] = (f"联系日期（{chinese_date(date)}）不在{assignment.term.name}"
                          f"（{chinese_date(assignment.term.start_date)}至{chinese_date(assignment.term.end_date)}）内。")
    if mode not in ContactMode.values:
        errors["mode"] = "请选择联系方式。"
    if errors:
        raise ValidationError(errors)
    if contact is None:
        contact = Contact(assignment=assignment, created_by=user if user is not None and user.is_authenticated else None)
    elif contact.assignment_id != assignment.pk:
        raise ValidationError({"assignment": "不能把联系记录改到另一项联系关系下；请删除后重新登记。"})
    contact.date, contact.mode, contact.notes = date, mode, (notes or "").strip()
    return record_save(contact, user=user, allowed=allows(user, "log_contact", assignment))


def contact_delete(*, user, contact: Contact) -> None:
    record_delete(contact, user=user, allowed=allows(user, "log_contact", contact.assignment))


__all__ = [
    "contact_assignment_create", "contact_assignment_delete", "contact_assignment_list",
    "contact_assignment_update", "contact_assignments_set", "contact_delete", "contact_list", "contact_log", "last_contacts_in_year",
    "member_assignments", "sc_members",
]
