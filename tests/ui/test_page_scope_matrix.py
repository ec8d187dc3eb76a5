"""Role × HTML page × method → status, in scope and out of scope (the pages' side of
tests/api/test_scope_matrix.py, over the same world).

Every user works for 东四 (the street roles of 东四, the deputy d1 of 东四, the head of 东四's
delegation) or for the whole district; "in" is d1 / 东四's activity, "out" is c1 / 朝阳门's.
An anonymous visitor is sent to the login page. The statuses are written below by hand, one
column per role; they are what the pages answered before the permissions moved to
dutyadmin/permissions.py, and must stay so.

The world is built once for the module; each case runs in its own savepoint, so a POST that
succeeds (an approval, a deletion) is rolled back before the next.
"""
import datetime as dt

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import Client

from activities.models import SelfRegistration
from dutyadmin.models import ExportJob
from meetings.models import Contribution, LeaveApprovalStep
from tests import factories
from tests.api.test_scope_matrix import build_world

ROLES = ["street_staff", "street_director", "deputy", "delegation_head", "secretariat",
         "presidium_secretary_general", "sc_office", "sc_leader", "liaison_office", "admin", "anonymous"]


def extend_world(world: dict) -> dict:
    """What the pages need beyond the API world: a pending leave, a deputy's own entries, export jobs."""
    d1, c1 = world["deputies"]["d1"], world["deputies"]["c1"]
    world["records"].pop(("terms", "x")).delete()  # the pages default to the newest term: the world's
    for key, deputy in (("in", d1), ("out", c1)):
        leave = factories.LeaveRequestFactory(deputy=deputy, session=world["session"], route="delegation_meeting",
                                              status="pending")
        leave.meetings.set([world["m1"]])
        LeaveApprovalStep.objects.create(leave_request=leave, order=1, code="delegation_head_approve",
                                         role="delegation_head")
        LeaveApprovalStep.objects.create(leave_request=leave, order=2, code="secretariat_file", role="secretariat")
        world[("pending_leave", key)] = leave
        world[("draft_leave", key)] = world["records"][("leave-requests", "d1" if key == "in" else "c1")]
        world[("own_contribution", key)] = Contribution.objects.create(
            deputy=deputy, kind="suggestion", date=dt.date(2024, 3, 2), title="代表自己登记的建议", confirmed=False)
        world[("self_registration", key)] = SelfRegistration.objects.create(
            deputy=deputy, kind="constituent_visit", title="自己走访选民", date=dt.date(2024, 4, 2), location="东四")
        world[("contribution", key)] = world["records"][("contributions", "d1" if key == "in" else "c1")]
        world[("intervention", key)] = world["records"][("interventions", "d1" if key == "in" else "c1")]
        world[("participation", key)] = world["records"][("participations", "d1" if key == "in" else "c1")]
        world[("deputy", key)] = deputy
        world[("activity", key)] = world["act"]["DS" if key == "in" else "CY"]
        world[("street", key)] = world["ds"] if key == "in" else world["cy"]
    world["jobs"] = {
        role: ExportJob.objects.create(user=user, identifier="roster", status="done", progress=100, rows=1,
                                       filename="代表名册.xlsx")
        for role, user in world["users"].items()
    }
    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield extend_world(build_world())
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def scoped(part):
    """A part of a path that names an object in scope ("in") or out of scope ("out")."""
    part.scoped = True
    return part


def pk(name):
    return scoped(lambda world, role, key: world[(name, key)].pk)


def page(path: str, *parts, method: str = "get", data: dict | None = None) -> dict:
    """A case: the path with {} filled from parts(world, role, key), the method, the POST body."""
    def url(world, role, key):
        return path.format(*(part(world, role, key) for part in parts))
    keys = ("in", "out") if any(getattr(part, "scoped", False) for part in parts) else ("in",)
    return {"url": url, "method": method, "data": data or {}, "keys": keys}


@scoped
def own_job(world, role, key):
    """The user's own export job ("in"), or the liaison office's ("out"; the liaison office: the admin's)."""
    if key == "in":
        owner = "liaison_office" if role == "anonymous" else role
    else:
        owner = "admin" if role == "liaison_office" else "liaison_office"
    return world["jobs"][owner].pk


