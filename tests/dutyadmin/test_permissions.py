"""The permission policy: who may record which intervention (the role RULES.md makes responsible, in scope;
the liaison office all), and the leave inbox selecting exactly the steps the policy lets one decide."""
import pytest
from django.contrib.auth.models import Group

from dutyadmin.roles import Role
from dutyadmin.scope import Scope
from dutyadmin.permissions import ACTS, LEAVE_STEP_SCOPES, ForRule, allows
from oversight.rules.catalog import ACTION_RULES
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def deputy():
    dongsi = factories.StreetCommitteeFactory(name="东四", code="DS")
    return factories.DeputyFactory(street_committee=dongsi)


def scope(role, **kw):
    return Scope(user_id=1, roles=frozenset({role}), **kw)


@pytest.mark.parametrize("rule", [r.id for r in ACTION_RULES])
def test_the_liaison_office_records_every_rule(deputy, rule):
    assert allows(scope(Role.LIAISON_OFFICE), "record_intervention", ForRule(deputy, rule))


@pytest.mark.parametrize(
    ("rule", "allowed"),
    [
        ("no_contact_talk", True),
        ("activity_absence_talk", True),
        ("session_absence_talk", True),
        ("silent_in_sessions_talk", False),
        ("qualification_termination", False),
        ("resignation_advice", False),
        ("absence_notice", False),
        ("activity_absence_notice", False),
    ],
)
def test_a_street_director_records_talks_for_their_street_only(deputy, rule, allowed):
    own = scope(Role.STREET_DIRECTOR, street_committee_id=deputy.street_committee_id)
    other = scope(Role.STREET_DIRECTOR, street_committee_id=deputy.street_committee_id + 1)
    assert allows(own, "record_intervention", ForRule(deputy, rule)) is allowed
    assert allows(other, "record_intervention", ForRule(deputy, rule)) is False


def test_a_delegation_head_records_the_talks_of_a9_1_and_a9_2_for_their_delegation(deputy):
    head = scope(Role.DELEGATION_HEAD, delegation_id=deputy.delegation_id)
    assert allows(head, "record_intervention", ForRule(deputy, "silent_in_sessions_talk"))
    assert allows(head, "record_intervention", ForRule(deputy, "session_absence_talk"))
    assert not allows(head, "record_intervention", ForRule(deputy, "qualification_termination"))
    stranger = scope(Role.DELEGATION_HEAD, delegation_id=deputy.delegation_id + 1)
    assert not allows(stranger, "record_intervention", ForRule(deputy, "silent_in_sessions_talk"))


def test_termination_and_resignation_advice_belong_to_the_standing_committee(deputy):
    for role in (Role.SC_OFFICE, Role.SC_LEADER):
        assert allows(scope(role), "record_intervention", ForRule(deputy, "qualification_termination"))
        assert allows(scope(role), "record_intervention", ForRule(deputy, "resignation_advice"))
    assert allows(scope(Role.SC_OFFICE), "record_intervention", ForRule(deputy, "activity_absence_notice"))
    assert not allows(scope(Role.SC_LEADER), "record_intervention", ForRule(deputy, "activity_absence_notice"))
    assert allows(scope(Role.SECRETARIAT), "record_intervention", ForRule(deputy, "absence_notice"))
    assert not allows(scope(Role.SECRETARIAT), "record_intervention", ForRule(deputy, "no_contact_talk"))


# --- the leave inbox selects exactly the steps decide_leave_step allows --------------------------


def test_every_role_of_a_leave_route_has_a_reach():
    from meetings.services import LEAVE_CHAINS

    assert {spec.role for chain in LEAVE_CHAINS.values() for spec in chain} == set(LEAVE_STEP_SCOPES)


