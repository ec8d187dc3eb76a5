"""Issue 11's smaller items: a session's full name, too-long titles, the leave page with nothing to ask
leave for, and the searchable deputy pickers."""
import pytest
from django.urls import reverse

from activities.forms import SelfRegistrationForm
from deputies.models import Deputy
from dutyadmin.forms import DeputySelect
from dutyadmin.roles import Role
from meetings.forms import ContributionForm, LeaveBackfillForm
from meetings.models import chinese_number
from oversight.interventions.forms import InterventionForm

pytestmark = pytest.mark.django_db


def test_a_session_reads_as_the_terms_name_and_its_number_not_the_term_twice(district):
    district["term"].name = "东城区第十七届人民代表大会"
    district["term"].save()
    district["past"].number = 6
    form = ContributionForm(deputies=Deputy.objects.all())
    labels = [label for _value, label in form.fields["session"].choices]
    assert "东城区第十七届人民代表大会第五次会议" in labels
    assert not any("第十七届人民代表大会第十七届" in label for label in labels)
    assert [chinese_number(n) for n in (1, 6, 10, 16, 20, 21)] == ["一", "六", "十", "十六", "二十", "二十一"]


def test_a_title_over_its_limit_is_an_error_stating_the_limit_and_the_browser_does_not_cut_it():
    form = SelfRegistrationForm(data={"kind": "", "title": "名" * 201, "date": "2024-01-01", "location": "x"})
    assert not form.is_valid()
    assert form.errors["title"] == ["最多 200 字,现在是 201 字,请删减后再保存。"]
    assert "maxlength" not in str(form["title"])


def test_the_leave_page_without_a_session_to_ask_for_shows_only_the_message(district, as_):
    district["coming"].delete()
    page = as_(Role.DEPUTY).get(reverse("meetings:leave_create"))
    assert "目前没有可以请假的大会。" in page.text
    assert "提交申请" not in page.text and "<form method=\"post\" enctype" not in page.text
    assert as_(Role.DEPUTY).post(reverse("meetings:leave_create"), {"reason": "x"}).status_code == 400


@pytest.mark.parametrize("make", [
    lambda: InterventionForm(deputies=Deputy.objects.all()),
    lambda: ContributionForm(deputies=Deputy.objects.all()),
])
def test_every_deputy_picker_is_searchable(district, make):
    field = make().fields["deputy"]
    assert isinstance(field.widget, DeputySelect)
    assert "data-deputy-select" in field.widget.render("deputy", None)


def test_the_leave_forms_pickers_are_searchable_too(district, as_):
    page = as_(Role.SECRETARIAT).get(reverse("meetings:leave_backfill"))
    assert page.status_code in (200, 403)
    assert LeaveBackfillForm.declared_fields["deputy"].widget.__class__ is DeputySelect
