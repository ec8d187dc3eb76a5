"""Backups that restore (备份与恢复): the database, the media files and a manifest, checked before anything is restored.

A backup is a folder (or its .tar.gz): `database.dump` (PostgreSQL: pg_dump's custom format, by the pg_dump of the
server's major version) or `database.sqlite3` (SQLite: Python's sqlite3 backup API, a consistent copy of a live
database), `media/` (a copy of MEDIA_ROOT), and `manifest.json`: when, which database vendor, the migrations
applied per app, the sha256 of every file, the program's version (git commit) when known.

`backup_restore` refuses a backup whose files do not match their checksums (or that holds files the manifest does not
list), one from another database vendor, one from a newer program (migrations this code does not have), and a
target database that already has tables, unless forced; it says in Chinese what it did.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import django
from django.conf import settings
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder

MANIFEST = "manifest.json"
FORMAT = 1
MEDIA_DIR = "media"
DATABASE_FILES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
CHUNK = 1 << 20


class BackupError(Exception):
    """A backup that cannot be made or restored; the message says why, in Chinese."""


def _vendor_name(vendor: str) -> str:
    return VENDOR_NAMES.get(vendor, vendor)


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _files_under(root: Path) -> Iterator[Path]:
    """Regular files under root (symbolic links are not followed: a backup never leaves its folders)."""
    for dirpath, dirnames, filenames in os.walk(root, followlinks=False):
        dirnames.sort()
        for name in sorted(filenames):
            path = Path(dirpath) / name
            if path.is_file() and not path.is_symlink():
                yield path


def app_version() -> str | None:
    """DUTYADMIN_VERSION, else the git commit of the checkout, else None."""
    if os.environ.get("DUTYADMIN_VERSION"):
        return os.environ["DUTYADMIN_VERSION"]
    git = shutil.which("git")
    if git is None:
        return None
    try:
        done = subprocess.run([git, "rev-parse", "HEAD"], cwd=settings.BASE_DIR, capture_output=True, text=True,
                              timeout=10, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    commit = done.stdout.strip()
    return commit if done.returncode == 0 and re.fullmatch(r"[0-9a-f]{40}", commit) else None


def migrations_applied(alias: str = "default") -> dict[str, list[str]]:
    """{app label: [migration names applied]} of the database."""
    applied: dict[str, list[str]] = {}
    for app, name in MigrationRecorder(connections[alias]).applied_migrations():
        applied.setdefault(app, []).append(name)
    return {app: sorted(names) for app, names in sorted(applied.items())}


def migrations_on_disk() -> set[tuple[str, str]]:
    return set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)


# --- PostgreSQL's tools -----------------------------------------------------------------------------------


def _major(version_text: str) -> int | None:
    match = re.search(r"\(PostgreSQL\)\s+(\d+)", version_text) or re.search(r"(\d+)\.\d+", version_text)
    return int(match.group(1)) if match else None


def server_major(alias: str = "default") -> int:
    connection = connections[alias]
    connection.ensure_connection()
    return connection.pg_version // 10000


def pg_tool(name: str, major: int) -> str:
    """The pg_dump / pg_restore of the server's major version: DUTYADMIN_PG_BIN, Debian's versioned folder, PATH."""
    candidates = []
    if os.environ.get("DUTYADMIN_PG_BIN"):
        candidates.append(Path(os.environ["DUTYADMIN_PG_BIN"]) / name)
    candidates.append(Path(f"/usr/lib/postgresql/{major}/bin/{name}"))
    found = shutil.which(name)
    if found:
        candidates.append(Path(found))
    seen = []
    for candidate in candidates:
        if not candidate.is_file():
            continue
        try:
            text = subprocess.run([str(candidate), "--version"], capture_output=True, text=True, timeout=30,
                                  check=False).stdout
        except (OSError, subprocess.SubprocessError):
            continue
        tool_major = _major(text)
        if tool_major == major:
            return str(candidate)
        seen.append(f"{candidate}（{tool_major}）")
    tried = "；找到的版本：" + "、".join(seen) if seen else ""
    raise BackupError(f"找不到与数据库服务器同一主版本（PostgreSQL {major}）的 {name}{tried}。"
                      f"请安装 postgresql-client-{major}，或用环境变量 DUTYADMIN_PG_BIN 指定其所在目录。")


def _pg_env(settings_dict: dict) -> dict[str, str]:
    """libpq's environment for the database (the password never appears on a command line)."""
    env = {**os.environ}
    for key, name in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("PASSWORD", "PGPASSWORD")):
        value = settings_dict.get(key)
        if value:
            env[name] = str(value)
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = str(sslmode)
    return env


