"""Login safety (issue 15, OWASP ASVS 5.0 level 2): lockout after failed logins, session timeouts, token expiry.

- django-axes counts failed logins per account and per address on every ``authenticate(request=…)``: the
  login page, the admin and ``POST /api/v1/auth/token/``. ``lockout_response`` is its answer to a locked
  client (settings.AXES_LOCKOUT_CALLABLE): a page in Chinese, JSON under /api/. ``current_lockouts`` and
  ``unlock`` serve the liaison office's page (views.lockout_list_view).
- ``SessionTimeoutMiddleware`` signs a browser out after DUTYADMIN_SESSION_IDLE_MINUTES without a request
  and DUTYADMIN_SESSION_MAX_HOURS after the login, with a message on the login page.
- A user's API tokens end when the password changes or the account is deactivated (the User signals here);
  a token is good for DUTYADMIN_API_TOKEN_DAYS from its creation (``token_expires``).

Django's ``user_logged_in``/``user_login_failed`` and axes' ``user_locked_out`` are sent as usual (the
audit log listens to them); nothing here records logins.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import datetime, timedelta

from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model, logout
from django.contrib.auth.signals import user_logged_in
from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from rest_framework.authtoken.models import Token

# --- lockout ------------------------------------------------------------------------------------------

LOCKOUT_MESSAGE = "登录失败次数过多，账户已暂时锁定，请于 {until} 后再试，或联系人大常委会代表联络室解锁。"


class TestClientAxesBackend(AxesStandaloneBackend):
    """Tests only (settings, ENV == "test"): Django's test ``client.login()`` calls authenticate() without
    a request, which axes refuses; that one call passes, every request-borne login is watched as in production."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if request is None:
            return None
        return super().authenticate(request, username=username, password=password, **kwargs)


def cool_off() -> timedelta:
    return settings.AXES_COOLOFF_TIME


def locked_until(request: HttpRequest | None = None) -> datetime:
    """When a client locked out by this request may try again: the failure just made counts from now."""
    started = getattr(request, "axes_attempt_time", None) or timezone.now()
    return started + cool_off()


def lockout_message(until: datetime) -> str:
    return LOCKOUT_MESSAGE.format(until=timezone.localtime(until).strftime("%H:%M"))


def lockout_response(request: HttpRequest, original_response=None, credentials=None) -> HttpResponse:
    """axes' answer to a locked-out login: 429 with when to try again (JSON for the API, else a page)."""
    until = locked_until(request)
    message = lockout_message(until)
    if request.path.startswith("/api/"):
        return JsonResponse(
            {"detail": message, "locked_until": timezone.localtime(until).isoformat()}, status=429
        )
    return render(
        request, "registration/locked_out.html", {"message": message, "until": until}, status=429
    )


@dataclass(frozen=True)
class Lockout:
    """A locked account (kind "username") or address (kind "ip_address") and until when."""

    kind: str
    value: str
    failures: int
    last_attempt: datetime
    until: datetime

    @property
    def kind_label(self) -> str:
        return "账户" if self.kind == "username" else "IP 地址"


def current_lockouts(search: str = "") -> list[Lockout]:
    """Accounts and addresses whose failures within the cool-off reach the limit, the latest first.

    The failed attempts of the cool-off window are few (older ones are deleted by axes): read once, summed here.
    """
    since = timezone.now() - cool_off()
    totals: dict[tuple[str, str], list] = {}
    rows = AccessAttempt.objects.filter(attempt_time__gte=since).values_list(
        "username", "ip_address", "failures_since_start", "attempt_time"
    )
    for username, ip_address, failures, attempt_time in rows:
        for key in (("username", username), ("ip_address", ip_address)):
            if key[1] is None or key[1] == "":
                continue
            total = totals.setdefault(key, [0, attempt_time])
            total[0] += failures
            total[1] = max(total[1], attempt_time)
    search = search.strip().lower()
    found = [
        Lockout(kind, value, failures, last, last + cool_off())
        for (kind, value), (failures, last) in totals.items()
        if failures >= settings.AXES_FAILURE_LIMIT and (not search or search in value.lower())
    ]
    return sorted(found, key=lambda lock: (lock.last_attempt, lock.kind, lock.value), reverse=True)


def unlock(kind: str, value: str) -> int:
    """Forget the failed attempts of an account or an address; how many records went."""
    if kind == "username":
        return reset(username=value)
    if kind == "ip_address":
        return reset(ip=value)
    raise ValueError(kind)


# --- session timeouts -----------------------------------------------------------------------------------

STARTED_KEY = "_auth15_started"
ACTIVE_KEY = "_auth15_active"
# The last activity is written at most this often (seconds), not on every request.
ACTIVITY_RESOLUTION = 60


@receiver(user_logged_in, dispatch_uid="auth15-session-start")
def _session_started(sender, request, user, **kwargs) -> None:
    session = getattr(request, "session", None)
    if session is not None:
        now = time.time()
        session[STARTED_KEY] = now
        session[ACTIVE_KEY] = now


def _expired(session, now: float) -> str:
    """"" or the message saying why the session is over."""
    idle = settings.DUTYADMIN_SESSION_IDLE_MINUTES
    active = session.get(ACTIVE_KEY)
    if active is not None and now - active > idle * 60:
        return f"您已超过 {idle} 分钟未操作，请重新登录。"
    hours = settings.DUTYADMIN_SESSION_MAX_HOURS
    started = session.get(STARTED_KEY)
    if started is not None and now - started > hours * 3600:
        return f"您已连续登录超过 {hours} 小时，为安全起见请重新登录。"
    return ""


class SessionTimeoutMiddleware:
    """Signs a browser session out when idle too long or too old; the login page then says why."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and hasattr(request, "session"):
            session = request.session
            now = time.time()
            reason = _expired(session, now)
            if reason:
                logout(request)
                messages.warning(request, reason)
                if request.path.startswith("/api/") or request.method != "GET":
                    return self.get_response(request)  # now anonymous: the API or the view refuses
                return redirect(f"{reverse('login')}?{urlencode({'next': request.get_full_path()})}")
            session.setdefault(STARTED_KEY, now)  # a session from before this middleware
            if now - session.get(ACTIVE_KEY, 0) >= ACTIVITY_RESOLUTION:
                session[ACTIVE_KEY] = now
        return self.get_response(request)


# --- API tokens ---------------------------------------------------------------------------------------

TOKEN_EXPIRED_MESSAGE = "登录令牌已过期，请重新获取。"


def token_expires(token: Token) -> datetime:
    return token.created + timedelta(days=settings.DUTYADMIN_API_TOKEN_DAYS)


def token_expired(token: Token) -> bool:
    return token_expires(token) <= timezone.now()


User = get_user_model()


@receiver(pre_save, sender=User, dispatch_uid="auth15-token-end-check")
def _note_credentials_change(sender, instance, update_fields=None, **kwargs) -> None:
    """A changed password or a deactivation ends the user's tokens (after the save, post_save below)."""
    instance._auth15_end_tokens = False
    if instance.pk is None or (update_fields is not None and not {"password", "is_active"} & set(update_fields)):
        return
    before = sender._default_manager.filter(pk=instance.pk).values("password", "is_active").first()
    if before is None:
        return
    instance._auth15_end_tokens = before["password"] != instance.password or (
        before["is_active"] and not instance.is_active
    )


@receiver(post_save, sender=User, dispatch_uid="auth15-token-end")
def _end_tokens(sender, instance, **kwargs) -> None:
    if getattr(instance, "_auth15_end_tokens", False):
        Token.objects.filter(user=instance).delete()
        instance._auth15_end_tokens = False
