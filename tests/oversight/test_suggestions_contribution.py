"""One record, not two: a suggestion at a session is the `suggestion` contribution A9.2 reads."""
from __future__ import annotations

import pytest

from meetings.models import Contribution
from meetings.services import contribution_confirm
from oversight.findings.selectors import term_findings
from oversight.suggestions import services
from tests import factories

from .suggestion_fixtures import D, assign, submit

pytestmark = pytest.mark.django_db

AS_OF = D(2024, 2, 1)


@pytest.fixture
def silent_2023(sw):
    """A 2023 session before sw.session (2024): without a contribution, 2023 and 2024 are two silent years."""
    return factories.CongressSessionFactory(term=sw.term, number=2, start_date=D(2023, 1, 10), end_date=D(2023, 1, 13))


def a92(sw, deputy):
    return [f for f in term_findings(term=sw.term, as_of=AS_OF, deputies=[deputy.pk]) if f.rule == "silent_in_sessions_talk"]


def test_without_a_suggestion_two_silent_years_call_for_a_talk(sw, silent_2023):
    [finding] = a92(sw, sw.zhang)
    assert finding.status == "action_required"


def test_a_suggestion_staff_enter_at_the_session_is_one_confirmed_contribution_that_breaks_the_run(sw, silent_2023):
    suggestion = submit(sw, by=sw.staff_a)
    assert list(Contribution.objects.filter(deputy=sw.zhang)) == [suggestion.contribution]
    assert a92(sw, sw.zhang) == []


def test_a_deputys_own_suggestion_counts_once_staff_confirm_its_contribution(sw, silent_2023):
    suggestion = submit(sw, by=sw.zhang_user)
    assert len(a92(sw, sw.zhang)) == 1  # pending: counts for nothing yet
    contribution_confirm(user=sw.staff_a, contribution=suggestion.contribution)
    assert a92(sw, sw.zhang) == []
    assert Contribution.objects.filter(deputy=sw.zhang, kind="suggestion").count() == 1


def test_a_withdrawn_suggestion_no_longer_counts(sw, silent_2023):
    suggestion = assign(sw, submit(sw, by=sw.staff_a))
    services.suggestion_withdraw(user=sw.zhang_user, suggestion=suggestion)
    assert not Contribution.objects.filter(deputy=sw.zhang).exists()
    assert len(a92(sw, sw.zhang)) == 1


def test_a_closed_period_suggestion_does_not_keep_a_session_year_from_being_silent(sw, silent_2023):
    submit(sw, by=sw.staff_a, session=None, on=D(2024, 1, 20))
    assert len(a92(sw, sw.zhang)) == 1
