import pytest

from deputies.models import Deputy
from tests import factories


@pytest.mark.django_db
def test_factories_build_a_consistent_record_graph():
    attendance = factories.AttendanceFactory()
    assert attendance.deputy.term == attendance.meeting.session.term
    assert Deputy.objects.count() == 1


def test_the_suite_runs_with_test_settings(settings):
    assert settings.ENV == "test"
