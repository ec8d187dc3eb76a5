"""The hooks through which a lower app calls a higher one (README, "Layers and hooks"): oversight
registers them in its AppConfig.ready(), and the lower apps' writes go through core's hook, not oversight."""
import datetime as dt

import pytest
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import transaction

from activities.services import participation_bulk_upsert
from deputies import thresholds
from dutyadmin import history, scope, year_lock
from dutyadmin.roles import Role
from dutyadmin.services import record_save
from meetings.choices import ContributionKind, LeaveRoute
from meetings.services import attendance_bulk_upsert, leave_request_submit
from meetings.signals import leave_request_stepped
from oversight.profile import record_history
from oversight.review.lock import YEAR_LOCK
from oversight.rules.catalog import DEFAULT_THRESHOLDS
from tests import factories

STUB = "测试锁定:{street}{year}"


def test_oversight_registers_every_hook():
    assert year_lock._lock is YEAR_LOCK
    assert history._reader is record_history
    assert thresholds.default_thresholds() == DEFAULT_THRESHOLDS
    assert scope._link_ids is not None and scope._link_names is not None
    keys = [entry[0][0] for entry in leave_request_stepped.receivers]  # (dispatch_uid, sender) first
    assert "oversight.leave_step" in keys


@pytest.fixture
def stub_lock(monkeypatch):
    """Every year locked, through a lock that says it is the stub: proves the caller asked core's hook."""
    asked = []

    def refuse(*, deputies, dates):
        asked.append("year")
        raise ValidationError({"__all__": STUB.format(street="测试", year=2024)}, code="year_locked")

    def refuse_record(instance):
        asked.append(instance._meta.label_lower)
        raise ValidationError({"__all__": STUB.format(street="测试", year=2024)}, code="year_locked")

    monkeypatch.setattr(year_lock, "_lock", year_lock.YearLock(
        assert_year_open=refuse, assert_record_open=refuse_record,
    ))
    return asked


@pytest.mark.django_db
def test_the_write_path_and_each_lower_apps_bulk_upsert_ask_cores_year_lock(stub_lock):
    admin = factories.make_user(Role.ADMIN, superuser=True)
    deputy = factories.DeputyFactory()
    contribution = factories.ContributionFactory.build(deputy=deputy, kind=ContributionKind.SUGGESTION,
                                                       date=dt.date(2024, 8, 1), title="建议")
    with pytest.raises(ValidationError, match="测试锁定"):
        record_save(contribution, user=admin)
    meeting = factories.MeetingFactory(session=factories.CongressSessionFactory(term=deputy.term))
    with pytest.raises(ValidationError, match="测试锁定"):
        attendance_bulk_upsert(user=admin, meeting=meeting, records=[{"deputy": deputy.pk, "status": "present"}])
    activity = factories.ActivityFactory(term=deputy.term)
    with pytest.raises(ValidationError, match="测试锁定"):
        participation_bulk_upsert(user=admin, activity=activity, records=[{"deputy": deputy.pk, "outcome": "attended"}])
    assert stub_lock == ["meetings.contribution", "year", "year"]


def test_with_no_lock_registered_nothing_is_locked(monkeypatch):
    monkeypatch.setattr(year_lock, "_lock", None)
    year_lock.assert_year_open(deputies=[1], dates=[dt.date(2024, 1, 1)])
    year_lock.assert_record_open(factories.ContributionFactory.build(date=dt.date(2024, 1, 1)))


def test_thresholds_need_a_registered_catalog(monkeypatch):
    monkeypatch.setattr(thresholds, "_catalog", None)
    with pytest.raises(ImproperlyConfigured):
        thresholds.thresholds_with_defaults({})


@pytest.mark.django_db
def test_a_leave_step_is_signalled_inside_the_steps_transaction():
    deputy = factories.DeputyFactory()
    deputy_user = factories.make_user(Role.DEPUTY, deputy=deputy)
    leave = factories.LeaveRequestFactory(deputy=deputy, route=LeaveRoute.WHOLE_SESSION)
    seen = []

    def receiver(sender, *, leave_request, **kwargs):
        seen.append((leave_request.pk, leave_request.status, transaction.get_connection().in_atomic_block))

    leave_request_stepped.connect(receiver, dispatch_uid="test.leave_step")
    try:
        leave_request_submit(user=deputy_user, leave_request=leave)
    finally:
        leave_request_stepped.disconnect(dispatch_uid="test.leave_step")
    assert seen == [(leave.pk, "pending", True)]


def test_a_year_lock_refusal_is_known_by_its_code_not_its_words():
    from dutyadmin.year_lock import YEAR_LOCKED, is_year_locked

    assert not is_year_locked(ValidationError({"__all__": "该记录已锁定,不能修改。"}))
    assert not is_year_locked(ValidationError("已锁定"))
    assert is_year_locked(ValidationError({"date": ValidationError("2024年度已审核锁定", code=YEAR_LOCKED)}))
    assert is_year_locked(ValidationError("2024年度已审核锁定", code=YEAR_LOCKED))
