"""Public duty pages (代表法第五十八条；条例第九条第（十）项): off by default, only approved years."""
import datetime as dt

import pytest
from django.core.cache import cache

from dutyadmin.roles import Role
from meetings.choices import AttendanceStatus, LeaveRoute, LeaveStatus
from oversight.choices import ReviewStatus
from oversight.models import PublicDutySettings, YearReview
from tests.factories import (
    ActivityFactory, AttendanceFactory, HandlingUnitFactory, CongressSessionFactory, DeputyFactory, InterventionFactory,
    LeaveRequestFactory, MeetingFactory, ParticipationFactory, SuspensionFactory, make_user,
)
from oversight.handbook.build import handbook_build
from oversight.public.selectors import public_duty
from django.utils import timezone
import random
import re
from tests.oversight.test_handbook_agreement import random_world

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_cache():
    cache.clear()
    yield
    cache.clear()


def turn_on(**fields):
    row = PublicDutySettings.current()
    row.enabled = True
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()
    return row


@pytest.fixture
def deputy():
    d = DeputyFactory(name="王公示", phone="13900001111", unit="东城区某某中学", position="校长")
    # 2023: approved; 2024: not approved (submitted only)
    YearReview.objects.create(term=d.term, year=2023, street_committee=d.street_committee,
                              status=ReviewStatus.APPROVED)
    YearReview.objects.create(term=d.term, year=2024, street_committee=d.street_committee,
                              status=ReviewStatus.SUBMITTED)
    ParticipationFactory(deputy=d, activity=ActivityFactory(term=d.term, date=dt.date(2023, 5, 1)))
    ParticipationFactory(deputy=d, activity=ActivityFactory(term=d.term, date=dt.date(2023, 6, 1)))
    for day in (dt.date(2024, 5, 1), dt.date(2024, 6, 1), dt.date(2024, 7, 1)):
        ParticipationFactory(deputy=d, activity=ActivityFactory(term=d.term, date=day))
    s23 = CongressSessionFactory(term=d.term, start_date=dt.date(2023, 1, 10), end_date=dt.date(2023, 1, 12))
    AttendanceFactory(deputy=d, meeting=MeetingFactory(session=s23), status=AttendanceStatus.PRESENT)
    s24 = CongressSessionFactory(term=d.term, start_date=dt.date(2024, 1, 10), end_date=dt.date(2024, 1, 12))
    AttendanceFactory(deputy=d, meeting=MeetingFactory(session=s24), status=AttendanceStatus.ABSENT)
    AttendanceFactory(deputy=d, meeting=MeetingFactory(session=s24), status=AttendanceStatus.ABSENT)
    InterventionFactory(deputy=d, date=dt.date(2023, 2, 1), published=False)
    return d


def page(client, d):
    return client.get(f"/public/deputies/{d.pk}/")


def test_off_by_default_is_404(client, deputy):
    assert client.get("/public/").status_code == 404
    assert page(client, deputy).status_code == 404
    turn_on()
    cache.clear()
    turn_on(enabled=False)
    assert page(client, deputy).status_code == 404


def test_no_login_only_approved_year(client, deputy):
    turn_on()
    response = page(client, deputy)
    assert response.status_code == 200
    html = response.content.decode()
    assert "王公示" in html and deputy.street_committee.name in html and deputy.delegation.name in html
    assert "2023年度履职情况" in html and "2024年度" not in html
    assert "2次" in html  # two activities in 2023
    assert "3次" not in html  # 2024's three activities are not shown
    assert "缺席" not in html  # 2024's absences are not shown
    assert "13900001111" not in html
    assert "履职处置" not in html and "谈话" not in html  # unpublished intervention
    assert "东城区某某中学" not in html and "校长" not in html  # unit/position off by default
    assert 'name="robots" content="index' in html


def test_per_field_switches(client, deputy):
    turn_on(show_unit=True)
    html = page(client, deputy).content.decode()
    assert "东城区某某中学" in html and "校长" not in html
    turn_on(show_unit=False, show_position=True)
    html = page(client, deputy).content.decode()
    assert "东城区某某中学" not in html and "校长" in html


def test_published_intervention_appears(client, deputy):
    turn_on()
    assert "履职处置" not in page(client, deputy).content.decode()
    intervention = deputy.interventions.get()
    intervention.published = True
    intervention.save()
    html = page(client, deputy).content.decode()
    assert "履职处置" in html and "2023年2月1日" in html and intervention.get_rule_display() in html
    assert intervention.conducted_by not in html


def test_cache_invalidated_on_approval_and_reopen(client, deputy):
    turn_on()
    assert "2024年度" not in page(client, deputy).content.decode()
    review = YearReview.objects.get(year=2024)
    review.status = ReviewStatus.APPROVED
    review.save()
    html = page(client, deputy).content.decode()
    assert "2024年度履职情况" in html and "3次" in html
    review.status = ReviewStatus.SUBMITTED  # reopened
    review.save()
    assert "2024年度" not in page(client, deputy).content.decode()


