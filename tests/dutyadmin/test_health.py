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
