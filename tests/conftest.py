import pytest

from django.core.cache import cache

from deputies import filter_choices
from oversight.findings import snapshot
from tests import factories


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _findings_snapshot():
    """Each test starts with no snapshot of today's findings and no cached filter choices of the deputy list: the
    database it reads is its own (rolled back after the test before, its ids perhaps used again)."""
    snapshot.clear()
    cache.delete(filter_choices.cache_key())
    yield
    snapshot.clear()
    cache.delete(filter_choices.cache_key())


@pytest.fixture
def term(db):
    return factories.TermFactory()


@pytest.fixture
def make_user(db):
    """make_user(role, street_committee=…, delegation=…, deputy=…) → a user of that role in scope."""
    return factories.make_user


@pytest.fixture
def celery_in_process(monkeypatch):
    """Run Celery tasks in the test's process even when REDIS_URL is set (CI): no worker serves the queue.

    The Django setting's name is what Celery reads first (namespace CELERY), so it is the key to change.
    An export that the web process would run in a thread of its own after answering runs at once in the
    test's thread instead (the test's transaction is not committed: another thread would not see the job);
    tests/exports/test_export_pages.py checks the thread itself.
    """
    from dutyadmin import tasks
    from dutyadmin.celery import app

    monkeypatch.setitem(app.conf, "CELERY_TASK_ALWAYS_EAGER", True)
    monkeypatch.setattr(tasks, "run_in_background", lambda job_id: tasks.export_run.apply((job_id,)))
    return app