def test_index_by_street_with_search(client, deputy):
    turn_on()
    other = DeputyFactory(name="李另一", term=deputy.term)
    html = client.get("/public/").content.decode()
    assert "王公示" in html and "李另一" in html and deputy.street_committee.name in html
    html = client.get("/public/", {"q": "王公"}).content.decode()
    assert "王公示" in html and "李另一" not in html
    assert other.street_committee.name not in html


def test_query_pins(client, deputy, django_assert_max_num_queries):
    turn_on()
    for i in range(20):
        DeputyFactory(term=deputy.term, street_committee=deputy.street_committee)
    with django_assert_max_num_queries(4):
        assert client.get("/public/").status_code == 200
    # The settings, the deputy, the approved years, then per approved year its handbook (the engine's reading of
    # the deputy alone, whatever the term's size), suggestions and interventions.
    with django_assert_max_num_queries(26):
        assert page(client, deputy).status_code == 200
    with django_assert_max_num_queries(2):  # cached: only the settings row
        assert page(client, deputy).status_code == 200


def test_robots_txt(client):
    body = client.get("/robots.txt").content.decode()
    assert "Allow: /public/" in body and "Disallow: /" in body


def test_only_the_liaison_office_sets_and_publishes(client, deputy):
    staff = make_user(Role.STREET_STAFF, street_committee=deputy.street_committee)
    client.force_login(staff)
    assert client.get("/public-settings/").status_code == 403
    intervention = deputy.interventions.get()
    assert client.post(f"/public-settings/interventions/{intervention.pk}/publish/",
                       {"published": "1"}).status_code == 403
    intervention.refresh_from_db()
    assert intervention.published is False
    client.force_login(make_user(Role.LIAISON_OFFICE))
    assert client.get("/public-settings/").status_code == 200
    client.post("/public-settings/", {"enabled": "on", "show_position": "on"})
    row = PublicDutySettings.objects.get(pk=1)
    assert row.enabled and row.show_position and not row.show_unit
    client.post(f"/public-settings/interventions/{intervention.pk}/publish/", {"published": "1"})
    intervention.refresh_from_db()
    assert intervention.published is True
    client.logout()
    assert "履职处置" in page(client, deputy).content.decode()


def attendance_rows(html: str, year: int) -> dict[str, str]:
    section = html.split(f'data-year="{year}"', 1)[1].split("</section>", 1)[0]
    block = section.split("<h3>出席会议</h3>", 1)[1].split("<h3>", 1)[0]
    return dict(re.findall(r"<tr><td>([^<]+)</td><td>(\d+)次</td></tr>", block))


def test_attendance_separates_excused_and_unexcused_as_the_handbook(client):
    """Approved leave is 请假, pending or rejected leave and no leave are 缺席, as the engine reads them; a
    meeting on a day the deputy's duties were suspended is not theirs."""
    d = DeputyFactory(name="赵请假")
    YearReview.objects.create(term=d.term, year=2023, street_committee=d.street_committee,
                              status=ReviewStatus.APPROVED)
    session = CongressSessionFactory(term=d.term, start_date=dt.date(2023, 1, 10), end_date=dt.date(2023, 1, 13))
    meetings = [MeetingFactory(session=session, date=dt.date(2023, 1, 10 + i % 4)) for i in range(7)]
    AttendanceFactory(deputy=d, meeting=meetings[0], status=AttendanceStatus.PRESENT)
    for meeting in meetings[1:5]:
        AttendanceFactory(deputy=d, meeting=meeting, status=AttendanceStatus.ABSENT)
    for meeting, status in ((meetings[1], LeaveStatus.APPROVED), (meetings[2], LeaveStatus.PENDING),
                            (meetings[3], LeaveStatus.REJECTED), (meetings[5], LeaveStatus.APPROVED)):
        LeaveRequestFactory(deputy=d, session=session, route=LeaveRoute.PLENARY, status=status).meetings.set([meeting])
    # meetings[4]: absent without leave; meetings[5]: not recorded under approved leave; meetings[6]: not recorded.
    turn_on()
    html = page(client, d).content.decode()
    assert attendance_rows(html, 2023) == {"出席": "1", "请假": "2", "缺席": "3", "未记录": "1"}
    tally = handbook_build(deputy=d, year=2023, today=timezone.localdate()).figures.meetings
    assert (tally["present"], tally["excused"], tally["unexcused"], tally["not_recorded"]) == (1, 2, 3, 1)

    cache.clear()
    SuspensionFactory(deputy=d, start_date=dt.date(2023, 1, 13), end_date=dt.date(2023, 2, 1))
    html = page(client, d).content.decode()
    assert meetings[3].date == dt.date(2023, 1, 13)  # absent under rejected leave, now on a suspended day
    assert attendance_rows(html, 2023) == {"出席": "1", "请假": "2", "缺席": "2", "未记录": "1"}


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_public_page_says_what_the_handbook_says(seed, term, client):
    """In varied worlds: every approved year's attendance and activity counts are the handbook's."""
    deputies = random_world(random.Random(seed), term)
    street = deputies[0].street_committee
    for year in (2024, 2025):
        YearReview.objects.create(term=term, year=year, street_committee=street, status=ReviewStatus.APPROVED)
    turn_on()
    today = timezone.localdate()
    labels = {"present": "出席", "excused": "请假", "unexcused": "缺席", "not_recorded": "未记录"}
    for d in deputies:
        html = page(client, d).content.decode()
        years = {y["year"]: y for y in public_duty(d, today)}
        for year in (2024, 2025):
            handbook = handbook_build(deputy=d, year=year, today=today)
            expected = {labels[k]: str(n) for k, n in handbook.figures.meetings.items() if n}
            assert attendance_rows(html, year) == expected, (seed, d.name, year)
            counted = {g.label: g.counted for sec in handbook.activity_sections for g in sec.groups if g.counted}
            assert years[year]["activities"] == counted


