"""建议办理统计: each figure on a hand-made set, who sees which rows, the links, the export and the query count."""
from __future__ import annotations

import io
import re
from html import unescape
from urllib.parse import urlsplit

import pytest
from django.db import connection
from django.http import QueryDict
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from dutyadmin.exporters import registry, render_xlsx
from dutyadmin.models import ExportJob
from oversight.exports.suggestions import HEADER
from oversight.models import Suggestion
from oversight.suggestions import services
from oversight.suggestions.filtersets import SuggestionFilterSet
from oversight.suggestions.selectors import replied_on_time_q, suggestions_visible_to
from oversight.suggestions.statistics import Figures, percent_text, share, term_statistics

from .suggestion_fixtures import D, assign, evaluate, reply, submit

pytestmark = pytest.mark.django_db

TODAY = D(2024, 10, 1)
STATS_URLS = "tests.oversight.suggestion_stats_urls"


@pytest.fixture
def made(sw):
    """Road (区交通委) leads five, the court one; the street office none; li's waits for assignment; wang's is of the
    closed period. All assigned 2024-03-07, so due 2024-06-07 (six months: 2024-09-09)."""
    on_time = assign(sw, submit(sw, title="按期答复已解决"))
    evaluate(sw, reply(sw, on_time, on=D(2024, 6, 3), resolution="resolved"), "satisfied", on=D(2024, 6, 10))
    late = assign(sw, submit(sw, title="逾期答复留作参考"))
    evaluate(sw, reply(sw, late, on=D(2024, 6, 20), resolution="explained"), "basically_satisfied",
             on=D(2024, 6, 25))
    extended = assign(sw, submit(sw, title="延期后按期并重新办理"))
    services.suggestion_extend(user=sw.office, suggestion=extended, reason="涉及面广。")
    evaluate(sw, reply(sw, extended, on=D(2024, 8, 1), resolution="in_progress"), "dissatisfied", on=D(2024, 8, 5))
    reply(sw, extended, on=D(2024, 9, 1), resolution="resolved")  # the rehandling reply, not yet evaluated
    unanswered = assign(sw, submit(sw, title="未答复"))
    withdrawn = assign(sw, submit(sw, title="交办后撤回"))
    services.suggestion_withdraw(user=sw.office, suggestion=withdrawn)
    court = assign(sw, submit(sw, by=sw.staff_b, deputy=sw.wang, title="法院答复不满意"), unit=sw.court)
    evaluate(sw, reply(sw, court, by=sw.court_user, on=D(2024, 5, 1), resolution="planned"), "dissatisfied",
             by=sw.wang_user, on=D(2024, 5, 10))  # rehandling reply due 2024-07-10: overdue on TODAY
    pending = submit(sw, deputy=sw.li, title="待交办")
    closed_period = submit(sw, by=sw.staff_b, deputy=sw.wang, title="闭会期间提出", session=None, on=D(2024, 4, 2))
    return {s.title: s for s in (on_time, late, extended, unanswered, withdrawn, court, pending, closed_period)}


def stats_for(user, sw, **kwargs):
    return term_statistics(user=user, term=sw.term, today=TODAY, **kwargs)


def unit_figures(stats) -> dict[str, Figures]:
    return {row.unit.name: row.figures for row in stats.units}


def test_a_units_figures_count_on_time_late_extended_rehandled_and_both_satisfactions(sw, made):
    road = unit_figures(stats_for(sw.office, sw))["区交通委"]
    assert road.assigned == 4  # the withdrawn one is not the unit's to answer
    assert (road.replied, road.on_time, road.late) == (3, 2, 1)  # the extended one was answered within six months
    assert road.overdue == 1 and road.extended == 1 and road.rehandled == 1
    assert (road.satisfied, road.basically_satisfied, road.dissatisfied) == (1, 1, 0)  # the rehandling reply awaits
    assert percent_text(road.on_time_rate) == "66.7%"
    assert percent_text(road.satisfaction_rate) == "100.0%"  # basically satisfied counts as satisfied ...
    assert road.resolved == 2 and percent_text(road.resolved_share) == "66.7%"  # ... though one reply solved nothing


