"""The findings pages: who sees them, what they explain, and recording an intervention from a finding."""
import pytest
from django.urls import reverse

from dutyadmin.roles import Role
from oversight.articles import ARTICLE_TEXT
from oversight.models import Intervention

from tests import factories

from .records import D, attend, session_with_meetings

pytestmark = pytest.mark.django_db
FINDINGS = reverse("oversight:finding_list")
CHECKS = reverse("oversight:data_check_list")
AS_OF = "2024-06-01"


def deputy_page(deputy, as_of: str = AS_OF) -> str:
    return f"{reverse('oversight:deputy_findings', args=[deputy.pk])}?as_of={as_of}"


@pytest.fixture
def absences(world):
    """张东 (东四) and 王朝 (朝阳门) missed every meeting of a 2024 session; 李四 was there."""
    session, meetings = session_with_meetings(world["term"], D(2024, 3, 4), D(2024, 3, 6), number=7)
    attend(world["zhang"], meetings, "absent")
    attend(world["wang"], meetings, "absent")
    attend(world["li"], meetings, "present")
    return session


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.STREET_STAFF, 200), (Role.STREET_DIRECTOR, 200), (Role.DELEGATION_HEAD, 200),
        (Role.SECRETARIAT, 200), (Role.PRESIDIUM_SECRETARY_GENERAL, 200), (Role.SC_OFFICE, 200),
        (Role.SC_LEADER, 200), (Role.LIAISON_OFFICE, 200), (Role.ADMIN, 200), (Role.DEPUTY, 302), ("nobody", 403),
    ],
)
def test_who_sees_the_findings_list(login, role, status):
    response = login(role).get(FINDINGS)
    assert response.status_code == status
    response = login(role).get(CHECKS)
    assert response.status_code == status


def test_a_deputy_is_sent_to_their_own_findings(login, world):
    response = login(Role.DEPUTY).get(FINDINGS)
    assert response["Location"] == reverse("oversight:deputy_findings", args=[world["zhang"].pk])
    assert login(Role.DEPUTY).get(reverse("oversight:mine"))["Location"] == response["Location"]


def test_street_staff_see_only_their_streets_findings(login, world, absences):
    text = login(Role.STREET_STAFF).get(FINDINGS, {"as_of": AS_OF}).text
    assert "张东" in text and "未经批准一次不出席" in text
    assert "王朝" not in text


def test_the_list_counts_findings_per_status_and_filters_by_status(login, world, absences):
    response = login(Role.LIAISON_OFFICE).get(FINDINGS, {"as_of": AS_OF})
    counts = {c["status"]: c["count"] for c in response.context["counts"]}
    assert counts["action_required"] >= 4  # per deputy: an absence notice and a talk
    assert set(counts) == {"met", "on_track", "behind", "missed", "action_required", "resolved"}
    filtered = login(Role.LIAISON_OFFICE).get(FINDINGS, {"as_of": AS_OF, "status": "action_required"})
    assert {row["finding"].status for row in filtered.context["rows"]} == {"action_required"}
    assert filtered.context["page"].paginator.count == counts["action_required"]


@pytest.mark.parametrize(("name", "value"), [("rule", "absence_notice"), ("action", "notice")])
def test_the_list_filters_by_rule_and_action(login, world, absences, name, value):
    rows = login(Role.LIAISON_OFFICE).get(FINDINGS, {"as_of": AS_OF, name: value}).context["rows"]
    assert rows and {getattr(row["finding"], name) for row in rows} == {value}


def test_the_list_filters_by_street_committee(login, world, absences):
    rows = login(Role.LIAISON_OFFICE).get(FINDINGS, {"as_of": AS_OF, "street_committee": world["chaoyang"].pk})
    assert {row["finding"].deputy for row in rows.context["rows"]} == {world["wang"].pk}


