"""List pages take a fixed number of queries, however many rows they show (pinned per endpoint)."""
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from deputies.models import Term, ThresholdChange
from meetings.services import leave_request_approve, leave_request_submit
from tests import factories

# endpoint → queries for one page: count + rows (+ prefetches); the user's scope is read on the
# first request only.
PINNED = {
    "terms": 2,
    "street-committees": 2,
    "delegations": 2,
    "deputies": 2,
    "contact-assignments": 2,
    "sessions": 2,
    "meetings": 2,
    "attendance": 9,  # + the classification of the page's term (oversight.attendance.api: seven queries, suspensions too)
    "leave-requests": 5,  # + the meetings, the steps and the users who acted on them
    "contributions": 2,
    "activities": 2,
    "participations": 2,
    "interventions": 2,
    "threshold-changes": 2,  # with the term and who entered each (select_related)
}


def add_rows(street, delegation, session, meeting, n: int) -> None:
    term = session.term
    for _ in range(n):
        deputy = factories.DeputyFactory(term=term, street_committee=street, delegation=delegation)
        factories.DelegationFactory(term=term, head=deputy)
        factories.AttendanceFactory(meeting=meeting, deputy=deputy)
        activity = factories.ActivityFactory(term=term, organizer_level="street_committee", street_committee=street)
        factories.ParticipationFactory(activity=activity, deputy=deputy)
        factories.ContributionFactory(deputy=deputy, session=session)
        factories.InterventionFactory(deputy=deputy)
        factories.ContactAssignmentFactory(deputy=deputy, term=term)
        leave = factories.LeaveRequestFactory(deputy=deputy, session=session, route="plenary")
        leave.meetings.set([meeting])
        admin = factories.make_user("admin")
        leave_request_submit(user=admin, leave_request=leave)
        leave_request_approve(user=admin, leave_request=leave, comment="同意")
        factories.StreetCommitteeFactory()
        factories.TermFactory(number=Term.objects.count() + 100)
        ThresholdChange.objects.create(term=term, effective_from=term.start_date, values={"training": 4},
                                       reason="试行", created_by=admin)
        factories.MeetingFactory(session=session)
        factories.CongressSessionFactory(term=term, start_date=session.start_date, end_date=session.end_date)


@pytest.fixture
def world(db):
    term = factories.TermFactory()
    street = factories.StreetCommitteeFactory(name="东四", code="DS")
    delegation = factories.DelegationFactory(term=term)
    session = factories.CongressSessionFactory(term=term)
    meeting = factories.MeetingFactory(session=session)
    return street, delegation, session, meeting


@pytest.mark.parametrize("role", ["street_staff", "liaison_office"])
@pytest.mark.parametrize("endpoint", list(PINNED))
def test_a_list_page_takes_a_fixed_number_of_queries(api, make_user, world, django_assert_max_num_queries,
                                                     endpoint, role):
    street = world[0]
    client = api(make_user(role, street_committee=street))
    client.get("/api/v1/deputies/")  # reads the user's scope once; it is cached for the request's user

    def count_queries() -> tuple[int, int]:
        with CaptureQueriesContext(connection) as queries:
            response = client.get(f"/api/v1/{endpoint}/", {"page_size": 1000})
        assert response.status_code == 200
        return len(queries), len(response.json()["results"])

    add_rows(*world, n=2)
    few, few_rows = count_queries()
    add_rows(*world, n=12)
    with django_assert_max_num_queries(PINNED[endpoint]):
        many, many_rows = count_queries()
    assert many_rows > few_rows
    assert many == few
