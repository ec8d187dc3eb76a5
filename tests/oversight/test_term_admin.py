"""Thresholds in the Django admin: one whole-number field per key, with its Chinese name."""
import pytest
from django.test import Client

from deputies.models import Term
from oversight.findings.forms import threshold_field_name
from oversight.rules.catalog import DEFAULT_THRESHOLDS, THRESHOLD_LABELS
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client_(make_user) -> Client:
    client = Client()
    client.force_login(make_user("admin", superuser=True))
    return client


def form_data(term: Term, **thresholds) -> dict:
    data = {"number": term.number, "name": term.name, "start_date": "2022-01-01", "end_date": "2026-12-31",
            "notice_days_before": term.notice_days_before}
    current = {**term.thresholds, **thresholds}
    data.update({threshold_field_name(key): current[key] for key in DEFAULT_THRESHOLDS})
    return data


def test_the_term_page_shows_one_labelled_field_per_threshold_and_no_json(admin_client_, term):
    page = admin_client_.get(f"/admin/deputies/term/{term.pk}/change/")
    assert page.status_code == 200
    text = page.content.decode()
    for key, label in THRESHOLD_LABELS.items():
        assert f'name="{threshold_field_name(key)}"' in text
        assert label in text
    assert 'name="thresholds"' not in text
    form = page.context["adminform"].form
    assert form.initial[threshold_field_name("lectures")] == 5


def test_saving_a_threshold_in_the_admin_keeps_the_others(admin_client_, term):
    response = admin_client_.post(f"/admin/deputies/term/{term.pk}/change/", form_data(term, lectures=4))
    assert response.status_code == 302
    term.refresh_from_db()
    assert term.thresholds == {**DEFAULT_THRESHOLDS, "lectures": 4}


@pytest.mark.parametrize("value", ["0", "-3", "2.5", "abc", ""])
def test_a_threshold_that_is_not_a_positive_whole_number_is_refused(admin_client_, term, value):
    response = admin_client_.post(f"/admin/deputies/term/{term.pk}/change/", form_data(term, training=value))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert threshold_field_name("training") in errors
    term.refresh_from_db()
    assert term.thresholds["training"] == 3


def test_a_new_term_in_the_admin_starts_with_the_defaults(admin_client_, db):
    page = admin_client_.get("/admin/deputies/term/add/")
    assert page.context["adminform"].form.initial[threshold_field_name("no_contact_days")] == 365
    data = {"number": 18, "name": "第十八届", "start_date": "2027-01-01", "end_date": "2031-12-31",
            "notice_days_before": 3, **{threshold_field_name(key): value for key, value in DEFAULT_THRESHOLDS.items()}}
    data[threshold_field_name("no_contact_days")] = 300
    assert admin_client_.post("/admin/deputies/term/add/", data).status_code == 302
    assert Term.objects.get(number=18).thresholds == {**DEFAULT_THRESHOLDS, "no_contact_days": 300}


def test_the_term_s_history_in_the_admin_reads_in_chinese():
    term = factories.TermFactory()
    admin_user = factories.make_user("admin", superuser=True)
    term.thresholds = {**term.thresholds, "station_receptions": 3}
    term._history_user = admin_user
    term.save()
    client = Client()
    client.force_login(admin_user)
    page = client.get(f"/admin/deputies/term/{term.pk}/history/").content.decode()
    assert "变更内容" in page and "Changes" not in page
    assert "代表联络站接待群众(次/年) 2" in page and "代表联络站接待群众(次/年) 3" in page
    assert "{&#x27;" not in page and "None" not in page
    form = client.get(f"/admin/deputies/term/{term.pk}/change/").content.decode()
    assert "closed_session_activities;" not in form and "第四条(一);默认 3" in form
    assert Term.objects.count() == 1
