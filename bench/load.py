"""Load test: concurrent simulated users of the four main kinds against gunicorn (+ PostgreSQL + Redis).

Builds a term of N deputies with bench/rules.py's builder (or reuses it), makes the simulated users' accounts
through the project's services (deputies.users.user_create: street committee staff, deputies linked to a deputy,
the liaison office, the administrator), gives each a session made server-side (no login form: the login lockout
is never in play) and starts gunicorn (bench/pages.py's helpers) and, when Redis is used, one Celery worker.
Each user then loops over the requests of their kind with short think times until the time is up:

- street committee staff (街工委工作人员): their street's deputies, activities, findings, a deputy's "why" page and
  handbook, leave; writes through the API: a participation recorded on the activity of the day, an outcome
  corrected, a leave request entered;
- deputies (代表), on a phone: their handbook (page and API), progress, "why" page, invitations, unread messages;
- the liaison office (代表联络机构): the findings page (district, one street), the API findings pages, the
  year-end review board and a street's review, data checks, exports started and their progress read;
- the administrator (系统管理员): users, audit log, lockouts, exports, the admin site.

Weighted as an office is (of 50: 20 street staff, 24 deputies, 4 liaison office, 2 administrators). Every answer
outside 2xx/3xx (or no answer) is an error and printed. Prints a table per request kind (count, errors, median,
p95, max), the overall p95 and requests per second; exits non-zero on any error or an overall p95 ≥ --max-p95.

    createdb -h 127.0.0.1 -U postgres -T bench_5k bench_5k_load     # a copy of a built term (or an empty *bench* db)
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/bench_5k_load .venv/bin/python bench/load.py --deputies 5000 --reuse
    .venv/bin/python bench/load.py --deputies 50 --users 8 --seconds 20 --redis-url ''   # SQLite, tasks in-process

Redis (--redis-url, default a database of its own on the local server) serves the cache and Celery's broker; with
--redis-url '' the cache is per process and tasks (exports) run inside the request (Celery's eager mode).
The database is emptied first unless --reuse finds a term of the same size (bench/rules.py refuses any database
not named *bench* or not under the temporary directory).
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import logging
import os
import random
import secrets
import shlex
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
# bench/ itself off the path: its rules.py would shadow django-rules (`import rules`) in the app.
sys.path[:] = [str(ROOT), *(p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench")]
os.environ.setdefault("DATABASE_URL", f"sqlite:///{Path(tempfile.gettempdir()) / 'dutyadmin-bench-load.sqlite3'}")

from bench import pages, rules  # noqa: E402  (after the database is chosen)

# (kind, weight of 50): many street staff and deputies, few in the district office.
KINDS = (("street_staff", 20), ("deputy", 24), ("liaison_office", 4), ("admin", 2))
PHONE = ("Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
         "Version/17.5 Mobile/15E148 Safari/604.1")
DESKTOP = "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36"
PREFIX = "load-"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="simulated users at once (default 50)")
    parser.add_argument("--seconds", type=float, default=120, help="length of the measured run (default 120)")
    rules.add_term_options(parser, records_help="records per deputy when the term is built")
    parser.add_argument("--port", type=int, default=8041)
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 2,
                        help="gunicorn worker processes (default: one per CPU)")
    parser.add_argument("--threads", type=int, default=4, help="threads per gunicorn worker (default 4)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/9",
                        help="cache and Celery broker ('' = per-process cache, tasks in-process)")
    parser.add_argument("--no-worker", action="store_true", help="with Redis, start no Celery worker")
    parser.add_argument("--think", type=float, nargs=2, default=(3.0, 10.0), metavar=("MIN", "MAX"),
                        help="seconds a user reads or types between two requests, uniformly (default 3 10)")
    parser.add_argument("--conn-max-age", type=int, default=0,
                        help="DATABASE_CONN_MAX_AGE of gunicorn and the worker (default 0, the project's: a connection "
                             "per request); above 0 the PostgreSQL CPU of their connections is printed")
    parser.add_argument("--max-p95", type=float, default=1.0, help="goal for the overall p95 in seconds")
    args = parser.parse_args()
    if args.users < len(KINDS):
        parser.error(f"--users must be at least {len(KINDS)} (one of each kind)")
    return args


def allocate(total: int) -> dict[str, int]:
    """`total` users split by KINDS' weights (largest remainder), at least one of each kind."""
    weight = sum(w for _, w in KINDS)
    exact = {kind: total * w / weight for kind, w in KINDS}
    counts = {kind: max(1, int(value)) for kind, value in exact.items()}
    for kind in sorted(exact, key=lambda k: exact[k] - int(exact[k]), reverse=True):
        if sum(counts.values()) >= total:
            break
        counts[kind] += 1
    while sum(counts.values()) > total:
        kind = max(counts, key=counts.get)
        counts[kind] -= 1
    return counts


