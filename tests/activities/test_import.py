"""Spreadsheet import: a valid file, every kind of bad row (by row and column), hostile files, the template."""
from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from activities import services
from activities.importing import sheet as importer_sheet
from activities.choices import ActivityKind, ImportStatus, OrganizerLevel, Outcome
from activities.models import Activity, ActivityImport, Participation
from dutyadmin.roles import Role
from tests import factories

from .conftest import HEADERS, row, upload, xlsx_bytes

pytestmark = pytest.mark.django_db
LIST = reverse("activities:import_list")


def problems(record: ActivityImport) -> list[tuple[int, str]]:
    return [(p["row"], p["column"]) for p in record.errors]


def messages_of(record: ActivityImport) -> str:
    return "\n".join(f"{p['row']} {p['column']} {p['message']}" for p in record.errors)


def nothing_saved() -> bool:
    return not Activity.objects.exists() and not Participation.objects.exists()


def has_chinese(text: str) -> bool:
    return any("\u4e00" <= ch <= "\u9fff" for ch in text)


# --- a valid file ---------------------------------------------------------------------------------


def test_a_valid_file_is_previewed_then_saved_in_one_go(personas, world, sheet):
    staff = personas[Role.STREET_STAFF]
    file = sheet([
        row(name="张东"),
        row(name="李四", confirmed="否", outcome="请假"),
        row(title="东四街道代表小组活动", kind="代表联组、小组、专业小组活动", date="2024-04-02", location="社区活动室", name="张东"),
    ])
    record = services.activity_import_upload(user=staff, upload=file)
    assert record.status == ImportStatus.READY
    assert (record.row_count, record.activity_count, record.participation_count) == (3, 2, 3)
    assert record.errors == []
    assert nothing_saved()  # a preview saves nothing

    record = services.activity_import_confirm(user=staff, activity_import=record)
    assert record.status == ImportStatus.IMPORTED
    reception = Activity.objects.get(kind=ActivityKind.STATION_RECEPTION)
    assert (reception.title, reception.date, reception.location) == ("东四街道代表之家接待选民", dt.date(2024, 3, 1), "东四街道代表之家")
    assert reception.organizer_level == OrganizerLevel.STREET_COMMITTEE
    assert reception.street_committee == world["dongsi"]
    assert reception.source_import == record
    outcomes = {(p.deputy.name, p.confirmed, p.outcome) for p in reception.participations.all()}
    assert outcomes == {("张东", True, Outcome.ATTENDED), ("李四", False, Outcome.EXCUSED)}
    assert Participation.objects.count() == 3
    # With history, who did it.
    assert reception.history.get().history_user == staff
    assert {h.history_user for h in Participation.history.all()} == {staff}
    # The file is kept.
    with record.file.open("rb") as kept:
        assert kept.read(4) == b"PK\x03\x04"


def test_an_import_cannot_be_confirmed_twice(personas, world, sheet):
    staff = personas[Role.STREET_STAFF]
    record = services.activity_import_upload(user=staff, upload=sheet([row()]))
    services.activity_import_confirm(user=staff, activity_import=record)
    with pytest.raises(ValidationError):
        services.activity_import_confirm(user=staff, activity_import=ActivityImport.objects.get())
    assert Activity.objects.count() == 1


def test_dates_may_be_excel_dates_or_written_the_chinese_way(personas, world, sheet):
    rows = [
        row(title="甲", date=dt.datetime(2024, 3, 1)),
        row(title="乙", date="2024年3月2日"),
        row(title="丙", date="2024/3/3", end_date="2024.3.4"),
    ]
    record = services.activity_import_upload(user=personas[Role.STREET_STAFF], upload=sheet(rows))
    assert record.status == ImportStatus.READY, messages_of(record)
    services.activity_import_confirm(user=personas[Role.STREET_STAFF], activity_import=record)
    assert sorted(Activity.objects.values_list("date", "end_date")) == [
        (dt.date(2024, 3, 1), None), (dt.date(2024, 3, 2), None), (dt.date(2024, 3, 3), dt.date(2024, 3, 4)),
    ]


