"""Contribution and intervention forms: who may, scoped deputy choices, field errors, history."""
import pytest
from django.urls import reverse

from dutyadmin.roles import Role
from meetings.models import Contribution
from oversight.models import Intervention
from tests import factories

pytestmark = pytest.mark.django_db
NEW_CONTRIBUTION = reverse("meetings:contribution_create")
NEW_INTERVENTION = reverse("oversight:intervention_create")


def contribution_data(deputy, **changes) -> dict:
    data = {"deputy": deputy.pk, "session": "", "kind": "suggestion", "date": "2024-03-02", "title": "关于增设养老驿站的建议"}
    data.update(changes)
    return data


def intervention_data(deputy, **changes) -> dict:
    data = {
        "deputy": deputy.pk, "rule": "session_absence_talk", "kind": "talk", "date": "2024-02-01",
        "conducted_by": "东四街工委主任 王某", "notes": "",
    }
    data.update(changes)
    return data


# --- contributions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (Role.STREET_STAFF, 200),
        (Role.SECRETARIAT, 200),
        (Role.LIAISON_OFFICE, 200),
        (Role.ADMIN, 200),
        (Role.STREET_DIRECTOR, 403),
        (Role.DEPUTY, 403),
        (Role.DELEGATION_HEAD, 403),
        (Role.SC_OFFICE, 403),
        (Role.SC_LEADER, 403),
        (Role.PRESIDIUM_SECRETARY_GENERAL, 403),
        ("nobody", 403),
    ],
)
def test_who_may_record_a_contribution(login, world, role, status):
    client = login(role)
    assert client.get(NEW_CONTRIBUTION).status_code == status
    response = client.post(NEW_CONTRIBUTION, contribution_data(world["zhang"]))
    assert response.status_code == (302 if status == 200 else 403)
    assert Contribution.objects.count() == (1 if status == 200 else 0)


def test_street_staff_choose_only_their_streets_deputies(login, world):
    form = login(Role.STREET_STAFF).get(NEW_CONTRIBUTION).context["form"]
    assert sorted(d.name for d in form.fields["deputy"].queryset) == ["张东", "李四"]


def test_street_staff_cannot_post_for_another_streets_deputy(login, world):
    response = login(Role.STREET_STAFF).post(NEW_CONTRIBUTION, contribution_data(world["wang"]))
    assert response.status_code == 200
    assert "deputy" in response.context["form"].errors
    assert not Contribution.objects.exists()


def test_saving_a_contribution_records_who_did_it(login, personas, world):
    response = login(Role.STREET_STAFF).post(NEW_CONTRIBUTION, contribution_data(world["zhang"]))
    assert response.status_code == 302
    assert response.url == reverse("deputies:detail", args=[world["zhang"].pk])
    contribution = Contribution.objects.get()
    assert contribution.history.latest().history_user == personas[Role.STREET_STAFF]


def test_the_deputy_page_link_preselects_the_deputy(login, world):
    form = login(Role.STREET_STAFF).get(NEW_CONTRIBUTION, {"deputy": world["li"].pk}).context["form"]
    assert form.initial["deputy"] == world["li"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [({"title": ""}, "title"), ({"kind": "poem"}, "kind"), ({"date": "昨天"}, "date"), ({"session": "abc"}, "session")],
)
def test_a_bad_contribution_shows_field_errors_and_saves_nothing(login, world, changes, field):
    response = login(Role.STREET_STAFF).post(NEW_CONTRIBUTION, contribution_data(world["zhang"], **changes))
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert "请修改下面标出的内容后再保存。" in response.text
    assert not Contribution.objects.exists()


def test_a_session_of_another_term_is_refused_in_chinese(login, world):
    other_term = factories.TermFactory(number=16, start_date="2017-01-01", end_date="2021-12-31")
    old_session = factories.CongressSessionFactory(
        term=other_term, start_date="2019-01-10", end_date="2019-01-12"
    )
    response = login(Role.STREET_STAFF).post(
        NEW_CONTRIBUTION, contribution_data(world["zhang"], session=old_session.pk)
    )
    assert response.context["form"].errors["session"] == ["代表与大会不属于同一届。"]
    assert not Contribution.objects.exists()


def test_editing_a_contribution_in_and_out_of_scope(login, world):
    mine = factories.ContributionFactory(deputy=world["zhang"], title="旧标题")
    theirs = factories.ContributionFactory(deputy=world["wang"])
    client = login(Role.STREET_STAFF)
    response = client.post(
        reverse("meetings:contribution_edit", args=[mine.pk]), contribution_data(world["zhang"], title="新标题")
    )
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.title == "新标题"
    assert client.get(reverse("meetings:contribution_edit", args=[theirs.pk])).status_code == 404


def test_a_deputy_may_see_but_not_edit_their_contributions(login, world):
    mine = factories.ContributionFactory(deputy=world["zhang"], title="我的建议")
    client = login(Role.DEPUTY)
    assert "我的建议" in client.get(reverse("meetings:contribution_list")).text
    url = reverse("meetings:contribution_edit", args=[mine.pk])
    assert client.post(url, contribution_data(world["zhang"], title="改")).status_code == 403
    mine.refresh_from_db()
    assert mine.title == "我的建议"


