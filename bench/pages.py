"""Benchmark of the deputy list page against a bare ListView of the same rows, both served by gunicorn.

Builds a term of N deputies with bench/rules.py's builder (or reuses it), starts gunicorn (2 workers) on
127.0.0.1 with the benchmark's views on (DUTYADMIN_BENCH_VIEWS=1: bench/views.py's bare
`django.views.generic.ListView` of the same rows, 50 a page, in a minimal template extending base.html, so
both pages go through the same middleware and layout), logs in as a district user (代表联络机构) with a
session cookie and requests `/deputies/` and `/bench/deputies/` in interleaved rounds, several clients at
once. Prints requests per second and median / p95 latency of each, the requests per second of the list as a
fraction of the bare list's (goal ≥ 0.8, issue 16: the median over the rounds), the ratio deputies / bare (goal ≤ 1.2:
the median over the rounds of each round's ratio of median latencies, the two pages back to back; also the
ratio of all requests' medians), each page's query count and median time
in-process (test client, CaptureQueriesContext).

    createdb -h 127.0.0.1 -U postgres bench_pages
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_pages .venv/bin/python bench/pages.py --deputies 5000
    .venv/bin/python bench/pages.py --reuse                # throwaway SQLite under /tmp

The database is emptied first unless --reuse finds a term of the same size (bench/rules.py refuses any
database not named *bench* or not under the temporary directory). Exits non-zero above --max-ratio or below
--min-rps-ratio.
"""
from __future__ import annotations

import argparse
import datetime as dt
import http.client
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import NamedTuple

ROOT = Path(__file__).resolve().parent.parent
# bench/ itself off the path: its rules.py would shadow django-rules (`import rules`) in the app.
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]
os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'dutyadmin-bench-pages.sqlite3'}")
os.environ["DUTYADMIN_BENCH_VIEWS"] = "1"  # the bare list's URL, in this process (query counts) and gunicorn's

from bench import rules  # noqa: E402  (after the database is chosen)

PAGES = {"deputies": "/deputies/", "bare": "/bench/deputies/"}
USERNAME = "bench-liaison"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    rules.add_term_options(parser, records=60, records_help="records per deputy (default 60: the list reads none)")
    parser.add_argument("--port", type=int, default=8015)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn workers (default 2)")
    parser.add_argument("--clients", type=int, default=2, help="requests in flight at once (default 2)")
    parser.add_argument("--rounds", type=int, default=10, help="rounds of each page, interleaved (default 10)")
    parser.add_argument("--requests", type=int, default=60, help="requests per page per round (default 60)")
    parser.add_argument("--max-ratio", type=float, default=1.2)
    parser.add_argument("--min-rps-ratio", type=float, default=0.8,
                        help="least requests per second of the list, as a fraction of the bare list's (default 0.8)")
    return parser.parse_args()


def bench_user():
    """A liaison-office user (district-wide scope), made once."""
    from django.contrib.auth import get_user_model
    from django.contrib.auth.models import Group

    from deputies.models import UserScope
    from dutyadmin.roles import Role

    user, created = get_user_model().objects.get_or_create(username=USERNAME)
    if created:
        user.set_unusable_password()
        user.save()
        UserScope.objects.create(user=user)
    user.groups.add(Group.objects.get_or_create(name=Role.LIAISON_OFFICE)[0])
    return user


def in_process(user, repeat: int = 30) -> tuple[dict[str, int], dict[str, float]]:
    """Each page's queries and median time through the test client in this process (same middleware, session
    and layout, no HTTP): a steady request of each, then `repeat` of each, interleaved."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    counts, times = {}, {name: [] for name in PAGES}
    for name, url in PAGES.items():
        client.get(url)  # the first request of a process fills its caches; count a steady one
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        counts[name] = len(queries)
    for _ in range(repeat):
        for name, url in PAGES.items():
            started = time.perf_counter()
            client.get(url)
            times[name].append(time.perf_counter() - started)
    return counts, {name: statistics.median(values) for name, values in times.items()}


def session_cookie(user) -> str:
    """A session of the user, stored where gunicorn's workers read it (the database)."""
    from django.test import Client

    client = Client(SERVER_NAME="127.0.0.1")
    client.force_login(user)
    return client.cookies["sessionid"].value


class Answer(NamedTuple):
    seconds: float
    status: int
    body: bytes
    headers: dict[str, str]


def send(port: int, method: str, url: str, *, cookies: str = "", body: bytes | None = None,
         headers: dict[str, str] | None = None, timeout: float = 60) -> Answer:
    """One request on its own connection (as a browser's first request), timed from connect to the last byte."""
    started = time.perf_counter()
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    connection.request(method, url, body=body, headers={"Cookie": cookies, "Host": "127.0.0.1", **(headers or {})})
    response = connection.getresponse()
    data = response.read()
    connection.close()
    return Answer(time.perf_counter() - started, response.status, data, {k.lower(): v for k, v in response.getheaders()})


def fetch(port: int, url: str, cookie: str) -> tuple[float, int, bytes]:
    answer = send(port, "GET", url, cookies=f"sessionid={cookie}")
    return answer.seconds, answer.status, answer.body