def test_the_liaison_office_imports_district_activities_matching_deputies_across_streets(personas, world, sheet):
    liaison = personas[Role.LIAISON_OFFICE]
    rows = [row(title="集中视察", kind="集中视察", name="张东"), row(title="集中视察", kind="集中视察", name="王朝")]
    record = services.activity_import_upload(user=liaison, upload=sheet(rows))
    assert record.status == ImportStatus.READY, messages_of(record)
    services.activity_import_confirm(user=liaison, activity_import=record)
    activity = Activity.objects.get()
    assert (activity.organizer_level, activity.street_committee) == (OrganizerLevel.STANDING_COMMITTEE, None)
    assert {p.deputy.name for p in activity.participations.all()} == {"张东", "王朝"}


def test_a_name_shared_by_two_deputies_is_resolved_by_the_deputy_id_column(personas, world, sheet):
    other = factories.DeputyFactory(term=world["term"], name="张东", street_committee=world["dongsi"], unit="协和医院")
    record = services.activity_import_upload(user=personas[Role.STREET_STAFF], upload=sheet([row(name="张东")]))
    assert problems(record) == [(2, "代表姓名")]
    message = record.errors[0]["message"]
    assert "2 位代表名为“张东”" in message and str(other.pk) in message and str(world["zhang"].pk) in message
    assert "协和医院" in message

    record = services.activity_import_upload(
        user=personas[Role.STREET_STAFF], upload=sheet([row(name="张东", deputy_id=other.pk)])
    )
    assert record.status == ImportStatus.READY, messages_of(record)
    services.activity_import_confirm(user=personas[Role.STREET_STAFF], activity_import=record)
    assert Participation.objects.get().deputy == other


# --- bad rows: every problem by row and column, nothing saved ------------------------------------


@pytest.mark.parametrize(
    ("changes", "column", "words"),
    [
        ({"name": "张冬"}, "代表姓名", ["找不到代表“张冬”", "是否为:张东"]),
        ({"name": "王朝"}, "代表姓名", ["找不到代表“王朝”"]),  # 朝阳门's deputy is not even named to 东四
        ({"name": None}, "代表姓名", ["请填写代表姓名"]),
        ({"date": "2024-13-01"}, "日期", ["不是有效的日期"]),
        ({"date": "明天"}, "日期", ["不是有效的日期"]),
        ({"date": 45000}, "日期", ["不是有效的日期"]),
        ({"date": None}, "日期", ["请填写日期"]),
        ({"date": "2019-05-01"}, "日期", ["不在任何一届的任期内"]),
        ({"end_date": "2024-02-01"}, "结束日期", ["结束日期不能早于开始日期"]),
        ({"kind": "座谈会"}, "活动类型", ["未知的活动类型“座谈会”"]),
        ({"kind": None}, "活动类型", ["请从下拉列表选择活动类型"]),
        ({"title": None}, "活动名称", ["请填写活动名称"]),
        ({"title": "名" * 201}, "活动名称", ["最多 200 字"]),
        ({"street": "朝阳门"}, "街工委", ["超出您的管理范围", "朝阳门"]),
        ({"street": "火星"}, "街工委", ["未知的街工委“火星”"]),
        ({"confirmed": "也许"}, "应邀确定参加", ["请填写“是”或“否”"]),
        ({"outcome": "迟到"}, "参加情况", ["请填写出席、请假、缺席或待定"]),
        ({"date": "2026-12-30"}, "参加情况", ["在今天之后,不能登记“出席”"]),
        ({"deputy_id": "abc"}, "代表编号", ["代表编号应为整数"]),
        ({"deputy_id": 999999}, "代表编号", ["没有编号为 999999"]),
    ],
)
def test_each_bad_row_is_reported_by_row_and_column(personas, world, sheet, changes, column, words):
    rows = [row(name="李四"), row(**changes)]
    record = services.activity_import_upload(user=personas[Role.STREET_STAFF], upload=sheet(rows))
    assert record.status == ImportStatus.INVALID
    assert problems(record) == [(3, column)], messages_of(record)
    for word in words:
        assert word in record.errors[0]["message"], messages_of(record)
    assert nothing_saved()


