import os
import uuid

import pytest
from django.conf import settings


@pytest.mark.django_db
def test_healthz_reports_every_part_reachable(client):
    response = client.get("/healthz/")
    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert body["cache"] == "ok"


@pytest.mark.redis
@pytest.mark.skipif(not os.environ.get("REDIS_URL"), reason="REDIS_URL is not set: the Redis broker and cache are not tested")
@pytest.mark.django_db
def test_with_redis_url_cache_and_broker_are_the_real_redis(client):
    import redis

    assert settings.CACHES["default"]["BACKEND"].endswith("RedisCache")
    assert settings.CELERY_TASK_ALWAYS_EAGER is False
    assert client.get("/healthz/").json()["broker"] == "ok"
    from django.core.cache import cache

    # A key of this run alone: parallel runs share REDIS_URL's Redis and delete their own key.
    key = f"dutyadmin-test-key-{uuid.uuid4().hex}"
    cache.set(key, "值", 30)
    stored = redis.Redis.from_url(os.environ["REDIS_URL"]).keys(f"*{key}")
    assert stored, "the Django cache did not write to the Redis of REDIS_URL"
    cache.delete(key)


@pytest.mark.django_db
def test_healthz_says_503_when_the_broker_is_unreachable(client, settings):
    settings.REDIS_URL = settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz/")
    assert response.status_code == 503
    assert response.json()["broker"].startswith("error")


def test_connections_are_not_kept_by_default():
    """Issue 17: persistent connections piled up to max_connections; 0 unless a deployment sets it."""
    import os
    import subprocess
    import sys

    env = {k: v for k, v in os.environ.items() if k != "DATABASE_CONN_MAX_AGE"}
    env["DATABASE_URL"] = "postgres://postgres@127.0.0.1:5432/test"
    code = "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'dutyadmin.settings'); " \
           "from django.conf import settings; print(settings.DATABASES['default']['CONN_MAX_AGE'])"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"
    env["DATABASE_CONN_MAX_AGE"] = "60"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "60"
