"""manage.py backup / restore (issue 15): a backup restored into an empty database (a new SQLite file, or a new
PostgreSQL database) gives the same findings and the same history rows, with the media files; a tampered backup,
one of another vendor and a non-empty target are refused in Chinese and change nothing.

The restore and the reading after it run in fresh processes against the new database, as an operator would."""
import datetime as dt
import io
import json
import os
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection

from activities.models import Participation
from deputies.models import Term
from dutyadmin.backup import MANIFEST
from dutyadmin.roles import Role
from dutyadmin.services import record_save
from meetings.models import Attendance
from oversight.findings.selectors import term_findings
from tests import factories

ROOT = Path(settings.BASE_DIR)
AS_OF = dt.date(2024, 12, 31)
CERTIFICATE = b"%PDF-1.4 certificate of a leave " + bytes(range(256))


def reading() -> dict:
    """What must survive a restore: every finding of the term and every history row (in a stable shape)."""
    term = Term.objects.get(number=17)
    findings = term_findings(term=term, as_of=AS_OF, include_met=True)

    def rows(model, *fields):
        return [[getattr(h, name) if not hasattr(getattr(h, name), "isoformat") else getattr(h, name).isoformat()
                 for name in ("history_id", "id", "history_type", "history_user_id", "history_date", *fields)]
                for h in model.history.order_by("history_id")]

    return {
        "findings": [repr(f) for f in findings],
        "attendance_history": rows(Attendance, "status", "deputy_id", "meeting_id"),
        "participation_history": rows(Participation, "outcome", "deputy_id", "activity_id"),
    }


def make_records():
    """A deputy absent from a whole session (a finding to act on), with attendance and participation history."""
    admin = factories.make_user(Role.SECRETARIAT, username="sec-backup")
    term = factories.TermFactory(number=17)
    deputy = factories.DeputyFactory(term=term, name="备份代表")
    session = factories.CongressSessionFactory(term=term, number=3)
    meetings = [factories.MeetingFactory(session=session, date=dt.date(2024, 1, 10) + dt.timedelta(days=i))
                for i in range(3)]
    records = [factories.AttendanceFactory(meeting=m, deputy=deputy, status="absent") for m in meetings]
    record_save(records[0], user=admin, data={"status": "present"})
    record_save(records[0], user=admin, data={"status": "absent"})
    participation = factories.ParticipationFactory(activity=factories.ActivityFactory(term=term), deputy=deputy,
                                                   outcome="pending")
    record_save(participation, user=admin, data={"outcome": "absent"})
    media = Path(settings.MEDIA_ROOT) / "leave_certificates" / "2024"
    media.mkdir(parents=True, exist_ok=True)
    (media / "证明.pdf").write_bytes(CERTIFICATE)


def manage(*args, database_url: str, media_root: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": database_url, "DJANGO_MEDIA_ROOT": str(media_root), "DJANGO_ENV": "test"}
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=check,
                          timeout=300)


def read_in(database_url: str, media_root: Path) -> dict:
    code = ("import django, json; django.setup(); from tests.dutyadmin.test_backup import reading; "
            "print(json.dumps(reading(), ensure_ascii=False))")
    done = manage("-c", code, database_url=database_url, media_root=media_root)
    return json.loads(done.stdout.strip().splitlines()[-1])


def this_database_url(tmp_path) -> str:
    """A database of the tests' vendor for a restore that must be refused before it touches one."""
    if connection.vendor == "sqlite":
        return f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    url = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(url._replace(path=f"/{connection.settings_dict['NAME']}"))


def back_up(tmp_path) -> Path:
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), stdout=out)
    [folder] = (tmp_path / "backups").iterdir()
    assert f"备份完成：{folder}" in out.getvalue()
    return folder