def load(port: int, url: str, cookie: str, *, count: int, clients: int) -> tuple[float, list[float]]:
    """`count` requests, `clients` at a time: (requests per second, each request's seconds)."""
    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    todo = iter(range(count))

    def client() -> None:
        while True:
            with lock:
                if next(todo, None) is None:
                    return
            seconds, status, body = fetch(port, url, cookie)
            with lock:
                latencies.append(seconds)
                if status != 200:
                    errors.append(f"{url}: {status}")

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    wall = time.perf_counter() - started
    if errors:
        sys.exit(f"requests failed: {errors[:3]}")
    return count / wall, latencies


def start_gunicorn(args: argparse.Namespace, extra: tuple[str, ...] = ()) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:args.port with args.workers workers (and `extra` options), once it answers."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    env = {**os.environ, "DJANGO_DEBUG": "0", "DUTYADMIN_BENCH_VIEWS": "1"}
    server = subprocess.Popen(
        [str(gunicorn), "dutyadmin.wsgi:application", "--workers", str(args.workers), "--bind",
         f"127.0.0.1:{args.port}", "--log-level", "warning", *extra],
        cwd=ROOT, env=env,
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            if fetch(args.port, "/healthz/", "")[1] in (200, 503):
                return server
        except OSError:
            time.sleep(0.2)
    server.terminate()
    sys.exit("gunicorn did not answer within 30 s")


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> None:
    args = parse_args()
    rules.setup_django()
    from django.core.management import call_command
    from django.db import connection

    from deputies.models import Deputy

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
    user = bench_user()
    counts, in_process_median = in_process(user)
    cookie = session_cookie(user)
    print(f"date       {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(f"command    {shlex.join([Path(sys.executable).name, *sys.argv])}")
    print(f"database   {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"deputies   {Deputy.objects.count()}")
    print(f"gunicorn   {args.workers} workers, {args.clients} clients, {args.rounds} rounds × "
          f"{args.requests} requests per page")
    connection.close()

    server = start_gunicorn(args)
    try:
        for url in PAGES.values():
            load(args.port, url, cookie, count=10, clients=args.clients)  # warm up both workers
        body = fetch(args.port, PAGES["deputies"], cookie)[2].decode()
        assert "代表名册" in body and 'href="/deputies/' in body, "the list did not render"
        rps: dict[str, list[float]] = {name: [] for name in PAGES}
        latencies: dict[str, list[float]] = {name: [] for name in PAGES}
        round_ratios: list[float] = []  # each round's two pages back to back: the machine's load drifts less
        rps_ratios: list[float] = []  # each round's requests per second, deputies / bare
        for number in range(args.rounds):
            order = list(PAGES) if number % 2 == 0 else list(reversed(PAGES))
            rounds: dict[str, float] = {}
            for name in order:
                per_second, seconds = load(args.port, PAGES[name], cookie, count=args.requests, clients=args.clients)
                rps[name].append(per_second)
                latencies[name].extend(seconds)
                rounds[name] = statistics.median(seconds)
            round_ratios.append(rounds["deputies"] / rounds["bare"])
            rps_ratios.append(rps["deputies"][-1] / rps["bare"][-1])
    finally:
        server.terminate()
        server.wait(timeout=30)

    print()
    print(f"{'page':<22}{'req/s':>8}{'median ms':>11}{'p95 ms':>9}{'queries':>9}{'in-process ms':>15}")
    medians = {}
    for name, url in PAGES.items():
        medians[name] = statistics.median(latencies[name])
        print(f"{url:<22}{statistics.median(rps[name]):8.1f}{medians[name] * 1000:11.1f}"
              f"{percentile(latencies[name], 0.95) * 1000:9.1f}{counts[name]:9d}{in_process_median[name] * 1000:15.1f}")
    ratio = statistics.median(round_ratios)
    pooled = medians["deputies"] / medians["bare"]
    print(f"ratio deputies/bare: {ratio:.2f} (median of the rounds' median-latency ratios: "
          f"{' '.join(f'{r:.2f}' for r in round_ratios)}); {pooled:.2f} (all requests' median latency); "
          f"goal ≤ {args.max_ratio}")
    # --- pages16: issue 16's goal, in requests per second: the list serves at least 80 % of the bare list's.
    rps_ratio = statistics.median(rps_ratios)
    print(f"req/s deputies / bare: {rps_ratio:.2f} (median of the rounds' ratios: "
          f"{' '.join(f'{r:.2f}' for r in rps_ratios)}; of the medians "
          f"{statistics.median(rps['deputies']) / statistics.median(rps['bare']):.2f}); goal ≥ {args.min_rps_ratio}")
    print(f"in-process (test client, one at a time, median of 30): "
          f"{in_process_median['deputies'] / in_process_median['bare']:.2f}")
    if ratio > args.max_ratio:
        sys.exit(f"the deputy list is {ratio:.2f}× the bare list (goal ≤ {args.max_ratio})")
    if rps_ratio < args.min_rps_ratio:
        sys.exit(f"the deputy list serves {rps_ratio:.2f} of the bare list's requests per second "
                 f"(goal ≥ {args.min_rps_ratio})")


if __name__ == "__main__":
    main()
