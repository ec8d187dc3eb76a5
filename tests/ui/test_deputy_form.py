"""Creating and editing deputies: liaison office and admins only; errors next to each field."""
import pytest
from django.urls import reverse

from deputies.models import Deputy
from dutyadmin.roles import Role

pytestmark = pytest.mark.django_db
CREATE = reverse("deputies:create")


def valid_data(world, **changes) -> dict:
    data = {
        "term": world["term"].pk,
        "name": "赵新",
        "gender": "M",
        "street_committee": world["dongsi"].pk,
        "delegation": world["del_ds"].pk,
        "status": "active",
        "service_start": "2022-01-01",
        "service_end": "",
        "unit": "东城区图书馆",
        "position": "馆长",
        "constituency": "第7选区",
        "party_member": "on",
        "phone": "13700000000",
    }
    data.update(changes)
    return data


@pytest.mark.parametrize("role", [Role.LIAISON_OFFICE, Role.ADMIN])
def test_the_liaison_office_and_admins_create_a_deputy(login, personas, world, role):
    response = login(role).post(CREATE, valid_data(world))
    deputy = Deputy.objects.get(name="赵新")
    assert response.status_code == 302
    assert response.url == reverse("deputies:detail", args=[deputy.pk])
    assert deputy.street_committee == world["dongsi"] and deputy.party_member
    assert deputy.history.latest().history_user == personas[role]


@pytest.mark.parametrize(
    "role",
    [r for r in Role if r not in (Role.LIAISON_OFFICE, Role.ADMIN)] + ["nobody"],
)
def test_other_roles_may_not_create_or_edit_deputies(login, world, role):
    client = login(role)
    edit = reverse("deputies:edit", args=[world["zhang"].pk])
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, valid_data(world)).status_code == 403
    assert client.get(edit).status_code == 403
    assert client.post(edit, valid_data(world, name="改名")).status_code == 403
    assert not Deputy.objects.filter(name__in=["赵新", "改名"]).exists()


def test_editing_changes_the_deputy_and_leaves_history(login, personas, world):
    zhang = world["zhang"]
    response = login(Role.LIAISON_OFFICE).post(
        reverse("deputies:edit", args=[zhang.pk]), valid_data(world, name="张东", unit="东城区第二中学")
    )
    assert response.status_code == 302
    zhang.refresh_from_db()
    assert zhang.unit == "东城区第二中学"
    latest = zhang.history.latest()
    assert latest.history_user == personas[Role.LIAISON_OFFICE]
    assert latest.prev_record.unit == "东城区第一中学"


def test_the_form_starts_with_the_current_term(login, world):
    form = login(Role.LIAISON_OFFICE).get(CREATE).context["form"]
    assert form.initial["term"] == world["term"]


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"name": ""}, "name", "该字段是必填项。"),
        ({"service_start": "2030-01-01"}, "service_start", "任职开始日期必须在本届任期内。"),
        ({"status": "resigned"}, "service_end", "必须填写任职结束日期"),
        ({"service_end": "2021-01-01"}, "service_end", "任职结束日期不能早于任职开始日期。"),
        ({"gender": "X"}, "gender", "选择一个有效的选项"),
        ({"service_start": "2022-13-45"}, "service_start", "输入一个有效的日期。"),
        ({"street_committee": "999999"}, "street_committee", "选择一个有效的选项"),
    ],
)
def test_bad_input_shows_the_error_next_to_its_field_and_saves_nothing(login, world, changes, field, message):
    before = Deputy.objects.count()
    response = login(Role.LIAISON_OFFICE).post(CREATE, valid_data(world, **changes))
    assert response.status_code == 200
    errors = response.context["form"].errors[field]
    assert any(message in error for error in errors), errors
    html = response.text
    assert 'class="field has-error' in html and message.split("“")[0] in html
    assert Deputy.objects.count() == before


def test_an_out_of_scope_deputy_cannot_be_edited_even_by_url(login, world):
    assert login(Role.STREET_STAFF).get(reverse("deputies:edit", args=[world["wang"].pk])).status_code == 403
