"""Every Excel export read back with openpyxl: title row, Chinese header, frozen panes, autofilter, values,
highlighted cells, the user's scope and the list page's filters."""
import datetime as dt
import io

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from activities.choices import ActivityKind, OrganizerLevel, Outcome
from dutyadmin.exporters import BaseExporter, Mark, registry, render_xlsx
from dutyadmin.roles import Role
from oversight.rules import InterventionFact, resolving_intervention
from meetings.choices import AttendanceStatus, HalfDay, LeaveRoute, LeaveStatus, MeetingKind
from tests import factories

from .conftest import read_sheet, rows_of

TODAY = dt.date(2026, 3, 1)
BAD_FILL = "FFFDE2E0"


@pytest.fixture
def records(world):
    """2024 in the small district: 张东 did 3 closed-period activities and 1 reception, 李四 none, 王朝 one;
    the 2024 session's roll call has a present, an excused and an unexcused absence, and a gap."""
    term, session = world["term"], world["session"]
    zhang, li, wang = world["zhang"], world["li"], world["wang"]
    for kind, day in ((ActivityKind.INSPECTION, dt.date(2024, 3, 5)), (ActivityKind.INSPECTION, dt.date(2024, 6, 5)),
                      (ActivityKind.THEME_ACTIVITY, dt.date(2024, 9, 5))):
        activity = factories.ActivityFactory(term=term, kind=kind, date=day, title=f"{ActivityKind(kind).label}{day:%m%d}")
        factories.ParticipationFactory(activity=activity, deputy=zhang)
    reception = factories.ActivityFactory(term=term, kind=ActivityKind.STATION_RECEPTION, date=dt.date(2024, 4, 2),
                                          title="东四代表之家接待日", organizer_level=OrganizerLevel.STREET_COMMITTEE,
                                          street_committee=world["dongsi"])
    factories.ParticipationFactory(activity=reception, deputy=zhang)
    factories.ParticipationFactory(activity=reception, deputy=li, outcome=Outcome.ABSENT)
    other = factories.ActivityFactory(term=term, kind=ActivityKind.INSPECTION, date=dt.date(2024, 5, 20),
                                      title="朝阳门视察")
    factories.ParticipationFactory(activity=other, deputy=wang)
    plenary = factories.MeetingFactory(session=session, kind=MeetingKind.PLENARY, title="第一次全体会议",
                                       date=dt.date(2024, 1, 10), half_day=HalfDay.AM)
    group = factories.MeetingFactory(session=session, kind=MeetingKind.DELEGATION, title="分团审议",
                                     date=dt.date(2024, 1, 11), half_day=HalfDay.PM)
    factories.AttendanceFactory(meeting=plenary, deputy=zhang, status=AttendanceStatus.PRESENT)
    factories.AttendanceFactory(meeting=group, deputy=zhang, status=AttendanceStatus.PRESENT)
    factories.AttendanceFactory(meeting=plenary, deputy=li, status=AttendanceStatus.ABSENT)
    factories.AttendanceFactory(meeting=group, deputy=li, status=AttendanceStatus.ABSENT)
    leave = factories.LeaveRequestFactory(deputy=li, session=session, route=LeaveRoute.PLENARY,
                                          status=LeaveStatus.APPROVED)
    leave.meetings.set([plenary])
    factories.AttendanceFactory(meeting=plenary, deputy=wang, status=AttendanceStatus.PRESENT)
    return {"plenary": plenary, "group": group, "reception": reception}


def export(identifier: str, user, params: dict | None = None, today: dt.date = TODAY):
    """Render one export for a user; return (exporter, sheet read back)."""
    exporter = registry.get(identifier)(user=user, params=params or {}, today=today)
    assert exporter.is_valid(), exporter.errors()
    out = io.BytesIO()
    render_xlsx(exporter, out)
    return exporter, read_sheet(out.getvalue())


def header_rows(sheet) -> int:
    """How many header rows the sheet has below its title (1, or 2 with groups above the columns)."""
    return int(sheet.freeze_panes.lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) - 2


def header(sheet) -> list:
    """Each column's name as a reader takes it in: "group\nname" under a merged group cell, else the name."""
    if header_rows(sheet) == 1:
        return [cell.value for cell in sheet[2]]
    groups: dict[int, str] = {}
    for merged in sheet.merged_cells.ranges:
        if merged.min_row == 2 and merged.max_row == 2:
            for col in range(merged.min_col, merged.max_col + 1):
                groups[col] = sheet.cell(row=2, column=merged.min_col).value
    names = []
    for col in range(1, sheet.max_column + 1):
        top, below = sheet.cell(row=2, column=col).value, sheet.cell(row=3, column=col).value
        group = groups.get(col, top)
        names.append(f"{group}\n{below}" if below else group)
    return names