def _run(command: list[str], *, env: dict[str, str], what: str) -> None:
    try:
        done = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    except OSError as exc:
        raise BackupError(f"{what}失败：无法运行 {command[0]}（{exc}）。") from exc
    if done.returncode != 0:
        detail = (done.stderr or done.stdout).strip().splitlines()[-5:]
        raise BackupError(f"{what}失败（{Path(command[0]).name} 退出码 {done.returncode}）：" + " / ".join(detail))


# --- backup -----------------------------------------------------------------------------------------------


def _dump_database(target: Path, alias: str) -> None:
    connection = connections[alias]
    if connection.vendor == "postgresql":
        tool = pg_tool("pg_dump", server_major(alias))
        _run([tool, "--format=custom", "--no-owner", "--no-privileges", "--file", str(target),
              connection.settings_dict["NAME"]], env=_pg_env(connection.settings_dict), what="导出数据库")
    elif connection.vendor == "sqlite":
        connection.ensure_connection()
        destination = sqlite3.connect(target)
        try:
            connection.connection.backup(destination)  # a consistent copy, even while others write
        finally:
            destination.close()
    else:
        raise BackupError(f"不支持备份 {connection.vendor} 数据库（只支持 PostgreSQL 和 SQLite）。")


def backup_create(*, output: Path, archive: bool = False, alias: str = "default",
                  now: dt.datetime | None = None) -> Path:
    """Make a backup folder (or .tar.gz) under output; returns its path."""
    connection = connections[alias]
    vendor = connection.vendor
    if vendor not in DATABASE_FILES:
        raise BackupError(f"不支持备份 {vendor} 数据库（只支持 PostgreSQL 和 SQLite）。")
    now = now or dt.datetime.now(dt.timezone.utc)
    output.mkdir(parents=True, exist_ok=True)
    folder = output / f"dutyadmin-backup-{now:%Y%m%d-%H%M%S}"
    if folder.exists() or folder.with_suffix(".tar.gz").exists():
        raise BackupError(f"备份目录已存在：{folder}。请稍后再试或换一个输出目录。")
    folder.mkdir()
    try:
        database_file = folder / DATABASE_FILES[vendor]
        _dump_database(database_file, alias)
        media_root = Path(settings.MEDIA_ROOT)
        if media_root.is_dir():
            for path in _files_under(media_root):
                copy = folder / MEDIA_DIR / path.relative_to(media_root)
                copy.parent.mkdir(parents=True, exist_ok=True)
                shutil.copy2(path, copy)
        files = {path.relative_to(folder).as_posix(): sha256_of(path) for path in _files_under(folder)}
        manifest = {
            "format": FORMAT,
            "created_at": now.isoformat(),
            "database": {"vendor": vendor, "file": database_file.name,
                         **({"server_major": server_major(alias)} if vendor == "postgresql" else {})},
            "migrations": migrations_applied(alias),
            "files": files,
            "app_version": app_version(),
            "django": django.get_version(),
        }
        (folder / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=2), encoding="utf-8")
    except BaseException:
        shutil.rmtree(folder, ignore_errors=True)  # never leave half a backup that looks like one
        raise
    if not archive:
        return folder
    tarball = folder.with_suffix(".tar.gz")
    with tarfile.open(tarball, "w:gz") as tar:
        tar.add(folder, arcname=folder.name)
    shutil.rmtree(folder)
    return tarball


# --- restore ----------------------------------------------------------------------------------------------


@contextmanager
def _opened(source: Path) -> Iterator[Path]:
    """The backup folder of source: the folder itself, or an archive unpacked (safely) into a temporary one."""
    if source.is_dir():
        yield source
        return
    if not source.is_file() or not tarfile.is_tarfile(source):
        raise BackupError(f"找不到备份：{source} 不是备份目录，也不是 .tar.gz 备份文件。")
    with tempfile.TemporaryDirectory(prefix="dutyadmin-restore-") as tmp:
        with tarfile.open(source) as tar:
            for member in tar.getmembers():
                name = Path(member.name)
                if name.is_absolute() or ".." in name.parts or not (member.isfile() or member.isdir()):
                    raise BackupError(f"备份文件中有不安全的条目（{member.name}），已拒绝。")
            tar.extractall(tmp, filter="data")  # every member checked above too: relative, no '..', no links
        manifests = list(Path(tmp).glob(f"*/{MANIFEST}")) + list(Path(tmp).glob(MANIFEST))
        if len(manifests) != 1:
            raise BackupError("备份文件中没有（或有多个）manifest.json，不是本系统的备份。")
        yield manifests[0].parent