def term_pk(world, role, key):
    return world["term"].pk


@scoped
def street_pk(world, role, key):
    return world[("street", key)].pk


def session_pk(world, role, key):
    return world["session"].pk


def meeting_pk(world, role, key):
    return world["m1"].pk


# Pages without an object are asked once (key "in"); pages of an object for d1 / 东四 ("in") and
# c1 / 朝阳门 ("out").
PAGES = {
    "home": page("/"),
    "deputy list": page("/deputies/"),
    "my deputy page": page("/deputies/mine/"),
    "deputy create": page("/deputies/new/"),
    "deputy detail": page("/deputies/{}/", pk("deputy")),
    "deputy edit": page("/deputies/{}/edit/", pk("deputy")),
    "deputy history": page("/deputies/{}/history/", pk("deputy")),
    "session list": page("/meetings/sessions/"),
    "session create": page("/meetings/sessions/new/"),
    "session detail": page("/meetings/sessions/{}/", session_pk),
    "session edit": page("/meetings/sessions/{}/edit/", session_pk),
    "meeting create": page("/meetings/sessions/{}/meetings/new/", session_pk),
    "meeting edit": page("/meetings/meeting/{}/edit/", meeting_pk),
    "attendance sheet": page("/meetings/meeting/{}/attendance/", meeting_pk),
    "bulletin": page("/meetings/sessions/{}/bulletin/", session_pk),
    "bulletin xlsx": page("/meetings/sessions/{}/bulletin.xlsx", session_pk),
    "leave list": page("/meetings/leave/"),
    "leave create": page("/meetings/leave/new/"),
    "leave inbox": page("/meetings/leave/inbox/"),
    "leave backfill": page("/meetings/leave/backfill/"),
    "leave detail": page("/meetings/leave/{}/", pk("draft_leave")),
    "leave edit": page("/meetings/leave/{}/edit/", pk("draft_leave")),
    "leave approve": page("/meetings/leave/{}/act/", pk("pending_leave"), method="post",
                          data={"action": "approve", "comment": ""}),
    "leave withdraw": page("/meetings/leave/{}/act/", pk("draft_leave"), method="post",
                           data={"action": "withdraw", "comment": ""}),
    "contribution list": page("/meetings/contributions/"),
    "contribution create": page("/meetings/contributions/new/"),
    "contribution self create": page("/meetings/contributions/mine/new/"),
    "contribution review": page("/meetings/contributions/review/"),
    "contribution edit": page("/meetings/contributions/{}/edit/", pk("contribution")),
    "contribution confirm": page("/meetings/contributions/{}/confirm/", pk("own_contribution"), method="post"),
    "activity list": page("/activities/"),
    "activity create": page("/activities/new/"),
    "activity detail": page("/activities/{}/", pk("activity")),
    "activity edit": page("/activities/{}/edit/", pk("activity")),
    "activity delete": page("/activities/{}/delete/", pk("activity")),
    "activity delete post": page("/activities/{}/delete/", pk("activity"), method="post"),
    "activity invite": page("/activities/{}/invite/", pk("activity")),
    "activity participations": page("/activities/{}/participations/", pk("activity")),
    "my activities": page("/activities/mine/"),
    "my invitations": page("/activities/invitations/"),
    "invitation answer": page("/activities/invitations/{}/answer/", pk("participation"), method="post",
                              data={"attend": "yes"}),
    "self registration list": page("/activities/self/"),
    "self registration create": page("/activities/self/new/"),
    "self registration detail": page("/activities/self/{}/", pk("self_registration")),
    "self registration edit": page("/activities/self/{}/edit/", pk("self_registration")),
    "self registration approve": page("/activities/self/{}/approve/", pk("self_registration"), method="post"),
    "self registration reviews": page("/activities/reviews/"),
    "import list": page("/activities/import/"),
    "import template": page("/activities/import/template/"),
    "finding list": page("/oversight/findings/"),
    "my findings": page("/oversight/mine/"),
    "deputy findings": page("/oversight/deputies/{}/", pk("deputy")),
    "data checks": page("/oversight/data-checks/"),
    "intervention list": page("/oversight/interventions/"),
    "intervention create": page("/oversight/interventions/new/"),
    "intervention edit": page("/oversight/interventions/{}/edit/", pk("intervention")),
    "my handbook": page("/oversight/handbook/"),
    "handbook": page("/oversight/deputies/{}/handbook/?year=2024", pk("deputy")),
    "handbook pdf": page("/oversight/deputies/{}/handbook.pdf?year=2024", pk("deputy")),
    "review board": page("/oversight/reviews/?year=2024"),
    "review street": page("/oversight/reviews/{}/2024/{}/", term_pk, street_pk),
    "notification inbox": page("/oversight/notifications/"),
    "notification preferences": page("/oversight/notifications/preferences/"),
    "notification log": page("/oversight/notifications/sent/"),
    "notification unread": page("/oversight/notifications/unread/"),
    "exports index": page("/exports/"),
    "export form roster": page("/exports/roster/"),
    "export form findings": page("/exports/findings/"),
    "export form absence_bulletin": page("/exports/absence_bulletin/"),
    "export job": page("/exports/jobs/{}/", own_job),
    "export job status": page("/exports/jobs/{}/status/", own_job),
    "export download": page("/exports/jobs/{}/download/", own_job),
    "django admin": page("/admin/"),
    # branch holidays
    "holiday schedules": page("/oversight/holidays/"),
    # --- gaps14a: the public pages' settings, publishing an intervention, the printable check-in codes
    "public settings": page("/public-settings/"),
    "public settings post": page("/public-settings/", method="post", data={"enabled": "on"}),
    "intervention publish": page("/public-settings/interventions/{}/publish/", pk("intervention"), method="post",
                                 data={"published": "1"}),
    "activity checkin code": page("/activities/{}/checkin-code/", pk("activity")),
    "meeting checkin code": page("/meetings/meeting/{}/checkin-code/", meeting_pk),
}



