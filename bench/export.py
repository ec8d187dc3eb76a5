"""Benchmark of the year summary export: 5,000 deputies in under 5 s and under 200 MB.

Builds a term with bench/rules.py's builder (N deputies, about R records each) in a throwaway database,
then renders the year summary spreadsheet (every rule's count, required and status per deputy) for a
district user exactly as the export task does, and prints rows, seconds, the peak of Python memory
(tracemalloc) and the growth of the process's resident memory (getrusage).

    .venv/bin/python bench/export.py                       # 5000 deputies, throwaway SQLite under /tmp
    .venv/bin/python bench/export.py --deputies 500 --reuse
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_export .venv/bin/python bench/export.py

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
sys.path.insert(0, str(ROOT))
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
    return parser.parse_args()


def _contributions_confirmed() -> None:
    """bench/rules.py writes contributions without the confirmation columns (added later, NOT NULL):
    give every bench contribution confirmed = true and no return reason, as staff-entered ones have."""
    from meetings.models import Contribution

    class Inserter(rules.Inserter):
        def __call__(self, model, fields, rows):
            if model is Contribution and "confirmed" not in fields:
                fields, rows = [*fields, "confirmed", "return_reason"], [(*row, True, "") for row in rows]
            return super().__call__(model, fields, rows)

    rules.Inserter = Inserter


def rss_mb() -> float:
    """The process's peak resident memory so far (Linux reports kilobytes)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    args = parse_args()
    rules.setup_django()
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from openpyxl import load_workbook

    from deputies.models import Term
    from dutyadmin.exporters import render_xlsx
    from oversight.exporters import YearSummaryExporter

    _contributions_confirmed()
    started = time.perf_counter()
    reuse = False
    if args.reuse:
        call_command("migrate", verbosity=0, interactive=False)
        found = rules.existing_counts()
        reuse = bool(found and found["deputies"] == args.deputies)
    if not reuse:
        rules.empty_database()
        rules.build(args.deputies, args.records, args.seed)
        print(f"built in {time.perf_counter() - started:.1f} s")
    admin, _ = get_user_model().objects.get_or_create(username="bench-admin", defaults={"is_superuser": True})
    term = Term.objects.get()
    print(f"database   {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"deputies   {args.deputies}  (about {args.records} records each)")
    connection.close()

    out = Path(tempfile.gettempdir()) / "dutyadmin-bench-year-summary.xlsx"
    rss_before = rss_mb()
    tracemalloc.start()
    with CaptureQueriesContext(connection) as queries, out.open("wb") as handle:
        t0 = time.perf_counter()
        exporter = YearSummaryExporter(user=admin, params={"term": term.pk, "year": args.year}, today=args.today)
        if not exporter.is_valid():
            sys.exit(f"invalid parameters: {exporter.errors()}")
        rows = render_xlsx(exporter, handle)
        seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    peak_mb = peak / 2**20
    rss_growth = rss_mb() - rss_before
    print(f"rows       {rows}")
    print(f"queries    {len(queries)}")
    print(f"seconds    {seconds:.2f}  (limit {args.max_seconds})")
    print(f"python mem {peak_mb:.0f} MB peak (tracemalloc; limit {args.max_mb})")
    print(f"rss growth {rss_growth:.0f} MB (getrusage, peak resident memory during the export)")
    print(f"file       {out} ({out.stat().st_size / 2**20:.1f} MB)")

    sheet = load_workbook(out, read_only=True).worksheets[0]
    header = next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))
    assert header[1] == "代表", header
    print(f"check      header {header[:5]} … {len(header)} columns")
    slow, big = seconds > args.max_seconds, max(peak_mb, rss_growth) > args.max_mb
    if slow or big:
        sys.exit("over the limit: " + ", ".join(x for x, bad in (("time", slow), ("memory", big)) if bad))


if __name__ == "__main__":
    main()