def test_the_contribution_list_is_scoped_and_survives_bad_filters(login, world):
    factories.ContributionFactory(deputy=world["zhang"], title="东四的建议")
    factories.ContributionFactory(deputy=world["wang"], title="朝阳门的建议")
    client = login(Role.STREET_STAFF)
    text = client.get(reverse("meetings:contribution_list")).text
    assert "东四的建议" in text and "朝阳门的建议" not in text
    for query in ({"page": "abc"}, {"year": "x"}, {"kind": "poem"}, {"deputy": "-3"}):
        response = client.get(reverse("meetings:contribution_list"), query)
        assert response.status_code == 200
        assert response.context["notices"]
    assert "朝阳门的建议" not in client.get(reverse("meetings:contribution_list"), {"deputy": world["wang"].pk}).text


# --- interventions -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "form_status", "rule", "kind", "saved"),
    [
        (Role.STREET_DIRECTOR, 200, "session_absence_talk", "talk", True),
        (Role.DELEGATION_HEAD, 200, "session_absence_talk", "talk", True),
        (Role.LIAISON_OFFICE, 200, "session_absence_talk", "talk", True),
        (Role.ADMIN, 200, "session_absence_talk", "talk", True),
        # The standing committee records its own rules only (RULES.md "responsible").
        (Role.SC_OFFICE, 200, "session_absence_talk", "talk", False),
        (Role.SC_OFFICE, 200, "activity_absence_notice", "notice", True),
        (Role.SC_LEADER, 200, "qualification_termination", "termination", True),
        (Role.SC_LEADER, 200, "no_contact_talk", "talk", False),
        (Role.SECRETARIAT, 200, "absence_notice", "notice", True),
        (Role.SECRETARIAT, 200, "session_absence_talk", "talk", False),
        (Role.DELEGATION_HEAD, 200, "qualification_termination", "termination", False),
        (Role.STREET_STAFF, 403, "session_absence_talk", "talk", False),
        (Role.DEPUTY, 403, "session_absence_talk", "talk", False),
        (Role.PRESIDIUM_SECRETARY_GENERAL, 403, "session_absence_talk", "talk", False),
        ("nobody", 403, "session_absence_talk", "talk", False),
    ],
)
def test_who_may_record_an_intervention(login, world, role, form_status, rule, kind, saved):
    client = login(role)
    assert client.get(NEW_INTERVENTION).status_code == form_status
    response = client.post(NEW_INTERVENTION, intervention_data(world["zhang"], rule=rule, kind=kind))
    assert response.status_code == (302 if saved else 403)
    assert Intervention.objects.count() == (1 if saved else 0)


def test_a_kind_that_is_not_the_rules_is_refused_next_to_the_field(login, world):
    response = login(Role.STREET_DIRECTOR).post(NEW_INTERVENTION, intervention_data(world["zhang"], kind="notice"))
    assert response.status_code == 200
    assert "处置方式只能是" in response.context["form"].errors["kind"][0]
    assert not Intervention.objects.exists()


def test_a_street_director_chooses_only_their_streets_deputies(login, world):
    client = login(Role.STREET_DIRECTOR)
    form = client.get(NEW_INTERVENTION).context["form"]
    assert sorted(d.name for d in form.fields["deputy"].queryset) == ["张东", "李四"]
    response = client.post(NEW_INTERVENTION, intervention_data(world["wang"]))
    assert "deputy" in response.context["form"].errors
    assert not Intervention.objects.exists()


def test_an_intervention_edit_keeps_before_and_after(login, personas, world):
    intervention = factories.InterventionFactory(deputy=world["zhang"], conducted_by="团长")
    client = login(Role.LIAISON_OFFICE)
    response = client.post(
        reverse("oversight:intervention_edit", args=[intervention.pk]),
        intervention_data(world["zhang"], conducted_by="代表联络机构 刘某"),
    )
    assert response.status_code == 302
    entries = client.get(reverse("deputies:history", args=[world["zhang"].pk])).context["history"]
    change = entries[0].changes[0]
    assert (entries[0].who, change.field, change.before, change.after) == ("liaison", "实施人", "团长", "代表联络机构 刘某")


def test_the_intervention_list_is_scoped(login, world):
    factories.InterventionFactory(deputy=world["zhang"], conducted_by="东四的处置")
    factories.InterventionFactory(deputy=world["wang"], conducted_by="朝阳门的处置")
    text = login(Role.STREET_DIRECTOR).get(reverse("oversight:intervention_list")).text
    assert "东四的处置" in text and "朝阳门的处置" not in text
    other = factories.InterventionFactory(deputy=world["wang"])
    assert login(Role.STREET_DIRECTOR).get(reverse("oversight:intervention_edit", args=[other.pk])).status_code == 404
