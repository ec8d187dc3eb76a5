"""Two approvers acting on one step at once: only one completes it (row lock on PostgreSQL)."""
import threading

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection, connections

from dutyadmin.roles import Role
from dutyadmin.services import Conflict
from meetings.choices import LeaveRoute, StepStatus
from meetings.services import leave_request_approve, leave_request_save, leave_request_submit
from tests import factories

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="needs DATABASE_URL=postgres://… (row locks)"),
]


@pytest.mark.django_db(transaction=True)
def test_two_directors_approving_the_same_step_at_once_complete_it_once(make_user):
    term = factories.TermFactory()
    dongsi = factories.StreetCommitteeFactory(name="东四", code="DS")
    deputy = factories.DeputyFactory(term=term, street_committee=dongsi)
    session = factories.CongressSessionFactory(term=term)
    staff = make_user(Role.STREET_STAFF, street_committee=dongsi)
    directors = [make_user(Role.STREET_DIRECTOR, street_committee=dongsi) for _ in range(2)]
    leave = leave_request_save(
        user=staff, data={"deputy": deputy, "session": session, "route": LeaveRoute.WHOLE_SESSION, "reason": "出国"}
    )
    leave_request_submit(user=staff, leave_request=leave)

    barrier = threading.Barrier(2)
    outcomes = []

    def approve(user):
        try:
            barrier.wait()
            leave_request_approve(user=user, leave_request=leave, comment=user.username)
            outcomes.append("done")
        except PermissionDenied:
            outcomes.append("refused")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve, args=(d,)) for d in directors]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)

    assert sorted(outcomes) == ["done", "refused"]
    steps = list(leave.steps.order_by("order"))
    assert steps[0].status == StepStatus.DONE
    assert steps[1].status == StepStatus.WAITING
    assert leave.steps.filter(status=StepStatus.DONE).count() == 1


def _submitted_by_staff(make_user):
    """A whole-session leave submitted by street staff, and an admin who may act on every step."""
    term = factories.TermFactory()
    dongsi = factories.StreetCommitteeFactory(name="东四", code="DS")
    deputy = factories.DeputyFactory(term=term, street_committee=dongsi)
    session = factories.CongressSessionFactory(term=term)
    staff = make_user(Role.STREET_STAFF, street_committee=dongsi)
    leave = leave_request_save(
        user=staff, data={"deputy": deputy, "session": session, "route": LeaveRoute.WHOLE_SESSION, "reason": "出国"}
    )
    leave_request_submit(user=staff, leave_request=leave)
    return leave, make_user(Role.ADMIN)


def _ten_at_once(approve_once) -> list[str]:
    """Run approve_once in ten threads released together; "done" or "conflict" for each."""
    barrier = threading.Barrier(10)
    outcomes = []

    def approve():
        try:
            barrier.wait()
            approve_once()
            outcomes.append("done")
        except Conflict:
            outcomes.append("conflict")
        finally:
            connections.close_all()

    threads = [threading.Thread(target=approve) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    return outcomes


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_approvals_of_one_step_complete_exactly_one(make_user):
    """A double click (or ten) by the admin, each naming the step it saw: one completes it, the others
    are conflicts (409), and the next step still waits."""
    leave, admin = _submitted_by_staff(make_user)
    outcomes = _ten_at_once(lambda: leave_request_approve(user=admin, leave_request=leave, step=1))
    assert sorted(outcomes) == ["conflict"] * 9 + ["done"]
    assert leave.steps.filter(status=StepStatus.DONE).count() == 1
    assert leave.steps.get(order=2).status == StepStatus.WAITING


@pytest.mark.django_db(transaction=True)
def test_ten_concurrent_approvals_naming_no_step_complete_exactly_one(make_user):
    """The same double click from a client that sends no `step` (the field is optional in the contract):
    the first completes the current step, the others find that the admin has just completed the step
    before and answer 409 instead of approving the next one."""
    leave, admin = _submitted_by_staff(make_user)
    outcomes = _ten_at_once(lambda: leave_request_approve(user=admin, leave_request=leave))
    assert sorted(outcomes) == ["conflict"] * 9 + ["done"]
    assert leave.steps.filter(status=StepStatus.DONE).count() == 1
    assert leave.steps.get(order=2).status == StepStatus.WAITING
    # Naming the next step is how the admin goes on deliberately.
    leave_request_approve(user=admin, leave_request=leave, step=2)
    assert leave.steps.get(order=2).status == StepStatus.DONE
