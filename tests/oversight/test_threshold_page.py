"""/oversight/thresholds/: the liaison office reads the thresholds over time and changes them after a preview."""
import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from deputies.models import Term, ThresholdChange
from deputies.services import threshold_change_create
from tests import factories

pytestmark = pytest.mark.django_db
URL = "/oversight/thresholds/"


@pytest.fixture
def today():
    return timezone.localdate()


@pytest.fixture
def term(today):
    """A term around today: 2 years behind, 2 ahead."""
    return factories.TermFactory(number=20, name="第二十届", start_date=dt.date(today.year - 2, 1, 1),
                                 end_date=dt.date(today.year + 2, 12, 31))


@pytest.fixture
def liaison_user():
    user = factories.make_user("liaison_office", username="liaison")
    user.last_name, user.first_name = "黄", "丽"
    user.save()
    return user


@pytest.fixture
def liaison(liaison_user):
    client = Client()
    client.force_login(liaison_user)
    return client


def form_data(term, **fields):
    data = {"term": term.pk, "effective_from": f"{term.end_date.year - 1}-01-01", "value_station_receptions": "3",
            "reason": "主任会议决定每年至少接待群众3次。", "action": "preview"}
    data.update(fields)
    return data


def test_the_page_lists_each_threshold_with_its_name_article_and_value_in_force(liaison, term):
    page = liaison.get(URL).content.decode()
    assert "代表联络站接待群众(次/年)" in page and "第六条(二)" in page
    assert "集中学习培训(次/届)" in page and "第五条(三)" in page
    assert "本届尚未调整过阈值" in page


def test_the_effective_day_defaults_to_the_next_new_year_s_day(liaison, term, today):
    page = liaison.get(URL).content.decode()
    assert f'value="{today.year + 1}-01-01"' in page


def test_a_preview_counts_the_findings_that_would_change_and_saves_nothing(liaison, term, today):
    factories.DeputyFactory(term=term, service_start=term.start_date)
    # A change from the start of this year: this year's reception requirement rises from 2 to 3.
    response = liaison.post(URL, form_data(term, effective_from=f"{today.year}-01-01"))
    page = response.content.decode()
    assert response.status_code == 200
    assert "确认保存" in page and "将有" in page
    assert not ThresholdChange.objects.exists()


def test_a_change_in_the_future_previews_no_change_today(liaison, term, today):
    factories.DeputyFactory(term=term, service_start=term.start_date)
    page = liaison.post(URL, form_data(term, effective_from=f"{today.year + 1}-01-01")).content.decode()
    assert "将有 0 条履职提示改变状态" in page


def test_confirming_the_preview_saves_the_change_with_who_and_why(liaison, liaison_user, term):
    preview = liaison.post(URL, form_data(term)).content.decode()
    signature = preview.split('name="previewed" value="')[1].split('"')[0]
    response = liaison.post(URL, form_data(term, action="save", previewed=signature), follow=True)
    page = response.content.decode()
    change = ThresholdChange.objects.get()
    assert (change.values, change.created_by, change.reason) == (
        {"station_receptions": 3}, liaison_user, "主任会议决定每年至少接待群众3次。")
    assert "已保存阈值调整" in page and "主任会议决定每年至少接待群众3次。" in page and "黄丽" in page
    assert "待施行" in page


def test_saving_what_was_not_previewed_previews_it_first(liaison, term):
    liaison.post(URL, form_data(term))
    page = liaison.post(URL, form_data(term, action="save", previewed="2099-01-01|training=9"), follow=True)
    assert not ThresholdChange.objects.exists()
    assert "请核对新的预览" in page.content.decode()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"effective_from": "2001-01-01"}, "生效日期必须在本届之内"),
        ({"value_station_receptions": "0"}, "必须是正整数"),
        ({"value_station_receptions": "", }, "请至少填写一项要调整的阈值"),
        ({"reason": "  "}, "请填写调整原因"),
        ({"effective_from": "明年"}, "日期格式应为"),
    ],
)
def test_bad_input_shows_a_chinese_message_and_saves_nothing(liaison, term, fields, message):
    for action in ("preview", "save"):
        response = liaison.post(URL, form_data(term, action=action, **fields))
        assert response.status_code == 200
        assert message in response.content.decode()
    assert not ThresholdChange.objects.exists()


