"""Role × endpoint × method → status, over two street committees (东四 and 朝阳门).

Who is who: every user works for 东四 (the street roles of 东四, the deputy d1 of 东四, the head
of the delegation that seats d1 and d2) or for the whole district. Deputies d1 and d2 sit in 东四,
c1 in 朝阳门; each has an attendance, a participation, a contribution, a draft leave request, an
intervention and a contact assignment. Out-of-scope objects answer 404; writes that the policy
refuses answer 403 (or 400 when the body names a deputy or activity the user cannot see), and
leave the database unchanged.

The world is built once for the module inside a transaction that is rolled back at the end;
each test runs in its own savepoint.
"""
import datetime as dt

import pytest
from django.db import transaction
from django.forms.models import model_to_dict
from rest_framework.test import APIClient

from activities.models import Activity, Participation
from deputies.models import ContactAssignment, Delegation, Deputy, StreetCommittee, Term
from dutyadmin.roles import Role
from meetings.models import Attendance, CongressSession, Contribution, LeaveRequest, Meeting
from oversight.models import Intervention
from tests import factories

ANON = "anonymous"
ROLES = [r.value for r in Role] + [ANON]
DISTRICT = {"secretariat", "presidium_secretary_general", "sc_office", "sc_leader", "liaison_office", "admin"}
OWNERS = ("d1", "d2", "c1")


# --- the world ---------------------------------------------------------------------------------