def test_a_duplicate_row_names_the_first_one(personas, world, sheet):
    record = services.activity_import_upload(user=personas[Role.STREET_STAFF], upload=sheet([row(), row(name="李四"), row()]))
    assert problems(record) == [(4, "代表姓名")]
    assert "与第 2 行重复" in record.errors[0]["message"]


def test_a_deputy_not_in_service_on_the_date_is_refused(personas, world, sheet):
    factories.DeputyFactory(term=world["term"], name="新代表", street_committee=world["dongsi"],
                            service_start=dt.date(2024, 6, 1))
    record = services.activity_import_upload(user=personas[Role.STREET_STAFF], upload=sheet([row(name="新代表")]))
    assert problems(record) == [(2, "代表姓名")]
    assert "不在任职期间" in record.errors[0]["message"]


def test_a_row_in_a_year_approved_in_the_year_end_review_is_refused(personas, world, sheet):
    from oversight.choices import ReviewStatus
    from oversight.models import YearReview

    YearReview.objects.create(term=world["term"], year=2024, street_committee=world["dongsi"],
                              status=ReviewStatus.APPROVED)
    staff = personas[Role.STREET_STAFF]
    record = services.activity_import_upload(user=staff, upload=sheet([row(), row(date="2025-03-01")]))
    assert problems(record) == [(2, "日期")]
    assert "2024年度的履职记录已由代表联络机构审核通过并锁定" in record.errors[0]["message"]
    assert nothing_saved()


def test_every_row_of_a_locked_year_is_reported_and_a_lock_after_the_preview_saves_nothing(personas, world, sheet):
    from oversight.choices import ReviewStatus
    from oversight.models import YearReview

    staff = personas[Role.STREET_STAFF]
    rows = [row(), row(name="李四"), row(date="2025-03-01"), row(title="另一项", date="2024-05-01")]
    record = services.activity_import_upload(user=staff, upload=sheet(rows))
    assert record.status == ImportStatus.READY
    # Approved between the preview and the confirmation: the check is made again, row by row.
    YearReview.objects.create(term=world["term"], year=2024, street_committee=world["dongsi"],
                              status=ReviewStatus.APPROVED)
    record = services.activity_import_confirm(user=staff, activity_import=record)
    assert record.status == ImportStatus.INVALID
    assert problems(record) == [(2, "日期"), (3, "日期"), (5, "日期")]
    assert all("锁定" in p["message"] for p in record.errors)
    assert nothing_saved()


def test_rows_of_one_activity_must_agree_on_place_and_end_date(personas, world, sheet):
    rows = [row(), row(name="李四", location="别处"), row(name="李四", title="另一项", end_date="2024-03-02"),
            row(title="另一项")]
    record = services.activity_import_upload(user=personas[Role.STREET_STAFF], upload=sheet(rows))
    assert problems(record) == [(3, "地点"), (5, "结束日期")]


def test_every_problem_of_the_file_is_listed_at_once_in_row_order(personas, world, sheet):
    rows = [row(kind="座谈会", name="张冬"), row(), row(date="昨天"), row(outcome="迟到", confirmed="?")]
    record = services.activity_import_upload(user=personas[Role.STREET_STAFF], upload=sheet(rows))
    assert problems(record) == [(2, "活动类型"), (2, "代表姓名"), (4, "日期"), (5, "应邀确定参加"), (5, "参加情况")]
    assert nothing_saved()


