"""The export pages: choose, run as a job (Celery, in-process here), follow its progress, download — only
the user who asked; bad parameters are errors next to the fields, never a crash."""
import threading
import time

import pytest

from dutyadmin import tasks
from dutyadmin.models import ExportJob, ExportStatus
from dutyadmin.roles import Role
from dutyadmin.tasks import export_jobs_purge, export_run

from .conftest import read_sheet, rows_of

REAL_RUN_IN_BACKGROUND = tasks.run_in_background  # before the fixtures make in-process exports run at once


def test_the_index_lists_the_exports_a_street_staff_member_may_run(login, personas):
    response = login(Role.STREET_STAFF).get("/exports/")
    page = response.content.decode()
    assert response.status_code == 200
    for name in ("年度履职情况汇总", "代表名册", "大会出席情况表", "履职提示及处置情况", "闭会期间活动及参加代表"):
        assert name in page


def test_a_deputy_may_not_export(login, personas):
    assert login(Role.DEPUTY).get("/exports/").status_code == 403
    assert login(Role.DEPUTY).get("/exports/roster/").status_code == 403


def test_an_unknown_export_is_a_404(login, personas):
    assert login(Role.ADMIN).get("/exports/nothing/").status_code == 404


def test_the_form_is_prefilled_from_the_list_pages_query(login, personas, world):
    response = login(Role.LIAISON_OFFICE).get(f"/exports/roster/?street_committee={world['chaoyang'].pk}&q=王")
    page = response.content.decode()
    assert response.status_code == 200
    assert f'<option value="{world["chaoyang"].pk}" selected>' in page and 'value="王"' in page


def test_bad_parameters_are_shown_next_to_their_field(login, personas):
    response = login(Role.LIAISON_OFFICE).post("/exports/year_summary/", {"year": "abc"})
    assert response.status_code == 400
    page = response.content.decode()
    assert "年度应为四位整数" in page and "has-error" in page
    assert not ExportJob.objects.exists()
    response = login(Role.LIAISON_OFFICE).get("/exports/year_summary/?year=1990")
    assert response.status_code == 400 and "年度必须在第十七届的任期内" in response.content.decode()


def test_street_staff_export_the_roster_of_their_street_then_download_it(login, personas, world, run_on_commit):
    client = login(Role.STREET_STAFF)
    with run_on_commit(execute=True) as callbacks:
        response = client.post("/exports/roster/", {"q": ""})
    assert len(callbacks) == 1  # the task is sent once the job is committed
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/jobs/{job.pk}/"
    assert job.status == ExportStatus.DONE and job.progress == 100 and job.rows == 2
    page = client.get(f"/exports/jobs/{job.pk}/")
    assert page.status_code == 200 and "代表名册" in page.content.decode()
    status = client.get(f"/exports/jobs/{job.pk}/status/").json()
    assert status["status"] == "done" and status["progress"] == 100
    assert status["download_url"] == f"/exports/jobs/{job.pk}/download/"
    download = client.get(status["download_url"])
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"] and "UTF-8''" in download["Content-Disposition"]
    sheet = read_sheet(b"".join(download.streaming_content))
    assert {row[1] for row in rows_of(sheet)} == {"张东", "李四"}


def test_with_the_broker_down_the_export_is_made_in_the_web_process(login, personas, run_on_commit, monkeypatch):
    from dutyadmin import tasks
    from dutyadmin.celery import app

    def broker_down(*args, **kwargs):
        raise ConnectionRefusedError("redis is down")

    monkeypatch.setitem(app.conf, "CELERY_TASK_ALWAYS_EAGER", False)
    monkeypatch.setattr(tasks.export_run, "apply_async", broker_down)
    client = login(Role.STREET_STAFF)
    with run_on_commit(execute=True):
        response = client.post("/exports/roster/", {"q": ""})
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.status == ExportStatus.DONE and job.rows == 2


@pytest.mark.parametrize("role", [Role.LIAISON_OFFICE, Role.ADMIN, "nobody"])
def test_nobody_else_sees_or_downloads_someone_elses_export(role, login, personas, run_on_commit):
    with run_on_commit(execute=True):
        login(Role.STREET_STAFF).post("/exports/roster/", {})
    job = ExportJob.objects.get()
    other = login(role)
    for url in (f"/exports/jobs/{job.pk}/", f"/exports/jobs/{job.pk}/status/", f"/exports/jobs/{job.pk}/download/"):
        assert other.get(url).status_code == 404


def test_the_task_records_a_failure_on_the_job(personas, monkeypatch):
    import dutyadmin.tasks as tasks

    def broken(exporter, progress=None):
        raise RuntimeError("disk full")

    monkeypatch.setattr(tasks, "render_to_tempfile", broken)
    job = ExportJob.objects.create(user=personas[Role.ADMIN], identifier="roster", params={})
    assert export_run(job.pk) == "failed"
    job.refresh_from_db()
    assert job.status == ExportStatus.FAILED and "出错" in job.error


def test_the_task_refuses_parameters_that_became_invalid(personas):
    job = ExportJob.objects.create(user=personas[Role.ADMIN], identifier="year_summary", params={"year": "abc"})
    assert export_run(job.pk) == "failed"
    job.refresh_from_db()
    assert "导出条件无效" in job.error and "year" in job.error


def test_the_status_page_reports_progress_of_a_running_job(login, personas):
    job = ExportJob.objects.create(user=personas[Role.STREET_STAFF], identifier="roster", params={},
                                   status=ExportStatus.RUNNING, progress=40, rows=400)
    data = login(Role.STREET_STAFF).get(f"/exports/jobs/{job.pk}/status/").json()
    assert data == {"id": job.pk, "status": "running", "status_label": "生成中", "progress": 40, "rows": 400,
                    "error": "", "download_url": ""}
    assert login(Role.STREET_STAFF).get(f"/exports/jobs/{job.pk}/download/").status_code == 404