def build_world() -> dict:
    term = factories.TermFactory(number=17)
    ds = factories.StreetCommitteeFactory(name="东四", code="DS")
    cy = factories.StreetCommitteeFactory(name="朝阳门", code="CY")
    del_a = factories.DelegationFactory(term=term, name="东四代表团")
    del_b = factories.DelegationFactory(term=term, name="朝阳门代表团")
    deputies = {
        "d1": factories.DeputyFactory(term=term, name="东四甲", street_committee=ds, delegation=del_a),
        "d2": factories.DeputyFactory(term=term, name="东四乙", street_committee=ds, delegation=del_a),
        "c1": factories.DeputyFactory(term=term, name="朝阳门丙", street_committee=cy, delegation=del_b),
    }
    session = factories.CongressSessionFactory(term=term, number=3, start_date=dt.date(2024, 1, 10),
                                               end_date=dt.date(2024, 1, 13))
    m1 = factories.MeetingFactory(session=session, kind="plenary", date=dt.date(2024, 1, 10))
    m3 = factories.MeetingFactory(session=session, kind="plenary", date=dt.date(2024, 1, 11))
    act = {
        "DS": factories.ActivityFactory(term=term, organizer_level="street_committee", street_committee=ds),
        "CY": factories.ActivityFactory(term=term, organizer_level="street_committee", street_committee=cy),
    }
    act2 = {
        "DS": factories.ActivityFactory(term=term, organizer_level="street_committee", street_committee=ds),
        "CY": factories.ActivityFactory(term=term, organizer_level="street_committee", street_committee=cy),
    }
    street_of = {"d1": "DS", "d2": "DS", "c1": "CY"}
    records = {}
    for owner, deputy in deputies.items():
        records[("attendance", owner)] = factories.AttendanceFactory(meeting=m1, deputy=deputy)
        records[("participations", owner)] = factories.ParticipationFactory(
            activity=act[street_of[owner]], deputy=deputy
        )
        records[("contributions", owner)] = factories.ContributionFactory(deputy=deputy)
        leave = factories.LeaveRequestFactory(deputy=deputy, session=session, route="plenary")
        leave.meetings.set([m1])
        records[("leave-requests", owner)] = leave
        records[("interventions", owner)] = factories.InterventionFactory(deputy=deputy)
        records[("contact-assignments", owner)] = factories.ContactAssignmentFactory(deputy=deputy, term=term)
        records[("deputies", owner)] = deputy
    for street in ("DS", "CY"):
        records[("activities", street)] = act[street]
    # Reference data nothing else refers to, so a DELETE can succeed.
    records[("terms", "x")] = factories.TermFactory(number=99, start_date=dt.date(2040, 1, 1),
                                                    end_date=dt.date(2044, 12, 31))
    records[("street-committees", "x")] = factories.StreetCommitteeFactory(name="空街道", code="ZZ")
    records[("delegations", "x")] = factories.DelegationFactory(term=term, name="空代表团")
    records[("sessions", "x")] = factories.CongressSessionFactory(term=term, number=9,
                                                                  start_date=dt.date(2025, 1, 10),
                                                                  end_date=dt.date(2025, 1, 12))
    records[("meetings", "x")] = factories.MeetingFactory(session=session, date=dt.date(2024, 1, 12))

    users = {
        Role.STREET_STAFF: factories.make_user(Role.STREET_STAFF, username="ss", street_committee=ds),
        Role.STREET_DIRECTOR: factories.make_user(Role.STREET_DIRECTOR, username="sd", street_committee=ds),
        Role.DEPUTY: factories.make_user(Role.DEPUTY, username="dep", deputy=deputies["d1"]),
        Role.DELEGATION_HEAD: factories.make_user(Role.DELEGATION_HEAD, username="dh", delegation=del_a),
        Role.HANDLING_UNIT: factories.make_user(Role.HANDLING_UNIT, username="hu",
                                                handling_unit=factories.HandlingUnitFactory(name="区交通委", code="JTW")),
        Role.SC_MEMBER: factories.make_user(Role.SC_MEMBER, username="scm"),
    }
    for role in DISTRICT:
        users[role] = factories.make_user(role, username=role)
    return {
        "term": term, "ds": ds, "cy": cy, "del_a": del_a, "deputies": deputies, "session": session,
        "m1": m1, "m3": m3, "act": act, "act2": act2, "street_of": street_of, "records": records,
        "users": {str(k): v for k, v in users.items()},
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield build_world()
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


# --- expectations ------------------------------------------------------------------------------
# Per endpoint and role: the status for the records of d1, d2, c1 (or of 东四's and 朝阳门's
# activity, or of the one reference object "x"). "vis" lists what the role sees.

SEE_ALL = {role: "d1 d2 c1" for role in DISTRICT}
# A handling unit's staff and a standing-committee member see no deputy's records here (their own work is
# suggestions, and contacts).
UNSCOPED = {"handling_unit": "", "sc_member": ""}
SEE = {"street_staff": "d1 d2", "street_director": "d1 d2", "delegation_head": "d1 d2", "deputy": "d1", **SEE_ALL,
       **UNSCOPED}
SEE_ACT = {"street_staff": "DS", "street_director": "DS", "delegation_head": "DS", "deputy": "DS",
           **{role: "DS CY" for role in DISTRICT}, **UNSCOPED}


def expect(default: str, **roles: str) -> dict[str, str]:
    return {role: roles.get(role, default) for role in ROLES if role != ANON}


# Reference writers (liaison office, admin) edit deputies and contact assignments.
REFERENCE_PATCH = expect("403 403 403", street_staff="403 403 404", street_director="403 403 404",
                         delegation_head="403 403 404", deputy="403 404 404",
                         liaison_office="200 200 200", admin="200 200 200")
PATCH = {
    "deputies": REFERENCE_PATCH,
    "contact-assignments": REFERENCE_PATCH,
    # The secretariat records attendance.
    "attendance": expect("403 403 403", street_staff="403 403 404", street_director="403 403 404",
                         delegation_head="403 403 404", deputy="403 404 404",
                         secretariat="200 200 200", admin="200 200 200"),
    # Street staff record their own street's deputies' contributions; the district's record offices all.
    "contributions": expect("403 403 403", street_staff="200 200 404", street_director="403 403 404",
                            delegation_head="403 403 404", deputy="403 404 404",
                            secretariat="200 200 200", liaison_office="200 200 200", admin="200 200 200"),
    # A deputy asks for their own leave; street staff for their street's; secretariat and liaison for all.
    "leave-requests": expect("403 403 403", street_staff="200 200 404", street_director="403 403 404",
                             delegation_head="403 403 404", deputy="200 404 404",
                             secretariat="200 200 200", liaison_office="200 200 200", admin="200 200 200"),
    # Each rule's intervention is recorded by the role RULES.md makes responsible, in scope; the
    # liaison office records all. The records are `session_absence_talk`s: the delegation head's
    # (or the street director's) talk.
    "interventions": expect("403 403 403", street_staff="403 403 404", street_director="200 200 404",
                            delegation_head="200 200 404", deputy="403 404 404",
                            liaison_office="200 200 200", admin="200 200 200"),
    # The organizing street's staff register participation in their own activities.
    "participations": expect("403 403 403", street_staff="200 200 404", street_director="403 403 404",
                             delegation_head="403 403 404", deputy="403 404 404",
                             liaison_office="200 200 200", admin="200 200 200"),
    "activities": expect("403 403", street_staff="200 404", street_director="403 404",
                         delegation_head="403 404", deputy="403 404",
                         liaison_office="200 200", admin="200 200"),
    # Reference data: everybody reads it; the liaison office (or the secretariat for sessions) edits it.
    "terms": expect("403", liaison_office="200", admin="200"),
    "street-committees": expect("403", liaison_office="200", admin="200"),
    "delegations": expect("403", liaison_office="200", admin="200"),
    "sessions": expect("403", secretariat="200", admin="200"),
    "meetings": expect("403", secretariat="200", admin="200"),
}
# POST a new record for d1, d2, c1 (or for 东四 / 朝阳门): 400 when the body names a deputy or an
# activity the user cannot see, 403 when the policy refuses.
POST = {
    "deputies": expect("403 403 403", liaison_office="201 201 201", admin="201 201 201"),
    "contact-assignments": expect("403 403 403", liaison_office="201 201 201", admin="201 201 201"),
    "attendance": expect("403 403 403", secretariat="201 201 201", admin="201 201 201"),
    # A deputy may enter their own (unconfirmed until staff confirm it, see test_contribution_confirmation).
    "contributions": expect("403 403 403", street_staff="201 201 400", street_director="403 403 400",
                            delegation_head="403 403 400", deputy="201 400 400",
                            secretariat="201 201 201", liaison_office="201 201 201", admin="201 201 201"),
    "leave-requests": expect("403 403 403", street_staff="201 201 400", street_director="403 403 400",
                             delegation_head="403 403 400", deputy="201 400 400",
                             secretariat="201 201 201", liaison_office="201 201 201", admin="201 201 201"),
    # A `no_contact_talk` is the street director's to conduct, not the delegation head's.
    "interventions": expect("403 403 403", street_staff="403 403 400", street_director="201 201 400",
                            delegation_head="403 403 400", deputy="403 400 400",
                            liaison_office="201 201 201", admin="201 201 201"),
    # The new participation is at a second activity of the deputy's street that nobody joined yet:
    # only street roles (of its street) and the district see it.
    "participations": expect("403 403 403", street_staff="201 201 400", street_director="403 403 400",
                             delegation_head="400 400 400", deputy="400 400 400",
                             liaison_office="201 201 201", admin="201 201 201"),
    "activities": expect("403 403", street_staff="201 403", liaison_office="201 201", admin="201 201"),
    "terms": expect("403", liaison_office="201", admin="201"),
    "street-committees": expect("403", liaison_office="201", admin="201"),
    "delegations": expect("403", liaison_office="201", admin="201"),
    "sessions": expect("403", secretariat="201", admin="201"),
    "meetings": expect("403", secretariat="201", admin="201"),
}
REFERENCE = {"terms", "street-committees", "delegations", "sessions", "meetings"}
# Seeing no deputy: a deputy's record is a 404 to change, and a new one naming a deputy a 400 ("does not exist").
for _role in UNSCOPED:
    for _endpoint in set(PATCH) - REFERENCE:
        PATCH[_endpoint][_role] = " ".join(["404"] * len(PATCH[_endpoint][_role].split()))
    for _endpoint in ("contributions", "leave-requests", "interventions", "participations"):
        POST[_endpoint][_role] = "400 400 400"
ENDPOINTS = list(PATCH)
MODELS = {
    "deputies": Deputy, "contact-assignments": ContactAssignment, "attendance": Attendance,
    "contributions": Contribution, "leave-requests": LeaveRequest, "interventions": Intervention,
    "participations": Participation, "activities": Activity, "terms": Term,
    "street-committees": StreetCommittee, "delegations": Delegation, "sessions": CongressSession,
    "meetings": Meeting,
}


def owners_of(endpoint: str) -> tuple[str, ...]:
    if endpoint in REFERENCE:
        return ("x",)
    if endpoint == "activities":
        return ("DS", "CY")
    return OWNERS


def visible(role: str, endpoint: str) -> set[str]:
    if endpoint in REFERENCE:
        return {"x"}
    return set((SEE_ACT if endpoint == "activities" else SEE)[role].split())


def patch_body(endpoint: str) -> dict:
    return {
        "deputies": {"phone": "010-12345678"},
        "contact-assignments": {},  # contacts: member and deputy are ids; an empty PATCH tests the policy alone
        "attendance": {"status": "absent"},
        "contributions": {"title": "改过的标题"},
        "leave-requests": {"reason": "改过的事由"},
        "interventions": {"notes": "改过的备注"},
        "participations": {"outcome": "absent"},
        "activities": {"title": "改过的活动"},
        "terms": {"name": "改过的届"},
        "street-committees": {"name": "改过的街道"},
        "delegations": {"name": "改过的代表团"},
        "sessions": {"name": "改过的大会"},
        "meetings": {"title": "改过的会议"},
    }[endpoint]


def post_body(world: dict, endpoint: str, owner: str) -> dict:
    if endpoint in ("activities",):
        street = world["ds"] if owner == "DS" else world["cy"]
        return {"term": world["term"].pk, "kind": "inspection", "title": "新活动", "date": "2024-06-01",
                "organizer_level": "street_committee", "street_committee": street.pk}
    if endpoint == "terms":
        return {"number": 30, "name": "第三十届", "start_date": "2050-01-01", "end_date": "2054-12-31"}
    if endpoint == "street-committees":
        return {"name": "新街道", "code": "NEW"}
    if endpoint == "delegations":
        return {"term": world["term"].pk, "name": "新代表团", "head": None}
    if endpoint == "sessions":
        return {"term": world["term"].pk, "number": 4, "name": "第四次会议",
                "start_date": "2025-02-01", "end_date": "2025-02-03"}
    if endpoint == "meetings":
        return {"session": world["session"].pk, "kind": "plenary", "title": "新会议", "date": "2024-01-13",
                "half_day": "pm"}
    deputy = world["deputies"][owner]
    street = world["street_of"][owner]
    return {
        "deputies": {"term": world["term"].pk, "name": "新代表", "gender": "M",
                     "street_committee": deputy.street_committee_id, "delegation": deputy.delegation_id,
                     "status": "active", "service_start": "2022-01-01"},
        "contact-assignments": {"term": world["term"].pk, "member": world["users"]["sc_member"].pk, "deputy": deputy.pk},
        "attendance": {"meeting": world["m3"].pk, "deputy": deputy.pk, "status": "present"},
        "contributions": {"deputy": deputy.pk, "session": None, "kind": "suggestion", "date": "2024-03-01",
                          "title": "新建议"},
        "leave-requests": {"deputy": deputy.pk, "session": world["session"].pk, "route": "plenary",
                           "meetings": [world["m3"].pk], "reason": "出差"},
        "interventions": {"deputy": deputy.pk, "rule": "no_contact_talk", "kind": "talk", "date": "2024-05-01",
                          "conducted_by": "主任"},
        "participations": {"activity": world["act2"][street].pk, "deputy": deputy.pk, "confirmed": True,
                           "outcome": "attended"},
    }[endpoint]


def client_for(world: dict, role: str) -> APIClient:
    client = APIClient()
    if role != ANON:
        client.force_authenticate(world["users"][role])
    return client


def snapshot(obj) -> dict | None:
    fresh = type(obj).objects.filter(pk=obj.pk).first()
    return None if fresh is None else model_to_dict(fresh, exclude=["certificate"])


def url(endpoint: str, pk: int | None = None) -> str:
    return f"/api/v1/{endpoint}/" + (f"{pk}/" if pk else "")


# --- the matrix --------------------------------------------------------------------------------

METHODS = ["list", "detail", "post", "patch", "delete"]


@pytest.mark.django_db
@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("endpoint", ENDPOINTS)
@pytest.mark.parametrize("role", ROLES)
def test_scope_matrix(world, role, endpoint, method):
    client = client_for(world, role)
    records = world["records"]
    owners = owners_of(endpoint)

    if role == ANON:
        target = records[(endpoint, owners[0])]
        call = {
            "list": lambda: client.get(url(endpoint)),
            "detail": lambda: client.get(url(endpoint, target.pk)),
            "post": lambda: client.post(url(endpoint), post_body(world, endpoint, owners[0]), format="json"),
            "patch": lambda: client.patch(url(endpoint, target.pk), patch_body(endpoint), format="json"),
            "delete": lambda: client.delete(url(endpoint, target.pk)),
        }[method]
        before = snapshot(target), MODELS[endpoint].objects.count()
        assert call().status_code == 401  # no credentials: 401 with WWW-Authenticate
        assert (snapshot(target), MODELS[endpoint].objects.count()) == before
        return

    seen = visible(role, endpoint)
    failures = []

    if method == "list":
        response = client.get(url(endpoint), {"page_size": 1000})
        assert response.status_code == 200
        ids = {row["id"] for row in response.json()["results"]}
        for owner in owners:
            shown = records[(endpoint, owner)].pk in ids
            if shown != (owner in seen):
                failures.append(f"{owner}: {'listed' if shown else 'missing'}")

    elif method == "detail":
        for owner in owners:
            status = client.get(url(endpoint, records[(endpoint, owner)].pk)).status_code
            wanted = 200 if owner in seen else 404
            if status != wanted:
                failures.append(f"{owner}: {status} != {wanted}")

    elif method == "post":
        model = MODELS[endpoint]
        for owner, wanted in zip(owners, POST[endpoint][role].split()):
            count = model.objects.count()
            response = client.post(url(endpoint), post_body(world, endpoint, owner), format="json")
            if response.status_code != int(wanted):
                failures.append(f"{owner}: {response.status_code} != {wanted} {response.content[:200]!r}")
            if response.status_code == 201:
                assert model.objects.count() == count + 1
                model.objects.filter(pk=response.json()["id"]).delete()  # the next owner's POST is alike
            else:
                assert model.objects.count() == count, f"{owner}: refused POST saved something"

    elif method == "patch":
        for owner, wanted in zip(owners, PATCH[endpoint][role].split()):
            target = records[(endpoint, owner)]
            before = snapshot(target)
            response = client.patch(url(endpoint, target.pk), patch_body(endpoint), format="json")
            if response.status_code != int(wanted):
                failures.append(f"{owner}: {response.status_code} != {wanted} {response.content[:200]!r}")
            if response.status_code != 200:
                assert snapshot(target) == before, f"{owner}: refused PATCH changed the record"

    elif method == "delete":
        for owner, wanted in zip(owners, PATCH[endpoint][role].split()):
            wanted = "204" if wanted == "200" else wanted
            target = records[(endpoint, owner)]
            before = snapshot(target)
            response = client.delete(url(endpoint, target.pk))
            if response.status_code != int(wanted):
                failures.append(f"{owner}: {response.status_code} != {wanted} {response.content[:200]!r}")
            if response.status_code == 204:
                assert snapshot(target) is None
            else:
                assert snapshot(target) == before, f"{owner}: refused DELETE changed the record"

    assert not failures, f"{role} {method} {endpoint}: " + "; ".join(failures)


# --- confirm15: confirmed stays confirmed (issue 15 part 4) ------------------------------------------------
# A record staff confirmed or approved is the staff's to change: the deputy who entered it is refused (403, who
# confirmed it and when), the record unchanged; a staff change keeps it confirmed, with its history row.
from django.utils import timezone  # noqa: E402

from oversight.models import YearReview  # noqa: E402


def _confirmed_contribution(world) -> tuple[Contribution, APIClient, APIClient]:
    deputy, staff = client_for(world, "deputy"), client_for(world, "street_staff")
    body = {"deputy": world["deputies"]["d1"].pk, "session": None, "kind": "suggestion", "date": "2024-03-01",
            "title": "代表本人登记的建议"}
    created = deputy.post(url("contributions"), body, format="json")
    assert created.status_code == 201 and created.json()["confirmed"] is False
    pk = created.json()["id"]
    assert deputy.patch(url("contributions", pk), {"title": "确认前改过"}, format="json").status_code == 200
    assert staff.post(f"{url('contributions', pk)}confirm/").status_code == 200
    return Contribution.objects.get(pk=pk), deputy, staff


@pytest.mark.django_db
def test_confirmed_contribution_is_not_the_deputys_to_change(world):
    entry, deputy, _ = _confirmed_contribution(world)
    before = snapshot(entry)
    put_body = {"deputy": entry.deputy_id, "session": None, "kind": "motion", "date": "2024-03-02", "title": "改"}
    for response in (deputy.patch(url("contributions", entry.pk), {"title": "确认后改过"}, format="json"),
                     deputy.put(url("contributions", entry.pk), put_body, format="json"),
                     deputy.delete(url("contributions", entry.pk))):
        assert response.status_code == 403
        detail = response.json()["detail"]
        assert "已由ss于" in detail and "确认" in detail and "请联系工作人员修改" in detail
    assert snapshot(entry) == before


@pytest.mark.django_db
def test_a_staff_change_of_a_confirmed_contribution_keeps_it_confirmed_with_history(world):
    entry, _, staff = _confirmed_contribution(world)
    confirmed_at = entry.confirmed_at
    secretariat = client_for(world, "secretariat")
    response = secretariat.patch(url("contributions", entry.pk), {"title": "工作人员更正的标题"}, format="json")
    assert response.status_code == 200
    entry.refresh_from_db()
    assert (entry.title, entry.confirmed, entry.confirmed_by, entry.confirmed_at) == (
        "工作人员更正的标题", True, world["users"]["street_staff"], confirmed_at)
    latest = entry.history.latest()
    assert (latest.title, latest.history_user) == ("工作人员更正的标题", world["users"]["secretariat"])
    # A second confirmation of it is a repeat: 409 with the current state, nothing changed.
    again = staff.post(f"{url('contributions', entry.pk)}confirm/")
    assert again.status_code == 409
    assert again.json()["current"]["confirmed"] is True and "已由ss于" in again.json()["detail"]
    assert staff.post(f"{url('contributions', entry.pk)}return/", {"comment": "晚了"},
                      format="json").status_code == 409


@pytest.mark.django_db
def test_an_approved_self_registration_is_not_the_deputys_to_change(world):
    deputy, staff = client_for(world, "deputy"), client_for(world, "street_staff")
    body = {"kind": "station_reception", "title": "在联络站接待选民", "date": "2024-03-05", "location": "东四联络站",
            "description": "接待 6 人。"}
    created = deputy.post("/api/v1/self-registrations/", body, format="json")
    assert created.status_code == 201
    pk = created.json()["id"]
    assert staff.post(f"/api/v1/self-registrations/{pk}/approve/").status_code == 200
    registration = world["deputies"]["d1"].self_registrations.get(pk=pk)
    before = snapshot(registration)
    for response in (deputy.patch(f"/api/v1/self-registrations/{pk}/", {"title": "改过"}, format="json"),
                     deputy.put(f"/api/v1/self-registrations/{pk}/", {**body, "title": "改过"}, format="json")):
        assert response.status_code == 403
        assert "已由ss于" in response.json()["detail"] and "审核通过" in response.json()["detail"]
    assert snapshot(registration) == before
    again = staff.post(f"/api/v1/self-registrations/{pk}/approve/")
    assert again.status_code == 409 and again.json()["current"]["status"] == "approved"
    assert registration.history.latest().history_user == world["users"]["street_staff"]


@pytest.mark.django_db
def test_a_participation_of_a_year_approved_in_review_is_nobodys_to_change(world):
    today = timezone.localdate()
    activity = factories.ActivityFactory(term=world["term"], organizer_level="street_committee",
                                         street_committee=world["ds"], date=today)
    participation = factories.ParticipationFactory(activity=activity, deputy=world["deputies"]["d1"],
                                                   confirmed=False, outcome="pending")
    YearReview.objects.create(term=world["term"], year=today.year, street_committee=world["ds"], status="approved")
    before = snapshot(participation)
    answer = client_for(world, "deputy").post(f"/api/v1/participations/{participation.pk}/answer/",
                                              {"attend": True}, format="json")
    assert answer.status_code == 400 and "审核通过并锁定" in str(answer.json())
    patch = client_for(world, "street_staff").patch(url("participations", participation.pk), {"outcome": "absent"},
                                                    format="json")
    assert patch.status_code == 400 and "审核通过并锁定" in str(patch.json())
    assert snapshot(participation) == before
