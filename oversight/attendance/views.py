"""The absence bulletin's pages (/meetings/sessions/<id>/bulletin/ and its .xlsx), wired by meetings/urls.py."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.http import content_disposition_header

from meetings.selectors import session_list
from meetings.session_views import _require_viewer

from .bulletin import session_bulletin
from .bulletin_xlsx import BulletinExporter


@login_required
def bulletin_view(request: HttpRequest, pk: int) -> HttpResponse:
    """缺席通报 of a session, printable: by meeting, on leave / absent without approval / not recorded."""
    _require_viewer(request)
    session = get_object_or_404(session_list(user=request.user), pk=pk)
    bulletin = session_bulletin(user=request.user, session=session)
    return render(request, "meetings/bulletin.html", {"section": "sessions", "bulletin": bulletin, "session": session})


@login_required
def bulletin_xlsx_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The same bulletin as an .xlsx file with Chinese headers."""
    _require_viewer(request)
    session = get_object_or_404(session_list(user=request.user), pk=pk)
    exporter = BulletinExporter(session_bulletin(user=request.user, session=session))
    response = HttpResponse(
        exporter.render_xlsx(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=exporter.filename)
    return response