def test_old_jobs_and_their_files_are_purged(login, personas, run_on_commit):
    import datetime as dt

    from django.utils import timezone

    with run_on_commit(execute=True):
        login(Role.STREET_STAFF).post("/exports/roster/", {})
    job = ExportJob.objects.get()
    path = job.file.path
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - dt.timedelta(days=8))
    assert export_jobs_purge() == 1
    import os

    assert not ExportJob.objects.exists() and not os.path.exists(path)


def test_the_list_pages_link_to_their_export_with_the_same_filters(login, personas, world):
    page = login(Role.LIAISON_OFFICE).get(f"/deputies/?street_committee={world['dongsi'].pk}").content.decode()
    assert f'href="/exports/roster/?street_committee={world["dongsi"].pk}"' in page
    page = login(Role.LIAISON_OFFICE).get("/oversight/findings/?status=missed").content.decode()
    assert 'href="/exports/findings/?status=missed"' in page


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("broker", ["in-process", "down"])
def test_a_long_export_answers_at_once_and_runs_after_the_response(broker, login, personas, monkeypatch):
    """Tasks in-process (no Redis) or the broker down: the POST redirects to the job page at once, the job
    queued or running; the export runs in a thread of the web process, not in the request."""
    if broker == "down":
        def broker_down(*args, **kwargs):
            raise ConnectionRefusedError("redis is down")

        monkeypatch.setitem(tasks.export_run.app.conf, "CELERY_TASK_ALWAYS_EAGER", False)
        monkeypatch.setattr(tasks.export_run, "apply_async", broker_down)
    threads: list[threading.Thread] = []
    monkeypatch.setattr(tasks, "run_in_background", lambda job_id: threads.append(REAL_RUN_IN_BACKGROUND(job_id)))
    release = threading.Event()
    render = tasks.render_to_tempfile

    def slow_render(exporter, progress=None):  # a 15-second export, held until the test has looked
        assert release.wait(30)
        return render(exporter, progress)

    monkeypatch.setattr(tasks, "render_to_tempfile", slow_render)
    client = login(Role.STREET_STAFF)
    started = time.monotonic()
    response = client.post("/exports/roster/", {"q": ""})
    assert time.monotonic() - started < 5
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/exports/jobs/{job.pk}/"
    assert job.status in (ExportStatus.QUEUED, ExportStatus.RUNNING) and len(threads) == 1
    page = client.get(response["Location"]).content.decode()
    assert "<progress" in page and ("排队中" in page or "生成中" in page)
    assert 'data-finished="false"' in page
    release.set()
    threads[0].join(60)
    job.refresh_from_db()
    assert job.status == ExportStatus.DONE and job.rows == 2
    assert client.get(f"/exports/jobs/{job.pk}/download/").status_code == 200


def test_the_job_page_of_a_queued_export_shows_a_moving_progress_bar_and_polls(login, personas):
    job = ExportJob.objects.create(user=personas[Role.STREET_STAFF], identifier="roster", params={})
    page = login(Role.STREET_STAFF).get(f"/exports/jobs/{job.pk}/").content.decode()
    assert "排队中" in page and "本页会自动更新" in page
    assert '<progress class="job-progress" max="100" aria-label' in page  # no value: indeterminate
    assert f'data-export-status="/exports/jobs/{job.pk}/status/"' in page and 'data-finished="false"' in page
    ExportJob.objects.filter(pk=job.pk).update(status=ExportStatus.RUNNING, progress=40, rows=400)
    page = login(Role.STREET_STAFF).get(f"/exports/jobs/{job.pk}/").content.decode()
    assert 'value="40"' in page and "生成中(400 行)" in page


# --- export18: every export's POST only starts its job; the job, run afterwards, makes the file

def every_export() -> list[str]:
    from dutyadmin.exporters import registry

    return sorted(exporter.identifier for exporter in registry.all())


@pytest.mark.parametrize("identifier", every_export())
def test_every_exports_post_only_starts_the_job_which_then_makes_the_file(identifier, login, personas, world,
                                                                          run_on_commit, monkeypatch):
    rendered: list[str] = []
    render = tasks.render_to_tempfile

    def watched(exporter, progress=None):
        rendered.append(exporter.identifier)
        return render(exporter, progress)

    monkeypatch.setattr(tasks, "render_to_tempfile", watched)
    client = login(Role.ADMIN)
    params = {"session": world["session"].pk, "year": 2024}
    with run_on_commit(execute=False) as callbacks:
        response = client.post(f"/exports/{identifier}/", params)
    job = ExportJob.objects.get()
    # Answered with the job page: the job queued, nothing rendered in the request, the task sent on commit.
    assert response.status_code == 302 and response["Location"] == f"/exports/jobs/{job.pk}/"
    assert job.status == ExportStatus.QUEUED and job.identifier == identifier and not job.file
    assert rendered == [] and len(callbacks) == 1
    callbacks[0]()  # the commit: the task runs (in this process here, as a worker would)
    job.refresh_from_db()
    assert rendered == [identifier]
    assert job.status == ExportStatus.DONE and job.progress == 100 and job.filename.endswith(".xlsx")
    download = client.get(f"/exports/jobs/{job.pk}/download/")
    assert download.status_code == 200
    assert read_sheet(b"".join(download.streaming_content))["A1"].value