def test_a_dissatisfied_unit_and_an_empty_unit(sw, made):
    figures = unit_figures(stats_for(sw.office, sw))
    court = figures["区法院"]
    assert (court.assigned, court.replied, court.on_time, court.dissatisfied, court.rehandled) == (1, 1, 1, 1, 1)
    assert court.overdue == 1  # the rehandling reply was due 2024-07-10
    assert percent_text(court.satisfaction_rate) == "0.0%" and percent_text(court.resolved_share) == "0.0%"
    empty = figures["东四街道办事处"]
    assert empty == Figures()
    assert [percent_text(x) for x in (empty.on_time_rate, empty.satisfaction_rate, empty.resolved_share)] == ["—"] * 3


def test_per_session_and_the_closed_period(sw, made):
    stats = stats_for(sw.office, sw)
    session, closed = stats.sessions
    assert session.label == sw.session.name and closed.label == "闭会期间"
    f = session.figures
    assert (f.submitted, f.pending, f.withdrawn, f.assigned, f.replied, f.on_time, f.overdue, f.closed) == (
        7, 1, 1, 5, 4, 3, 2, 2)
    assert percent_text(f.satisfaction_rate) == "66.7%" and percent_text(f.resolved_share) == "50.0%"
    assert (closed.figures.submitted, closed.figures.pending, closed.figures.assigned) == (1, 1, 0)
    assert stats.session_total.submitted == 8


def test_the_unit_table_of_one_session_or_of_the_closed_period(sw, made):
    assert unit_figures(stats_for(sw.office, sw, session=sw.session))["区交通委"].assigned == 4
    assert all(f == Figures() for f in unit_figures(stats_for(sw.office, sw, closed_period=True)).values())


def test_overdue_is_counted_as_of_the_day(sw, made):
    early = unit_figures(term_statistics(user=sw.office, term=sw.term, today=D(2024, 6, 7)))
    assert early["区交通委"].overdue == 0  # the due day itself is not late
    assert unit_figures(term_statistics(user=sw.office, term=sw.term, today=D(2024, 6, 8)))["区交通委"].overdue == 1


def test_replied_on_time_in_sql_agrees_with_the_model(sw, made):
    in_sql = set(Suggestion.objects.filter(replied_on_time_q()).values_list("pk", flat=True))
    assert in_sql == {s.pk for s in Suggestion.objects.all() if s.replied_on_time}
    assert len(in_sql) == 3


def test_shares_round_half_up_to_one_decimal_and_empty_denominators_read_a_dash():
    assert percent_text(share(1, 8)) == "12.5%" and percent_text(share(1, 16)) == "6.3%"
    assert percent_text(share(17, 20)) == "85.0%" and percent_text(share(0, 0)) == "—"


# --- scope ---------------------------------------------------------------------------------------------


def test_a_unit_sees_only_its_own_row_and_its_own_sessions(sw, made):
    stats = stats_for(sw.road_user, sw)
    assert [row.unit.name for row in stats.units] == ["区交通委"] and not stats.district
    session, closed = stats.sessions
    assert (session.figures.submitted, session.figures.assigned, session.figures.withdrawn) == (5, 4, 1)
    assert closed.figures.submitted == 0  # wang's closed-period suggestion is not road's


@pytest.mark.parametrize("who, status", [
    ("office", 200), ("secretariat", 200), ("admin", 200), ("road_user", 200), ("court_user", 200),
    ("staff_a", 403), ("zhang_user", 403),
])
def test_who_may_open_the_statistics_page(sw, made, who, status):
    client = Client()
    client.force_login(getattr(sw, who))
    assert client.get(reverse("suggestions:statistics")).status_code == status


