"""The deputy's page shows each suspension's span and reason; the liaison office enters, ends and deletes them
there (暂时停止执行代表职务, 代表法 Art. 61); street staff see them and cannot."""
import datetime as dt

import pytest
from django.urls import reverse

from deputies.models import Suspension
from dutyadmin.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db
REASON = "因涉嫌犯罪被羁押，依法暂时停止执行代表职务。"


def detail(deputy) -> str:
    return reverse("deputies:detail", args=[deputy.pk])


def create(deputy) -> str:
    return reverse("deputies:suspension_create", args=[deputy.pk])


def test_the_liaison_office_adds_one_and_sees_its_span_and_reason(login, world):
    zhang = world["zhang"]
    client = login(Role.LIAISON_OFFICE)
    page = client.get(create(zhang)).content.decode()
    assert "暂停开始日期" in page and "暂停原因" in page
    response = client.post(create(zhang), {"start_date": "2025-03-01", "end_date": "", "reason": REASON})
    assert response.status_code == 302 and response["Location"] == detail(zhang)
    suspension = Suspension.objects.get(deputy=zhang)
    assert suspension.is_open and suspension.history.get().history_user.username == "liaison"
    page = client.get(detail(zhang)).content.decode()
    assert "2025年3月1日 — 至今" in page and REASON in page and "结束暂停" in page


def test_ending_it_shows_both_ends(login, world):
    zhang = world["zhang"]
    suspension = factories.SuspensionFactory(deputy=zhang, end_date=None)
    client = login(Role.LIAISON_OFFICE)
    end = reverse("deputies:suspension_end", args=[zhang.pk, suspension.pk])
    assert client.post(end, {"end_date": "2025-05-31"}).status_code == 302
    page = client.get(detail(zhang)).content.decode()
    assert "2025年3月1日 — 2025年5月31日" in page and "结束暂停" not in page


def test_errors_stand_next_to_their_fields_and_nothing_is_saved(login, world):
    zhang = world["zhang"]
    client = login(Role.LIAISON_OFFICE)
    response = client.post(create(zhang), {"start_date": "2025-03-01", "end_date": "2025-02-01", "reason": ""})
    assert response.status_code == 200
    page = response.content.decode()
    assert "请填写暂停原因。" in page and "暂停结束日期不能早于开始日期。" in page  # every error at once
    factories.SuspensionFactory(deputy=zhang, start_date=dt.date(2024, 1, 1), end_date=None)
    response = client.post(create(zhang), {"start_date": "2025-03-01", "end_date": "", "reason": REASON})
    assert "重叠" in response.content.decode()
    Suspension.objects.all().delete()
    response = client.post(create(zhang), {"start_date": "2099-03-01", "end_date": "", "reason": REASON})
    assert "在今天之后" in response.content.decode()
    assert not Suspension.objects.exists()


def test_deleting_asks_first_then_removes_it(login, world):
    zhang = world["zhang"]
    suspension = factories.SuspensionFactory(deputy=zhang)
    client = login(Role.LIAISON_OFFICE)
    delete = reverse("deputies:suspension_delete", args=[zhang.pk, suspension.pk])
    assert "确认删除" in client.get(delete).content.decode()
    assert Suspension.objects.exists()
    assert client.post(delete).status_code == 302
    assert not Suspension.objects.exists()


def test_street_staff_see_it_but_cannot_enter_end_or_delete(login, world):
    zhang = world["zhang"]
    suspension = factories.SuspensionFactory(deputy=zhang, end_date=dt.date(2025, 5, 31))
    client = login(Role.STREET_STAFF)
    page = client.get(detail(zhang)).content.decode()
    assert "2025年3月1日 — 2025年5月31日" in page and suspension.reason in page
    assert "登记暂停" not in page and "结束暂停" not in page
    assert client.get(create(zhang)).status_code == 403
    assert client.post(create(zhang), {"start_date": "2024-01-01", "end_date": "", "reason": REASON}).status_code == 403
    for name in ("suspension_edit", "suspension_end", "suspension_delete"):
        assert client.post(reverse(f"deputies:{name}", args=[zhang.pk, suspension.pk])).status_code == 403
    assert Suspension.objects.count() == 1


def test_a_deputy_out_of_scope_is_a_404_even_for_the_form(login, world):
    assert login(Role.STREET_STAFF).get(create(world["wang"])).status_code == 404


def test_a_page_without_suspensions_shows_no_card_to_those_who_cannot_enter_one(login, world):
    assert "暂停执行代表职务" not in login(Role.STREET_STAFF).get(detail(world["zhang"])).content.decode()
    assert "登记暂停" in login(Role.LIAISON_OFFICE).get(detail(world["zhang"])).content.decode()