def data_rows(sheet) -> list[list]:
    return rows_of(sheet, first=header_rows(sheet) + 2)


def column(sheet, name: str) -> int:
    return header(sheet).index(name) + 1


def by_name(sheet, name_column: str = "代表") -> dict:
    index = header(sheet).index(name_column)
    return {row[index]: row for row in data_rows(sheet)}


# --- the layout every export shares ---------------------------------------------------------------


@pytest.mark.parametrize("identifier", ["roster", "year_summary", "findings", "activities"])
def test_every_export_has_a_title_row_a_frozen_chinese_header_and_an_autofilter(identifier, personas, records):
    _, sheet = export(identifier, personas[Role.LIAISON_OFFICE],
                      {"year": 2024} if identifier == "year_summary" else {})
    title = sheet["A1"].value
    assert "北京市东城区" in title and "第十七届" in title and "2026年3月1日" in title
    last = 1 + header_rows(sheet)  # the header's last row (two rows with groups: the year summary)
    assert header_rows(sheet) == (2 if identifier == "year_summary" else 1)
    assert sheet.freeze_panes.endswith(str(last + 1))
    assert sheet.auto_filter.ref.startswith(f"A{last}:")
    assert int(sheet.auto_filter.ref.rsplit(":", 1)[1].lstrip("ABCDEFGHIJKLMNOPQRSTUVWXYZ")) == sheet.max_row
    assert all(isinstance(value, str) and value for value in header(sheet))
    assert sheet["A2"].font.bold
    widths = [sheet.column_dimensions[letter].width for letter in "ABC"]
    assert all(6 <= width <= 60 for width in widths)


def test_the_registry_lists_the_five_exports_and_hides_them_from_a_deputy(personas):
    from dutyadmin.scope import scope_for

    names = {e.identifier for e in registry.all()}
    assert {"roster", "year_summary", "findings", "attendance_matrix", "activities"} <= names
    assert registry.for_scope(scope_for(personas[Role.DEPUTY])) == []
    assert len(registry.for_scope(scope_for(personas[Role.STREET_STAFF]))) >= 5


def test_an_exporter_yields_header_then_total_then_rows(personas, records):
    exporter = registry.get("roster")(user=personas[Role.LIAISON_OFFICE], params={})
    assert exporter.is_valid()
    rows = exporter.iterate()
    assert next(rows)[:2] == ["序号", "姓名"]
    assert next(rows) == 3
    assert len(list(rows)) == 3


# --- (a) the year summary -------------------------------------------------------------------------


def test_year_summary_has_every_rules_count_required_and_status_per_deputy(personas, records):
    exporter, sheet = export("year_summary", personas[Role.LIAISON_OFFICE], {"year": 2024})
    assert "2024年度" in sheet["A1"].value and "评估日期:2025年1月1日" in sheet["A1"].value
    names = header(sheet)
    assert names[:5] == ["序号", "代表", "人大街工委", "代表团", "状态"]
    assert "A4.1 参加闭会期间活动\n完成" in names and "A6.2 参加代表联络站接待群众\n状态" in names
    assert len(names) == 5 + 4 + 3 * 7  # the year's meetings (出席, 请假, 未经批准缺席, 未记录), three per threshold
    assert names[5:9] == ["大会会议\n出席", "大会会议\n请假", "大会会议\n未经批准缺席", "大会会议\n未记录"]
    rows = by_name(sheet)
    assert set(rows) == {"张东", "李四", "王朝"}
    done, required, status = (column(sheet, f"A4.1 参加闭会期间活动\n{x}") - 1 for x in ("完成", "要求", "状态"))
    assert (rows["张东"][done], rows["张东"][required], rows["张东"][status]) == (3, 3, "已达标")
    assert (rows["李四"][done], rows["李四"][required], rows["李四"][status]) == (0, 3, "未达标")
    reception = column(sheet, "A6.2 参加代表联络站接待群众\n完成") - 1
    assert (rows["张东"][reception], rows["张东"][reception + 2]) == (1, "未达标")