# --- the simulated users -----------------------------------------------------------------------------------------


@dataclass
class User:
    kind: str
    username: str
    cookies: str = ""
    csrf: str = ""
    street: int | None = None
    deputy: int | None = None
    deputies: list[int] = field(default_factory=list)  # a street's deputies (staff)
    activity: int | None = None  # today's activity of the street, where staff record who took part
    to_invite: list[int] = field(default_factory=list)  # deputies not yet recorded on it
    recorded: list[int] = field(default_factory=list)  # participations recorded on it in this run


@dataclass
class World:
    term: int
    year: int
    streets: list[int]
    sessions: list[int]
    finding_pages: int


def account(kind: str, number: int, *, street=None, deputy=None):
    """The simulated user's account, made once through the users service (kept by --reuse)."""
    from django.contrib.auth import get_user_model

    from deputies.users import user_create

    username = f"{PREFIX}{kind}-{number}"
    found = get_user_model().objects.filter(username=username).select_related("scope").first()
    if found is not None:
        return found
    return user_create(actor=None, username=username, role=kind, street_committee=street, deputy=deputy,
                       password_required=False)


def prepare(counts: dict[str, int], seed: int) -> tuple[World, list[User]]:
    """Accounts, sessions and the records each user works on, all made here before the server starts."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from activities.services import activity_save
    from deputies.models import Deputy, StreetCommittee, Term
    from meetings.models import CongressSession

    rng = random.Random(seed)
    term = Term.objects.order_by("-start_date").first()
    today = dt.date.today()
    year = min(max(today.year, term.start_date.year), term.end_date.year)
    streets = list(StreetCommittee.objects.order_by("id"))
    active = list(Deputy.objects.filter(term=term, status="active").order_by("id").values_list("id", "street_committee_id"))
    by_street: dict[int, list[int]] = defaultdict(list)
    for deputy_id, street_id in active:
        by_street[street_id].append(deputy_id)
    staffed = [s for s in streets if by_street[s.pk]]  # a small term may leave a street without deputies
    users: list[User] = []
    taken = set(get_user_model().objects.filter(username__startswith=PREFIX).exclude(scope__deputy=None)
                .values_list("scope__deputy_id", flat=True))
    free = [d for d, _ in active if d not in taken]
    rng.shuffle(free)
    for kind, count in counts.items():
        for number in range(1, count + 1):
            street = deputy = None
            if kind == "street_staff":
                street = staffed[(number - 1) % len(staffed)]
            if kind == "deputy":
                existing = get_user_model().objects.filter(username=f"{PREFIX}{kind}-{number}").first()
                deputy = None if existing else Deputy.objects.get(pk=free.pop())
            user = account(kind, number, street=street, deputy=deputy)
            simulated = User(kind=kind, username=user.username)
            if kind == "street_staff":
                simulated.street = user.scope.street_committee_id
                simulated.deputies = by_street[simulated.street][:]
                rng.shuffle(simulated.deputies)
                # The activity of the day, made before the run: an activity is read by every deputy's findings (a
                # term-wide change), a participation only by its deputy's.
                street_obj = next(s for s in streets if s.pk == simulated.street)
                activity = activity_save(user=user, data={
                    "term": term, "kind": "constituent_visit", "title": f"负载测试走访选民({user.username})",
                    "date": min(today, term.end_date), "organizer_level": "street_committee",
                    "street_committee": street_obj, "location": "社区活动室"})
                simulated.activity = activity.pk
                simulated.to_invite = simulated.deputies[:]
            if kind == "deputy":
                simulated.deputy = user.scope.deputy_id
            client = Client(SERVER_NAME="127.0.0.1")
            client.force_login(user)
            simulated.csrf = secrets.token_hex(16)  # 32 characters: Django's CSRF secret, sent back as the header
            simulated.cookies = f"sessionid={client.cookies['sessionid'].value}; csrftoken={simulated.csrf}"
            users.append(simulated)
    sessions = list(CongressSession.objects.filter(term=term).order_by("number").values_list("id", flat=True))
    return World(term=term.pk, year=year, streets=[s.pk for s in streets], sessions=sessions, finding_pages=1), users


# --- what each kind of user does ----------------------------------------------------------------------------------
# Each action: (name in the table, weight, function(user, world, rng) -> (method, url, body or None, headers), or
# None when that user has nothing left of it to do).


def api_json(method: str, url: str, data: dict) -> tuple[str, str, bytes, dict]:
    return method, url, json.dumps(data).encode(), {"Content-Type": "application/json"}


def staff_participation(user: User, world: World, rng: random.Random):
    if not user.to_invite:
        return None
    deputy = user.to_invite.pop()
    return api_json("POST", "/api/v1/participations/", {"activity": user.activity, "deputy": deputy,
                                                        "confirmed": True, "outcome": "attended"})


def staff_outcome(user: User, world: World, rng: random.Random):
    """An outcome corrected on the street's own activity (staff enter only their street's activities' records)."""
    if not user.recorded:
        return staff_participation(user, world, rng)
    return api_json("PATCH", f"/api/v1/participations/{rng.choice(user.recorded)}/",
                    {"outcome": rng.choice(("attended", "absent", "excused"))})


