"""Benchmark of the year summary export: 5,000 deputies in under 5 s and under 200 MB.

Builds a term with bench/rules.py's builder (N deputies, about R records each) in a throwaway database,
then renders the year summary spreadsheet (every rule's count, required and status per deputy) for a
district user exactly as the export task does, each measurement in a fresh process: the time of a plain
run, the growth of resident memory (getrusage), and the peak of Python memory (tracemalloc, a second run).

    createdb -h 127.0.0.1 -U postgres bench_export
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_export .venv/bin/python bench/export.py
    .venv/bin/python bench/export.py --reuse               # throwaway SQLite under /tmp

The limits are for production's PostgreSQL (about 4.2 s on this project's 2-core machine, most of it the
rules engine's load and evaluation). The embedded SQLite is slower. `queries` counts the
main thread's queries only: the deputies' facts are loaded by a second thread, chunk by chunk.
Exits non-zero when the limits (--max-seconds, --max-mb) are exceeded.
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import resource
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


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--deputies", type=int, default=5000)
    parser.add_argument("--records", type=int, default=200, help="records per deputy (default 200)")
    parser.add_argument("--year", type=int, default=2025, help="the summary's year (default 2025)")
    parser.add_argument("--today", type=dt.date.fromisoformat, default=dt.date(2026, 3, 1))
    parser.add_argument("--seed", type=int, default=20220101)
    parser.add_argument("--reuse", action="store_true", help="keep the data of the last run if it has the same size")
    parser.add_argument("--max-seconds", type=float, default=5.0)
    parser.add_argument("--max-mb", type=float, default=200.0)
    parser.add_argument("--child", choices=("time", "memory", "scan"), help=argparse.SUPPRESS)
    return parser.parse_args()


def rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def scan(args: argparse.Namespace) -> dict:
    """The baseline, in its own process: the SQL of the facts the export reads (every deputy of the term, counted
    participations, dated by the year's as-of day) run on a plain cursor, every row fetched, no fact built."""
    from deputies.models import Term
    from oversight.handbook.build import year_as_of

    term = Term.objects.get()
    seconds, rows = rules.raw_scan(term, counted_only=True, until=year_as_of(args.year, args.today))
    return {"seconds": seconds, "rows": rows}


def measure(args: argparse.Namespace, mode: str) -> dict:
    """One export in this process: `time` runs it plain, `memory` under tracemalloc (which slows it down)."""
    import json  # noqa: F401

    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from deputies.models import Term
    from dutyadmin.exporters import render_xlsx
    from oversight.exports.year_summary import YearSummaryExporter

    admin = get_user_model().objects.get(username="bench-admin")
    term = Term.objects.get()
    out = Path(tempfile.gettempdir()) / "dutyadmin-bench-year-summary.xlsx"
    rss_before = rss_mb()
    if mode == "memory":
        tracemalloc.start()
    with CaptureQueriesContext(connection) as queries, out.open("wb") as handle:
        started = time.perf_counter()
        exporter = YearSummaryExporter(user=admin, params={"term": term.pk, "year": args.year}, today=args.today)
        if not exporter.is_valid():
            sys.exit(f"invalid parameters: {exporter.errors()}")
        rows = render_xlsx(exporter, handle)
        seconds = time.perf_counter() - started
    result = {"rows": rows, "queries": len(queries), "seconds": seconds, "file": str(out),
              "rss_growth_mb": rss_mb() - rss_before, "peak_rss_mb": rss_mb()}
    if mode == "memory":
        result["python_peak_mb"] = tracemalloc.get_traced_memory()[1] / 2**20
        tracemalloc.stop()
    return result


def main() -> None:
    args = parse_args()
    rules.setup_django()
    if args.child:
        import json

        print(json.dumps(scan(args) if args.child == "scan" else measure(args, args.child)))
        return
    import json
    import subprocess

    from django.contrib.auth import get_user_model
    from django.db import connection
    from openpyxl import load_workbook

    rules.build_or_reuse(args)
    get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    print(f"database   {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"deputies   {args.deputies}  (about {args.records} records each)")
    connection.close()

    # Each measurement in a fresh process, as a worker would run it: resident memory starts from Django's.
    child = [sys.executable, __file__, "--year", str(args.year), "--today", args.today.isoformat()]
    timed = json.loads(subprocess.run([*child, "--child", "time"], check=True, capture_output=True, text=True,
                                      env=os.environ).stdout.strip().splitlines()[-1])
    memory = json.loads(subprocess.run([*child, "--child", "memory"], check=True, capture_output=True, text=True,
                                       env=os.environ).stdout.strip().splitlines()[-1])
    scanned = json.loads(subprocess.run([*child, "--child", "scan"], check=True, capture_output=True, text=True,
                                        env=os.environ).stdout.strip().splitlines()[-1])
    print(f"rows       {timed['rows']}")
    print(f"queries    {timed['queries']}")
    print(f"raw scan   {scanned['seconds']:.2f} s  ({scanned['rows']} rows: the facts' SQL on a plain cursor, no fact built)")
    print(f"seconds    {timed['seconds']:.2f}  (limit {args.max_seconds}; export / raw scan = "
          f"{timed['seconds'] / scanned['seconds'] if scanned['seconds'] else 0:.1f})")
    print(f"per 1,000  {timed['seconds'] * 1000 / args.deputies:.2f} s  (seconds per 1,000 deputies)")
    print(f"rss growth {timed['rss_growth_mb']:.0f} MB (getrusage: peak resident memory added by the export)")
    print(f"python mem {memory['python_peak_mb']:.0f} MB peak (tracemalloc, a second run; limit {args.max_mb})")
    print(f"peak_rss_mb={timed['peak_rss_mb']:.0f}")
    out = Path(timed["file"])
    print(f"file       {out} ({out.stat().st_size / 2**20:.1f} MB)")
    sheet = load_workbook(out, read_only=True).worksheets[0]
    header = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert header[1] == "代表", header
    print(f"check      header {header[:5]} … {len(header)} columns")
    used_mb = max(memory["python_peak_mb"], timed["rss_growth_mb"])
    slow, big = timed["seconds"] > args.max_seconds, used_mb > args.max_mb
    if slow or big:
        sys.exit("over the limit: " + ", ".join(x for x, bad in (("time", slow), ("memory", big)) if bad))


if __name__ == "__main__":
    main()