def year_summary_workbook(user):
    exporter = registry.get("year_summary")(user=user, params={"year": 2024}, today=TODAY)
    assert exporter.is_valid(), exporter.errors()
    out = io.BytesIO()
    rows = render_xlsx(exporter, out)
    return rows, load_workbook(io.BytesIO(out.getvalue()))


def test_year_summary_names_each_rule_once_over_short_sub_headers_and_prints_one_page_wide(personas, records):
    rows, workbook = year_summary_workbook(personas[Role.LIAISON_OFFICE])
    assert workbook.sheetnames == ["出席与履职要求", "处置事项"] and rows == 2 * 3
    requirements, actions = workbook.worksheets
    top = [cell.value for cell in requirements[2]]
    below = [cell.value for cell in requirements[3]]
    assert top.count("A4.1 参加闭会期间活动") == 1 and top.count("大会会议") == 1
    assert not any(value and "\n" in value for value in top + below)  # no "rule\n完成" repeated per column
    start = top.index("A4.1 参加闭会期间活动") + 1
    assert below[start - 1:start + 2] == ["完成", "要求", "状态"]
    merged = {str(r) for r in requirements.merged_cells.ranges}
    assert f"{get_column_letter(start)}2:{get_column_letter(start + 2)}2" in merged  # the name over its 3 columns
    assert "B2:B3" in merged and top[1] == "代表"  # a plain column's name over both header rows
    assert len([value for value in top if value]) == 5 + 1 + 7  # 序号…状态, 大会会议, one per threshold rule
    # The action rules: a block of their own, with the deputy's columns again.
    top = [cell.value for cell in actions[2]]
    below = [cell.value for cell in actions[3]]
    assert top[:5] == ["序号", "代表", "人大街工委", "代表团", "状态"]
    action = top.index("A9.1 未经批准一次不出席 → 约谈") + 1
    assert below[action - 1:action + 2] == ["次数", "标准", "状态"]
    assert len([value for value in top if value]) == 5 + 8
    assert {row[1] for row in rows_of(actions, first=4)} == {"张东", "李四", "王朝"}
    for sheet in (requirements, actions):
        assert sheet.freeze_panes == "C4" and sheet.print_title_rows == "$2:$3"
        assert sheet.auto_filter.ref == f"A3:{get_column_letter(sheet.max_column)}6"
        setup = sheet.page_setup
        assert setup.orientation == "landscape" and setup.fitToWidth == 1 and setup.fitToHeight == 0
        assert str(setup.paperSize) == sheet.PAPERSIZE_A4 and sheet.sheet_properties.pageSetUpPr.fitToPage
        widths = [sheet.column_dimensions[get_column_letter(c)].width for c in range(1, sheet.max_column + 1)]
        assert all(6 <= width <= 20 for width in widths), widths
        assert sum(widths) < 260  # a block prints one A4 page wide at a readable scale
        assert sheet.row_dimensions[2].height >= 30  # a long rule name wraps over its columns


def test_year_summary_highlights_the_cells_below_a_threshold(personas, records):
    _, sheet = export("year_summary", personas[Role.LIAISON_OFFICE], {"year": 2024})
    line = {row[1].value: row for row in sheet.iter_rows(min_row=4)}
    done = column(sheet, "A4.1 参加闭会期间活动\n完成") - 1
    missed, met = line["李四"][done], line["张东"][done]
    assert missed.fill.fgColor.rgb == BAD_FILL and line["李四"][done + 2].fill.fgColor.rgb == BAD_FILL
    assert met.fill.fgColor.rgb != BAD_FILL


def test_year_summary_of_street_staff_has_their_street_only(personas, records):
    _, sheet = export("year_summary", personas[Role.STREET_STAFF], {"year": 2024})
    assert set(by_name(sheet)) == {"张东", "李四"}


def test_year_summary_applies_the_deputy_list_filters(personas, records, world):
    _, sheet = export("year_summary", personas[Role.LIAISON_OFFICE],
                      {"year": 2024, "street_committee": world["chaoyang"].pk})
    assert set(by_name(sheet)) == {"王朝"} and "朝阳门" in sheet["A1"].value
    _, sheet = export("year_summary", personas[Role.LIAISON_OFFICE], {"year": 2024, "q": "协和"})
    assert set(by_name(sheet)) == {"李四"}


