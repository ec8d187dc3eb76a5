"""Benchmark of the spreadsheet import: a 5,000-row .xlsx end to end (parse + validate + save).

Builds a district (17 streets, N deputies each) in the database named by DATABASE_URL, writes a
filled template of R rows (activities of about 25 deputies each, real Excel dates, names to match
within the street), then times, through the same services the pages call:

  upload  = check the zip + read the sheet (openpyxl read-only) + validate every row + keep the file
  confirm = read and validate again (the data may have changed) + save every row in one transaction

and prints rows, activities, participations, queries and seconds. The goal is under 10 s end to end.

    .venv/bin/python bench/import.py                       # 5,000 rows, throwaway SQLite under /tmp
    .venv/bin/python bench/import.py --rows 20000 --role liaison_office
    createdb -h 127.0.0.1 -U postgres bench_import
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_import .venv/bin/python bench/import.py

The database is emptied first (it is the benchmark's own): the script refuses any database that is
not a file under the temporary directory or whose name does not contain "bench".
"""
from __future__ import annotations

import argparse
import datetime as dt
import io
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path, and bench/rules.py would shadow the `rules` package
# (django-rules) the permissions import: the project root takes its place.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
DEFAULT_SQLITE = Path(tempfile.gettempdir()) / "dutyadmin-bench-import.sqlite3"
GOAL_SECONDS = 10.0
FAMILY = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰红建国文辉力东晓春海燕雪梅志新"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=5000, help="data rows in the spreadsheet (default 5000)")
    parser.add_argument("--deputies", type=int, default=40, help="deputies per street (default 40)")
    parser.add_argument("--role", choices=["street_staff", "liaison_office"], default="street_staff",
                        help="who imports: one street's staff (default) or the liaison office (all streets)")
    parser.add_argument("--seed", type=int, default=20240301)
    args = parser.parse_args()
    if not 1 <= args.rows <= 20_000 or args.deputies < 1:
        parser.error("--rows must be 1..20000 (the import's limit) and --deputies ≥ 1")
    return args


def setup_django() -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{DEFAULT_SQLITE}")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dutyadmin.settings")
    os.environ.setdefault("DJANGO_MEDIA_ROOT", str(Path(tempfile.gettempdir()) / "dutyadmin-bench-import-media"))
    import django
    from django.conf import settings

    django.setup()
    database = settings.DATABASES["default"]
    name = str(database["NAME"])
    if database["ENGINE"].endswith("sqlite3"):
        safe = Path(name).resolve().is_relative_to(Path(tempfile.gettempdir()).resolve())
    else:
        safe = "bench" in name
    if not safe or Path(name).resolve() == (ROOT / "db.sqlite3").resolve():
        sys.exit(f"bench/import.py empties its database; refusing {name!r} "
                 "(use a SQLite file under the temporary directory or a database named *bench*).")


def build_district(deputies_per_street: int, seed: int):
    """A term, 17 streets with unique names inside each street, and the importing users."""
    from django.contrib.auth.models import Group
    from django.core.management import call_command
    from django.db import transaction

    from deputies.models import Deputy, StreetCommittee, Term
    from dutyadmin.roles import Role
    from tests.factories import make_user

    call_command("migrate", verbosity=0, interactive=False)
    call_command("flush", verbosity=0, interactive=False)
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    rng = random.Random(seed)
    with transaction.atomic():
        term = Term.objects.create(number=17, name="第十七届", start_date=dt.date(2022, 1, 1), end_date=dt.date(2026, 12, 31))
        streets = [StreetCommittee.objects.create(name=f"街道{i:02d}", code=f"B{i:02d}") for i in range(17)]
        deputies = []
        for street in streets:
            names: set[str] = set()
            while len(names) < deputies_per_street:
                names.add(rng.choice(FAMILY) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))))
            deputies += [Deputy(term=term, name=name, gender="F", street_committee=street,
                                service_start=term.start_date) for name in sorted(names)]
        Deputy.objects.bulk_create(deputies, batch_size=1000)
        staff = make_user(Role.STREET_STAFF, username="bench_staff", street_committee=streets[0])
        liaison = make_user(Role.LIAISON_OFFICE, username="bench_liaison")
    return streets, staff, liaison


def build_sheet(rows: int, streets, *, district: bool, seed: int) -> bytes:
    """A filled template: activities of about 25 deputies each, Excel dates, chosen outcomes."""
    from openpyxl import Workbook

    from activities.choices import ActivityKind
    from activities.importing.sheet import COLUMNS
    from deputies.models import Deputy

    rng = random.Random(seed)
    kinds = [label for value, label in ActivityKind.choices if value != ActivityKind.SC_MEETING]
    outcomes = ["出席"] * 8 + ["请假", "缺席"]
    by_street = {s.pk: list(Deputy.objects.filter(street_committee=s).values_list("name", flat=True)) for s in streets}
    # A normal workbook, as Excel saves one: shared strings and the sheet's size written up front.
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "活动登记"
    sheet.append([c.header for c in COLUMNS])
    written, number = 0, 0
    while written < rows:
        number += 1
        street = rng.choice(streets) if district else streets[0]
        day = dt.datetime(2023, 1, 1) + dt.timedelta(days=rng.randrange(700))
        title = f"{street.name}第{number}次活动"
        kind = rng.choice(kinds)
        people = rng.sample(by_street[street.pk], min(25, len(by_street[street.pk]), rows - written))
        for name in people:
            sheet.append([title, kind, day, None, f"{street.name}代表之家", name, street.name if district else None,
                          "是", rng.choice(outcomes), None])
        written += len(people)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def main() -> None:
    args = parse_args()
    setup_django()
    from django.conf import settings
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.db import connection, reset_queries

    from activities import services
    from activities.models import Activity, Participation

    started = time.perf_counter()
    streets, staff, liaison = build_district(args.deputies, args.seed)
    user = liaison if args.role == "liaison_office" else staff
    content = build_sheet(args.rows, streets, district=args.role == "liaison_office", seed=args.seed)
    print(f"database: {connection.vendor} {settings.DATABASES['default']['NAME']}")
    print(f"setup: {17 * args.deputies} deputies, {args.rows} rows, file {len(content) / 1024:.0f} KB "
          f"({time.perf_counter() - started:.1f} s, not timed)")

    settings.DEBUG = True  # count queries
    reset_queries()
    t0 = time.perf_counter()
    record = services.activity_import_upload(user=user, upload=SimpleUploadedFile("bench.xlsx", content))
    t1 = time.perf_counter()
    upload_queries = len(connection.queries)
    if record.errors:
        sys.exit(f"unexpected problems: {record.errors[:5]}")
    reset_queries()
    record = services.activity_import_confirm(user=user, activity_import=record)
    t2 = time.perf_counter()
    confirm_queries = len(connection.queries)
    settings.DEBUG = False

    activities = Activity.objects.filter(source_import=record).count()
    participations = Participation.objects.filter(activity__source_import=record).count()
    assert (activities, participations) == (record.activity_count, record.participation_count)
    total = t2 - t0
    print(f"as {args.role}: {record.row_count} rows → {activities} activities, {participations} participations")
    print(f"upload  (parse + validate + keep file): {t1 - t0:6.2f} s  {upload_queries:4d} queries")
    print(f"confirm (parse + validate + save):      {t2 - t1:6.2f} s  {confirm_queries:4d} queries")
    print(f"end to end:                             {total:6.2f} s  goal < {GOAL_SECONDS:.0f} s: "
          f"{'met' if total < GOAL_SECONDS else 'MISSED'}")


if __name__ == "__main__":
    main()
