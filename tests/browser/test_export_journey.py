"""Journey: street staff ask for a long export; the page answers at once with the job's progress, which
moves on by itself until the download appears (tasks in-process: the export runs in a thread of the web
process, after the POST has been answered)."""
import threading

import pytest
from playwright.sync_api import expect

from dutyadmin import tasks
from dutyadmin.models import ExportJob, ExportStatus
from dutyadmin.roles import Role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
REAL_RUN_IN_BACKGROUND = tasks.run_in_background


@pytest.fixture
def slow_export(celery_in_process, monkeypatch):
    """In-process tasks as without Redis, the web process's own thread, and an export held until released."""
    monkeypatch.setattr(tasks, "run_in_background", REAL_RUN_IN_BACKGROUND)
    release = threading.Event()
    render = tasks.render_to_tempfile

    def held(exporter, progress=None):
        assert release.wait(30)
        return render(exporter, progress)

    monkeypatch.setattr(tasks, "render_to_tempfile", held)
    return release


@pytest.mark.parametrize("width", [1366, 390])
def test_a_long_export_shows_its_progress_at_once_then_the_download(page_for_role, world, slow_export, width,
                                                                     live_server):
    page = page_for_role(Role.STREET_STAFF, street_committee=world["dongsi"], viewport=(width, 900))
    page.goto(f"{live_server.url}/exports/year_summary/")
    page.get_by_role("button", name="生成 Excel").click()
    expect(page.locator("h1")).to_have_text("年度履职情况汇总")
    expect(page.locator("progress.job-progress")).to_be_visible()
    expect(page.locator("[data-export-label]")).to_have_text("生成中")  # polled while the export is held
    expect(page.get_by_role("link", name="下载 Excel")).to_be_hidden()  # no file yet
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.RUNNING
    slow_export.set()
    expect(page.get_by_role("link", name="下载 Excel")).to_be_visible(timeout=30_000)
    expect(page.locator("[data-export-label]")).to_contain_text("已完成")
    expect(page.locator("[data-export-hint]")).to_be_hidden()
