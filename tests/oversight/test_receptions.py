"""A10.6 (Art. 10(六)) end to end: each street's recommended deputy for a 主任会议成员接待代表 activity (one per street
and reception, of that street, in service and not suspended that day; changes kept in history; a stale form is a 409),
the year page against 7 with the streets missing, a reception's page, the API, the data check of a year ended short
(API, page, 待办) and a street's 待办; scope: the liaison office every street, a street its own, nobody else."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from activities.choices import ActivityKind
from dutyadmin.scope import scope_for
from dutyadmin.services import Conflict
from oversight.receptions import services
from oversight.receptions.models import ReceptionRecommendation
from oversight.todo import TodoContext, office_checks_to_fix, reception_recommendations_owed
from tests import factories

pytestmark = pytest.mark.django_db
D = dt.date
API = "/api/v1/reception-recommendations/"


def _reception(term, day, title="主任会议成员接待代表"):
    return factories.ActivityFactory(term=term, kind=ActivityKind.DIRECTOR_RECEPTION, title=title, date=day)


@pytest.fixture
def w():
    term = factories.TermFactory(start_date=D(2022, 1, 1), end_date=D(2026, 12, 31))
    a = factories.StreetCommitteeFactory(name="东四", code="A01")
    b = factories.StreetCommitteeFactory(name="朝阳门", code="B01")
    empty = factories.StreetCommitteeFactory(name="景山", code="C01")  # its only deputy left office in 2023
    zhang = factories.DeputyFactory(term=term, name="张东", street_committee=a)
    li = factories.DeputyFactory(term=term, name="李东", street_committee=a)
    wang = factories.DeputyFactory(term=term, name="王朝", street_committee=b)
    factories.DeputyFactory(term=term, name="赵景", street_committee=empty, service_end=D(2023, 6, 30), status="resigned")
    mk = factories.make_user
    return SimpleNamespace(
        term=term, a=a, b=b, empty=empty, zhang=zhang, li=li, wang=wang,
        r2025=[_reception(term, D(2025, m, 10), f"接待{m}月") for m in (2, 4, 6, 8, 10, 12)],  # 6: short
        r2026=_reception(term, D(2026, 4, 8), "2026年4月接待"),
        office=mk("liaison_office", username="office"),
        staff_a=mk("street_staff", username="staff_a", street_committee=a),
        director_a=mk("street_director", username="director_a", street_committee=a),
        staff_b=mk("street_staff", username="staff_b", street_committee=b),
        sc_member=mk("sc_member", username="scm"),
        unit=mk("handling_unit", username="unit", handling_unit=factories.HandlingUnitFactory(name="区交通委", code="G1")),
        deputy=mk("deputy", username="dep", deputy=zhang),
        secretariat=mk("secretariat", username="sec"),
    )


def api(user) -> APIClient:
    c = APIClient()
    c.force_authenticate(user)
    return c


# --- the service -----------------------------------------------------------------------------------------


def test_a_street_recommends_one_deputy_and_a_change_keeps_history(w):
    r = w.r2026
    rec = services.recommendation_set(user=w.staff_a, reception=r, street_committee=w.a, deputy=w.zhang, current=0)
    again = services.recommendation_set(user=w.staff_a, reception=r, street_committee=w.a, deputy=w.li,
                                        note="熟悉老旧小区改造", current=rec.pk)
    assert again.pk == rec.pk and ReceptionRecommendation.objects.filter(reception=r).count() == 1
    history = list(rec.history.order_by("history_date"))
    assert [(h.history_type, h.deputy_id, h.history_user_id) for h in history] == [
        ("+", w.zhang.pk, w.staff_a.pk), ("~", w.li.pk, w.staff_a.pk)]
    services.recommendation_withdraw(user=w.staff_a, recommendation=again)
    assert not ReceptionRecommendation.objects.exists() and rec.history.first().history_type == "-"


@pytest.mark.parametrize("case, field, words", [
    ("other_street", "deputy", "不是东四的代表"),
    ("other_term", "deputy", "不是本届"),
    ("out_of_service", "deputy", "不在任"),
    ("suspended", "deputy", "暂停执行代表职务"),
    ("wrong_kind", "reception", "只能为“主任会议成员接待代表”"),
])
def test_a_recommendation_the_regulation_does_not_allow_is_refused_next_to_its_field(w, case, field, words):
    reception, deputy = w.r2026, w.zhang
    if case == "other_street":
        deputy = w.wang
    elif case == "other_term":
        deputy = factories.DeputyFactory(term=factories.TermFactory(number=16, start_date=D(2017, 1, 1),
                                                                    end_date=D(2021, 12, 31)), street_committee=w.a)
    elif case == "out_of_service":
        deputy.service_end, deputy.status = D(2026, 4, 7), "resigned"  # the day before the reception
        deputy.save()
    elif case == "suspended":
        factories.SuspensionFactory(deputy=deputy, start_date=D(2026, 4, 8), end_date=D(2026, 4, 30))  # from its day
    elif case == "wrong_kind":
        reception = factories.ActivityFactory(term=w.term, kind=ActivityKind.INSPECTION, date=D(2026, 4, 8))
    with pytest.raises(ValidationError) as exc:
        services.recommendation_set(user=w.staff_a, reception=reception, street_committee=w.a, deputy=deputy)
    assert words in " ".join(exc.value.message_dict[field])
    assert not ReceptionRecommendation.objects.exists()


def test_the_day_after_a_suspension_ends_and_the_last_day_of_service_may_be_recommended(w):
    factories.SuspensionFactory(deputy=w.zhang, start_date=D(2026, 3, 1), end_date=D(2026, 4, 7))
    w.li.service_end, w.li.status = D(2026, 4, 8), "resigned"
    w.li.save()
    services.recommendation_set(user=w.staff_a, reception=w.r2026, street_committee=w.a, deputy=w.zhang)
    services.recommendation_set(user=w.staff_a, reception=w.r2026, street_committee=w.a, deputy=w.li)
    assert ReceptionRecommendation.objects.get().deputy == w.li


@pytest.mark.parametrize("who", ["staff_b", "director_a", "sc_member", "unit", "deputy", "secretariat"])
def test_only_the_streets_staff_or_the_liaison_office_recommend(w, who):
    with pytest.raises(PermissionDenied):
        services.recommendation_set(user=getattr(w, who), reception=w.r2026, street_committee=w.a, deputy=w.zhang)
    services.recommendation_set(user=w.office, reception=w.r2026, street_committee=w.a, deputy=w.zhang)
    assert ReceptionRecommendation.objects.get().created_by == w.office


def test_a_stale_form_is_a_conflict_not_an_overwrite(w):
    services.recommendation_set(user=w.staff_a, reception=w.r2026, street_committee=w.a, deputy=w.zhang, current=0)
    with pytest.raises(Conflict) as exc:  # a colleague (or a double click) saved meanwhile
        services.recommendation_set(user=w.staff_a, reception=w.r2026, street_committee=w.a, deputy=w.li, current=0)
    assert "已推荐了张东" in exc.value.message
    assert ReceptionRecommendation.objects.get().deputy == w.zhang


# --- pages -----------------------------------------------------------------------------------------------


def test_the_office_page_shows_the_year_against_seven_and_the_streets_missing(w, client):
    services.recommendation_set(user=w.staff_a, reception=w.r2025[0], street_committee=w.a, deputy=w.zhang)
    client.force_login(w.office)
    page = client.get(reverse("receptions:year"), {"year": 2025})
    text = page.content.decode()
    assert page.status_code == 200
    assert "<b>6</b> / 7" in text and "全年不足" in text
    # February: 东四 recommended, 朝阳门 did not; 景山 has nobody in service, so it is not asked.
    row = text[text.index("接待2月"):text.index("接待4月")]
    assert "张东" in row and "朝阳门" in row and "1 / 2 个街工委未推荐" in row and "景山" not in row


def test_a_street_sees_only_its_own_recommendations_and_can_recommend_from_the_page(w, client):
    services.recommendation_set(user=w.staff_b, reception=w.r2026, street_committee=w.b, deputy=w.wang)
    client.force_login(w.staff_a)
    url = reverse("receptions:reception", args=[w.r2026.pk])
    page = client.get(url).content.decode()
    assert "王朝" not in page and "尚未推荐" in page and 'name="deputy"' in page
    assert "王朝" not in client.get(reverse("activities:detail", args=[w.r2026.pk])).content.decode()
    bad = client.post(url, {"street_committee": w.a.pk, "deputy": w.wang.pk, "current": 0})
    assert bad.status_code == 400 and "请从列表中选择本街工委在任的代表" in bad.content.decode()
    other = client.post(url, {"street_committee": w.b.pk, "deputy": w.wang.pk, "current": 0})
    assert other.status_code == 400 and ReceptionRecommendation.objects.count() == 1
    ok = client.post(url, {"street_committee": w.a.pk, "deputy": w.zhang.pk, "note": "", "current": 0}, follow=True)
    assert "已记录东四推荐张东" in ok.content.decode()
    assert ReceptionRecommendation.objects.get(street_committee=w.a).deputy == w.zhang
    stale = client.post(url, {"street_committee": w.a.pk, "deputy": w.li.pk, "current": 0})
    assert stale.status_code == 400 and "已推荐了张东" in stale.content.decode()


def test_the_activity_page_links_to_the_recommendations(w, client):
    services.recommendation_set(user=w.staff_a, reception=w.r2026, street_committee=w.a, deputy=w.zhang)
    client.force_login(w.office)
    page = client.get(reverse("activities:detail", args=[w.r2026.pk])).content.decode()
    assert "各街工委推荐的代表（1/2 个街工委已推荐）" in page
    assert reverse("receptions:reception", args=[w.r2026.pk]) in page


@pytest.mark.parametrize("who", ["sc_member", "unit", "deputy"])
def test_nobody_else_sees_the_receptions(w, client, who):
    client.force_login(getattr(w, who))
    assert client.get(reverse("receptions:year")).status_code == 403
    assert client.get(reverse("receptions:reception", args=[w.r2026.pk])).status_code == 403
    assert api(getattr(w, who)).get(API).status_code == 403


def test_a_bad_year_is_a_400_with_the_reason(w, client):
    client.force_login(w.office)
    for year in ("abc", "1999", "2030"):
        page = client.get(reverse("receptions:year"), {"year": year})
        assert page.status_code == 400 and "不在本届" in page.content.decode()


def test_the_year_page_reads_a_fixed_number_of_queries(w, client, django_assert_max_num_queries):
    client.force_login(w.office)
    client.get(reverse("receptions:year"), {"year": 2025})
    with django_assert_max_num_queries(30) as few:
        client.get(reverse("receptions:year"), {"year": 2025})
    for i, r in enumerate(w.r2025 * 3):
        _reception(w.term, r.date + dt.timedelta(days=i % 5 + 1))
        factories.DeputyFactory(term=w.term, street_committee=w.b)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(reverse("receptions:year"), {"year": 2025})


# --- API -------------------------------------------------------------------------------------------------


def test_the_api_records_changes_and_withdraws_through_the_service(w):
    staff = api(w.staff_a)
    made = staff.post(API, {"reception": w.r2026.pk, "street_committee": w.a.pk, "deputy": w.zhang.pk}, format="json")
    assert made.status_code == 201, made.content
    body = made.json()
    assert (body["deputy_name"], body["street_committee_name"], body["reception_date"]) == ("张东", "东四", "2026-04-08")
    twice = staff.post(API, {"reception": w.r2026.pk, "street_committee": w.a.pk, "deputy": w.li.pk}, format="json")
    assert twice.status_code == 409 and twice.json()["current"]["deputy"] == w.zhang.pk
    changed = staff.patch(f"{API}{body['id']}/", {"deputy": w.li.pk}, format="json")
    assert changed.status_code == 200 and changed.json()["deputy_name"] == "李东"
    moved = staff.patch(f"{API}{body['id']}/", {"street_committee": w.b.pk}, format="json")
    assert moved.status_code == 400 and "不能修改" in moved.json()["street_committee"][0]
    wrong = staff.patch(f"{API}{body['id']}/", {"deputy": w.wang.pk}, format="json")
    assert wrong.status_code == 400 and "不是东四的代表" in wrong.json()["deputy"][0]
    assert api(w.staff_b).get(f"{API}{body['id']}/").status_code == 404  # another street's: not in view
    assert api(w.staff_b).delete(f"{API}{body['id']}/").status_code == 404
    assert staff.delete(f"{API}{body['id']}/").status_code == 204
    assert not ReceptionRecommendation.objects.exists()


def test_the_api_lists_in_scope_and_filters_by_year(w):
    services.recommendation_set(user=w.staff_a, reception=w.r2025[0], street_committee=w.a, deputy=w.zhang)
    services.recommendation_set(user=w.staff_b, reception=w.r2026, street_committee=w.b, deputy=w.wang)
    assert api(w.office).get(API).json()["count"] == 2
    assert [r["deputy_name"] for r in api(w.office).get(API, {"year": 2026}).json()["results"]] == ["王朝"]
    assert [r["deputy_name"] for r in api(w.staff_a).get(API).json()["results"]] == ["张东"]
    assert api(w.office).get(API, {"year": "x"}).status_code == 400
    made = api(w.staff_b).post(API, {"reception": w.r2026.pk, "street_committee": w.a.pk, "deputy": w.zhang.pk},
                               format="json")
    assert made.status_code == 403


# --- the data check and the 待办 ---------------------------------------------------------------------------


def test_a_year_ended_short_is_a_data_check_for_the_office_only(w, client):
    checks = api(w.office).get("/api/v1/data-checks/", {"term": w.term.pk, "as_of": "2026-01-01", "check": "director_receptions_short"})
    assert checks.status_code == 200, checks.content
    rows = checks.json()["results"]
    # 2022–2024 had none in this district; 2025 had 6.
    assert [(r["check"], r["year"], r["deputy"], r["type"]) for r in rows] == [
        ("director_receptions_short", year, None, "term") for year in (2022, 2023, 2024, 2025)]
    assert "2022年只安排了 0 次" in rows[0]["detail"] and "2025年只安排了 6 次" in rows[3]["detail"]
    none = api(w.office).get("/api/v1/data-checks/", {"term": w.term.pk, "as_of": "2025-12-31", "check": "director_receptions_short"})
    assert [r["year"] for r in none.json()["results"]] == [2022, 2023, 2024]  # 2025 is not over yet
    assert api(w.staff_a).get("/api/v1/data-checks/", {"term": w.term.pk, "as_of": "2026-01-01"}).json()["count"] == 0
    client.force_login(w.office)
    page = client.get(reverse("oversight:data_check_list"), {"term": w.term.pk, "as_of": "2026-01-01"}).content.decode()
    assert "主任会议成员接待代表不足7次" in page and "2025年只安排了 6 次" in page
    items = office_checks_to_fix(TodoContext(user=w.office, scope=scope_for(w.office), term=w.term,
                                             today=D(2026, 1, 1)))
    assert [(i.label, i.count) for i in items if "接待" in i.label] == [("数据检查:主任会议成员接待代表不足7次", 4)]


def test_a_street_is_told_of_coming_receptions_it_has_not_recommended_for(w, monkeypatch):
    coming = _reception(w.term, D(2026, 12, 10), "12月接待")
    ctx = lambda user: TodoContext(user=user, scope=scope_for(user), term=w.term, today=D(2026, 12, 3))  # noqa: E731
    items = reception_recommendations_owed(ctx(w.staff_a))
    assert [(i.label, i.count) for i in items] == [("主任会议成员接待代表活动待推荐代表", 1)]
    assert items[0].url == reverse("receptions:reception", args=[coming.pk]) and "12月接待" in items[0].detail
    assert reception_recommendations_owed(ctx(w.office)) == []  # the office sees the year page, not a line per street
    services.recommendation_set(user=w.staff_a, reception=coming, street_committee=w.a, deputy=w.zhang)
    assert reception_recommendations_owed(ctx(w.staff_a)) == []
    assert len(reception_recommendations_owed(ctx(w.staff_b))) == 1
    assert timezone.localdate()  # the 待办 reads ctx.today, not the clock
