"""manage.py import_users <file.xlsx|file.csv> [--dry-run]: accounts from a spreadsheet, all or nothing.

The file is read by the activities import's reader (activities/importing: size, genuine .xlsx, no macros, zip
bomb, row/cell/time limits, formulas refused), with the columns below; the rows go to deputies.users.user_import,
which validates each like the API (role, the scope it needs, Django's password validators) and saves nothing
when any row is wrong, reporting every problem with its row number.
"""
from __future__ import annotations

import io
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from activities.importing.files import ImportRefused, check_size, check_upload
from activities.importing.sheet import Column, read_csv, read_sheet
from deputies.users import user_import

SHEET_NAME = "用户"
# The Chinese header of each column, and its English name as an alias (a CSV written by a script).
HEADERS = (
    ("username", "用户名", True, "必填。登录用的用户名；已有的用户名即修改该账户。"),
    ("full_name", "姓名", False, "显示的姓名。"),
    ("role", "角色", True, "必填。角色代码（如 street_staff）或中文名称（如 街工委工作人员）。"),
    ("street_committee", "人大街工委", False, "街工委工作人员、街工委主任必填：名称或代码。"),
    ("delegation", "代表团", False, "代表团团长必填：名称（同名时取最新一届）。"),
    ("deputy", "代表", False, "代表必填：姓名或代表编号（重名时填编号）。"),
    ("handling_unit", "承办单位", False, "承办单位角色必填：名称或代码。"),
    ("is_active", "启用", False, "是 / 否；不填为“是”。"),
    ("password", "密码", False, "可不填：新账户将生成随机初始密码并只显示一次；已有账户不填则密码不变。"),
)
COLUMNS: tuple[Column, ...] = tuple(
    [Column(key, header, required, 16, help) for key, header, required, help in HEADERS]
    + [Column(key, key, False, 16, help) for key, _header, _required, help in HEADERS]
)
HEADER_OF = {key: header for key, header, *_ in HEADERS}


def read_rows(path: Path):
    """The file's data rows (Sheet) by the import's reader; ImportRefused when the file cannot be read."""
    with path.open("rb") as handle:
        if path.suffix.lower() == ".csv":
            check_size(handle)
            raw = handle.read()
            for encoding in ("utf-8-sig", "gb18030"):  # Excel's "CSV UTF-8", or a Chinese Windows' CSV
                try:
                    text = raw.decode(encoding)
                    break
                except UnicodeDecodeError:
                    continue
            else:
                raise ImportRefused("CSV 文件的编码无法识别，请另存为 UTF-8 编码的 CSV 或 .xlsx。")
            return read_csv(io.StringIO(text, newline=""), columns=COLUMNS, example_key="username")
        check_upload(handle)
        return read_sheet(handle, columns=COLUMNS, sheet_name=SHEET_NAME, example_key="username")


class Command(BaseCommand):
    help = "从 Excel（.xlsx）或 CSV 表格导入用户账户：全部无误才保存，有误的行逐一列出行号和原因。"

    def add_arguments(self, parser) -> None:
        parser.add_argument("file", help="用户表格（.xlsx 或 .csv），第 1 行为表头：" + "、".join(HEADER_OF.values()))
        parser.add_argument("--dry-run", action="store_true", help="只检查，不保存。")

    def handle(self, *args, file: str, dry_run: bool = False, **options) -> None:
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件：{path}")
        try:
            sheet = read_rows(path)
        except ImportRefused as exc:
            raise CommandError(str(exc)) from exc
        problems = [(p.row, p.column, p.message) for p in sheet.problems]
        result = user_import(actor=None, rows=[(row.number, row.values) for row in sheet.rows],
                             dry_run=dry_run or bool(problems))
        unreadable = {(row, column) for row, column, _ in problems}  # a formula cell: said once, not again as empty
        problems += [(p.row, HEADER_OF.get(p.field, p.field), p.message) for p in result.problems
                     if (p.row, HEADER_OF.get(p.field, p.field)) not in unreadable]
        if problems:
            for row, column, message in sorted(problems, key=lambda p: p[0]):
                self.stderr.write(f"第 {row} 行（{column}）：{message}")
            rows = len({row for row, *_ in problems})
            raise CommandError(f"有 {rows} 行有误，未保存任何账户。请改正后重新导入。")
        counts = f"新建 {len(result.created)} 个账户，修改 {len(result.updated)} 个账户"
        if dry_run:
            self.stdout.write(f"试运行：表格无误，将{counts}；未保存任何内容。")
            return
        self.stdout.write(self.style.SUCCESS(f"导入完成：{counts}。"))
        if result.passwords:
            self.stdout.write("以下新账户的初始密码只显示这一次，请妥善转交本人并提醒其登录后修改：")
            for username, password in result.passwords.items():
                self.stdout.write(f"  {username}\t{password}")