@pytest.mark.parametrize("params, field", [
    ({"year": "abc"}, "year"), ({"year": 1999}, "year"), ({"term": "x"}, "term"), ({"street_committee": "99999"},
                                                                                     "street_committee"),
])
def test_year_summary_names_a_bad_parameter_instead_of_failing(params, field, personas, records):
    exporter = registry.get("year_summary")(user=personas[Role.LIAISON_OFFICE], params=params)
    assert not exporter.is_valid()
    assert field in exporter.errors()


def test_year_summary_leaves_out_deputies_not_in_service_that_year(personas, records, world):
    factories.DeputyFactory(term=world["term"], name="新补选", street_committee=world["dongsi"],
                            delegation=world["del_ds"], service_start=dt.date(2025, 3, 1))
    _, sheet = export("year_summary", personas[Role.LIAISON_OFFICE], {"year": 2024})
    assert "新补选" not in by_name(sheet)
    _, sheet = export("year_summary", personas[Role.LIAISON_OFFICE], {"year": 2025})
    assert "新补选" in by_name(sheet)


# --- (b) the roster ---------------------------------------------------------------------------------


def test_roster_lists_the_deputies_in_scope_with_chinese_values(personas, records, world):
    _, sheet = export("roster", personas[Role.STREET_STAFF])
    rows = by_name(sheet, "姓名")
    assert set(rows) == {"张东", "李四"}
    zhang = rows["张东"]
    names = header(sheet)
    assert zhang[names.index("人大街工委")] == "东四" and zhang[names.index("性别")] == "女"
    assert zhang[names.index("状态")] == "在任" and zhang[names.index("工作单位")] == "东城区第一中学"
    assert zhang[names.index("任职开始")].date() == dt.date(2022, 1, 1)
    assert sheet.cell(row=3, column=names.index("任职开始") + 1).number_format == 'yyyy"年"m"月"d"日"'


def test_roster_applies_the_list_pages_filters(personas, records, world):
    _, sheet = export("roster", personas[Role.LIAISON_OFFICE], {"q": "王府井"})
    assert set(by_name(sheet, "姓名")) == {"王朝"}
    _, sheet = export("roster", personas[Role.LIAISON_OFFICE], {"gender": "M"})
    assert set(by_name(sheet, "姓名")) == {"李四"}


# --- (c) the attendance matrix --------------------------------------------------------------------


def test_attendance_matrix_marks_present_leave_absent_and_unrecorded(personas, records, world):
    _, sheet = export("attendance_matrix", personas[Role.LIAISON_OFFICE], {"session": world["session"].pk})
    assert "第十七届第三次会议" in sheet["A1"].value and "2024年" in sheet["A1"].value
    names = header(sheet)
    assert names[:3] == ["代表", "人大街工委", "代表团"]
    assert names[3] == "1月10日上午\n第一次全体会议" and names[4] == "1月11日下午\n分团审议"
    assert names[-4:] == ["出席", "请假", "缺席", "未记录"]
    rows = by_name(sheet)
    assert rows["张东"][3:5] == ["出席", "出席"] and rows["张东"][-4:] == [2, 0, 0, 0]
    assert rows["李四"][3:5] == ["请假", "缺席"] and rows["李四"][-4:] == [0, 1, 1, 0]
    assert rows["王朝"][3:5] == ["出席", "未记录"] and rows["王朝"][-4:] == [1, 0, 0, 1]
    li = {row[0].value: row for row in sheet.iter_rows(min_row=3)}["李四"]
    assert li[4].fill.fgColor.rgb == BAD_FILL


def test_attendance_matrix_of_street_staff_and_its_filters(personas, records, world):
    _, sheet = export("attendance_matrix", personas[Role.STREET_STAFF], {"session": world["session"].pk})
    assert set(by_name(sheet)) == {"张东", "李四"}
    _, sheet = export("attendance_matrix", personas[Role.LIAISON_OFFICE],
                      {"session": world["session"].pk, "delegation": world["del_cy"].pk})
    assert set(by_name(sheet)) == {"王朝"}


def test_attendance_matrix_needs_a_session(personas):
    exporter = registry.get("attendance_matrix")(user=personas[Role.LIAISON_OFFICE], params={"session": "abc"})
    assert not exporter.is_valid() and "session" in exporter.errors()
    exporter = registry.get("attendance_matrix")(user=personas[Role.LIAISON_OFFICE], params={})
    assert exporter.errors()["session"] == ["请选择大会。"]


# --- (d) findings with actions and interventions --------------------------------------------------


