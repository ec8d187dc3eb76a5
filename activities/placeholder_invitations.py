"""PLACEHOLDER (branch homes): the deputy's invitations page, only so `activities:my_invitations` resolves
for the home page's to-do link. The answering page is built on another branch (phone): on merge keep that
one and delete this module, its template and its url line."""
from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from dutyadmin.permissions import allows
from dutyadmin.scope import scope_for

from .selectors import my_invitations


@login_required
def my_invitations_view(request: HttpRequest) -> HttpResponse:
    """A deputy's invitations to activities still to come, soonest first (read only)."""
    scope = scope_for(request.user)
    if not allows(scope, "answer_invitation"):
        raise PermissionDenied("只有代表本人可以查看自己的活动邀请。")
    invitations = my_invitations(deputy_id=scope.deputy_id, today=timezone.localdate())
    return render(request, "activities/placeholder_invitations.html",
                  {"section": "activities", "invitations": invitations})