def test_a_bad_filter_is_named_and_ignored(login, world, absences):
    response = login(Role.LIAISON_OFFICE).get(FINDINGS, {"as_of": "2024-02-30", "status": "late"})
    assert response.status_code == 200
    assert "筛选条件无效" in response.text


def test_the_list_links_each_finding_to_the_deputys_page(login, world, absences):
    text = login(Role.STREET_STAFF).get(FINDINGS, {"as_of": AS_OF}).text
    assert reverse("oversight:deputy_findings", args=[world["zhang"].pk]) in text


@pytest.mark.parametrize(
    ("role", "deputy", "status"),
    [
        (Role.STREET_STAFF, "zhang", 200), (Role.STREET_STAFF, "wang", 404),
        (Role.DELEGATION_HEAD, "li", 200), (Role.DELEGATION_HEAD, "wang", 404),
        (Role.DEPUTY, "zhang", 200), (Role.DEPUTY, "li", 404),
        (Role.LIAISON_OFFICE, "wang", 200), ("nobody", "zhang", 404),
    ],
)
def test_who_sees_a_deputys_findings(login, world, role, deputy, status):
    assert login(role).get(deputy_page(world[deputy])).status_code == status


def test_the_deputy_page_explains_every_rule(login, world, absences):
    response = login(Role.STREET_STAFF).get(deputy_page(world["zhang"]))
    text = response.text
    sections = response.context["sections"]
    assert [s.id for s in sections][:3] == ["closed_session_activities", "group_activities", "station_receptions"]
    assert len(sections) == 15
    for article in ("A3", "A4.1", "A5.3", "A9.1", "A9.6"):
        assert ARTICLE_TEXT[article] in text
    assert "<progress" in text
    assert "待处置" in text and "进度落后" in text
    assert "代表团团长或人大街工委主任" in text  # who must act on the A9.1 talk
    assert "2024年3月6日" in text  # since when: the session's last day


def test_a_deputy_sees_their_own_page_without_a_record_button(login, world, absences):
    response = login(Role.DEPUTY).get(deputy_page(world["zhang"]))
    assert response.status_code == 200
    assert "我的履职评估" in response.text
    assert reverse("oversight:intervention_create") not in response.text


def test_only_who_may_record_sees_the_record_button(login, world, absences):
    staff = login(Role.STREET_STAFF).get(deputy_page(world["zhang"])).context["sections"]
    director = login(Role.STREET_DIRECTOR).get(deputy_page(world["zhang"])).context["sections"]

    def urls(sections):
        return {view.finding.rule for s in sections for view in s.findings if view.record_url}

    assert urls(staff) == set()
    assert urls(director) == {"session_absence_talk", "no_contact_talk"}  # the director's rules in 东四


def test_recording_an_intervention_from_a_finding_resolves_it(login, world, absences):
    director = login(Role.STREET_DIRECTOR)
    page = director.get(deputy_page(world["zhang"]))
    (talk,) = [v for s in page.context["sections"] for v in s.findings if v.finding.rule == "session_absence_talk"]
    assert talk.finding.status == "action_required"

    form = director.get(talk.record_url)
    assert form.status_code == 200
    initial = form.context["form"].initial
    assert (initial["deputy"], initial["rule"], initial["kind"]) == (world["zhang"], "session_absence_talk", "talk")

    data = {"deputy": world["zhang"].pk, "rule": "session_absence_talk", "kind": "talk", "date": "2024-03-20",
            "conducted_by": "东四街工委主任 刘某", "notes": "已约谈", "next": form.context["next"]}
    response = director.post(talk.record_url, data)
    assert response.status_code == 302 and response["Location"] == deputy_page(world["zhang"])
    assert Intervention.objects.filter(deputy=world["zhang"], rule="session_absence_talk").count() == 1

    page = director.get(deputy_page(world["zhang"]))
    (talk,) = [v for s in page.context["sections"] for v in s.findings if v.finding.rule == "session_absence_talk"]
    assert talk.finding.status == "resolved" and talk.record_url == ""
    assert "已处置" in page.text and "东四街工委主任 刘某" in page.text


