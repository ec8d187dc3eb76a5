"""Pages of congress sessions: the list and the session and meeting forms. The pages that show what the
regulation makes of attendance (a session's tallies, a meeting's attendance sheet, the absence bulletin)
are oversight.attendance.views: they read the classification, which lives above meetings."""
from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from deputies.selectors import current_term
from dutyadmin.forms import apply_errors
from dutyadmin.scope import scope_for
from dutyadmin.list_views import ScopedListView
from dutyadmin.permissions import allows

from .forms import MeetingForm, SessionForm
from .models import CongressSession, Meeting
from .selectors import meeting_list, session_list
from .services import meeting_save, session_save


VIEWER_ONLY = gettext_lazy("您的角色不能查看大会出席情况。")


def require_session_viewer(request: HttpRequest):
    scope = scope_for(request.user)
    if not allows(scope, "see_deputy_list"):
        raise PermissionDenied(_("您的角色不能查看大会出席情况。"))
    return scope


def require_session_editor(request: HttpRequest):
    scope = scope_for(request.user)
    if not allows(scope, "record_attendance"):
        raise PermissionDenied(_("只有大会秘书处可以登记大会、会议和出席情况。"))
    return scope


class SessionListView(ScopedListView):
    """Every congress session, newest first, with its number of meetings."""

    selector = session_list
    template_name = "meetings/session_list.html"
    section = "sessions"
    ordering = ("-start_date", "-id")
    denied_message = VIEWER_ONLY

    def allowed(self, scope) -> bool:
        return allows(scope, "see_deputy_list")

    def refine(self, queryset):
        return queryset.annotate(meeting_count=Count("meetings"))

    def get_extra_context(self, *, scope, filterset, page) -> dict:
        return {"can_edit": allows(scope, "record_attendance")}


session_list_view = SessionListView.as_view()


def _session_form(request: HttpRequest, session: CongressSession | None) -> HttpResponse:
    require_session_editor(request)
    initial = {}
    if session is None and (term := current_term()) is not None:
        initial = {"term": term, "number": term.sessions.count() + 1}
    form = SessionForm(request.POST or None, instance=session, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = session_save(user=request.user, session=form.instance)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存“%(name)s”。") % {"name": saved.name})
            return redirect("meetings:session_detail", pk=saved.pk)
    return render(request, "meetings/session_form.html", {"section": "sessions", "form": form, "session": session})


@login_required
def session_create_view(request: HttpRequest) -> HttpResponse:
    return _session_form(request, None)


@login_required
def session_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_session_editor(request)
    return _session_form(request, get_object_or_404(session_list(user=request.user), pk=pk))


def _meeting_form(request: HttpRequest, session: CongressSession, meeting: Meeting | None) -> HttpResponse:
    require_session_editor(request)
    instance = meeting or Meeting(session=session)
    initial = {} if meeting else {"date": session.start_date}
    form = MeetingForm(request.POST or None, instance=instance, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = meeting_save(user=request.user, meeting=form.instance)
        except ValidationError as exc:
            apply_errors(form, exc)
        else:
            messages.success(request, _("已保存会议“%(title)s”。") % {"title": saved.title})
            if "save_and_add" in request.POST:
                return redirect("meetings:meeting_create", pk=session.pk)
            return redirect("meetings:session_detail", pk=session.pk)
    context = {"section": "sessions", "form": form, "session": session, "meeting": meeting}
    return render(request, "meetings/meeting_form.html", context)


@login_required
def meeting_create_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_session_editor(request)
    return _meeting_form(request, get_object_or_404(session_list(user=request.user), pk=pk), None)


@login_required
def meeting_edit_view(request: HttpRequest, pk: int) -> HttpResponse:
    require_session_editor(request)
    meeting = get_object_or_404(meeting_list(user=request.user).select_related("session__term"), pk=pk)
    return _meeting_form(request, meeting.session, meeting)