def test_the_units_page_shows_no_other_unit(sw, made):
    client = Client()
    client.force_login(sw.road_user)
    page = client.get(reverse("suggestions:statistics")).content.decode()
    assert "区交通委" in page and "区法院" not in page and "东四街道办事处" not in page and "合计</th>" in page


def test_a_bad_session_is_an_error_next_to_the_field_not_a_crash(sw, made):
    client = Client()
    client.force_login(sw.office)
    for bad in ("abc", "999999", "-1"):
        response = client.get(reverse("suggestions:statistics"), {"session": bad})
        assert response.status_code == 200
        assert "所选的届没有这次大会" in response.content.decode()
    assert "所选的届没有这次大会" not in client.get(reverse("suggestions:statistics"), {"session": "closed"}).content.decode()
    response = client.get(reverse("suggestions:statistics"), {"term": "abc"})
    assert response.status_code == 200 and "届“abc”不存在" in response.content.decode()
    assert "区交通委" in response.content.decode()  # the current term's figures meanwhile


# --- the page -------------------------------------------------------------------------------------------


def _cells(page: str, name: str) -> list[str]:
    row = re.search(rf'<td class="name">{re.escape(name)}</td>(.*?)</tr>', page, re.S).group(1)
    return [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]


def test_the_page_shows_percentages_and_dashes_and_explains_the_resolved_share(sw, made):
    client = Client()
    client.force_login(sw.office)
    page = client.get(reverse("suggestions:statistics")).content.decode()
    road = _cells(page, "区交通委")
    assert road[:4] == ["4", "3", "2", "66.7%"] and road[9] == "100.0%" and road[11] == "66.7%"
    assert _cells(page, "东四街道办事处")[3] == "—"
    assert "已解决占比" in page and "看不出问题是否真正解决" in page


@pytest.mark.urls(STATS_URLS)
def test_each_count_links_to_the_list_of_exactly_the_suggestions_it_counts(sw, made):
    client = Client()
    client.force_login(sw.office)
    page = client.get(reverse("suggestions:statistics")).content.decode()
    list_path = reverse("suggestions:list")
    links = [(unescape(href), int(n)) for href, n in re.findall(r'<a href="([^"]+)">(\d+)</a>', page)
             if urlsplit(unescape(href)).path == list_path]
    assert len(links) > 20
    for href, n in links:
        filters = SuggestionFilterSet(QueryDict(urlsplit(href).query), queryset=suggestions_visible_to(sw.office))
        assert filters.is_valid(), href
        assert filters.qs.count() == n, href


def test_the_statistics_page_reads_in_a_fixed_number_of_queries(sw, made):
    client = Client()
    client.force_login(sw.office)
    url = reverse("suggestions:statistics")
    client.get(url)  # sessions, caches
    with CaptureQueriesContext(connection) as few:
        assert client.get(url).status_code == 200
    for n in range(12):
        suggestion = assign(sw, submit(sw, title=f"又一条{n}"), unit=sw.court if n % 2 else sw.road)
        if n % 3 == 0:
            reply(sw, suggestion, by=sw.court_user if n % 2 else sw.road_user, on=D(2024, 5, 2))
    with CaptureQueriesContext(connection) as many:
        assert client.get(url).status_code == 200
    assert len(many) == len(few) <= 10


# --- the export ------------------------------------------------------------------------------------------


def _workbook(user, **params):
    exporter = registry.get("suggestions")(user=user, params=params, today=TODAY)
    assert exporter.is_valid(), exporter.errors()
    out = io.BytesIO()
    render_xlsx(exporter, out)
    return load_workbook(io.BytesIO(out.getvalue()))


def _rows(sheet) -> list[tuple]:
    return list(sheet.iter_rows(min_row=3, values_only=True))


