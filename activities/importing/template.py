"""The downloadable .xlsx template: the import's columns with drop-down lists for kinds, outcomes
and streets, an example row (skipped on import) and a sheet explaining every column."""
from __future__ import annotations

import datetime as dt
import io

from django.utils import timezone

from deputies.models import StreetCommittee
from dutyadmin.exporters import as_text, looks_like_formula  # --- deploy15
from dutyadmin.scope import scope_for

from ..choices import ActivityKind, Outcome
from .files import MAX_UPLOAD_BYTES
from .rows import organizer
from .sheet import COLUMN_BY_KEY, COLUMNS, DATA_SHEET, EXAMPLE_PREFIX, HELP_SHEET, LISTS_SHEET, MAX_ROWS, NO, YES


def template_workbook(*, user) -> bytes:
    """The .xlsx to fill: headers, drop-down lists, an example row and a sheet of instructions."""
    from openpyxl import Workbook
    from openpyxl.comments import Comment
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.worksheet.datavalidation import DataValidation

    scope = scope_for(user)
    _level, street_id = organizer(scope)
    streets = list(StreetCommittee.objects.order_by("code").values_list("pk", "name"))
    own_street = next((name for pk, name in streets if pk == street_id), "")

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = DATA_SHEET
    required_fill = PatternFill("solid", fgColor="F6D5D5")
    optional_fill = PatternFill("solid", fgColor="E8ECF1")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index, value=column.header)
        cell.font = Font(bold=True, color="9B1C1C" if column.required else "1F2328")
        cell.fill = required_fill if column.required else optional_fill
        cell.alignment = Alignment(horizontal="center", vertical="center")
        cell.comment = Comment(("必填。" if column.required else "选填。") + column.help.removeprefix("必填。"), "系统")
        sheet.column_dimensions[cell.column_letter].width = column.width
    sheet.freeze_panes = "A2"
    sheet.row_dimensions[1].height = 22

    example = {
        "title": f"{EXAMPLE_PREFIX}{own_street or '东四'}街道代表之家接待选民(此行不会导入,可删除)",
        "kind": ActivityKind.STATION_RECEPTION.label,
        "date": dt.date(timezone.localdate().year, 3, 1),
        "end_date": None,
        "location": f"{own_street or '东四'}街道代表之家",
        "deputy_name": "张三",
        "street": own_street,
        "confirmed": YES,
        "outcome": Outcome.ATTENDED.label,
        "deputy_id": None,
    }
    grey = Font(italic=True, color="808080")
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=2, column=index, value=example[column.key])
        cell.font = grey
    last = MAX_ROWS + 1
    for key in ("date", "end_date"):
        sheet[f"{_letter(key)}2"].number_format = "yyyy-mm-dd"

    lists = workbook.create_sheet(LISTS_SHEET)
    lists.append(["活动类型", "参加情况", "街工委", "应邀确定参加"])
    kinds = [label for _value, label in ActivityKind.choices]
    outcomes = [label for _value, label in Outcome.choices]
    street_names = [name for _pk, name in streets]
    for i in range(max(len(kinds), len(outcomes), len(street_names), 2)):
        lists.append([
            kinds[i] if i < len(kinds) else None,
            outcomes[i] if i < len(outcomes) else None,
            street_names[i] if i < len(street_names) else None,
            (YES, NO)[i] if i < 2 else None,
        ])
    lists.sheet_state = "hidden"

    def drop_down(key: str, source: str, title: str) -> None:
        validation = DataValidation(type="list", formula1=source, allow_blank=True, showDropDown=False)
        validation.error = f"请从下拉列表中选择{title}。"
        validation.errorTitle = f"{title}不正确"
        validation.prompt = COLUMN_BY_KEY[key].help
        validation.promptTitle = title
        validation.showErrorMessage = True
        validation.showInputMessage = True
        sheet.add_data_validation(validation)
        validation.add(f"{_letter(key)}2:{_letter(key)}{last}")

    drop_down("kind", f"'{LISTS_SHEET}'!$A$2:$A${len(kinds) + 1}", "活动类型")
    drop_down("outcome", f"'{LISTS_SHEET}'!$B$2:$B${len(outcomes) + 1}", "参加情况")
    drop_down("confirmed", f"'{LISTS_SHEET}'!$D$2:$D$3", "应邀确定参加")
    if street_names:
        drop_down("street", f"'{LISTS_SHEET}'!$C$2:$C${len(street_names) + 1}", "街工委")

    guide = workbook.create_sheet(HELP_SHEET, 1)
    guide.append(["列", "是否必填", "填写说明"])
    for cell in guide[1]:
        cell.font = Font(bold=True)
        cell.fill = optional_fill
    for column in COLUMNS:
        guide.append([column.header, "必填" if column.required else "选填", column.help.removeprefix("必填。")])
    guide.append([])
    notes = [
        "填写规则",
        "1. 每一行是一位代表参加一项活动的记录;名称、类型、日期相同的各行属于同一项活动。",
        f"2. 第 2 行是示例,以“{EXAMPLE_PREFIX}”开头的行不会导入,可以删除。",
        "3. 不要改动第 1 行表头,不要合并单元格,不要使用公式(请“粘贴为数值”)。",
        f"4. 一次最多 {MAX_ROWS} 行,文件不超过 {MAX_UPLOAD_BYTES // 1024 // 1024} MB。",
        "5. 上传后系统逐行检查并列出所有问题(行号和列名),全部无误后才能确认导入;有任何问题都不会保存。",
        "6. 代表按姓名在其所属街工委中查找;同名代表请在“代表编号”列填写编号。",
        "7. 活动日期须在代表任职期间内;日期在今天以后的活动,参加情况只能是“待定”。",
        "8. 街工委工作人员导入的活动登记为本街工委组织的活动;代表联络机构导入的登记为区人大常委会组织的活动。",
    ]
    for note in notes:
        guide.append([note])
    guide.cell(row=len(COLUMNS) + 3, column=1).font = Font(bold=True)
    guide.column_dimensions["A"].width = 16
    guide.column_dimensions["B"].width = 10
    guide.column_dimensions["C"].width = 80

    for each in workbook.worksheets:  # --- deploy15: names from the database stay text, never formulas
        for row in each.iter_rows():
            for cell in row:
                if looks_like_formula(cell.value):
                    as_text(cell)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _letter(key: str) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter([c.key for c in COLUMNS].index(key) + 1)
