"""Benchmark of the year summary export at several sizes: 20,000 deputies under 20 s and 300 MB, linear in the term.

For each size (--deputies 500,5000,20000) it builds a term with bench/rules.py's builder (N deputies, about R
records each) in that size's own database, or reuses it (--reuse), then renders the year summary spreadsheet (every
rule's count, required and status per deputy) for a district user exactly as the export task does. Each measurement
runs in a fresh process, as a worker would run it: the time (the median of --runs runs), the process's CPU time, its
peak resident memory (getrusage, Django included), and the raw scan of the same rows (bench/rules.py's: the SQL of a
whole-term read, rows fetched as tuples, no fact built). A table ends the run: deputies, records, seconds, seconds per 1,000 deputies, CPU seconds,
peak RSS, raw scan and export / raw scan.

    createdb -h 127.0.0.1 -U postgres bench_export_500      # one database per size: the URL's name + _<size>
    createdb -h 127.0.0.1 -U postgres bench_export_5000
    createdb -h 127.0.0.1 -U postgres bench_export_20000
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_export .venv/bin/python bench/export.py \
        --deputies 500,5000,20000 --reuse --runs 3
    .venv/bin/python bench/export.py --reuse               # 5,000 deputies, throwaway SQLite under /tmp

With one size the database is DATABASE_URL itself; with several, each size's name is DATABASE_URL's with
_<size> added (SQLite: -<size> before the suffix), or DATABASE_URL's `{n}` replaced by the size. On PostgreSQL the
tables are vacuumed and analysed after they are built (autovacuum does it after a bulk load in production; the
participations are then read from their index alone). `queries` counts the main thread's queries only: the
deputies' facts are loaded by a second thread, chunk by chunk. The limits (--max-seconds, --max-mb) are those of
the largest size: exits non-zero when its time or any size's peak resident memory exceeds them.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path, and bench/rules.py would shadow the `rules` package
# (django-rules) the permissions import: the project root takes its place.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'dutyadmin-bench-export.sqlite3'}")

from bench import rules  # noqa: E402  (after the database is chosen)


def sizes(text: str) -> list[int]:
    try:
        values = [int(part) for part in text.split(",") if part.strip()]
    except ValueError:
        raise argparse.ArgumentTypeError("sizes as 500,5000,20000") from None
    if not values or min(values) < 1:
        raise argparse.ArgumentTypeError("sizes as 500,5000,20000")
    return sorted(set(values))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deputies", type=sizes, default=[5000], help="sizes, comma-separated (default 5000)")
    parser.add_argument("--records", type=int, default=200, help="records per deputy (default 200)")
    parser.add_argument("--year", type=int, default=2025, help="the summary's year (default 2025)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 3, 1))
    parser.add_argument("--seed", type=int, default=20220101)
    parser.add_argument("--reuse", action="store_true", help="keep the data of the last run if it has the same size")
    parser.add_argument("--runs", type=int, default=1, help="timed runs per size, each in a fresh process (median)")
    parser.add_argument("--tracemalloc", action="store_true", help="also the peak of Python memory (a slower run)")
    parser.add_argument("--max-seconds", type=float, default=20.0, help="limit of the largest size (default 20)")
    parser.add_argument("--max-mb", type=float, default=300.0, help="limit of peak resident memory (default 300)")
    parser.add_argument("--child", choices=("prepare", "time", "memory", "scan"), help=argparse.SUPPRESS)
    return parser.parse_args()


def database_url(base: str, size: int, several: bool) -> str:
    """The database of one size: DATABASE_URL with `{n}` replaced, or with the size added when several are run."""
    if "{n}" in base:
        return base.replace("{n}", str(size))
    if not several:
        return base
    if base.startswith("sqlite:"):
        path = Path(base.removeprefix("sqlite:///"))
        return f"sqlite:///{path.with_name(f'{path.stem}-{size}{path.suffix}')}"
    head, _, query = base.partition("?")
    return f"{head}_{size}" + (f"?{query}" if query else "")


def rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def prepare(args: argparse.Namespace) -> dict:
    """Build the size's term (or reuse it), its admin user, fresh planner statistics; what it holds."""
    from django.contrib.auth import get_user_model
    from django.db import connection

    args.deputies = args.size
    rules.build_or_reuse(args)
    get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return {"vendor": connection.vendor, "name": str(connection.settings_dict["NAME"]), "records": rules.record_total()}


def scan(args: argparse.Namespace) -> dict:
    """The baseline, in its own process: the SQL of the facts the export reads (every deputy of the term, counted
    participations, dated by the year's as-of day) as a whole-term read runs it (bench/rules.py raw_scan), every row
    fetched, no fact built."""
    from deputies.models import Term
    from oversight.handbook.build import year_as_of

    term = Term.objects.get()
    seconds, rows = rules.raw_scan(term, counted_only=True, until=year_as_of(args.year, args.today))
    return {"seconds": seconds, "rows": rows}


