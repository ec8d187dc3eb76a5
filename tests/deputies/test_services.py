"""Threshold changes (阈值调整): created by the liaison office, validated in Chinese, deleted only before effect."""
import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from deputies.models import ThresholdChange
from deputies.services import threshold_change_create, threshold_change_delete

pytestmark = pytest.mark.django_db
D = dt.date


def create(user, term, **fields):
    data = {"effective_from": D(2025, 7, 1), "values": {"station_receptions": 3}, "reason": "主任会议决定", **fields}
    return threshold_change_create(user=user, term=term, **data)


def test_it_keeps_who_made_the_change_and_the_reason_trimmed(make_user, term):
    liaison = make_user("liaison_office")
    change = create(liaison, term, reason="  主任会议决定  ")
    assert (change.created_by, change.reason) == (liaison, "主任会议决定")
    assert change.history.get().history_type == "+"


@pytest.mark.parametrize("role", ["street_staff", "secretariat", "sc_leader", "deputy", None])
def test_only_the_liaison_office_and_the_admin_may_change_thresholds(make_user, term, role):
    with pytest.raises(PermissionDenied):
        create(make_user(role), term)
    assert create(make_user("admin"), term).pk


@pytest.mark.parametrize(
    ("fields", "field", "words"),
    [
        ({"effective_from": D(2027, 1, 1)}, "effective_from", "本届之内"),
        ({"effective_from": None}, "effective_from", ""),
        ({"values": {"training": 0}}, "values", "集中学习培训(次/届):必须是正整数"),
        ({"values": {"nope": 1}}, "values", "未知的阈值“nope”"),
        ({"values": {}}, "values", "至少填写一项"),
        ({"reason": " "}, "reason", "请填写调整原因"),
    ],
)
def test_bad_input_names_the_field_in_chinese(make_user, term, fields, field, words):
    with pytest.raises(ValidationError) as caught:
        create(make_user("liaison_office"), term, **fields)
    assert field in caught.value.message_dict and words in "".join(caught.value.message_dict[field])
    assert not ThresholdChange.objects.exists()


def test_a_change_is_deleted_only_before_its_day(make_user, term):
    liaison = make_user("liaison_office")
    change = create(liaison, term)
    with pytest.raises(ValidationError):
        threshold_change_delete(user=liaison, change=change, today=D(2025, 7, 1))
    with pytest.raises(PermissionDenied):
        threshold_change_delete(user=make_user("street_staff"), change=change, today=D(2025, 6, 30))
    threshold_change_delete(user=liaison, change=change, today=D(2025, 6, 30))
    assert not ThresholdChange.objects.exists()
    assert [h.history_type for h in ThresholdChange.history.order_by("history_id")] == ["+", "-"]
