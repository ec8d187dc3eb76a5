"""Pages that show what the regulation makes of a session's attendance: one session with its meetings'
tallies, a meeting's attendance sheet (GET shows the classification beside each deputy; POST saves the
marks through meetings' service) and the absence bulletin, whose Excel file is an export job.

URL paths and names are meetings' (meetings/urls.py wires these views in); reads go through
oversight.attendance.selectors and bulletin, writes through meetings.services.
"""
from __future__ import annotations

import re
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from dutyadmin.api.fields import parse_id
from dutyadmin.year_lock import year_lock_notice
from dutyadmin.dates import after_today, future_meeting_message
from dutyadmin.forms import apply_errors
from dutyadmin.permissions import ForRule, allows
from meetings.choices import AttendanceStatus, LeaveStatus
from meetings.selectors import leave_request_list, meeting_list, session_list
from meetings.services import attendance_bulk_upsert
from meetings.session_views import require_session_viewer

from oversight.rules.catalog import ACTION_REQUIRED

from ..interventions.forms import AbsenceNoticesForm
from ..interventions.selectors import ABSENCE_NOTICE, session_absence_notices
from ..interventions.services import absence_notices_record
from .bulletin import session_bulletin
from .selectors import attendance_sheet, session_tallies, sheet_counts

STATUS_KEY = re.compile(r"^status_(\d+)$")
BULLETIN_EXPORT = "absence_bulletin"


@login_required
def session_detail_view(request: HttpRequest, pk: int) -> HttpResponse:
    """A session's meetings, each with how many deputies in scope are recorded present, absent or not at all."""
    scope = require_session_viewer(request)
    session = get_object_or_404(session_list(user=request.user), pk=pk)
    leave_counts = dict(
        leave_request_list(user=request.user)
        .prefetch_related(None)
        .filter(session=session)
        .order_by()
        .values_list("status")
        .annotate(n=Count("id"))
    )
    context = {
        "section": "sessions",
        "session": session,
        "tallies": session_tallies(user=request.user, session=session),
        "leave_counts": [(s.value, s.label, leave_counts.get(s.value, 0)) for s in LeaveStatus if s != LeaveStatus.DRAFT],
        "can_edit": allows(scope, "record_attendance"),
    }
    return render(request, "meetings/session_detail.html", context)



# --- the attendance sheet --------------------------------------------------------------------------


def _posted_marks(post) -> list[dict]:
    """[{deputy, status}] from the sheet's status_<deputy id> fields (a forged id is the service's to refuse)."""
    records = []
    for key in post:
        match = STATUS_KEY.match(key)
        if match:
            records.append({"deputy": int(match.group(1)), "status": post.get(key)})
    return records


def _row_problems(exc: ValidationError, records: list[dict]) -> tuple[list[str], dict[int, str]]:
    """The service's errors as page messages, and per deputy id the message of their row."""
    general, by_deputy = [], {}
    for field, errors in exc.error_dict.items() if hasattr(exc, "error_dict") else [("", exc.error_list)]:
        for error in errors:
            params = error.params or {}
            index = params.get("index")
            if field == "records" and index is not None and 0 <= index < len(records):
                deputy_id = records[index]["deputy"]
                by_deputy[deputy_id] = error.message
                general.append(_("代表编号 %(id)s:%(message)s") % {"id": deputy_id, "message": error.message})
            else:
                general.extend(error.messages)
    return general, by_deputy