def test_a_change_not_yet_in_force_can_be_deleted_and_one_in_force_cannot(liaison, liaison_user, term, today):
    ahead = threshold_change_create(user=liaison_user, term=term, effective_from=today + dt.timedelta(days=3),
                                    values={"training": 4}, reason="录错了")
    done = threshold_change_create(user=liaison_user, term=term, effective_from=today, values={"lectures": 6},
                                   reason="已施行")
    page = liaison.post(f"{URL}changes/{ahead.pk}/delete/", follow=True).content.decode()
    assert "已删除" in page
    page = liaison.post(f"{URL}changes/{done.pk}/delete/", follow=True).content.decode()
    assert "不能删除" in page
    assert list(ThresholdChange.objects.values_list("pk", flat=True)) == [done.pk]


def test_the_history_reads_in_chinese(liaison, liaison_user, term):
    threshold_change_create(user=liaison_user, term=term, effective_from=term.end_date, values={"training": 4},
                            reason="试行")
    Term.objects.get(pk=term.pk)
    term.thresholds = {**term.thresholds, "lectures": 6}
    term._history_user = liaison_user
    term.save()
    page = liaison.get(URL).content.decode()
    assert "集中学习培训(次/届) 4" in page
    assert "履职阈值·代表大讲堂(次/届)" in page
    assert "{'" not in page and "&#x27;" not in page


def test_the_value_in_force_says_since_when(liaison, liaison_user, term, today):
    threshold_change_create(user=liaison_user, term=term, effective_from=dt.date(today.year, 1, 1),
                            values={"training": 4}, reason="试行")
    page = liaison.get(URL).content.decode()
    row = page.split("集中学习培训(次/届)")[1].split("</tr>")[0]
    assert "<b>4</b>" in row and f"{today.year}年1月1日" in row


@pytest.mark.parametrize("role", ["street_staff", "secretariat", "sc_office", "deputy"])
def test_other_roles_may_not_open_the_page(term, role):
    client = Client()
    client.force_login(factories.make_user(role))
    assert client.get(URL).status_code == 403
    assert client.post(URL, form_data(term, action="save")).status_code == 403
    assert not ThresholdChange.objects.exists()


def test_the_liaison_office_finds_the_page_in_the_menu(liaison, term):
    assert f'href="{URL}"' in liaison.get("/").content.decode()


def test_the_why_page_names_the_settings_a_finding_was_judged_under(liaison, liaison_user, term, today):
    deputy = factories.DeputyFactory(term=term, service_start=term.start_date)
    threshold_change_create(user=liaison_user, term=term, effective_from=dt.date(today.year, 1, 1),
                            values={"station_receptions": 3}, reason="试行")
    page = liaison.get(f"/oversight/deputies/{deputy.pk}/").content.decode()
    assert f"按{today.year}年1月1日起施行的设置:接待群众每年3次" in page
    assert f"按{term.start_date.year}年1月1日起施行的设置:接待群众每年2次" in page


def test_the_why_page_says_nothing_of_settings_while_no_change_is_in_force(liaison, liaison_user, term, today):
    deputy = factories.DeputyFactory(term=term, service_start=term.start_date)
    threshold_change_create(user=liaison_user, term=term, effective_from=today + dt.timedelta(days=10),
                            values={"station_receptions": 3}, reason="试行")
    page = liaison.get(f"/oversight/deputies/{deputy.pk}/").content.decode()
    assert "起施行的设置" not in page
    later = today + dt.timedelta(days=10)
    page = liaison.get(f"/oversight/deputies/{deputy.pk}/", {"as_of": later.isoformat()}).content.decode()
    assert f"按{later.year}年{later.month}月{later.day}日起施行的设置" in page


def test_the_requirement_of_a_yearly_rule_is_this_year_s(liaison, liaison_user, term, today):
    deputy = factories.DeputyFactory(term=term, service_start=term.start_date)
    threshold_change_create(user=liaison_user, term=term, effective_from=today, values={"station_receptions": 4,
                                                                                       "training": 6}, reason="试行")
    page = liaison.get(f"/oversight/deputies/{deputy.pk}/").content.decode()
    receptions = page.split('id="rule-station_receptions"')[1].split("</section>")[0]
    training = page.split('id="rule-training"')[1].split("</section>")[0]
    expected = 4 if today.month == 1 and today.day == 1 else 2  # a year begun before the change keeps its number
    assert f"每年至少 {expected} 次" in receptions
    assert "每届至少 6 次" in training
