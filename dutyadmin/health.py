"""GET /healthz/: is the database, the cache and the task broker reachable (for load balancers)."""
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import JsonResponse
from django.views.decorators.cache import never_cache


def _check(probe) -> str:
    try:
        probe()
    except Exception as exc:  # noqa: BLE001 - a health check reports any failure, it never raises
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _cache() -> None:
    cache.set("healthz", "1", 5)
    if cache.get("healthz") != "1":
        raise RuntimeError("cache did not keep a value")


def _broker() -> None:
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=2) as conn:
        conn.ensure_connection(max_retries=1)


@never_cache
def healthz(request):
    checks = {"database": _check(_database), "cache": _check(_cache)}
    checks["broker"] = _check(_broker) if settings.REDIS_URL else "in-process"
    healthy = all(value in {"ok", "in-process"} for value in checks.values())
    return JsonResponse({"status": "ok" if healthy else "error", **checks}, status=200 if healthy else 503)