def measure(args: argparse.Namespace, mode: str) -> dict:
    """One export in this process: `time` runs it plain, `memory` under tracemalloc (which slows it down)."""
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from deputies.models import Term
    from dutyadmin.exporters import render_xlsx
    from oversight.exports.year_summary import YearSummaryExporter

    admin = get_user_model().objects.get(username="bench-admin")
    term = Term.objects.get()
    out = Path(tempfile.gettempdir()) / f"dutyadmin-bench-year-summary-{os.getpid()}.xlsx"
    rss_before = rss_mb()
    if mode == "memory":
        tracemalloc.start()
    with CaptureQueriesContext(connection) as queries, out.open("wb") as handle:
        started, cpu = time.perf_counter(), time.process_time()
        exporter = YearSummaryExporter(user=admin, params={"term": term.pk, "year": args.year}, today=args.today)
        if not exporter.is_valid():
            sys.exit(f"invalid parameters: {exporter.errors()}")
        rows = render_xlsx(exporter, handle)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu
    result = {"rows": rows, "queries": len(queries), "seconds": seconds, "cpu": cpu, "file": str(out),
              "rss_growth_mb": rss_mb() - rss_before, "peak_rss_mb": rss_mb()}
    if mode == "memory":
        result["python_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return result


def child(args: argparse.Namespace, url: str, mode: str, size: int) -> dict:
    """One measurement in a fresh process on the size's database; its last line of output, as JSON."""
    command = [sys.executable, __file__, "--child", mode, "--deputies", str(size), "--records", str(args.records),
               "--year", str(args.year), "--today", args.today.isoformat(), "--seed", str(args.seed)]
    if args.reuse:
        command.append("--reuse")
    done = subprocess.run(command, capture_output=True, text=True, env={**os.environ, "DATABASE_URL": url})
    if done.returncode:
        sys.exit(f"{mode} at {size} deputies failed:\n{done.stdout[-2000:]}{done.stderr[-3000:]}")
    lines = done.stdout.strip().splitlines()
    for line in lines[:-1]:
        print(f"           {line}")  # what the builder said
    return json.loads(lines[-1])


def one_size(args: argparse.Namespace, size: int, several: bool) -> dict:
    from openpyxl import load_workbook

    url = database_url(os.environ["DATABASE_URL"], size, several)
    held = child(args, url, "prepare", size)
    print(f"database   {held['vendor']} {held['name']}")
    print(f"deputies   {size}  ({held['records']} records, about {args.records} per deputy)")
    runs = [child(args, url, "time", size) for _ in range(max(1, args.runs))]
    scanned = child(args, url, "scan", size)
    seconds = statistics.median(run["seconds"] for run in runs)
    timed = min(runs, key=lambda run: abs(run["seconds"] - seconds))
    ratio = seconds / scanned["seconds"] if scanned["seconds"] else 0.0
    print(f"rows       {timed['rows']}")
    print(f"queries    {timed['queries']}")
    print(f"raw scan   {scanned['seconds']:.2f} s  ({scanned['rows']} rows: the facts' SQL, rows as tuples, no fact built)")
    listed = ", ".join(f"{run['seconds']:.2f}" for run in runs)
    print(f"seconds    {seconds:.2f}  (median of {len(runs)}: {listed}; "
          f"export / raw scan = {ratio:.1f})")
    print(f"cpu        {statistics.median(run['cpu'] for run in runs):.2f} s  (the process's CPU time, every thread)")
    print(f"per 1,000  {seconds * 1000 / size:.2f} s  (seconds per 1,000 deputies)")
    print(f"rss growth {timed['rss_growth_mb']:.0f} MB (getrusage: peak resident memory added by the export)")
    peak = max(run["peak_rss_mb"] for run in runs)
    result = {"deputies": size, "records": held["records"], "seconds": seconds, "runs": [r["seconds"] for r in runs],
              "cpu": statistics.median(run["cpu"] for run in runs), "peak_rss_mb": peak,
              "scan": scanned["seconds"], "ratio": ratio}
    if args.tracemalloc:
        memory = child(args, url, "memory", size)
        print(f"python mem {memory['python_peak_mb']:.0f} MB peak (tracemalloc, a second run)")
        Path(memory["file"]).unlink(missing_ok=True)
    print(f"peak_rss_mb={peak:.0f}")
    out = Path(timed["file"])
    print(f"file       {out} ({out.stat().st_size / 2**20:.1f} MB)")
    sheet = load_workbook(out, read_only=True).worksheets[0]
    header = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert header[1] == "代表", header
    print(f"check      header {header[:5]} … {len(header)} columns")
    for run in runs:
        if run["file"] != timed["file"]:
            Path(run["file"]).unlink(missing_ok=True)
    return result


def main() -> None:
    args = parse_args()
    if args.child:
        args.size = args.deputies[0]
        rules.setup_django()
        if args.child == "prepare":
            print(json.dumps(prepare(args)))
        else:
            print(json.dumps(scan(args) if args.child == "scan" else measure(args, args.child)))
        return
    several = len(args.deputies) > 1
    results = []
    for size in args.deputies:
        if results:
            print()
        results.append(one_size(args, size, several))

    print()
    print(f"year summary of {args.year} (as of {args.today}), {dt.date.today()}, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.1f}")
    print("| deputies | records | seconds | s / 1,000 deputies | CPU s | peak RSS MB | raw scan s | export / raw scan |")
    print("|---:|---:|---:|---:|---:|---:|---:|---:|")
    for r in results:
        print(f"| {r['deputies']:,} | {r['records']:,} | {r['seconds']:.2f} | {r['seconds'] * 1000 / r['deputies']:.2f} "
              f"| {r['cpu']:.2f} | {r['peak_rss_mb']:.0f} | {r['scan']:.2f} | {r['ratio']:.1f} |")
    largest = results[-1]
    slow = largest["seconds"] > args.max_seconds
    big = [r["deputies"] for r in results if r["peak_rss_mb"] > args.max_mb]
    print(f"limits     {args.max_seconds:g} s at {largest['deputies']:,} deputies, {args.max_mb:g} MB peak RSS at every size")
    if slow or big:
        problems = ([f"time {largest['seconds']:.2f} s at {largest['deputies']:,}"] if slow else []) + \
                   [f"memory at {size:,}" for size in big]
        sys.exit("over the limit: " + ", ".join(problems))


if __name__ == "__main__":
    main()