def test_an_activity_imported_before_is_not_imported_again(personas, world, sheet):
    staff = personas[Role.STREET_STAFF]
    services.activity_import_confirm(user=staff, activity_import=services.activity_import_upload(user=staff, upload=sheet([row()])))
    record = services.activity_import_upload(user=staff, upload=sheet([row(), row(name="李四")]))
    assert problems(record) == [(2, "活动名称"), (3, "活动名称")]
    assert "请勿重复导入" in record.errors[0]["message"]
    assert Activity.objects.count() == 1 and Participation.objects.count() == 1


def test_a_problem_found_when_confirming_saves_nothing(personas, world, sheet):
    staff = personas[Role.STREET_STAFF]
    record = services.activity_import_upload(user=staff, upload=sheet([row(), row(name="李四")]))
    world["li"].delete()  # between the preview and the confirmation
    record = services.activity_import_confirm(user=staff, activity_import=record)
    assert record.status == ImportStatus.INVALID
    assert problems(record) == [(3, "代表姓名")]
    assert nothing_saved()


def test_formulas_are_refused_cell_by_cell(personas, world, sheet):
    record = services.activity_import_upload(
        user=personas[Role.STREET_STAFF], upload=sheet([row(date="=TODAY()"), row(title="=A1&\"x\"", name="李四")])
    )
    assert problems(record) == [(2, "日期"), (3, "活动名称")]
    assert "公式" in record.errors[0]["message"]
    assert nothing_saved()


def test_the_example_row_of_the_template_is_skipped(personas, world, sheet):
    record = services.activity_import_upload(
        user=personas[Role.STREET_STAFF], upload=sheet([row(title="示例:东四街道代表之家接待选民", name="张三"), row()])
    )
    assert record.status == ImportStatus.READY and record.row_count == 1


# --- hostile files: a clear message, nothing saved at all -----------------------------------------


