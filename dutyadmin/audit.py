"""The audit log (审计日志): logins, failed logins, lockouts, permission denials, exports and user changes.

One place writes it: `record(kind, *, request=None, user=None, **detail)`. The receivers below are its
sources (connected in DutyadminConfig.ready()); the 403 of pages is AuditMiddleware, the 403 of the API is
dutyadmin.api.exceptions. Kept apart from the records' history (django-simple-history, dutyadmin/history.py):
this is about accounts and access, not about a record's fields. A password or a hash never reaches detail.
"""
from __future__ import annotations

import datetime as dt
import ipaddress
import logging

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save
from django.utils import timezone
from simple_history.models import HistoricalRecords

from .models import AuditEvent, AuditKind

log = logging.getLogger(__name__)

USER_AGENT_MAX = 200
PATH_MAX = 300
# The fields of a user whose change is recorded (never password: its change is only "password changed").
USER_FIELDS = ("username", "first_name", "last_name", "email", "is_active", "is_staff", "is_superuser")
SCOPE_FIELDS = ("street_committee_id", "delegation_id", "deputy_id", "handling_unit_id")
# Words that never go into detail, whatever a caller passes (a filter named like this is dropped).
SECRET_WORDS = ("password", "passwd", "secret", "token", "hash", "csrf")


def _client_ip(request) -> str | None:
    """REMOTE_ADDR (the proxy in front sets it; X-Forwarded-For is not trusted here), if it is an address."""
    value = (request.META.get("REMOTE_ADDR") or "").strip()
    try:
        return str(ipaddress.ip_address(value))
    except ValueError:
        return None


def clean_detail(value):
    """detail without secrets: a key naming a password/token/hash is dropped, at any depth."""
    if isinstance(value, dict):
        return {str(k): clean_detail(v) for k, v in value.items()
                if not any(word in str(k).lower() for word in SECRET_WORDS)}
    if isinstance(value, (list, tuple)):
        return [clean_detail(v) for v in value]
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    return str(value)


def current_request():
    """The request being served (simple-history's middleware keeps it), for receivers Django gives none."""
    return getattr(HistoricalRecords.context, "request", None)


def record(kind: str, *, request=None, user=None, username: str = "", **detail) -> AuditEvent | None:
    """Append one event; user defaults to the request's signed-in user. Never raises into the caller's work."""
    if kind not in AuditKind.values:
        raise ValueError(f"unknown audit kind {kind!r}")
    if user is None and request is not None:
        candidate = getattr(request, "user", None)
        if candidate is not None and candidate.is_authenticated:
            user = candidate
    event = AuditEvent(kind=kind, user=user if user is not None and user.pk else None,
                       username=(username or (user.get_username() if user is not None else ""))[:150],
                       detail=clean_detail(detail))
    if request is not None:
        event.ip = _client_ip(request)
        event.user_agent = (request.META.get("HTTP_USER_AGENT") or "")[:USER_AGENT_MAX]
        event.path = (request.path or "")[:PATH_MAX]
        event.method = (request.method or "")[:10]
    try:
        event.save()
    except Exception:  # the audit must not turn a login or an export into a 500
        log.exception("audit event %s not written", kind)
        return None
    return event


def prune(*, now=None) -> int:
    """Delete the events older than AUDIT_RETENTION_DAYS: the only path that deletes audit rows."""
    cutoff = (now or timezone.now()) - dt.timedelta(days=settings.AUDIT_RETENTION_DAYS)
    deleted, _ = AuditEvent.objects.filter(at__lt=cutoff)._prune()
    return deleted


# --- the sources ---------------------------------------------------------------------------------------


def _on_logged_in(sender, request, user, **kwargs):
    record(AuditKind.LOGIN, request=request, user=user)


def _on_logged_out(sender, request, user, **kwargs):
    if user is not None:
        record(AuditKind.LOGOUT, request=request, user=user)


def _on_login_failed(sender, credentials, request=None, **kwargs):
    # Django hides the password in credentials already; only the username attempted is kept.
    username = str((credentials or {}).get("username") or "")[:150]
    record(AuditKind.LOGIN_FAILED, request=request, username=username, attempted=username)


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs):
    """django-axes' user_locked_out (connected only when axes is installed)."""
    name = str(username or "")[:150]
    user = get_user_model().objects.filter(username=name).first() if name else None
    event_request = request if request is not None else None
    record(AuditKind.LOCKOUT, request=event_request, user=user, username=name, attempted=name)


def _user_state(user) -> dict:
    return {name: getattr(user, name) for name in USER_FIELDS}


def _on_user_pre_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw or instance.pk is None or (update_fields is not None and set(update_fields) <= {"last_login"}):
        instance._audit_before = None
        return
    old = sender._base_manager.filter(pk=instance.pk).only(*USER_FIELDS, "password").first()
    instance._audit_before = None if old is None else {**_user_state(old), "_hash": old.password}