def staff_leave(user: User, world: World, rng: random.Random):
    return api_json("POST", "/api/v1/leave-requests/", {
        "deputy": rng.choice(user.deputies), "session": world.sessions[-1], "route": "whole_session",
        "meetings": [], "reason": "负载测试:出差"})


def get(url: str):
    return "GET", url, None, {}


def export_start(identifier: str):
    def action(user: User, world: World, rng: random.Random):
        body = urlencode({"csrfmiddlewaretoken": user.csrf}).encode()
        return "POST", f"/exports/{identifier}/", body, {"Content-Type": "application/x-www-form-urlencoded",
                                                         "Referer": "http://127.0.0.1/exports/"}
    return action


ACTIONS = {
    "street_staff": (
        ("staff GET /", 2, lambda u, w, r: get("/")),
        ("staff GET /deputies/", 2, lambda u, w, r: get("/deputies/")),
        ("staff GET /activities/", 2, lambda u, w, r: get("/activities/")),
        ("staff GET /activities/<id>/participations/", 2,
         lambda u, w, r: get(f"/activities/{u.activity}/participations/")),
        ("staff GET /oversight/findings/ (street)", 2, lambda u, w, r: get("/oversight/findings/")),
        ("staff GET /oversight/deputies/<id>/ (why)", 2,
         lambda u, w, r: get(f"/oversight/deputies/{r.choice(u.deputies)}/")),
        ("staff GET /oversight/deputies/<id>/handbook/", 1,
         lambda u, w, r: get(f"/oversight/deputies/{r.choice(u.deputies)}/handbook/?year={w.year}")),
        ("staff GET /meetings/leave/", 1, lambda u, w, r: get("/meetings/leave/")),
        ("staff POST /api/v1/participations/", 3, staff_participation),
        ("staff PATCH /api/v1/participations/<id>/", 2, staff_outcome),
        ("staff POST /api/v1/leave-requests/", 1, staff_leave),
    ),
    "deputy": (
        ("deputy GET /", 2, lambda u, w, r: get("/")),
        ("deputy GET /oversight/handbook/", 3, lambda u, w, r: get("/oversight/handbook/")),
        ("deputy GET /oversight/mine/", 2, lambda u, w, r: get("/oversight/mine/")),
        ("deputy GET /oversight/deputies/<own>/ (why)", 1, lambda u, w, r: get(f"/oversight/deputies/{u.deputy}/")),
        ("deputy GET /api/v1/deputies/<own>/handbook/", 2,
         lambda u, w, r: get(f"/api/v1/deputies/{u.deputy}/handbook/?year={w.year}")),
        ("deputy GET /activities/invitations/", 1, lambda u, w, r: get("/activities/invitations/")),
        ("deputy GET /oversight/notifications/unread/", 2, lambda u, w, r: get("/oversight/notifications/unread/")),
    ),
    "liaison_office": (
        ("office GET /oversight/findings/", 3, lambda u, w, r: get("/oversight/findings/")),
        ("office GET /oversight/findings/?street_committee=", 2,
         lambda u, w, r: get(f"/oversight/findings/?term={w.term}&street_committee={r.choice(w.streets)}")),
        ("office GET /api/v1/findings/?page=", 3,
         lambda u, w, r: get(f"/api/v1/findings/?term={w.term}&page_size=100&page={r.randint(1, w.finding_pages)}")),
        ("office GET /oversight/reviews/", 1, lambda u, w, r: get("/oversight/reviews/")),
        ("office GET /oversight/reviews/<term>/<year>/<street>/", 1,
         lambda u, w, r: get(f"/oversight/reviews/{w.term}/{w.year}/{r.choice(w.streets)}/")),
        ("office GET /deputies/", 1, lambda u, w, r: get("/deputies/")),
        ("office POST /exports/roster/", 1, export_start("roster")),
        ("office POST /exports/findings/", 1, export_start("findings")),
    ),
    "admin": (
        ("admin GET /api/v1/users/", 2, lambda u, w, r: get("/api/v1/users/")),
        ("admin GET /audit/", 1, lambda u, w, r: get("/audit/")),
        ("admin GET /accounts/lockouts/", 1, lambda u, w, r: get("/accounts/lockouts/")),
        ("admin GET /exports/", 1, lambda u, w, r: get("/exports/")),
        ("admin GET /admin/", 1, lambda u, w, r: get("/admin/")),
        ("admin POST /exports/roster/", 1, export_start("roster")),
    ),
}
JOB_STATUS = "export GET /exports/jobs/<id>/status/"


