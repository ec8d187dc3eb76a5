"""manage.py import_users (issue 15): accounts from a .xlsx or CSV, all or nothing, every bad row with its row
number and reason; the spreadsheet is read under the activities import's limits; a new account without a password
gets a random one shown once."""
import csv
import io

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from openpyxl import Workbook

from activities.importing import sheet as sheet_limits
from deputies.models import UserScope
from dutyadmin.models import AuditEvent, AuditKind
from dutyadmin.roles import Role
from tests import factories

pytestmark = pytest.mark.django_db
HEADER = ["用户名", "姓名", "角色", "人大街工委", "代表团", "代表", "承办单位", "启用", "密码"]


@pytest.fixture
def world(db):
    term = factories.TermFactory()
    street = factories.StreetCommitteeFactory(name="东四", code="DS")
    delegation = factories.DelegationFactory(term=term, name="东四代表团")
    deputy = factories.DeputyFactory(term=term, name="张三", street_committee=street, delegation=delegation)
    unit = factories.HandlingUnitFactory(name="区城管委")
    return {"street": street, "delegation": delegation, "deputy": deputy, "unit": unit}


def xlsx(tmp_path, rows, header=HEADER, name="users.xlsx"):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "用户"
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    path = tmp_path / name
    workbook.save(path)
    return path