def _zip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in entries.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def _zip_bomb() -> bytes:
    """A 100 KB .xlsx-shaped zip whose one part inflates to 120 MB."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            zeros = b"\0" * (1 << 20)
            for _ in range(120):
                part.write(zeros)
    return buffer.getvalue()


def _merged() -> bytes:
    return xlsx_bytes([row(), row(name="李四")], edit=lambda sheet: sheet.merge_cells("A2:A3"))


def _big(size: int) -> bytes:
    return b"PK\x03\x04" + b"\0" * (size - 4)


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("活动.xlsx", b"", "空"),
        ("活动.xlsx", b"just some text, not a spreadsheet", "不是 Excel 工作簿"),
        ("活动.csv", "活动名称,日期\n接待,2024-03-01\n".encode(), "CSV"),
        ("活动.xlsx", b"%PDF-1.7 a pdf renamed", "不是 Excel 工作簿"),
        ("活动.xls", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "另存为"),
        ("活动.xlsx", b"PK\x03\x04 broken zip", "已损坏"),
        ("活动.xlsx", _zip({"word/document.xml": b"<w/>", "[Content_Types].xml": b"<Types/>"}), "不是 Excel 工作簿"),
        ("活动.xlsx", _zip({f"x/{i}.xml": b"" for i in range(600)}), "结构异常"),
        ("活动.xlsx", _zip_bomb(), "解压后过大"),
        ("活动.xlsx", _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<broken"}), "无法读取"),
        ("活动.xlsx", _big(20 * 1024 * 1024), "文件太大"),
        ("活动.xlsx", xlsx_bytes([row()], headers=["名称", "类型", "日期", "人"]), "表头不正确"),
        ("活动.xlsx", xlsx_bytes([row()], headers=HEADERS[:5] + ["姓名"]), "缺少列:代表姓名"),
        ("活动.xlsx", xlsx_bytes([[None] * 10], headers=[None] * 10), "表头"),
        ("活动.xlsx", xlsx_bytes([]), "没有可导入的数据行"),
        ("活动.xlsx", _merged(), "合并单元格(A2:A3)"),
    ],
    ids=["empty", "text", "csv", "pdf", "xls", "broken-zip", "docx", "many-entries", "zip-bomb", "bad-xml",
         "20-MB", "wrong-headers", "missing-header", "blank-header", "no-rows", "merged-cells"],
)
def test_a_hostile_file_gets_a_clear_message_and_nothing_is_saved(personas, world, name, content, words):
    file = SimpleUploadedFile(name, content)
    with pytest.raises(ValidationError) as caught:
        services.activity_import_upload(user=personas[Role.STREET_STAFF], upload=file)
    message = " ".join(caught.value.message_dict["file"])
    assert words in message and has_chinese(message)
    assert nothing_saved() and not ActivityImport.objects.exists()


def test_more_rows_than_the_limit_are_refused(personas, world, sheet, monkeypatch):
    assert importer_sheet.MAX_ROWS == 20_000
    monkeypatch.setattr(importer_sheet, "MAX_ROWS", 3)
    with pytest.raises(ValidationError) as caught:
        services.activity_import_upload(user=personas[Role.STREET_STAFF], upload=sheet([row(title=str(i)) for i in range(4)]))
    assert "最多导入 3 行" in caught.value.message_dict["file"][0]
    assert nothing_saved() and not ActivityImport.objects.exists()


def test_a_sheet_with_a_wrong_size_record_is_read_to_its_last_row(personas, world, sheet):
    """Some programs write a dimension of A1:A1; every row is still read."""
    content = xlsx_bytes([row(), row(name="李四")])
    patched = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(patched, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                data = re.sub(rb'<dimension ref="[A-Z0-9:]+"', b'<dimension ref="A1:A1"', data)
                assert b'<dimension ref="A1:A1"' in data
            target.writestr(item, data)
    record = services.activity_import_upload(user=personas[Role.STREET_STAFF], upload=upload(patched.getvalue()))
    assert record.row_count == 2


# --- who may import -------------------------------------------------------------------------------


@pytest.mark.parametrize("role", [Role.DEPUTY, Role.STREET_DIRECTOR, Role.DELEGATION_HEAD, Role.SECRETARIAT, "nobody"])
def test_only_street_staff_and_the_liaison_office_import(personas, world, sheet, role):
    with pytest.raises(PermissionDenied):
        services.activity_import_upload(user=personas[role], upload=sheet([row()]))


def test_only_the_uploader_confirms(personas, world, sheet):
    record = services.activity_import_upload(user=personas[Role.STREET_STAFF], upload=sheet([row()]))
    with pytest.raises(PermissionDenied):
        services.activity_import_confirm(user=personas[Role.LIAISON_OFFICE], activity_import=record)
    assert nothing_saved()


# --- pages ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("role", "status"),
    [(Role.STREET_STAFF, 200), (Role.LIAISON_OFFICE, 200), (Role.ADMIN, 200), (Role.STREET_DIRECTOR, 403),
     (Role.DEPUTY, 403), (Role.DELEGATION_HEAD, 403), (Role.SC_OFFICE, 403), ("nobody", 403)],
)
def test_who_sees_the_import_pages(login, role, status):
    client = login(role)
    assert client.get(LIST).status_code == status
    assert client.get(reverse("activities:import_template")).status_code == status


def test_upload_preview_confirm_and_history_through_the_pages(login, world):
    client = login(Role.STREET_STAFF)
    response = client.post(LIST, {"file": upload(xlsx_bytes([row(), row(name="李四")]), name="三月接待.xlsx")})
    record = ActivityImport.objects.get()
    assert response.status_code == 302 and response.url == reverse("activities:import_detail", args=[record.pk])
    page = client.get(response.url).text
    assert "检查通过" in page and "确认导入" in page and "2024年3月1日" in page
    assert nothing_saved()

    response = client.post(reverse("activities:import_confirm", args=[record.pk]), follow=True)
    assert "导入完成:1 项活动,2 条参加记录" in response.text
    assert Participation.objects.count() == 2
    history = client.get(LIST).text
    assert "三月接待.xlsx" in history and "已导入" in history
    original = client.get(reverse("activities:import_file", args=[record.pk]))
    assert original.status_code == 200 and b"".join(original.streaming_content)[:4] == b"PK\x03\x04"
    # Another street's staff and a deputy cannot see it.
    other = factories.make_user(Role.STREET_STAFF, street_committee=world["chaoyang"])
    client.force_login(other)
    assert client.get(reverse("activities:import_detail", args=[record.pk])).status_code == 404
    assert client.get(reverse("activities:import_file", args=[record.pk])).status_code == 404


def test_the_preview_lists_problems_by_row_and_column(login, world):
    client = login(Role.STREET_STAFF)
    response = client.post(LIST, {"file": upload(xlsx_bytes([row(), row(name="张冬")]))}, follow=True)
    assert "第 3 行" in response.text and "代表姓名" in response.text and "是否为:张东" in response.text
    assert "没有导入任何记录" in response.text and "确认导入" not in response.text


@pytest.mark.parametrize(
    ("content", "words"),
    [(b"", "空"), (b"not an xlsx", "不是 Excel 工作簿"), (_zip_bomb(), "解压后过大"), (_big(20 * 1024 * 1024), "文件太大")],
    ids=["empty", "text", "zip-bomb", "20-MB"],
)
def test_a_hostile_upload_through_the_page_is_a_400_with_the_message_next_to_the_field(login, content, words):
    response = login(Role.STREET_STAFF).post(LIST, {"file": SimpleUploadedFile("x.xlsx", content)})
    assert response.status_code == 400
    assert words in str(response.context["form"].errors["file"])
    assert nothing_saved() and not ActivityImport.objects.exists()


def test_posting_without_a_file_asks_for_one(login):
    response = login(Role.STREET_STAFF).post(LIST, {})
    assert response.status_code == 400 and "请选择" in response.text


# --- the template ---------------------------------------------------------------------------------


def test_the_template_has_headers_drop_down_lists_an_example_and_instructions(login, world):
    response = login(Role.STREET_STAFF).get(reverse("activities:import_template"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames[:2] == ["活动登记", "填写说明"]
    sheet = workbook["活动登记"]
    assert [c.value for c in sheet[1]] == HEADERS
    example = [c.value for c in sheet[2]]
    assert example[0].startswith("示例:") and example[1] == "代表之家、联络站接待群众" and example[6] == "东四"
    validations = {str(v.sqref).split(":")[0]: v for v in sheet.data_validations.dataValidation}
    lists = workbook["选项"]
    assert lists.sheet_state == "hidden"

    def listed(cell_ref: str) -> list[str]:
        validation = validations[cell_ref]
        assert validation.type == "list"
        sheet_name, _sep, cells = validation.formula1.partition("!")
        start, end = cells.replace("$", "").split(":")
        return [c.value for (c,) in workbook[sheet_name.strip("'")][start:end]]

    assert listed("B2") == [label for _v, label in ActivityKind.choices]
    assert listed("I2") == ["待定", "出席", "请假", "缺席"]
    assert listed("H2") == ["是", "否"]
    assert "东四" in listed("G2") and "朝阳门" in listed("G2")
    guide = [c.value for c in workbook["填写说明"]["A"]]
    assert all(header in guide for header in HEADERS)


def test_the_untouched_template_imports_nothing_and_a_filled_one_imports(login, personas, world):
    client = login(Role.STREET_STAFF)
    content = client.get(reverse("activities:import_template")).content
    response = client.post(LIST, {"file": upload(content)})
    assert response.status_code == 400 and "没有可导入的数据行" in response.text

    workbook = load_workbook(io.BytesIO(content))
    workbook["活动登记"].append(row(date=dt.datetime(2024, 5, 6)))
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = client.post(LIST, {"file": upload(buffer.getvalue())})
    assert response.status_code == 302
    assert ActivityImport.objects.get().status == ImportStatus.READY


# --- issue 17: blank rows count, macros and external links are refused ------------------------------------------


def _with_parts(content: bytes, extra: dict[str, bytes], content_types: bytes | None = None) -> bytes:
    """The workbook with extra zip parts (and its [Content_Types].xml rewritten when given)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(content)) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            data = source.read(item.filename)
            if item.filename == "[Content_Types].xml" and content_types is not None:
                data = content_types
            target.writestr(item, data)
        for name, data in extra.items():
            target.writestr(name, data)
    return out.getvalue()