@login_required
def attendance_sheet_view(request: HttpRequest, pk: int) -> HttpResponse:
    """One meeting's roll call: every deputy in scope with present / absent, their leave beside the name.

    GET shows it (read-only unless the user records attendance); POST saves every marked row in one
    transaction. `fill` (the no-script form of the 全部出席 button) marks the rows without saving.
    """
    scope = require_session_viewer(request)
    meeting = get_object_or_404(meeting_list(user=request.user).select_related("session__term"), pk=pk)
    can_edit = allows(scope, "record_attendance")
    if request.method == "POST" and not can_edit:
        raise PermissionDenied(_("只有大会秘书处可以登记出席情况。"))
    notices: list[str] = []
    # A meeting still to come has no roll call yet (the service refuses it too): shown read-only, saying why.
    future = after_today(meeting.date)
    if future and can_edit:
        notices.append(future_meeting_message(meeting.date))
    rows = attendance_sheet(user=request.user, meeting=meeting)
    delegations = sorted({(r.deputy.delegation.name, r.deputy.delegation_id) for r in rows if r.deputy.delegation_id})
    delegation_id = None
    if request.GET.get("delegation"):
        delegation_id = parse_id(request.GET["delegation"])
        if delegation_id is None or delegation_id not in {d for _n, d in delegations}:
            notices.append(_("代表团“%(value)s”无效,已显示全部代表。") % {"value": request.GET["delegation"][:50]})
            delegation_id = None
    shown = [r for r in rows if delegation_id is None or r.deputy.delegation_id == delegation_id]

    errors: list[str] = []
    row_errors: dict[int, str] = {}
    status = 200
    if request.method == "POST":
        if "fill" in request.POST:
            for row in shown:
                row.status = AttendanceStatus.ABSENT if row.approved_leave else AttendanceStatus.PRESENT
            notices.append(_("已全部标为出席(已批准请假的代表标为缺席),请标出缺席的代表后保存。"))
        else:
            records = _posted_marks(request.POST)
            try:
                result = attendance_bulk_upsert(user=request.user, meeting=meeting, records=records)
            except ValidationError as exc:
                errors, row_errors = _row_problems(exc, records)
                status = 400
                posted = {r["deputy"]: r["status"] for r in records}
                for row in rows:
                    if posted.get(row.deputy.pk) in AttendanceStatus.values:
                        row.status = posted[row.deputy.pk]
            else:
                messages.success(
                    request,
                    _("已保存出席情况:新增 %(created)s 条,修改 %(updated)s 条,未变 %(unchanged)s 条。") % result,
                )
                url = reverse("meetings:attendance_sheet", args=[meeting.pk])
                if delegation_id:
                    url += f"?delegation={delegation_id}"
                return redirect(url)

    counts = sheet_counts(shown)
    context = {
        "section": "sessions",
        "meeting": meeting,
        "session": meeting.session,
        "rows": shown,
        "delegations": delegations,
        "delegation_id": delegation_id,
        "can_edit": can_edit and not future,
        "future_meeting": future,
        "counts": counts,
        "notices": notices,
        "errors": errors,
        "row_errors": row_errors,
        "year_lock_notices": year_lock_notice(user=request.user, term=meeting.session.term_id,
                                              dates=[meeting.date]) if can_edit else [],
    }
    return render(request, "meetings/attendance_sheet.html", context, status=status)


# --- the absence bulletin --------------------------------------------------------------------------


def _notice_form(request: HttpRequest, scope, bulletin) -> AbsenceNoticesForm | None:
    """The bulk notice form over the listed deputies still 待处置 whom the user may notify; None when none."""
    choices = [
        (item.deputy.pk, f"{item.deputy.name}({item.deputy.street_committee.name})")
        for item in bulletin.by_deputy
        if item.notice is not None and item.notice.status == ACTION_REQUIRED
        and allows(scope, "record_intervention", ForRule(item.deputy, ABSENCE_NOTICE))
    ]
    if not choices:
        return None
    initial = {"date": timezone.localdate(), "deputies": [pk for pk, _label in choices]}
    data = request.POST if request.method == "POST" else None
    return AbsenceNoticesForm(data, choices=choices, initial=initial)


@login_required
def bulletin_view(request: HttpRequest, pk: int) -> HttpResponse:
    """缺席通报 of a session, printable: by meeting, on leave / absent without approval / not recorded.

    Beside each deputy absent without approval, their A3 finding's status; the secretariat (whoever may
    record absence_notice interventions) records the notices of those still 待处置 in one POST, all or none.
    """
    scope = require_session_viewer(request)
    session = get_object_or_404(session_list(user=request.user), pk=pk)
    bulletin = session_bulletin(user=request.user, session=session)
    notices = session_absence_notices(session=session, deputy_ids=[item.deputy.pk for item in bulletin.by_deputy])
    for item in bulletin.by_deputy:
        item.notice = notices.get(item.deputy.pk)
    form = _notice_form(request, scope, bulletin)
    if request.method == "POST":
        if form is None:
            raise PermissionDenied(_("没有您可以登记的待处置缺席通报。"))
        if form.is_valid():
            chosen = {item.deputy.pk: item.deputy for item in bulletin.by_deputy}
            data = form.cleaned_data
            try:
                saved = absence_notices_record(
                    user=request.user, session=session, deputies=[chosen[pk] for pk in data["deputies"]],
                    date=data["date"], conducted_by=data["conducted_by"], notes=data["notes"],
                )
            except ValidationError as exc:
                apply_errors(form, exc)
            else:
                messages.success(request, _("已登记 %(n)s 位代表的缺席通报。") % {"n": len(saved)})
                return redirect("meetings:bulletin", pk=session.pk)
    context = {"section": "sessions", "bulletin": bulletin, "session": session, "export": BULLETIN_EXPORT,
               "notice_form": form}
    return render(request, "meetings/bulletin.html", context, status=400 if form is not None and form.errors else 200)


@login_required
def bulletin_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The bulletin's Excel file is an export job: this address (kept for old links) opens its form, filled in."""
    require_session_viewer(request)
    session = get_object_or_404(session_list(user=request.user), pk=pk)
    url = reverse("exports:form", args=[BULLETIN_EXPORT])
    return redirect(f"{url}?{urlencode({'session': session.pk})}")