class Recorder:
    """Every answer's time by request kind, and every error."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.times: dict[str, list[float]] = defaultdict(list)
        self.errors: dict[str, list[str]] = defaultdict(list)

    def add(self, name: str, seconds: float, error: str | None = None) -> None:
        with self.lock:
            self.times[name].append(seconds)
            if error:
                self.errors[name].append(error)


def perform(port: int, user: User, name: str, request, recorder: Recorder | None, timeout: float):
    method, url, body, headers = request
    headers = {"User-Agent": PHONE if user.kind == "deputy" else DESKTOP, **headers}
    if method != "GET":
        headers["X-CSRFToken"] = user.csrf
    seconds = 0.0
    try:
        answer = pages.send(port, method, url, cookies=user.cookies, body=body, headers=headers, timeout=timeout)
        seconds += answer.seconds
        for _ in range(3):  # a browser follows a page's redirect (e.g. 我的履职手册 to this year's handbook)
            location = answer.headers.get("location", "")
            if method != "GET" or not 300 <= answer.status < 400 or not location.startswith("/") \
                    or location.startswith("/accounts/login/"):
                break
            answer = pages.send(port, "GET", location, cookies=user.cookies, headers=headers, timeout=timeout)
            seconds += answer.seconds
    except OSError as exc:
        if recorder:
            recorder.add(name, timeout, f"{method} {url}: {type(exc).__name__}: {exc}")
        return None
    error = None
    if not 200 <= answer.status < 400:
        error = f"{method} {url} → {answer.status}: {answer.body[:300].decode(errors='replace')}"
    elif "/accounts/login/" in answer.headers.get("location", ""):
        error = f"{method} {url} → {answer.status} to the login page (session lost)"
    if recorder:
        recorder.add(name, seconds, error)
    return answer


def simulate(port: int, user: User, world: World, recorder: Recorder, *, until: float, think: tuple[float, float],
             seed: int) -> None:
    rng = random.Random(seed)
    actions = ACTIONS[user.kind]
    names, weights = [a[0] for a in actions], [a[1] for a in actions]
    makers = {a[0]: a[2] for a in actions}
    time.sleep(rng.uniform(0, think[1]))  # users do not all arrive in the same second
    while time.monotonic() < until:
        name = rng.choices(names, weights=weights)[0]
        request = makers[name](user, world, rng)
        if request is None:
            continue
        answer = perform(port, user, name, request, recorder, timeout=max(60.0, until - time.monotonic() + 60))
        if answer is not None and answer.status == 201 and request[:2] == ("POST", "/api/v1/participations/"):
            user.recorded.append(json.loads(answer.body)["id"])
        if answer is not None and "/exports/" in name:
            location = answer.headers.get("location", "")
            if "/exports/jobs/" in location:  # the job page polls its progress: read it once
                time.sleep(rng.uniform(*think) / 2)
                perform(port, user, JOB_STATUS, get(location.rstrip("/") + "/status/"), recorder, timeout=60)
        time.sleep(max(0.0, min(rng.uniform(*think), until - time.monotonic())))


def warm_up(port: int, users: list[User], world: World, concurrency: int) -> float:
    """Each request kind once, the findings page `concurrency` times at once (every process makes its findings
    snapshot on its first findings request), not measured."""
    started = time.perf_counter()
    office = next(u for u in users if u.kind == "liaison_office")
    threads = [threading.Thread(target=perform, args=(port, office, "warm", get("/oversight/findings/"), None, 600))
               for _ in range(concurrency)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    answer = perform(port, office, "warm", get(f"/api/v1/findings/?term={world.term}&page_size=100"), None, 600)
    world.finding_pages = max(1, -(-json.loads(answer.body)["count"] // 100))
    rng = random.Random(0)
    for kind in ACTIONS:
        user = next(u for u in users if u.kind == kind)
        for name, _weight, make in ACTIONS[kind]:
            if " GET " in name:
                perform(port, user, "warm", make(user, world, rng), None, 600)
    return time.perf_counter() - started


def machine_cpu() -> tuple[float, float]:
    """(busy, total) CPU seconds of the whole machine since boot, from /proc/stat (0, 0 where there is none)."""
    try:
        fields = [int(x) for x in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except OSError:
        return 0.0, 0.0
    tick = os.sysconf("SC_CLK_TCK")
    idle = fields[3] + (fields[4] if len(fields) > 4 else 0)
    return (sum(fields) - idle) / tick, sum(fields) / tick


def process_cpu(pid: int) -> float:
    """CPU seconds used by a process and its living descendants (gunicorn's workers), from /proc."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return 0.0
    return (int(stat[11]) + int(stat[12])) / os.sysconf("SC_CLK_TCK") + sum(process_cpu(int(c)) for c in children)


def database_cpu() -> dict[int, float]:
    """CPU seconds of each PostgreSQL backend now connected to this database, but this process's (/proc)."""
    from django.db import connection

    if connection.vendor != "postgresql":
        return {}
    with connection.cursor() as cursor:
        cursor.execute("SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()")
        pids = [row[0] for row in cursor.fetchall()]
    connection.close()
    return {pid: process_cpu(pid) for pid in pids}


def start_worker(args: argparse.Namespace) -> subprocess.Popen | None:
    if not args.redis_url or args.no_worker:
        return None
    celery = Path(sys.executable).parent / "celery"
    return subprocess.Popen([str(celery), "-A", "dutyadmin", "worker", "--pool", "solo", "--loglevel", "warning",
                             "--without-gossip", "--without-mingle", "--without-heartbeat"],
                            cwd=ROOT, env={**os.environ, "DJANGO_DEBUG": "0"})


def report(recorder: Recorder, wall: float, args: argparse.Namespace) -> int:
    every = [s for values in recorder.times.values() for s in values]
    errors = sum(len(v) for v in recorder.errors.values())
    width = max(len(name) for name in recorder.times) + 2
    print()
    print(f"{'request':<{width}}{'count':>7}{'errors':>8}{'median ms':>11}{'p95 ms':>9}{'max ms':>9}")
    for name in sorted(recorder.times):
        values = recorder.times[name]
        print(f"{name:<{width}}{len(values):7d}{len(recorder.errors.get(name, ())):8d}"
              f"{statistics.median(values) * 1000:11.0f}{pages.percentile(values, 0.95) * 1000:9.0f}"
              f"{max(values) * 1000:9.0f}")
    p95 = pages.percentile(every, 0.95)
    print(f"{'all':<{width}}{len(every):7d}{errors:8d}{statistics.median(every) * 1000:11.0f}{p95 * 1000:9.0f}"
          f"{max(every) * 1000:9.0f}")
    print(f"overall p95 {p95:.3f} s (goal < {args.max_p95} s), {len(every) / wall:.1f} requests per second "
          f"over {wall:.0f} s, errors {errors}")
    for name, items in sorted(recorder.errors.items()):
        for item in items[:5]:
            print(f"error: {name}: {item}")
        if len(items) > 5:
            print(f"error: {name}: … {len(items) - 5} more")
    failed = []
    if errors:
        failed.append(f"{errors} errors")
    if p95 >= args.max_p95:
        slow = max(recorder.times, key=lambda n: pages.percentile(recorder.times[n], 0.95))
        failed.append(f"overall p95 {p95:.3f} s ≥ {args.max_p95} s (slowest: {slow}, p95 "
                      f"{pages.percentile(recorder.times[slow], 0.95):.2f} s)")
    if failed:
        print("FAILED: " + "; ".join(failed))
        return 1
    return 0


def main() -> None:
    args = parse_args()
    os.environ["REDIS_URL"] = args.redis_url  # the cache and the broker, here and in gunicorn and the worker
    rules.setup_django()  # this process: a connection per use
    os.environ["DATABASE_CONN_MAX_AGE"] = str(args.conn_max_age)  # gunicorn's and the worker's
    logging.getLogger("axes").setLevel(logging.WARNING)  # a line per session made
    from django.conf import settings
    from django.db import connection

    from deputies.models import Deputy

    args.records = max(args.records, 60)
    rules.build_or_reuse(args)
    counts = allocate(args.users)
    world, users = prepare(counts, args.seed)
    print(f"date       {dt.datetime.now(dt.timezone.utc):%Y-%m-%d %H:%M} UTC")
    print(f"command    {shlex.join([Path(sys.executable).name, *sys.argv])}")
    print(f"database   {connection.vendor} {connection.settings_dict['NAME']}, {Deputy.objects.count()} deputies, "
          f"{rules.record_total()} records")
    print(f"machine    {os.cpu_count()} CPUs, load average {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    print(f"users      {args.users}: " + ", ".join(f"{n} {kind}" for kind, n in counts.items())
          + f"; think {args.think[0]:g}–{args.think[1]:g} s; {args.seconds:g} s")
    tasks = "Celery worker (1, solo pool)" if args.redis_url and not args.no_worker else (
        "queued, no worker" if args.redis_url else "in-process (eager), no Redis")
    print(f"gunicorn   {args.workers} workers × {args.threads} threads; cache "
          f"{settings.CACHES['default']['BACKEND'].rsplit('.', 1)[-1]}; tasks {tasks}")
    connection.close()

    worker = start_worker(args)
    server = pages.start_gunicorn(args, ("--threads", str(args.threads), "--timeout", "300"))
    try:
        print(f"warm-up    {warm_up(args.port, users, world, args.workers * args.threads):.1f} s "
              "(each process's findings snapshot)", flush=True)
        recorder = Recorder()
        until = time.monotonic() + args.seconds
        threads = [threading.Thread(target=simulate, args=(args.port, user, world, recorder),
                                    kwargs={"until": until, "think": tuple(args.think), "seed": args.seed + number})
                   for number, user in enumerate(users)]
        servers = [p.pid for p in (server, worker) if p is not None]
        cpu_before, mine_before = machine_cpu(), [process_cpu(pid) for pid in servers]
        own_before, database_before = sum(os.times()[:2]), database_cpu()
        started = time.perf_counter()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        wall = time.perf_counter() - started
        cpu_after, mine_after = machine_cpu(), [process_cpu(pid) for pid in servers]
        own = sum(os.times()[:2]) - own_before
        database = database_cpu()
        database_used = sum(cpu - database_before.get(pid, 0.0) for pid, cpu in database.items())
        busy, total = cpu_after[0] - cpu_before[0], cpu_after[1] - cpu_before[1]
        mine = [after - before for before, after in zip(mine_before, mine_after)]
        if total:
            print(f"CPU        machine {busy / total:.0%} busy ({busy:.0f} of {total:.0f} CPU-s); gunicorn {mine[0]:.0f} "
                  f"CPU-s" + (f", Celery worker {mine[1]:.0f} CPU-s" if len(mine) > 1 else "")
                  + f", these clients {own:.0f} CPU-s, the rest (PostgreSQL, Redis, other jobs) "
                  f"{busy - sum(mine) - own:.0f} CPU-s")
        if args.conn_max_age and database:
            print(f"PostgreSQL {database_used:.0f} CPU-s in the {len(database)} connections of gunicorn and the worker "
                  "(of the rest above)")
    finally:
        server.terminate()
        server.wait(timeout=30)
        if worker is not None:
            worker.terminate()
            worker.wait(timeout=30)
    sys.exit(report(recorder, wall, args))


if __name__ == "__main__":
    main()