def test_an_intervention_of_the_wrong_kind_is_refused_with_a_message(login, world, absences):
    director = login(Role.STREET_DIRECTOR)
    url = reverse("oversight:intervention_create")
    data = {"deputy": world["zhang"].pk, "rule": "no_contact_talk", "kind": "notice", "date": "2024-03-20",
            "conducted_by": "东四街工委主任 刘某", "notes": ""}
    response = director.post(url, data)
    assert response.status_code == 200
    assert "kind" in response.context["form"].errors
    assert "约谈" in response.context["form"].errors["kind"][0]
    assert not Intervention.objects.exists()


def test_an_unsafe_next_address_is_ignored(login, world):
    director = login(Role.STREET_DIRECTOR)
    url = reverse("oversight:intervention_create") + "?next=https://evil.example/"
    data = {"deputy": world["zhang"].pk, "rule": "no_contact_talk", "kind": "talk", "date": "2024-03-20",
            "conducted_by": "刘某", "notes": "", "next": "https://evil.example/"}
    response = director.post(url, data)
    assert response.status_code == 302 and "evil" not in response["Location"]


def test_a_bad_as_of_date_on_the_deputy_page_is_named_and_today_used(login, world):
    response = login(Role.STREET_STAFF).get(deputy_page(world["zhang"], as_of="2024-99-01"))
    assert response.status_code == 200 and "评估日期" in response.text and "无效" in response.text


def test_the_data_check_page_lists_unrecorded_attendance_in_scope(login, world):
    session_with_meetings(world["term"], D(2024, 3, 4), D(2024, 3, 4), number=8, kinds=("plenary",))
    response = login(Role.STREET_STAFF).get(CHECKS, {"as_of": AS_OF})
    rows = response.context["rows"]
    assert {row["check"].deputy for row in rows} == {world["zhang"].pk, world["li"].pk}
    assert "出席记录缺失" in response.text


def test_the_data_check_page_lists_a_duplicate_pair_once_by_its_activities_titles(login, world):
    first = factories.ActivityFactory(term=world["term"], kind="station_reception", date=D(2024, 5, 1),
                                      title="东四代表之家接待日")
    second = factories.ActivityFactory(term=world["term"], kind="station_reception", date=D(2024, 5, 1),
                                       title="东四联络站接待群众")
    for activity in (first, second):
        factories.ParticipationFactory(activity=activity, deputy=world["zhang"])
    response = login(Role.STREET_STAFF).get(CHECKS, {"as_of": AS_OF, "check": "duplicate_registration"})
    rows = response.context["rows"]
    assert len(rows) == 1 and rows[0]["check"].deputy == world["zhang"].pk
    text = response.text
    assert f'<a href="/activities/{first.pk}/">东四代表之家接待日</a>(2024年5月1日)' in text
    assert f'<a href="/activities/{second.pk}/">东四联络站接待群众</a>(2024年5月1日)' in text
    assert f"#{first.pk}" not in text and f"#{second.pk}" not in text
    # The API keeps one check per record (the contract).
    api = login(Role.STREET_STAFF).get("/api/v1/data-checks/", {"term": world["term"].pk, "as_of": AS_OF,
                                                                 "check": "duplicate_registration"})
    assert api.status_code == 200 and len(api.json()["results"] if "results" in api.json() else api.json()) == 2


@pytest.mark.parametrize(("role", "label", "shown"), [
    (Role.STREET_STAFF, "履职提示", True), (Role.DEPUTY, "我的履职评估", True), ("nobody", "履职提示", False),
])
def test_the_menu_leads_to_the_findings(login, role, label, shown):
    text = login(role).get(reverse("home")).text
    menu = text[text.index('id="sidenav"'):]
    assert (label in menu) is shown  # a deputy's item names their own page (issue 11)