def test_findings_export_lists_actions_and_the_interventions_recorded(personas, records, world):
    factories.InterventionFactory(deputy=world["li"], rule="absence_notice", kind="notice",
                                  date=dt.date(2024, 1, 20), conducted_by="大会秘书处")
    _, sheet = export("findings", personas[Role.LIAISON_OFFICE], {"as_of": "2025-01-01", "rule": "absence_notice"})
    assert "评估日期:2025年1月1日" in sheet["A1"].value
    names = header(sheet)
    assert names[:4] == ["代表", "人大街工委", "条款", "规则"] and "已登记的处置" in names
    rows = rows_of(sheet)
    assert len(rows) == 1
    row = rows[0]
    assert row[0] == "李四" and row[2] == "A3" and row[names.index("状态")] == "已处置"
    assert row[names.index("应采取的处置")] == "通报" and row[names.index("负责方")] == "大会秘书处"
    assert row[names.index("已登记的处置")] == "2024年1月20日 通报(大会秘书处)"


def test_findings_export_shows_only_the_intervention_that_resolves_the_finding(personas, records, world):
    # 李四's 2024 session absence (triggered when the session ended): an older notice does not resolve it.
    factories.InterventionFactory(deputy=world["li"], rule="absence_notice", kind="notice",
                                  date=dt.date(2023, 6, 1), conducted_by="旧的通报")
    _, sheet = export("findings", personas[Role.LIAISON_OFFICE], {"as_of": "2025-01-01", "rule": "absence_notice"})
    names = header(sheet)
    (row,) = rows_of(sheet)
    assert row[names.index("状态")] == "待处置" and not row[names.index("已登记的处置")]
    factories.InterventionFactory(deputy=world["li"], rule="absence_notice", kind="notice",
                                  date=dt.date(2024, 2, 1), conducted_by="大会秘书处")
    factories.InterventionFactory(deputy=world["li"], rule="absence_notice", kind="notice",
                                  date=dt.date(2024, 3, 1), conducted_by="又一次通报")
    _, sheet = export("findings", personas[Role.LIAISON_OFFICE], {"as_of": "2025-01-01", "rule": "absence_notice"})
    (row,) = rows_of(sheet)
    assert row[names.index("状态")] == "已处置"
    assert row[names.index("已登记的处置")] == "2024年2月1日 通报(大会秘书处)"  # the first on/after the trigger


def test_which_intervention_resolves_a_finding_is_the_rules_engines_word():
    def fact(pk, rule, kind, day):
        return InterventionFact(pk, 1, rule, kind, day)

    records = [fact(1, "absence_notice", "notice", dt.date(2023, 6, 1)),  # before the trigger
               fact(2, "absence_notice", "talk", dt.date(2026, 2, 1)),  # not the rule's kind
               fact(3, "session_absence_talk", "talk", dt.date(2026, 2, 2)),  # another rule
               fact(5, "absence_notice", "notice", dt.date(2026, 3, 1)),
               fact(4, "absence_notice", "notice", dt.date(2026, 2, 20)),
               fact(6, "absence_notice", "notice", dt.date(2026, 4, 1))]  # after as_of
    trigger = dt.date(2026, 1, 15)
    assert resolving_intervention("absence_notice", trigger, records, dt.date(2026, 3, 31)).id == 4
    assert resolving_intervention("absence_notice", trigger, records[:3], dt.date(2026, 3, 31)) is None
    assert resolving_intervention("absence_notice", None, records, dt.date(2026, 3, 31)) is None


def test_findings_export_highlights_open_actions_and_misses(personas, records):
    _, sheet = export("findings", personas[Role.LIAISON_OFFICE], {"as_of": "2025-01-01"})
    names = header(sheet)
    status = names.index("状态")
    flagged = [row for row in sheet.iter_rows(min_row=3) if row[status].value in ("未达标", "待处置")]
    assert flagged and all(row[status].fill.fgColor.rgb == BAD_FILL for row in flagged)


def test_findings_export_is_scoped_and_filtered(personas, records, world):
    _, sheet = export("findings", personas[Role.STREET_STAFF], {"as_of": "2025-01-01"})
    assert {row[0] for row in rows_of(sheet)} <= {"张东", "李四"}
    exporter = registry.get("findings")(user=personas[Role.LIAISON_OFFICE], params={"status": "bogus"})
    assert not exporter.is_valid() and "status" in exporter.errors()


# --- (e) activities with participants -------------------------------------------------------------