def test_the_export_lists_every_suggestion_with_its_clocks(sw, made):
    sw.zhang.phone = "13800138000"
    sw.zhang.save()
    book = _workbook(sw.office)
    assert book.sheetnames == ["代表建议", "承办单位统计", "大会统计"]
    sheet = book["代表建议"]
    assert list(next(sheet.iter_rows(min_row=2, max_row=2, values_only=True))) == HEADER
    rows = {row[0]: dict(zip(HEADER, row)) for row in _rows(sheet)}
    assert len(rows) == 8
    ext = rows["延期后按期并重新办理"]
    assert (ext["是否延期"], ext["延期理由"], ext["是否按期"], ext["办理结果"], ext["状态"]) == (
        "是", "涉及面广。", "是", "已解决", "已答复，待代表评价")
    assert ext["答复期限"].date() == D(2024, 9, 9) and ext["答复日期"].date() == D(2024, 8, 1)
    assert ext["重新办理期限"] is not None and ext["重新办理答复日期"].date() == D(2024, 9, 1)
    late = rows["逾期答复留作参考"]
    assert (late["是否按期"], late["代表评价"], late["办理结果"], late["大会/闭会"]) == (
        "否", "基本满意", "留作参考/说明解释", sw.session.name)
    assert rows["未答复"]["是否逾期"] == "是" and rows["按期答复已解决"]["是否逾期"] == "否"
    assert rows["闭会期间提出"]["大会/闭会"] == "闭会期间" and rows["闭会期间提出"]["主办单位"] is None
    assert rows["按期答复已解决"]["领衔代表"] == "张东"
    everything = [cell for s in book.worksheets for row in s.iter_rows(values_only=True) for cell in row]
    assert not any("13800138000" in str(cell) for cell in everything)


def test_the_exports_statistics_sheets_match_the_page(sw, made):
    book = _workbook(sw.office)
    units = {row[0]: row for row in _rows(book["承办单位统计"])[1:]}  # below the two header rows
    assert units["区交通委"][1:5] == (4, 3, 2, "66.7%") and units["区交通委"][10] == "100.0%"
    assert units["区交通委"][12] == "66.7%" and units["东四街道办事处"][4] == "—"
    assert units["合计"][1] == 5
    sessions = {row[0]: row for row in _rows(book["大会统计"])}
    assert sessions[sw.session.name][1:4] == (7, 1, 5) and sessions["全届合计"][1] == 8


def test_a_units_export_holds_what_it_sees_and_only_its_own_row(sw, made):
    book = _workbook(sw.court_user)
    titles = {row[0] for row in _rows(book["代表建议"])}
    assert titles == {"法院答复不满意"}
    units = [row[0] for row in _rows(book["承办单位统计"])[1:]]
    assert units == ["区法院"]


def test_street_staff_export_their_streets_suggestions_without_the_statistics(sw, made):
    book = _workbook(sw.staff_b)
    assert book.sheetnames == ["代表建议"]
    assert {row[0] for row in _rows(book["代表建议"])} == {"法院答复不满意", "闭会期间提出"}


def test_the_export_takes_the_lists_filters(sw, made):
    book = _workbook(sw.office, lead_unit=sw.road.pk, on_time="true")
    assert {row[0] for row in _rows(book["代表建议"])} == {"按期答复已解决", "延期后按期并重新办理"}


def test_a_unit_runs_the_export_from_the_export_pages_and_downloads_it(sw, made, celery_in_process,
                                                                          django_capture_on_commit_callbacks):
    client = Client()
    client.force_login(sw.road_user)
    assert client.get("/exports/suggestions/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/exports/suggestions/", {"term": sw.term.pk})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and job.status == "done", job.error
    download = client.get(f"/exports/jobs/{job.pk}/download/")
    book = load_workbook(io.BytesIO(b"".join(download.streaming_content)))
    assert book.sheetnames == ["代表建议", "承办单位统计", "大会统计"]
    assert len(_rows(book["代表建议"])) == 5  # road's five, the withdrawn one too


def test_a_deputy_may_not_export_suggestions(sw, made):
    client = Client()
    client.force_login(sw.zhang_user)
    assert client.get("/exports/suggestions/").status_code in (403, 404)
