"""Language selection (Chinese unless the user picked English); JSON for every failure of the API."""
from __future__ import annotations

import logging
import sys

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import JsonResponse
from django.middleware.locale import LocaleMiddleware
from kombu.exceptions import OperationalError as KombuOperationalError
from redis.exceptions import ConnectionError as RedisConnectionError
from django.utils import translation


class ChineseFirstLocaleMiddleware(LocaleMiddleware):
    """Like Django's, but the browser's Accept-Language is not asked.

    DESIGN.md: Chinese is the default language of every page; an office computer set up in
    English must still open in Chinese. The switch (django's set_language) stores the choice in the
    language cookie, which is the only thing read here.
    """

    def process_request(self, request) -> None:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = translation.get_language()


# --- issue 17: the API answers JSON for every failure --------------------------------------------------------

UNREACHABLE = (OperationalError, InterfaceError, KombuOperationalError, RedisConnectionError)
RETRY_AFTER_SECONDS = 30
logger = logging.getLogger("dutyadmin.api")


def _remember(sender, request=None, **kwargs) -> None:
    """got_request_exception: keep what failed outside a view (a middleware reading the session) for
    ApiErrorMiddleware, which only sees the response Django made of it."""
    if request is not None:
        request._api_failure = sys.exc_info()[1]


got_request_exception.connect(_remember, dispatch_uid="dutyadmin.api_failure")


def _json_failure(request, exception) -> JsonResponse:
    if isinstance(exception, UNREACHABLE):
        logger.warning("API %s %s: service unreachable: %r", request.method, request.path, exception)
        response = JsonResponse({"detail": "服务暂时不可用(数据库或任务队列无法连接),请稍后重试。",
                                 "code": "service_unavailable"}, status=503)
        response["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response
    logger.error("API %s %s failed: %r", request.method, request.path, exception)
    return JsonResponse({"detail": "服务器内部错误,已记录,请稍后重试或联系系统管理员。", "code": "server_error"},
                        status=500)


class ApiErrorMiddleware:
    """Every failure of the API answers JSON: 503 with Retry-After when the database, the cache or the task
    broker cannot be reached, 500 otherwise; the traceback goes to the log, never to the client (also in
    dev, where Django would show its debug page). Pages keep Django's own handling. First in MIDDLEWARE, so
    it also sees what failed in another middleware (the session read before the view)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (request.path.startswith("/api/") and response.status_code >= 500
                and not response.get("Content-Type", "").startswith("application/json")):
            return _json_failure(request, getattr(request, "_api_failure", None))
        return response

    def process_exception(self, request, exception):
        if not request.path.startswith("/api/"):
            return None
        if not isinstance(exception, UNREACHABLE):
            logger.exception("API %s %s failed", request.method, request.path)
        return _json_failure(request, exception)