def test_activities_export_has_one_row_per_participant(personas, records, world):
    _, sheet = export("activities", personas[Role.LIAISON_OFFICE], {"kind": "station_reception"})
    names = header(sheet)
    assert names[:4] == ["日期", "结束日期", "活动类型", "活动名称"] and names[-4:] == [
        "参加代表", "代表所属街工委", "应邀确定参加", "参加情况"]
    rows = rows_of(sheet)
    assert [(row[3], row[7], row[10]) for row in rows] == [("东四代表之家接待日", "张东", "出席"),
                                                           ("东四代表之家接待日", "李四", "缺席")]
    assert rows[0][4] == "人大街工委" and rows[0][5] == "东四"
    li = list(sheet.iter_rows(min_row=4, max_row=4))[0]
    assert li[10].fill.fgColor.rgb == BAD_FILL


def test_activities_export_shows_street_staff_their_deputies_only(personas, records, world):
    _, sheet = export("activities", personas[Role.STREET_STAFF])
    people = {row[7] for row in rows_of(sheet)}
    assert "王朝" not in people and {"张东", "李四"} <= people


def test_activities_export_keeps_an_activity_without_participants(personas, records, world):
    factories.ActivityFactory(term=world["term"], title="尚无人参加的调研", kind=ActivityKind.SPECIAL_RESEARCH,
                              date=dt.date(2024, 11, 1))
    _, sheet = export("activities", personas[Role.LIAISON_OFFICE], {"kind": "special_research"})
    assert [(row[3], row[7]) for row in rows_of(sheet)] == [("尚无人参加的调研", None)]


# --- the renderer -----------------------------------------------------------------------------------


class _Toy(BaseExporter):
    identifier = "toy"
    verbose_name = "测试导出"

    def iterate(self):
        yield ["名称", "数量"]
        yield 3
        yield ["甲", Mark(1, "warn")]
        yield ["很长很长很长很长很长的名字", 2]
        yield ["丙", Mark(dt.date(2024, 1, 2), "bad")]


def test_render_sizes_columns_from_chinese_text_and_reports_progress(personas, monkeypatch):
    import dutyadmin.exporters as exporters

    monkeypatch.setattr(exporters, "ROW_CHUNK", 1)
    calls = []
    out = io.BytesIO()
    count = render_xlsx(_Toy(user=personas[Role.ADMIN]), out, progress=lambda done, total: calls.append((done, total)))
    sheet = read_sheet(out.getvalue())
    assert count == 3 and calls[-1] == (3, 3) and (1, 3) in calls
    assert sheet.column_dimensions["A"].width >= 28  # 14 Chinese characters, two widths each
    assert sheet["B3"].value == 1 and sheet["B3"].fill.fgColor.rgb == "FFFFF2CC"
    assert sheet["B5"].value.date() == dt.date(2024, 1, 2) and sheet["B5"].number_format == 'yyyy"年"m"月"d"日"'


@pytest.mark.django_db(transaction=True)
def test_year_summary_in_chunks_loaded_by_a_second_thread_gives_the_same_rows(personas, records, monkeypatch):
    import oversight.exports.year_summary as year_summary

    _, whole = export("year_summary", personas[Role.LIAISON_OFFICE], {"year": 2024})
    monkeypatch.setattr(year_summary, "DEPUTY_CHUNK", 1)  # three chunks: the next one loads ahead
    _, chunked = export("year_summary", personas[Role.LIAISON_OFFICE], {"year": 2024})
    assert data_rows(chunked) == data_rows(whole) and len(data_rows(whole)) == 3


@pytest.mark.django_db(transaction=True)
def test_year_summary_by_id_ranges_keeps_the_tables_order_when_ids_do_not_follow_it(personas, records, world,
                                                                                     monkeypatch):
    import oversight.exports.year_summary as year_summary

    # Entered last, named first: in the table's order (street, name) 丁东 comes before the deputies with smaller ids.
    factories.DeputyFactory(term=world["term"], name="丁东", street_committee=world["dongsi"])
    _, whole = export("year_summary", personas[Role.LIAISON_OFFICE], {"year": 2024})
    monkeypatch.setattr(year_summary, "DEPUTY_CHUNK", 1)  # one id range per deputy
    _, chunked = export("year_summary", personas[Role.LIAISON_OFFICE], {"year": 2024})
    rows = data_rows(whole)
    assert data_rows(chunked) == rows and len(rows) == 4
    assert [r[1] for r in rows].index("丁东") < [r[1] for r in rows].index("张东")
