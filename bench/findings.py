"""Benchmark of the findings the office reads all day: the whole-term findings page and the findings API, page
after page, with several clients at once, against gunicorn, before and after a write (issue 18).

Builds (or reuses, --reuse) a term with bench/rules.py's builder in the benchmark's own database, serves it with
gunicorn (DEBUG off), logs in as a district user and measures, with --clients clients at once:

- cold: the first request of each worker (it evaluates the whole term once: the snapshot is made);
- warm: /oversight/findings/ and /api/v1/findings/?term=…&page_size=1000&page=k (every page), median and p95;
- after a write: one participation recorded through the service, then the next request of each kind (the
  snapshot re-evaluates the one deputy).

    createdb -h 127.0.0.1 -U postgres bench_findings
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_findings .venv/bin/python bench/findings.py --deputies 5000

--no-snapshot serves the same with FINDINGS_SNAPSHOT off (every request evaluates the term), as the baseline.
"""
from __future__ import annotations

import argparse
import http.cookiejar
import json
import os
import re
import socket
import statistics
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Run as a script, this folder comes first on sys.path, and bench/rules.py would shadow the `rules` package
# (django-rules) the permissions import: the project root takes its place.
sys.path[:] = [str(ROOT)] + [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]

from bench import rules  # noqa: E402

PASSWORD = "bench-findings-2026"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    rules.add_term_options(parser)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--rounds", type=int, default=5, help="requests per client and kind, warm")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--port", type=int, default=8021)
    parser.add_argument("--api-pages", type=int, default=0, help="measure only the first N API pages (0: all)")
    parser.add_argument("--no-snapshot", action="store_true", help="FINDINGS_SNAPSHOT off: the baseline")
    return parser.parse_args()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Client:
    """A logged-in browser: the session cookie and the CSRF token of the login form."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str) -> tuple[int, bytes, float]:
        started = time.perf_counter()
        try:
            with self.opener.open(self.base + path, timeout=300) as answer:
                return answer.status, answer.read(), time.perf_counter() - started
        except urllib.error.HTTPError as exc:
            return exc.code, exc.read(), time.perf_counter() - started

    def login(self, username: str) -> None:
        _, page, _ = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)[1].decode()
        body = urllib.parse.urlencode({"username": username, "password": PASSWORD,
                                       "csrfmiddlewaretoken": token}).encode()
        request = urllib.request.Request(self.base + "/accounts/login/", data=body,
                                         headers={"Referer": self.base + "/accounts/login/"})
        # Not following the redirect: the home page would make the snapshot, which `cold` is to measure.
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), _NoRedirect)
        try:
            opener.open(request, timeout=60)
        except urllib.error.HTTPError as exc:
            assert exc.code == 302 and "/accounts/login/" not in exc.headers.get("Location", ""), "login failed"


def wait_for(port: int, seconds: float = 60) -> None:
    end = time.time() + seconds
    while time.time() < end:
        with socket.socket() as s:
            if s.connect_ex(("127.0.0.1", port)) == 0:
                return
        time.sleep(0.2)
    sys.exit(f"gunicorn did not listen on {port}")


def run_all(clients: list[Client], n: int, paths: list[str]) -> list[float]:
    """Each of the n clients requests the paths in turn, all clients at once; every answer's seconds."""
    def one(i: int) -> list[float]:
        out = []
        for path in paths:
            status, body, seconds = clients[i].get(path)
            assert status == 200, (path, status, body[:300])
            out.append(seconds)
        return out
    with ThreadPoolExecutor(n) as pool:
        return [s for chunk in pool.map(one, range(n)) for s in chunk]


def summary(seconds: list[float]) -> str:
    ordered = sorted(seconds)
    p95 = ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]
    return f"median {statistics.median(ordered):6.3f} s  p95 {p95:6.3f} s  max {ordered[-1]:6.3f} s  (n={len(ordered)})"


def main() -> None:
    args = parse_args()
    rules.setup_django()
    from django.contrib.auth import get_user_model
    from django.db import connection
    from django.utils import timezone

    from activities.models import Activity, Participation
    from deputies.models import Deputy, Term
    from dutyadmin.services import record_save

    rules.build_or_reuse(args)
    user, _ = get_user_model().objects.get_or_create(username="bench-findings", defaults={"is_superuser": True})
    user.is_superuser = user.is_staff = True
    user.set_password(PASSWORD)
    user.save()
    term = Term.objects.get()
    print(f"database   {connection.vendor} {connection.settings_dict['NAME']}")
    print(f"deputies   {args.deputies}  (about {args.records} records each); clients {args.clients}; "
          f"gunicorn workers {args.workers}; snapshot {'off' if args.no_snapshot else 'on'}")
    connection.close()

    env = {**os.environ, "DJANGO_ENV": "dev", "DJANGO_DEBUG": "0", "DUTYADMIN_FINDINGS_SNAPSHOT": "0" if args.no_snapshot else "1"}
    env.pop("REDIS_URL", None)
    server = subprocess.Popen([sys.executable, "-m", "gunicorn", "dutyadmin.wsgi", "-w", str(args.workers),
                               "-b", f"127.0.0.1:{args.port}", "--timeout", "600", "--log-level", "warning"],
                              cwd=ROOT, env=env)
    try:
        wait_for(args.port)
        base = f"http://127.0.0.1:{args.port}"
        clients = [Client(base) for _ in range(args.clients)]
        for c in clients:
            c.login(user.username)
        page = "/oversight/findings/"
        cold = run_all(clients, args.clients, [page])
        print(f"cold page  {summary(cold)}  (each worker's first: the snapshot is made)")
        status, body, _ = clients[0].get(f"/api/v1/findings/?term={term.pk}&page_size=1000")
        assert status == 200, body[:500]
        count = json.loads(body)["count"]
        pages = max(1, -(-count // 1000))
        api = [f"/api/v1/findings/?term={term.pk}&page_size=1000&page={k}"
               for k in range(1, (min(pages, args.api_pages) if args.api_pages else pages) + 1)]
        print(f"findings   {count} action/behind/missed findings as of today, {pages} API pages of 1,000")

        def run(paths: list[str]) -> list[float]:
            return run_all(clients, args.clients, paths)

        warm_page = run([page] * args.rounds)
        print(f"page       {summary(warm_page)}  ({page}, {args.clients} at once)")
        warm_api = run(api * max(1, args.rounds // len(api)))
        print(f"API pages  {summary(warm_api)}  (every page, {args.clients} at once)")
        # A write, as street staff would make it, then the next reads.

        deputy = Deputy.objects.filter(term=term).order_by("pk").first()
        activity = Activity.objects.filter(term=term, kind="station_reception", date__lte=timezone.localdate()).exclude(
            participations__deputy=deputy).order_by("-date").first()
        record_save(Participation(activity=activity, deputy=deputy, confirmed=True), user=user,
                    data={"outcome": "attended"})
        connection.close()
        after = run([page])
        print(f"after write{summary(after)}  (the next page of each client after one participation was recorded)")
        goal = max(statistics.median(warm_page), statistics.median(warm_api))
        print(f"goal       warm medians under 1 s with {args.clients} clients: {'met' if goal < 1 else 'NOT met'}")
    finally:
        server.terminate()
        try:
            server.wait(30)
        except subprocess.TimeoutExpired:
            server.kill()


if __name__ == "__main__":
    main()
