"""我的日历订阅 (the deputy's page: address, how to subscribe, reset, turn off) and the feed itself (no login)."""
from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from deputies.models import CalendarFeedKey, Deputy
from deputies.selectors import deputy_list
from deputies.services import calendar_key_active, calendar_key_find, calendar_key_reset, calendar_key_revoke
from dutyadmin.permissions import allows
from dutyadmin.scope import scope_for

from .ics import feed_ical
from .selectors import calendar_events

UPCOMING_SHOWN = 20


def _absolute_builder(request: HttpRequest):
    """Absolute addresses: the site's configured address (DUTYADMIN_SITE_URL) if any, else the request's host."""
    site = (getattr(settings, "SITE_URL", "") or "").rstrip("/")
    return (lambda path: f"{site}{path}") if site else request.build_absolute_uri


@require_safe
def calendar_feed_view(request: HttpRequest, token: str) -> HttpResponse:
    """The feed: an unknown and a revoked address get the same 404; the answer may be cached privately 5 minutes."""
    key = calendar_key_find(token)
    if key is None:
        raise Http404(_("没有这个日历订阅链接。"))
    now = timezone.now()
    CalendarFeedKey.objects.filter(pk=key.pk).update(last_used_at=now)
    deputy = key.deputy
    events = calendar_events(deputy=deputy, today=timezone.localdate(), absolute=_absolute_builder(request))
    body = feed_ical(events, name=_("%(name)s代表的履职日程") % {"name": deputy.name}, now=now)
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "private, max-age=300"
    response["Content-Disposition"] = 'inline; filename="dutyadmin.ics"'
    response["X-Robots-Tag"] = "noindex, nofollow"
    response["Referrer-Policy"] = "no-referrer"
    return response


def _own_deputy(request: HttpRequest) -> Deputy:
    scope = scope_for(request.user)
    if not allows(scope, "subscribe_calendar"):
        raise PermissionDenied(_("日历订阅只面向代表本人:请用与代表关联的账号登录。工作人员可在代表信息页停用某位代表的订阅链接。"))
    return get_object_or_404(Deputy.objects.select_related("term"), pk=scope.deputy_id)


def _page(request: HttpRequest, deputy: Deputy, *, token: str | None = None) -> HttpResponse:
    absolute = _absolute_builder(request)
    today = timezone.localdate()
    upcoming = [e for e in calendar_events(deputy=deputy, today=today, absolute=absolute) if e.day >= today]
    feed_url = absolute(reverse("calendar:feed", args=[token])) if token else ""
    context = {
        "section": "calendar",
        "deputy": deputy,
        "key": calendar_key_active(deputy=deputy),
        "token": token,
        "feed_url": feed_url,
        "webcal_url": feed_url.replace("https://", "webcal://", 1).replace("http://", "webcal://", 1),
        "upcoming": upcoming[:UPCOMING_SHOWN],
        "more_upcoming": max(len(upcoming) - UPCOMING_SHOWN, 0),
    }
    response = render(request, "oversight/calendar.html", context)
    if token:
        response["Cache-Control"] = "no-store"  # the one page that shows the address: never kept by a cache
    return response


@login_required
def calendar_page_view(request: HttpRequest) -> HttpResponse:
    """我的日历订阅."""
    return _page(request, _own_deputy(request))


@login_required
@require_POST
def calendar_reset_view(request: HttpRequest) -> HttpResponse:
    """Make a new address (the old one, if any, stops working) and show it this once."""
    deputy = _own_deputy(request)
    had = calendar_key_active(deputy=deputy) is not None
    token = calendar_key_reset(user=request.user, deputy=deputy)
    messages.success(request, _("已重置订阅链接:原链接已失效,请用下面的新链接重新订阅。") if had
                     else _("已生成订阅链接。"))
    return _page(request, deputy, token=token)


@login_required
@require_POST
def calendar_revoke_view(request: HttpRequest) -> HttpResponse:
    """Turn the deputy's own address off."""
    deputy = _own_deputy(request)
    if calendar_key_revoke(user=request.user, deputy=deputy):
        messages.success(request, _("已停用订阅链接:日历应用将无法再获取您的日程。"))
    else:
        messages.info(request, _("您目前没有有效的订阅链接。"))
    return redirect("calendar:page")


@login_required
@require_POST
def deputy_calendar_revoke_view(request: HttpRequest, pk: int) -> HttpResponse:
    """The liaison office turns a deputy's address off (a lost phone, a leaked link) from the deputy's page."""
    deputy = get_object_or_404(deputy_list(user=request.user), pk=pk)
    if not allows(request.user, "revoke_calendar", deputy):
        raise PermissionDenied(_("只有代表联络机构可以停用代表的日历订阅链接。"))
    if calendar_key_revoke(user=request.user, deputy=deputy):
        messages.success(request, _("已停用%(name)s代表的日历订阅链接。") % {"name": deputy.name})
    else:
        messages.info(request, _("%(name)s代表没有有效的日历订阅链接。") % {"name": deputy.name})
    return redirect(reverse("deputies:detail", args=[deputy.pk]))