def round_trip(tmp_path, target_url: str) -> None:
    make_records()
    before = reading()
    assert any("'action_required'" in f or "'missed'" in f or "'behind'" in f for f in before["findings"])
    assert [row[2] for row in before["attendance_history"]].count("~") == 2
    assert len(before["participation_history"]) == 2
    folder = back_up(tmp_path)
    manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    assert manifest["database"]["vendor"] == connection.vendor
    assert "0001_initial" in manifest["migrations"]["deputies"] and manifest["created_at"]
    assert set(manifest["files"]) == {manifest["database"]["file"], "media/leave_certificates/2024/证明.pdf"}
    assert len(manifest["files"]["media/leave_certificates/2024/证明.pdf"]) == 64

    restored_media = tmp_path / "restored-media"
    done = manage("manage.py", "restore", str(folder), database_url=target_url, media_root=restored_media)
    assert "已恢复" in done.stdout and "恢复完成" in done.stdout and "1 个媒体文件" in done.stdout
    assert (restored_media / "leave_certificates" / "2024" / "证明.pdf").read_bytes() == CERTIFICATE
    assert read_in(target_url, restored_media) == before

    # a second restore into the same (now full) database is refused and changes nothing
    again = manage("manage.py", "restore", str(folder), database_url=target_url, media_root=restored_media,
                   check=False)
    assert again.returncode != 0 and "目标数据库不是空的" in again.stderr and "--force" in again.stderr
    # --force restores over it, and the reading is the same again
    forced = manage("manage.py", "restore", str(folder), "--force", database_url=target_url, media_root=restored_media)
    assert "并覆盖了原有数据" in forced.stdout
    assert read_in(target_url, restored_media) == before


@pytest.mark.django_db(transaction=True)
def test_a_sqlite_backup_restores_into_a_new_file_with_the_same_findings_and_history(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite round trip: DATABASE_URL points at another database (the PostgreSQL test covers it)")
    round_trip(tmp_path, f"sqlite:///{tmp_path / 'restored.sqlite3'}")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_postgresql_backup_restores_into_a_new_database_with_the_same_findings_and_history(tmp_path):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL round trip needs DATABASE_URL=postgres://… (the tests run on SQLite)")
    if shutil.which("pg_dump") is None:
        pytest.skip("pg_dump is not installed")
    name = f"test_restore_{uuid.uuid4().hex[:12]}"
    with connection.cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{name}"')
    url = urlsplit(os.environ["DATABASE_URL"])
    target = urlunsplit(url._replace(path=f"/{name}"))
    try:
        round_trip(tmp_path, target)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.django_db(transaction=True)
def test_a_tampered_backup_is_refused_and_restores_nothing(tmp_path):
    make_records()
    folder = back_up(tmp_path)
    media_file = folder / "media" / "leave_certificates" / "2024" / "证明.pdf"
    media_file.write_bytes(b"changed")
    restored_media = tmp_path / "restored-media"
    target = this_database_url(tmp_path)
    done = manage("manage.py", "restore", str(folder), database_url=target, media_root=restored_media, check=False)
    assert done.returncode != 0
    assert "备份校验失败" in done.stderr and "media/leave_certificates/2024/证明.pdf" in done.stderr
    assert not restored_media.exists()
    media_file.write_bytes(CERTIFICATE)
    (folder / "extra.txt").write_text("?")
    done = manage("manage.py", "restore", str(folder), database_url=target, media_root=restored_media, check=False)
    assert done.returncode != 0 and "清单未列出的文件：extra.txt" in done.stderr


@pytest.mark.django_db(transaction=True)
def test_a_backup_of_another_vendor_or_into_a_full_database_is_refused_in_chinese(tmp_path):
    make_records()
    folder = back_up(tmp_path)
    manifest_path = folder / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    with pytest.raises(CommandError, match="目标数据库不是空的"):
        call_command("restore", str(folder), stdout=io.StringIO())
    manifest["database"]["vendor"] = "oracle" if connection.vendor == "sqlite" else "sqlite"
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(CommandError, match="不能恢复（请恢复到同类数据库）"):
        call_command("restore", str(folder), "--force", stdout=io.StringIO())
    with pytest.raises(CommandError, match="不是本系统的备份"):
        call_command("restore", str(tmp_path), stdout=io.StringIO())


@pytest.mark.django_db(transaction=True)
def test_an_archive_restores_like_a_folder(tmp_path):
    if connection.vendor != "sqlite":
        pytest.skip("the archive is checked on SQLite")
    make_records()
    before = reading()
    out = io.StringIO()
    call_command("backup", "--output", str(tmp_path / "backups"), "--archive", stdout=out)
    [archive] = (tmp_path / "backups").iterdir()
    assert archive.name.endswith(".tar.gz")
    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    manage("manage.py", "restore", str(archive), database_url=target, media_root=tmp_path / "m")
    assert read_in(target, tmp_path / "m") == before