def test_sitemap_lists_the_deputy_pages_only_while_on(client, deputy):
    assert client.get("/public/sitemap.xml").status_code == 404
    assert "Sitemap:" not in client.get("/robots.txt").content.decode()
    turn_on()
    other_term = DeputyFactory(name="别届代表")  # a deputy of another (newer?) term: only the current term's
    response = client.get("/public/sitemap.xml")
    assert response.status_code == 200
    body = response.content.decode()
    current = other_term.term if other_term.term.start_date > deputy.term.start_date else deputy.term
    for d in (deputy, other_term):
        assert (f"/public/deputies/{d.pk}/" in body) == (d.term_id == current.pk)
    assert "/public/</loc>" in body
    assert "Sitemap: http://testserver/public/sitemap.xml" in client.get("/robots.txt").content.decode()


def test_publish_button_on_the_intervention_pages(client, deputy):
    office = make_user(Role.LIAISON_OFFICE)
    client.force_login(office)
    intervention = deputy.interventions.get()
    # Off: no button (nothing would show).
    assert "撤回公开" not in client.get("/oversight/interventions/").content.decode()
    assert 'name="published" value="1"' not in client.get("/oversight/interventions/").content.decode()
    turn_on()
    html = client.get("/oversight/interventions/").content.decode()
    assert 'name="published" value="1"' in html and "data-confirm=" in html
    edit = client.get(f"/oversight/interventions/{intervention.pk}/edit/").content.decode()
    assert "这条处置未公开" in edit and 'name="published" value="1"' in edit
    response = client.post(f"/public-settings/interventions/{intervention.pk}/publish/",
                           {"published": "1", "next": f"/oversight/interventions/{intervention.pk}/edit/"})
    assert response.status_code == 302 and response["Location"] == f"/oversight/interventions/{intervention.pk}/edit/"
    intervention.refresh_from_db()
    assert intervention.published
    assert intervention.history.first().history_user == office
    edit = client.get(f"/oversight/interventions/{intervention.pk}/edit/").content.decode()
    assert "撤回公开" in edit and "已公开" in edit
    # Unsafe next is ignored.
    response = client.post(f"/public-settings/interventions/{intervention.pk}/publish/",
                           {"published": "0", "next": "https://evil.example/"})
    assert response["Location"] == "/oversight/interventions/"
    intervention.refresh_from_db()
    assert not intervention.published
    # Street staff see no button even when on.
    client.force_login(make_user(Role.STREET_STAFF, street_committee=deputy.street_committee))
    assert 'name="published"' not in client.get("/oversight/interventions/").content.decode()


def test_menu_links_the_settings_for_the_office_only(client):
    client.force_login(make_user(Role.LIAISON_OFFICE))
    assert 'href="/public-settings/"' in client.get("/").content.decode()
    client.force_login(make_user(Role.STREET_STAFF, street_committee=DeputyFactory().street_committee))
    assert 'href="/public-settings/"' not in client.get("/").content.decode()


@pytest.mark.parametrize("role", [Role.SC_MEMBER, Role.HANDLING_UNIT, Role.DEPUTY, Role.STREET_DIRECTOR])
def test_the_newer_roles_may_not_set_or_publish(client, deputy, role):
    scope = {}
    if role == Role.HANDLING_UNIT:
        scope["handling_unit"] = HandlingUnitFactory()
    elif role == Role.DEPUTY:
        scope["deputy"] = deputy
    elif role == Role.STREET_DIRECTOR:
        scope["street_committee"] = deputy.street_committee
    client.force_login(make_user(role, **scope))
    turn_on()
    intervention = deputy.interventions.get()
    assert client.get("/public-settings/").status_code == 403
    assert client.post("/public-settings/", {"enabled": ""}).status_code == 403
    assert client.post(f"/public-settings/interventions/{intervention.pk}/publish/", {"published": "1"}).status_code == 403
    intervention.refresh_from_db()
    assert not intervention.published and PublicDutySettings.objects.get(pk=1).enabled
    activity = ActivityFactory(term=deputy.term)
    assert client.get(f"/activities/{activity.pk}/checkin-code/").status_code == 403
