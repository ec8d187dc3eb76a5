"""A10.5 pages: 联系代表分配 (the liaison office: each standing-committee member's 5–6 deputies of the term) and
我联系的代表 (the member: their deputies, the last contact, who is not yet contacted this year, log a contact)."""
from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from deputies import contacts
from deputies.models import Deputy
from deputies.selectors import current_term_or_404
from dutyadmin.forms import apply_errors
from dutyadmin.permissions import allows
from oversight.rules.datachecks import contact_size_message, contact_size_ok

from .checks import contact_checks
from .forms import AssignmentForm, ContactLogForm


@login_required
def assignments_view(request: HttpRequest) -> HttpResponse:
    """The liaison office: every sc_member with their deputies of the current term and the size warning."""
    if not allows(request.user, "manage_contact_assignments"):
        raise PermissionDenied
    term = current_term_or_404()
    today = timezone.localdate()
    by_member: dict[int, list] = {}
    for a in contacts.contact_assignment_list(user=request.user).filter(term=term).order_by("deputy__name"):
        by_member.setdefault(a.member_id, []).append(a)
    rows = []
    for member in contacts.sc_members():
        assigned = by_member.get(member.pk, [])
        rows.append({"member": member, "name": contacts.member_display(member), "assignments": assigned,
                     "ok": contact_size_ok(len(assigned)), "warning": contact_size_message(len(assigned))})
    checks = [c for c in contact_checks(term=term, as_of=today) if c.check == "contact_missing"]
    return render(request, "oversight/contacts/assignments.html", {
        "section": "contact_assignments", "term": term, "rows": rows, "missing": checks,
        "legacy": by_member.get(None, []),
    })


@login_required
def assignment_edit_view(request: HttpRequest, member_id: int) -> HttpResponse:
    """The liaison office picks one member's deputies of the term (DeputySelect, several)."""
    if not allows(request.user, "manage_contact_assignments"):
        raise PermissionDenied
    term = current_term_or_404()
    member = contacts.sc_members().filter(pk=member_id).first()
    if member is None:
        raise Http404(_("没有这位常委会组成人员。"))
    current = contacts.contact_assignment_list(user=request.user).filter(term=term, member=member)
    choices = Deputy.objects.filter(term=term).select_related("street_committee").order_by("name")
    taken: dict[int, str] = {}
    for a in contacts.contact_assignment_list(user=request.user).filter(term=term).exclude(member=member):
        taken[a.deputy_id] = "、".join(filter(None, [taken.get(a.deputy_id), a.member_display]))
    form = AssignmentForm(request.POST or None, deputies=choices, taken=taken,
                          initial={"deputies": [a.deputy_id for a in current]})
    if request.method == "POST" and form.is_valid():
        try:
            saved = contacts.contact_assignments_set(user=request.user, term=term, member=member,
                                                     deputies=form.cleaned_data["deputies"])
        except ValidationError as exc:
            apply_errors(form, exc)
            if "deputy" in getattr(exc, "error_dict", {}):
                form.add_error("deputies", exc.error_dict["deputy"])
        else:
            warning = contact_size_message(len(saved))
            name = contacts.member_display(member)
            if warning:
                messages.warning(request, _("已保存%(name)s的联系代表。注意：%(warning)s") % {"name": name, "warning": warning})
            else:
                messages.success(request, _("已保存%(name)s的 %(n)d 名联系代表。") % {"name": name, "n": len(saved)})
            return redirect("contacts:assignments")
    selected = form["deputies"].value() or []
    return render(request, "oversight/contacts/assignment_edit.html", {
        "section": "contact_assignments", "term": term, "member": member, "name": contacts.member_display(member),
        "form": form,
        "count": len(selected), "warning": contact_size_message(len(selected)),
    })


@login_required
def my_contacts_view(request: HttpRequest) -> HttpResponse:
    """The member's page: their deputies of the term, last contact, not yet contacted this year; log a contact."""
    if not allows(request.user, "see_own_contacts"):
        raise PermissionDenied
    term = current_term_or_404()
    today = timezone.localdate()
    assignments = list(contacts.member_assignments(user=request.user, term=term, member_id=request.user.pk))
    this_year = contacts.last_contacts_in_year(assignments, today.year)
    year_start = dt.date(today.year, 1, 1)
    rows = [{"a": a, "this_year": this_year.get(a.pk),
             "owed": a.pk not in this_year and (a.deputy.service_end is None or a.deputy.service_end >= year_start)}
            for a in assignments]
    choices = contacts.contact_assignment_list(user=request.user).filter(term=term, member_id=request.user.pk)
    form = ContactLogForm(request.POST or None, assignments=choices.order_by("deputy__name"),
                          initial={"date": today, "assignment": request.GET.get("deputy") and
                                   next((a.pk for a in assignments if str(a.deputy_id) == request.GET["deputy"]), None)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            contacts.contact_log(user=request.user, assignment=data["assignment"], date=data["date"],
                                 mode=data["mode"], notes=data["notes"], today=today)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已登记与%(name)s的联系。") % {"name": data["assignment"].deputy.name})
            return redirect(reverse("contacts:mine"))
    recent = contacts.contact_list(user=request.user).filter(
        assignment__term=term, assignment__member_id=request.user.pk)[:10]
    return render(request, "oversight/contacts/mine.html", {
        "section": "contacts_mine", "term": term, "rows": rows, "owed": [r for r in rows if r["owed"]], "form": form,
        "recent": recent,
        "year": today.year, "size_warning": contact_size_message(len(assignments)) if assignments else "",
    })


__all__ = ["assignment_edit_view", "assignments_view", "my_contacts_view"]