def _macro_content_types(content: bytes) -> bytes:
    with zipfile.ZipFile(io.BytesIO(content)) as source:
        types = source.read("[Content_Types].xml")
    return types.replace(b"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml",
                         b"application/vnd.ms-excel.sheet.macroEnabled.main+xml")


@pytest.mark.parametrize("name", ["活动.xlsm", "活动.xlsx"])
def test_a_macro_workbook_is_refused_whatever_its_name(personas, world, name):
    plain = xlsx_bytes([row()])
    macro = _with_parts(plain, {"xl/vbaProject.bin": b"\xd0\xcf\x11\xe0 vba"}, _macro_content_types(plain))
    with pytest.raises(ValidationError) as caught:
        services.activity_import_upload(user=personas[Role.STREET_STAFF], upload=upload(macro, name))
    assert "宏" in caught.value.message_dict["file"][0]
    assert nothing_saved() and not ActivityImport.objects.exists()


def test_a_macro_content_type_alone_is_refused(personas, world):
    plain = xlsx_bytes([row()])
    with pytest.raises(ValidationError) as caught:
        services.activity_import_upload(user=personas[Role.STREET_STAFF],
                                        upload=upload(_with_parts(plain, {}, _macro_content_types(plain))))
    assert "宏" in caught.value.message_dict["file"][0]


