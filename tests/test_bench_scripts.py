"""The benchmark scripts run as a user runs them (a script in bench/, its own throwaway SQLite) and print their
baselines: the raw scan of the rows loaded, the ratio against it and the peak resident memory. A script that no
longer runs (a shadowed import, a column the builder does not fill) fails here, not on the day it is needed."""
from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(script: str, tmp_path: Path, *args: str) -> str:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{tmp_path / 'bench.sqlite3'}", "DJANGO_ENV": "dev"}
    env.pop("REDIS_URL", None)
    done = subprocess.run([sys.executable, str(ROOT / "bench" / script), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


def test_bench_rules_prints_the_raw_scan_its_ratio_and_the_peak_memory(tmp_path):
    out = run("rules.py", tmp_path, "--deputies", "20", "--records", "60")
    assert re.search(r"raw scan\s+\d+\.\d+ s\s+\(\d+ rows", out), out
    ratio = float(re.search(r"load / raw scan = (\d+\.\d+)", out)[1])
    assert ratio > 0
    assert int(re.search(r"peak_rss_mb=(\d+)", out)[1]) > 0
    assert re.search(r"queries\s+11\b", out), out  # the loader's fixed number


def test_bench_export_prints_the_raw_scan_time_per_thousand_and_the_peak_memory(tmp_path):
    out = run("export.py", tmp_path, "--deputies", "20", "--records", "60")
    assert re.search(r"raw scan\s+\d+\.\d+ s", out) and "export / raw scan = " in out, out
    assert re.search(r"per 1,000\s+\d+\.\d+ s", out) and re.search(r"peak_rss_mb=\d+", out), out


def test_bench_street_pages_times_the_three_pages_in_each_state_and_evaluates_no_more_than_they_show(tmp_path):
    out = run("street_pages.py", tmp_path, "--deputies", "20", "--records", "60", "--repeat", "2", "--max-ms", "5000")
    for page in ("street findings", "deputy why", "handbook"):
        for state in ("off", "cold", "kept", "warm", "past"):
            assert re.search(rf"{page}\s+{state}\s+\d+\.\d+\s+\d+\.\d+\s+\d+", out), (page, state, out)
    assert "whole term" not in out.split("evaluated (deputies)")[1], out


def test_bench_export_at_several_sizes_prints_one_table_and_keeps_a_database_per_size(tmp_path):
    out = run("export.py", tmp_path, "--deputies", "12,6", "--records", "40", "--runs", "2")
    table = [line for line in out.splitlines() if re.match(r"\| \d", line)]
    assert [line.split("|")[1].strip() for line in table] == ["6", "12"], out  # smallest first
    for line in table:
        cells = [cell.strip() for cell in line.strip("|").split("|")]
        assert len(cells) == 8 and all(re.fullmatch(r"[\d,]+(\.\d+)?", cell) for cell in cells), line
    assert "| deputies | records | seconds | s / 1,000 deputies |" in out
    assert (tmp_path / "bench-6.sqlite3").exists() and (tmp_path / "bench-12.sqlite3").exists()
    assert out.count("median of 2") == 2


# The load test runs its four kinds of users against a real gunicorn, briefly.
def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_bench_load_drives_each_kind_of_user_through_gunicorn_and_prints_the_table(tmp_path):
    if not (Path(sys.executable).parent / "gunicorn").exists() and not shutil.which("gunicorn"):
        pytest.skip("gunicorn is not installed next to this Python: bench/load.py serves the app with it")
    out = run("load.py", tmp_path, "--deputies", "20", "--records", "60", "--users", "5", "--seconds", "6",
              "--think", "0.2", "0.5", "--redis-url", "", "--port", str(free_port()))
    assert re.search(r"^request\s+count\s+errors\s+median ms\s+p95 ms\s+max ms$", out, re.M), out
    for kind in ("staff", "deputy", "office", "admin"):
        assert re.search(rf"^{kind} (GET|POST|PATCH) \S+.*\s\d+\s+0\s+\d+\s+\d+\s+\d+$", out, re.M), out
    assert re.search(r"^all\s+\d+\s+0\s", out, re.M), out
    assert re.search(r"overall p95 \d+\.\d+ s \(goal < 1\.0 s\), \d+\.\d+ requests per second .* errors 0", out), out
    assert "tasks in-process (eager), no Redis" in out
