"""Ways a notification leaves the system: email (Django's email backends) and SMS (a pluggable backend).

The inbox needs no channel: the notification row is the in-app message. A channel raises
ChannelError (or any exception) when it cannot send; the delivery service records it and retries.
"""
from __future__ import annotations

import logging
import sys
import time
from typing import Protocol

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.module_loading import import_string

log = logging.getLogger(__name__)


class ChannelError(Exception):
    """A channel could not deliver; the message says why, in Chinese, for the sent log."""


class ChannelSkipped(Exception):
    """The recipient has no address for this channel: nothing to retry."""


class SMSBackend(Protocol):
    """Anything with send(phone, text) can carry SMS; settings.NOTIFICATION_SMS_BACKEND names it."""

    def send(self, phone: str, text: str) -> None: ...


class ConsoleSMSBackend:
    """Writes each SMS to standard output (development, tests, offices without an SMS gateway)."""

    def send(self, phone: str, text: str) -> None:
        sys.stdout.write(f"[短信] {phone}: {text}\n")
        sys.stdout.flush()


class LocmemSMSBackend:
    """Keeps sent SMS in a list, for tests."""

    outbox: list[tuple[str, str]] = []

    def send(self, phone: str, text: str) -> None:
        LocmemSMSBackend.outbox.append((phone, text))


def _pause() -> None:
    # Tests slow a send down to kill a worker in the middle of it; zero in production.
    delay = float(getattr(settings, "NOTIFICATION_SEND_DELAY", 0) or 0)
    if delay > 0:
        time.sleep(delay)


def sms_backend() -> SMSBackend:
    """The configured SMS backend (a dotted path in settings.NOTIFICATION_SMS_BACKEND)."""
    path = getattr(settings, "NOTIFICATION_SMS_BACKEND", "oversight.notifications.channels.ConsoleSMSBackend")
    return import_string(path)()


def send_email(*, to: str, subject: str, body: str) -> None:
    """Send one email through Django's configured email backend."""
    if not to:
        raise ChannelSkipped("没有电子邮箱地址")
    _pause()
    try:
        EmailMessage(subject=subject, body=body, to=[to]).send(fail_silently=False)
    except Exception as exc:  # noqa: BLE001 - any backend error is a failed attempt, recorded and retried
        raise ChannelError(f"邮件发送失败:{exc}") from exc


def send_sms(*, phone: str, text: str) -> None:
    """Send one SMS through the configured backend."""
    if not phone:
        raise ChannelSkipped("没有手机号码")
    _pause()
    try:
        sms_backend().send(phone, text)
    except Exception as exc:  # noqa: BLE001 - as above
        raise ChannelError(f"短信发送失败:{exc}") from exc