def fetch(world: dict, role: str, name: str, key: str) -> int:
    """The status of the page for the role, its object in scope or not; a login redirect is "login"."""
    case = PAGES[name]
    client = Client()
    if role != "anonymous":
        client.force_login(world["users"][role])
    url = case["url"](world, role, key)
    if name == "export download":
        job = ExportJob.objects.get(pk=url.split("/")[3])
        job.file.save(f"job-{job.pk}.xlsx", ContentFile(b"PK\x03\x04"), save=True)
    response = getattr(client, case["method"])(url, case["data"])
    if response.status_code == 302 and response["Location"].startswith("/accounts/login/"):
        return "login"
    return str(response.status_code)


# One column per role (ROLES' order); "name/in" and "name/out" for a page of an object in and out
# of the user's scope. "login": sent to the login page; 302 otherwise is the page's own redirect
# (a deputy's own page instead of a list, a successful action).
EXPECTED = {
    #                                ss    sd    dep   dh    sec   psg   sco   scl   lia   adm   anon
    "home":                          "200   200   200   200   200   200   200   200   200   200   login",
    "deputy list":                   "200   200   302   200   200   200   200   200   200   200   login",
    "my deputy page":                "404   404   302   404   404   404   404   404   404   404   login",
    "deputy create":                 "403   403   403   403   403   403   403   403   200   200   login",
    "deputy detail/in":              "200   200   200   200   200   200   200   200   200   200   login",
    "deputy detail/out":             "404   404   404   404   200   200   200   200   200   200   login",
    "deputy edit/in":                "403   403   403   403   403   403   403   403   200   200   login",
    "deputy edit/out":               "403   403   403   403   403   403   403   403   200   200   login",
    "deputy history/in":             "200   200   200   200   200   200   200   200   200   200   login",
    "deputy history/out":            "404   404   404   404   200   200   200   200   200   200   login",
    "session list":                  "200   200   403   200   200   200   200   200   200   200   login",
    "session create":                "403   403   403   403   200   403   403   403   403   200   login",
    "session detail":                "200   200   403   200   200   200   200   200   200   200   login",
    "session edit":                  "403   403   403   403   200   403   403   403   403   200   login",
    "meeting create":                "403   403   403   403   200   403   403   403   403   200   login",
    "meeting edit":                  "403   403   403   403   200   403   403   403   403   200   login",
    "attendance sheet":              "200   200   403   200   200   200   200   200   200   200   login",
    "bulletin":                      "200   200   403   200   200   200   200   200   200   200   login",
    # Kept for old links: opens the bulletin's export form (an export job since issue 10).
    "bulletin xlsx":                 "302   302   403   302   302   302   302   302   302   302   login",
    "leave list":                    "200   200   200   200   200   200   200   200   200   200   login",
    "leave create":                  "200   403   200   403   200   403   403   403   200   200   login",
    "leave inbox":                   "403   200   403   200   200   200   200   200   403   200   login",
    "leave backfill":                "200   403   403   403   200   403   403   403   200   200   login",
    "leave detail/in":               "200   200   200   200   200   200   200   200   200   200   login",
    "leave detail/out":              "404   404   404   404   200   200   200   200   200   200   login",
    "leave edit/in":                 "200   403   200   403   200   403   403   403   200   200   login",
    "leave edit/out":                "404   404   404   404   200   403   403   403   200   200   login",
    "leave approve/in":              "403   403   403   302   403   403   403   403   403   302   login",
    "leave approve/out":             "404   404   404   404   403   403   403   403   403   302   login",
    "leave withdraw/in":             "302   403   302   403   302   403   403   403   302   302   login",
    "leave withdraw/out":            "404   404   404   404   302   403   403   403   302   302   login",
    "contribution list":             "200   200   200   200   200   200   200   200   200   200   login",
    "contribution create":           "200   403   403   403   200   403   403   403   200   200   login",
    "contribution self create":      "403   403   200   403   403   403   403   403   403   403   login",
    "contribution review":           "200   403   403   403   200   403   403   403   200   200   login",
    "contribution edit/in":          "200   403   403   403   200   403   403   403   200   200   login",
    "contribution edit/out":         "404   404   404   404   200   403   403   403   200   200   login",
    "contribution confirm/in":       "302   403   403   403   302   403   403   403   302   302   login",
    "contribution confirm/out":      "404   404   404   404   302   403   403   403   302   302   login",
    # A deputy's /activities/ is their own activities (issue 11), not the staff list.
    "activity list":                 "200   200   302   200   200   200   200   200   200   200   login",
    "activity create":               "200   403   403   403   403   403   403   403   200   200   login",
    "activity detail/in":            "200   200   200   200   200   200   200   200   200   200   login",
    "activity detail/out":           "404   404   404   404   200   200   200   200   200   200   login",
    "activity edit/in":              "200   403   403   403   403   403   403   403   200   200   login",
    "activity edit/out":             "404   404   404   404   403   403   403   403   200   200   login",
    "activity delete/in":            "200   403   403   403   403   403   403   403   200   200   login",
    "activity delete/out":           "404   404   404   404   403   403   403   403   200   200   login",
    "activity delete post/in":       "302   403   403   403   403   403   403   403   302   302   login",
    "activity delete post/out":      "404   404   404   404   403   403   403   403   302   302   login",
    "activity invite/in":            "200   403   403   403   403   403   403   403   200   200   login",
    "activity invite/out":           "404   404   404   404   403   403   403   403   200   200   login",
    "activity participations/in":    "200   403   403   403   403   403   403   403   200   200   login",
    "activity participations/out":   "404   404   404   404   403   403   403   403   200   200   login",
    "my activities":                 "403   403   200   403   403   403   403   403   403   403   login",
    "my invitations":                "403   403   200   403   403   403   403   403   403   403   login",
    # The world's participations are of a past activity: too late to answer (400); another deputy's: 404.
    "invitation answer/in":          "403   403   400   403   403   403   403   403   403   403   login",
    "invitation answer/out":         "403   403   404   403   403   403   403   403   403   403   login",
    "self registration list":        "403   403   200   403   403   403   403   403   403   403   login",
    "self registration create":      "403   403   200   403   403   403   403   403   403   403   login",
    "self registration detail/in":   "200   200   200   200   200   200   200   200   200   200   login",
    "self registration detail/out":  "404   404   404   404   200   200   200   200   200   200   login",
    "self registration edit/in":     "403   403   200   403   403   403   403   403   403   403   login",
    "self registration edit/out":    "403   403   404   403   403   403   403   403   403   403   login",
    "self registration approve/in":  "302   403   403   403   403   403   403   403   302   302   login",
    "self registration approve/out": "404   404   404   404   403   403   403   403   302   302   login",
    "self registration reviews":     "200   403   403   403   403   403   403   403   200   200   login",
    "import list":                   "200   403   403   403   403   403   403   403   200   200   login",
    "import template":               "200   403   403   403   403   403   403   403   200   200   login",
    "finding list":                  "200   200   302   200   200   200   200   200   200   200   login",
    "my findings":                   "404   404   302   404   404   404   404   404   404   404   login",
    "deputy findings/in":            "200   200   200   200   200   200   200   200   200   200   login",
    "deputy findings/out":           "404   404   404   404   200   200   200   200   200   200   login",
    "data checks":                   "200   200   302   200   200   200   200   200   200   200   login",
    "intervention list":             "200   200   200   200   200   200   200   200   200   200   login",
    "intervention create":           "403   200   403   200   200   403   200   200   200   200   login",
    "intervention edit/in":          "403   200   403   200   403   403   403   403   200   200   login",
    "intervention edit/out":         "404   404   404   404   403   403   403   403   200   200   login",
    "my handbook":                   "404   404   302   404   404   404   404   404   404   404   login",
    "handbook/in":                   "200   200   200   200   200   200   200   200   200   200   login",
    "handbook/out":                  "404   404   404   404   200   200   200   200   200   200   login",
    "handbook pdf/in":               "200   200   200   200   200   200   200   200   200   200   login",
    "handbook pdf/out":              "404   404   404   404   200   200   200   200   200   200   login",
    "review board":                  "302   302   403   403   200   200   200   200   200   200   login",
    "review street/in":              "200   200   404   404   200   200   200   200   200   200   login",
    "review street/out":             "404   404   404   404   200   200   200   200   200   200   login",
    "notification inbox":            "200   200   200   200   200   200   200   200   200   200   login",
    "notification preferences":      "200   200   200   200   200   200   200   200   200   200   login",
    "notification log":              "200   200   403   403   403   403   403   403   200   200   login",
    "notification unread":           "200   200   200   200   200   200   200   200   200   200   login",
    "exports index":                 "200   200   403   200   200   200   200   200   200   200   login",
    "export form roster":            "200   200   403   200   200   200   200   200   200   200   login",
    "export form findings":          "200   200   403   200   200   200   200   200   200   200   login",
    "export form absence_bulletin":  "200   200   403   200   200   200   200   200   200   200   login",
    "export job/in":                 "200   200   200   200   200   200   200   200   200   200   login",
    "export job/out":                "404   404   404   404   404   404   404   404   404   404   login",
    "export job status/in":          "200   200   200   200   200   200   200   200   200   200   login",
    "export job status/out":         "404   404   404   404   404   404   404   404   404   404   login",
    "export download/in":            "200   200   200   200   200   200   200   200   200   200   login",
    "export download/out":           "404   404   404   404   404   404   404   404   404   404   login",
    "django admin":                  "302   302   302   302   302   302   302   302   302   200   302",
    # branch holidays
    "holiday schedules":             "403   403   403   403   403   403   403   403   200   200   login",
    # --- gaps14a
    "public settings":               "403   403   403   403   403   403   403   403   200   200   login",
    "public settings post":          "403   403   403   403   403   403   403   403   302   302   login",
    "intervention publish/in":       "403   403   403   403   403   403   403   403   302   302   login",
    "intervention publish/out":      "403   403   403   403   403   403   403   403   302   302   login",
    "activity checkin code/in":      "200   403   403   403   403   403   403   403   200   200   login",
    "activity checkin code/out":     "403   403   403   403   403   403   403   403   200   200   login",
    "meeting checkin code":          "403   403   403   403   200   403   403   403   403   200   login",
}


CASES = [
    (name, key) for name, case in PAGES.items() for key in case["keys"]
]


def label(name: str, key: str) -> str:
    return name if PAGES[name]["keys"] == ("in",) else f"{name}/{key}"


def test_the_table_names_every_case():
    assert {label(name, key) for name, key in CASES} == set(EXPECTED)


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "key"), CASES, ids=[label(n, k) for n, k in CASES])
def test_page_scope_matrix(world, name, key, role):
    wanted = EXPECTED[label(name, key)].split()[ROLES.index(role)]
    assert fetch(world, role, name, key) == wanted