def _on_user_post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    request = current_request()
    if created:
        record(AuditKind.USER_CREATED, request=request, subject=instance.get_username(), subject_id=instance.pk)
        return
    before = getattr(instance, "_audit_before", None)
    instance._audit_before = None
    if before is None:
        return
    subject = {"subject": instance.get_username(), "subject_id": instance.pk}
    if before.pop("_hash") != instance.password:
        record(AuditKind.PASSWORD_CHANGED, request=request, **subject)
    after = _user_state(instance)
    changed = {name: [before[name], after[name]] for name in USER_FIELDS if before[name] != after[name]}
    if before["is_active"] and not after["is_active"]:
        changed.pop("is_active")
        record(AuditKind.USER_DEACTIVATED, request=request, **subject)
    if changed:
        record(AuditKind.USER_CHANGED, request=request, changed=changed, **subject)


def _on_groups_changed(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in ("pre_clear", "post_add", "post_remove", "post_clear"):
        return
    if action == "pre_clear":
        instance._audit_cleared = list(instance.groups.values_list("name", flat=True)) if not reverse else []
        return
    request = current_request()
    User = get_user_model()
    if reverse:  # group.user_set.add(users): one event per user, naming the group
        if action == "post_clear":
            return
        for user in User.objects.filter(pk__in=pk_set or ()):
            record(AuditKind.GROUPS_CHANGED, request=request, subject=user.get_username(), subject_id=user.pk,
                   **{"added" if action == "post_add" else "removed": [instance.name]})
        return
    if action == "post_clear":
        names = getattr(instance, "_audit_cleared", [])
    else:
        names = sorted(model.objects.filter(pk__in=pk_set or ()).values_list("name", flat=True))
    if names:
        record(AuditKind.GROUPS_CHANGED, request=request, subject=instance.get_username(), subject_id=instance.pk,
               **{"added" if action == "post_add" else "removed": names})


def _on_scope_pre_save(sender, instance, raw=False, **kwargs):
    old = None if raw or instance.pk is None else sender._base_manager.filter(pk=instance.pk).first()
    instance._audit_before = None if old is None else {name: getattr(old, name) for name in SCOPE_FIELDS}


def _on_scope_post_save(sender, instance, created, raw=False, **kwargs):
    if raw:
        return
    after = {name: getattr(instance, name) for name in SCOPE_FIELDS}
    before = getattr(instance, "_audit_before", None) or {}
    changed = {name: [before.get(name), value] for name, value in after.items() if before.get(name) != value}
    if created or changed:
        user = instance.user
        record(AuditKind.SCOPE_CHANGED, request=current_request(), subject=user.get_username(), subject_id=user.pk,
               changed=changed, created=created)


def _on_token_saved(sender, instance, created, raw=False, **kwargs):
    if created and not raw:
        record(AuditKind.TOKEN_CREATED, request=current_request(), user=instance.user)


def _on_token_deleted(sender, instance, **kwargs):
    record(AuditKind.TOKEN_REVOKED, request=current_request(), subject=instance.user.get_username(),
           subject_id=instance.user_id)


def connect() -> None:
    """Called once by DutyadminConfig.ready(); models of higher apps are named as strings (lazy senders)."""
    User = get_user_model()
    user_logged_in.connect(_on_logged_in, dispatch_uid="audit_login")
    user_logged_out.connect(_on_logged_out, dispatch_uid="audit_logout")
    user_login_failed.connect(_on_login_failed, dispatch_uid="audit_login_failed")
    pre_save.connect(_on_user_pre_save, sender=User, dispatch_uid="audit_user_pre")
    post_save.connect(_on_user_post_save, sender=User, dispatch_uid="audit_user_post")
    m2m_changed.connect(_on_groups_changed, sender=User.groups.through, dispatch_uid="audit_groups")
    pre_save.connect(_on_scope_pre_save, sender="deputies.UserScope", dispatch_uid="audit_scope_pre")
    post_save.connect(_on_scope_post_save, sender="deputies.UserScope", dispatch_uid="audit_scope_post")
    post_save.connect(_on_token_saved, sender="authtoken.Token", dispatch_uid="audit_token_saved")
    post_delete.connect(_on_token_deleted, sender="authtoken.Token", dispatch_uid="audit_token_deleted")


class AuditMiddleware:
    """Every 403 of the pages (PermissionDenied, a view's HttpResponseForbidden, CSRF) is one permission_denied
    event; the API's are written by its exception handler, which marks the request so they are not counted twice."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if response.status_code == 403 and not getattr(request, "_audit_denied", False):
            record(AuditKind.PERMISSION_DENIED, request=request, status=403,
                   reason=getattr(request, "_audit_reason", ""))
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, PermissionDenied):  # the message the 403 page shows, for the log
            request._audit_reason = str(exception)[:200]
        return None


def record_api_denial(request, exc) -> None:
    """The DRF exception handler's 403: one event, and the page middleware is told not to add another."""
    django_request = getattr(request, "_request", request)
    django_request._audit_denied = True
    record(AuditKind.PERMISSION_DENIED, request=django_request, user=getattr(request, "user", None)
           if getattr(getattr(request, "user", None), "is_authenticated", False) else None,
           status=403, api=True, reason=str(getattr(exc, "detail", "") or "")[:200])