@pytest.fixture
def leave_world():
    """Two streets × two delegations, a pending request waiting at each step role for each deputy."""
    from meetings.choices import LeaveStatus, StepStatus
    from meetings.models import LeaveApprovalStep

    term = factories.TermFactory()
    streets = [factories.StreetCommitteeFactory(name=n, code=c) for n, c in (("东四", "DS"), ("景山", "JS"))]
    delegations = [factories.DelegationFactory(term=term) for _ in range(2)]
    session = factories.CongressSessionFactory(term=term)
    steps = []
    for street in streets:
        for delegation in delegations:
            deputy = factories.DeputyFactory(term=term, street_committee=street, delegation=delegation)
            for role in LEAVE_STEP_SCOPES:
                leave = factories.LeaveRequestFactory(deputy=deputy, session=session, status=LeaveStatus.PENDING)
                LeaveApprovalStep.objects.create(leave_request=leave, order=1, code="done", role=Role.SC_OFFICE,
                                                 status=StepStatus.DONE)
                steps.append(LeaveApprovalStep.objects.create(leave_request=leave, order=2, code="x", role=role))
    return streets, delegations, steps


SCOPE_SHAPES = [
    ({Role.STREET_DIRECTOR}, "street"),
    ({Role.STREET_DIRECTOR}, None),
    ({Role.DELEGATION_HEAD}, "delegation"),
    ({Role.DELEGATION_HEAD}, None),
    ({Role.DELEGATION_HEAD, Role.STREET_DIRECTOR}, "both"),
    ({Role.SECRETARIAT}, None),
    ({Role.PRESIDIUM_SECRETARY_GENERAL}, None),
    ({Role.SC_OFFICE}, None),
    ({Role.SC_LEADER}, None),
    ({Role.SC_OFFICE, Role.STREET_DIRECTOR}, "street"),
    ({Role.ADMIN}, None),
    ({Role.STREET_STAFF}, "street"),
    ({Role.DEPUTY}, None),
    ({Role.LIAISON_OFFICE}, None),
]


@pytest.mark.parametrize(("roles", "link"), SCOPE_SHAPES)
def test_the_inbox_holds_exactly_the_steps_the_user_may_decide(leave_world, roles, link):
    from meetings.selectors import leave_inbox

    streets, delegations, steps = leave_world
    kw = {}
    if link in ("street", "both"):
        kw["street_committee_id"] = streets[0].pk
    if link in ("delegation", "both"):
        kw["delegation_id"] = delegations[1].pk
    role = sorted(roles)[0]
    user = factories.make_user(role, street_committee=streets[0] if "street_committee_id" in kw else None,
                               delegation=delegations[1] if "delegation_id" in kw else None)
    for other in sorted(roles)[1:]:
        user.groups.add(Group.objects.get_or_create(name=other)[0])
    allowed = {step.leave_request_id for step in steps if allows(user, "decide_leave_step", step)}
    assert {leave.pk for leave in leave_inbox(user=user)} == allowed
    if allowed:  # whoever decides some step is offered 待我审批
        assert allows(user, "decide_leave_step")


def test_a_superuser_does_not_self_register_without_being_a_deputy():
    admin = factories.make_user(Role.ADMIN, superuser=True)
    assert admin.has_perm("dutyadmin.self_register")  # Django: a superuser has every permission
    assert not allows(admin, "self_register")  # the policy: the act belongs to the deputy in person
    assert allows(admin, "record_attendance")


def test_every_act_is_a_registered_permission():
    import rules

    for act in ACTS:
        assert rules.perm_exists(f"dutyadmin.{act}")
    with pytest.raises(KeyError):
        allows(scope(Role.ADMIN), "no_such_act")


def test_the_django_admin_is_the_admins_act(client):
    admin = factories.make_user(Role.ADMIN, superuser=True)
    staff_liaison = factories.make_user(Role.LIAISON_OFFICE)
    staff_liaison.is_staff = True
    staff_liaison.save()
    client.force_login(admin)
    assert client.get("/admin/deputies/deputy/").status_code == 200
    client.force_login(staff_liaison)  # staff, but not the admin: the policy says no whatever Django's flags
    assert client.get("/admin/deputies/deputy/").status_code == 403