def test_external_links_are_refused(personas, world):
    linked = _with_parts(xlsx_bytes([row()]), {"xl/externalLinks/externalLink1.xml": b"<externalLink/>"})
    with pytest.raises(ValidationError) as caught:
        services.activity_import_upload(user=personas[Role.STREET_STAFF], upload=upload(linked))
    assert "外部链接" in caught.value.message_dict["file"][0]
    assert not ActivityImport.objects.exists()


def test_blank_rows_count_against_the_read_limit_and_reading_stops_there(personas, world, monkeypatch):
    monkeypatch.setattr(importer_sheet, "MAX_ROWS_READ", 50)
    rows = [row()] + [[" "] * 10 for _ in range(200)] + [row(name="李四")]
    with pytest.raises(ValidationError) as caught:
        services.activity_import_upload(user=personas[Role.STREET_STAFF], upload=upload(xlsx_bytes(rows)))
    message = caught.value.message_dict["file"][0]
    assert "空行也计算在内" in message and "第 52 行" in message
    assert nothing_saved() and not ActivityImport.objects.exists()


def test_blank_rows_within_the_limit_are_skipped(personas, world):
    rows = [row()] + [[" "] * 10 for _ in range(30)] + [row(name="李四")]
    record = services.activity_import_upload(user=personas[Role.STREET_STAFF], upload=upload(xlsx_bytes(rows)))
    assert record.row_count == 2


def test_a_slow_read_is_stopped(personas, world, monkeypatch):
    monkeypatch.setattr(importer_sheet, "MAX_READ_SECONDS", -1)
    with pytest.raises(ValidationError) as caught:
        services.activity_import_upload(user=personas[Role.STREET_STAFF], upload=upload(xlsx_bytes([row()])))
    assert "读取超过" in caught.value.message_dict["file"][0]