def run(path, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_users", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return False, out.getvalue(), err.getvalue() + str(exc)
    return True, out.getvalue(), err.getvalue()


GOOD_ROWS = [
    ["dongsi_staff", "王五", "street_staff", "DS", None, None, None, "是", "Lantern-Orchard-73"],
    ["zhangsan", "张三", "代表", None, None, "张三", None, None, None],
    ["dongsi_head", "赵六", "delegation_head", None, "东四代表团", None, None, None, None],
    ["cg_unit", "城管委", "handling_unit", None, None, None, "区城管委", "否", None],
    ["liaison2", "", "liaison_office", None, None, None, None, None, None],
]


def test_a_good_sheet_makes_every_account_with_its_scope_and_prints_new_passwords_once(tmp_path, world):
    ok, out, err = run(xlsx(tmp_path, GOOD_ROWS))
    assert ok, err
    assert "导入完成：新建 5 个账户，修改 0 个账户。" in out
    staff = User.objects.get(username="dongsi_staff")
    assert staff.check_password("Lantern-Orchard-73") and "Lantern-Orchard-73" not in out
    assert staff.scope.street_committee == world["street"] and staff.groups.get().name == "street_staff"
    assert UserScope.objects.get(user__username="zhangsan").deputy == world["deputy"]
    assert UserScope.objects.get(user__username="dongsi_head").delegation == world["delegation"]
    unit_user = User.objects.get(username="cg_unit")
    assert unit_user.scope.handling_unit == world["unit"] and not unit_user.is_active
    # the accounts without a password got a random one, printed once, that works
    printed = dict(line.strip().split("\t") for line in out.splitlines() if "\t" in line)
    assert set(printed) == {"zhangsan", "dongsi_head", "cg_unit", "liaison2"}
    assert User.objects.get(username="zhangsan").check_password(printed["zhangsan"])
    assert len(AuditEvent.objects.filter(kind=AuditKind.USER_CREATED)) == 5


def test_one_bad_row_saves_nothing_and_every_bad_row_is_reported_with_its_number(tmp_path, world):
    rows = [
        *GOOD_ROWS[:2],
        ["s2", "", "street_staff", None, None, None, None, None, None],  # row 4: no street committee
        ["u2", "", "handling_unit", None, None, None, "没有的单位", None, None],  # row 5
        ["dongsi_staff", "", "boss", None, None, None, None, "也许", "123"],  # row 6: dup, role, active, password
        ["lo3", "", "liaison_office", "DS", None, None, None, None, None],  # row 7: a scope it does not use
    ]
    before = User.objects.count()
    ok, out, err = run(xlsx(tmp_path, rows))
    assert not ok
    assert User.objects.count() == before and not AuditEvent.objects.filter(kind=AuditKind.USER_CREATED).exists()
    assert "第 4 行（人大街工委）：角色“街工委工作人员”须指定人大街工委。" in err
    assert "第 5 行（承办单位）：没有名称为“没有的单位”的承办单位。" in err
    assert "第 6 行（用户名）：用户名“dongsi_staff”与第 2 行重复。" in err
    assert "第 6 行（角色）：无法识别的角色“boss”。" in err
    assert "第 6 行（启用）" in err and "第 6 行（密码）" in err
    assert "第 7 行（人大街工委）：角色“代表联络机构”不使用人大街工委，请留空。" in err
    assert "有 4 行有误，未保存任何账户。" in err
    assert "第 2 行" not in err.replace("与第 2 行重复", "")


def test_dry_run_checks_and_saves_nothing(tmp_path, world):
    ok, out, _ = run(xlsx(tmp_path, GOOD_ROWS), "--dry-run")
    assert ok and "试运行：表格无误，将新建 5 个账户，修改 0 个账户；未保存任何内容。" in out
    assert not User.objects.filter(username="dongsi_staff").exists()
    assert "\t" not in out  # no password of an account that does not exist


def test_an_existing_username_is_updated_and_keeps_its_password_when_none_is_given(tmp_path, world, make_user):
    user = make_user(Role.SECRETARIAT, username="dongsi_staff")
    ok, out, err = run(xlsx(tmp_path, [["dongsi_staff", "王五", "街工委主任", "东四", None, None, None, None, None]]))
    assert ok, err
    assert "新建 0 个账户，修改 1 个账户" in out
    user.refresh_from_db()
    assert user.check_password(factories.PASSWORD) and user.first_name == "王五"
    assert list(user.groups.values_list("name", flat=True)) == ["street_director"]
    assert user.scope.street_committee == world["street"]


def test_a_csv_with_english_headers_is_read_the_same_way(tmp_path, world):
    path = tmp_path / "users.csv"
    with path.open("w", encoding="utf-8-sig", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["username", "full_name", "role", "street_committee", "deputy", "is_active"])
        writer.writerow(["dongsi_staff", "王五", "street_staff", "东四", "", "是"])
        writer.writerow(["zhangsan", "张三", "deputy", "", str(world["deputy"].pk), ""])
    ok, out, err = run(path)
    assert ok, err
    assert UserScope.objects.get(user__username="zhangsan").deputy == world["deputy"]


def test_the_sheet_is_read_under_the_activity_imports_limits(tmp_path, world, monkeypatch):
    monkeypatch.setattr(sheet_limits, "MAX_ROWS", 2)
    ok, _, err = run(xlsx(tmp_path, GOOD_ROWS))
    assert not ok and "一次最多导入 2 行" in err
    assert not User.objects.filter(username="dongsi_staff").exists()


def test_a_file_that_is_not_a_workbook_or_lacks_columns_is_refused_in_chinese(tmp_path, world):
    fake = tmp_path / "users.xlsx"
    fake.write_bytes(b"not a workbook")
    ok, _, err = run(fake)
    assert not ok and "不是 Excel 工作簿" in err
    ok, _, err = run(xlsx(tmp_path, [["a"]], header=["用户名"], name="short.xlsx"))
    assert not ok and "缺少列:角色" in err
    ok, _, err = run(tmp_path / "missing.xlsx")
    assert not ok and "找不到文件" in err


def test_a_formula_cell_is_a_row_problem(tmp_path, world):
    ok, _, err = run(xlsx(tmp_path, [["=CONCAT(1,2)", "", "secretariat", None, None, None, None, None, None]]))
    assert not ok and "第 2 行（用户名）：单元格是公式" in err
    assert "请填写用户名" not in err  # the formula is the reason, said once
    assert not User.objects.filter(groups__name="secretariat").exists()