def _read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise BackupError(f"{folder} 中没有 manifest.json，不是本系统的备份。") from exc
    except (ValueError, UnicodeDecodeError) as exc:
        raise BackupError("manifest.json 已损坏，无法读取。") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT or not isinstance(manifest.get("files"), dict):
        raise BackupError("manifest.json 的格式无法识别，不是本系统（此版本）的备份。")
    return manifest


def verify(folder: Path, manifest: dict) -> None:
    """Every file listed is there with its sha256, and nothing else is."""
    listed = manifest["files"]
    present = {path.relative_to(folder).as_posix() for path in _files_under(folder)} - {MANIFEST}
    bad = [name for name, digest in sorted(listed.items())
           if name not in present or sha256_of(folder / name) != digest]
    extra = sorted(present - set(listed))
    if bad or extra:
        parts = []
        if bad:
            parts.append("缺失或内容已改变：" + "、".join(bad[:10]) + ("等" if len(bad) > 10 else ""))
        if extra:
            parts.append("清单未列出的文件：" + "、".join(extra[:10]) + ("等" if len(extra) > 10 else ""))
        raise BackupError("备份校验失败（" + "；".join(parts) + "），未恢复任何内容。")
    database = (manifest.get("database") or {}).get("file")
    if database not in listed:
        raise BackupError("manifest.json 没有列出数据库文件，未恢复任何内容。")


def _restore_database(path: Path, *, alias: str, force: bool) -> None:
    connection = connections[alias]
    if connection.vendor == "postgresql":
        tool = pg_tool("pg_restore", server_major(alias))
        connection.close()  # pg_restore works in its own session
        command = [tool, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
        if force:
            command += ["--clean", "--if-exists"]
        _run([*command, "--dbname", connection.settings_dict["NAME"], str(path)],
             env=_pg_env(connection.settings_dict), what="恢复数据库")
    else:
        source = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            connection.ensure_connection()
            source.backup(connection.connection)  # replaces every page of the target database
        finally:
            source.close()
        connection.close()


def backup_restore(*, source: Path, force: bool = False, alias: str = "default") -> list[str]:
    """Restore a backup (folder or .tar.gz) into the database and MEDIA_ROOT; the Chinese lines saying what it did."""
    connection = connections[alias]
    with _opened(source) as folder:
        manifest = _read_manifest(folder)
        vendor = (manifest.get("database") or {}).get("vendor")
        if vendor != connection.vendor:
            raise BackupError(f"这是 {_vendor_name(str(vendor))} 数据库的备份，当前数据库是 "
                              f"{_vendor_name(connection.vendor)}，不能恢复（请恢复到同类数据库）。")
        verify(folder, manifest)
        made_by = (manifest.get("database") or {}).get("server_major")
        if connection.vendor == "postgresql" and isinstance(made_by, int) and made_by > server_major(alias):
            raise BackupError(f"备份来自 PostgreSQL {made_by}，当前数据库服务器是 PostgreSQL {server_major(alias)}，"
                              "不能恢复到更低的主版本。")
        tables = connection.introspection.table_names()
        if tables and not force:
            raise BackupError(f"目标数据库不是空的（已有 {len(tables)} 张表），未恢复任何内容。"
                              "请恢复到新建的空数据库；确要覆盖现有数据，请加 --force。")
        unknown = sorted({(app, name) for app, names in (manifest.get("migrations") or {}).items() for name in names}
                         - migrations_on_disk())
        if unknown and not force:
            raise BackupError(f"备份来自更新的程序版本（含本程序没有的 {len(unknown)} 个迁移，如 "
                              f"{unknown[0][0]}.{unknown[0][1]}），未恢复任何内容。请先升级程序，或加 --force。")
        _restore_database(folder / manifest["database"]["file"], alias=alias, force=force)
        media_root = Path(settings.MEDIA_ROOT)
        media = [name for name in manifest["files"] if name.startswith(f"{MEDIA_DIR}/")]
        for name in media:
            target = media_root / Path(name).relative_to(MEDIA_DIR)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(folder / name, target)
    created = manifest.get("created_at", "?")
    version = manifest.get("app_version") or "未知"
    lines = [
        f"已校验备份 {source}（{len(manifest['files'])} 个文件的 SHA-256 全部一致）。",
        f"已恢复 {_vendor_name(connection.vendor)} 数据库（备份时间 {created}，程序版本 {version}）"
        + ("，并覆盖了原有数据。" if tables else "。"),
        f"已恢复 {len(media)} 个媒体文件到 {media_root}。",
    ]
    applied = {(app, name) for app, names in (manifest.get("migrations") or {}).items() for name in names}
    pending = migrations_on_disk() - applied
    if pending:
        lines.append(f"本程序比备份多 {len(pending)} 个数据库迁移，请运行 python manage.py migrate。")
    return lines
