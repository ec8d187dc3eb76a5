"""The absence bulletin (通报, Art. 3 last paragraph): by meeting, who was on approved leave, who
was absent without approval, and apart from both who was not recorded; scoped; printable page and
an .xlsx with Chinese headers, a title row and a frozen header."""
import datetime as dt
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from dutyadmin.roles import Role
from dutyadmin.models import ExportJob, ExportStatus
from meetings.choices import AttendanceStatus, LeaveRoute, LeaveStatus
from oversight.attendance.bulletin import session_bulletin
from tests import factories

from .helpers import leave_in_state

pytestmark = pytest.mark.django_db
A, P = AttendanceStatus.ABSENT, AttendanceStatus.PRESENT


@pytest.fixture
def held(district, people):
    """The past session: 张东 on approved plenary leave and absent; 李四 absent from the group meeting
    with only a pending request; 王朝 present at the plenary, absent with no request from the group
    meeting, never recorded at the preparatory meeting (nor is anyone)."""
    m = district["pm"]
    zhang, li, wang = district["zhang"], district["li"], district["wang"]
    factories.AttendanceFactory(meeting=m["plenary"], deputy=zhang, status=A)
    factories.AttendanceFactory(meeting=m["group"], deputy=zhang, status=P)
    factories.AttendanceFactory(meeting=m["plenary"], deputy=li, status=P)
    factories.AttendanceFactory(meeting=m["group"], deputy=li, status=A)
    factories.AttendanceFactory(meeting=m["plenary"], deputy=wang, status=P)
    factories.AttendanceFactory(meeting=m["group"], deputy=wang, status=A)
    admin = people[Role.ADMIN]
    leave_in_state(deputy=zhang, session=district["past"], status=LeaveStatus.APPROVED, meetings=[m["plenary"]],
                   admin=admin)
    leave_in_state(deputy=li, session=district["past"], status=LeaveStatus.PENDING,
                   route=LeaveRoute.DELEGATION_MEETING, meetings=[m["group"]], admin=admin)
    return district


def names(entries) -> list[str]:
    return [e.deputy.name for e in entries]


@pytest.fixture
def bulletin_xlsx(celery_in_process, django_capture_on_commit_callbacks):
    """bulletin_xlsx(client, session) → the bytes of the bulletin's spreadsheet, made as an export job from
    the page's 导出 button (the task runs in-process once the job is committed)."""

    def export(client, session) -> bytes:
        with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("exports:form", args=["absence_bulletin"]), {"session": session.pk})
        job = ExportJob.objects.filter(identifier="absence_bulletin").latest("pk")
        assert response.status_code == 302 and response["Location"] == reverse("exports:job", args=[job.pk])
        assert job.status == ExportStatus.DONE and job.progress == 100, job.error
        download = client.get(reverse("exports:download", args=[job.pk]))
        assert download.status_code == 200
        assert download["Content-Type"].startswith("application/vnd.openxmlformats-officedocument.spreadsheetml")
        assert "attachment" in download["Content-Disposition"] and ".xlsx" in download["Content-Disposition"]
        return b"".join(download.streaming_content)

    return export


def test_each_meeting_lists_leave_unexcused_absence_and_unrecorded_apart(held, people):
    bulletin = session_bulletin(user=people[Role.SECRETARIAT], session=held["past"])
    assert bulletin.ended
    by_title = {b.meeting.title: b for b in bulletin.meetings}
    prep, plenary, group = by_title["预备会议"], by_title["第一次全体会议"], by_title["代表团会议:审议政府工作报告"]

    assert (names(prep.on_leave), names(prep.unexcused)) == ([], [])
    assert names(prep.unrecorded) == ["张东", "李四", "王朝"]  # a missing roll call is not an absence

    assert names(plenary.on_leave) == ["张东"] and plenary.on_leave[0].leave.route == LeaveRoute.PLENARY
    assert names(plenary.unexcused) == [] and plenary.present == 2

    assert names(group.on_leave) == []
    assert names(group.unexcused) == ["李四", "王朝"]
    assert [e.note for e in group.unexcused] == ["请假申请审批中,未获批准", ""]

    assert [(d.deputy.name, [m.title for m in d.meetings], d.whole_session) for d in bulletin.by_deputy] == [
        ("李四", ["代表团会议:审议政府工作报告"], False),
        ("王朝", ["代表团会议:审议政府工作报告"], False),
    ]
    assert bulletin.totals == {"on_leave": 1, "unexcused": 2, "unrecorded": 3, "deputies": 2}


def test_leave_on_an_unrecorded_meeting_is_leave_not_a_gap(held, people):
    prep = held["pm"]["preparatory"]
    leave_in_state(deputy=held["wang"], session=held["past"], status=LeaveStatus.APPROVED, meetings=[prep],
                   admin=people[Role.ADMIN])
    block = session_bulletin(user=people[Role.SECRETARIAT], session=held["past"]).meetings[0]
    assert names(block.on_leave) == ["王朝"] and block.on_leave[0].note == "未登记出席情况"
    assert names(block.unrecorded) == ["张东", "李四"]


def test_approved_leave_with_a_present_mark_is_flagged_for_checking(held, people):
    group = held["pm"]["group"]
    leave_in_state(deputy=held["zhang"], session=held["past"], status=LeaveStatus.APPROVED,
                   route=LeaveRoute.DELEGATION_MEETING, meetings=[group], admin=people[Role.ADMIN])
    block = next(b for b in session_bulletin(user=people[Role.SECRETARIAT], session=held["past"]).meetings
                 if b.meeting == group)
    assert [(e.deputy.name, e.note) for e in block.on_leave] == [("张东", "已请假但记录为出席,请核对")]


def test_a_deputy_not_yet_in_service_is_not_unrecorded(held, people):
    factories.DeputyFactory(term=held["term"], name="补选代表", street_committee=held["dongsi"],
                            delegation=held["del_ds"], service_start=held["past"].end_date + dt.timedelta(days=1))
    bulletin = session_bulletin(user=people[Role.SECRETARIAT], session=held["past"])
    assert all("补选代表" not in names(b.unrecorded) for b in bulletin.meetings)


def test_street_roles_see_their_streets_part_only(held, people):
    for role in (Role.STREET_STAFF, Role.STREET_DIRECTOR):
        bulletin = session_bulletin(user=people[role], session=held["past"])
        everyone = {e.deputy.name for b in bulletin.meetings for e in b.on_leave + b.unexcused + b.unrecorded}
        assert everyone == {"张东", "李四"}
        assert [d.deputy.name for d in bulletin.by_deputy] == ["李四"]


@pytest.mark.parametrize(("role", "status"), [
    (Role.SECRETARIAT, 200), (Role.STREET_STAFF, 200), (Role.DELEGATION_HEAD, 200), (Role.SC_OFFICE, 200),
    (Role.LIAISON_OFFICE, 200), (Role.DEPUTY, 403), ("nobody", 403),
])
def test_who_may_read_the_bulletin(held, as_, role, status):
    client = as_(role)
    assert client.get(reverse("meetings:bulletin", args=[held["past"].pk])).status_code == status
    # The old .xlsx address opens the bulletin's export, filled in (the file is an export job now).
    xlsx = client.get(reverse("meetings:bulletin_xlsx", args=[held["past"].pk]))
    assert xlsx.status_code == (302 if status == 200 else status)
    export = client.post(reverse("exports:form", args=["absence_bulletin"]), {"session": held["past"].pk})
    assert export.status_code == (302 if status == 200 else status)


def test_the_old_xlsx_address_opens_the_export_form_for_the_session(held, as_):
    client = as_(Role.SECRETARIAT)
    response = client.get(reverse("meetings:bulletin_xlsx", args=[held["past"].pk]), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain[-1][0] == f"/exports/absence_bulletin/?session={held['past'].pk}"
    assert "缺席情况通报" in response.text


def test_the_page_is_printable_and_explains_itself(held, as_):
    response = as_(Role.SECRETARIAT).get(reverse("meetings:bulletin", args=[held["past"].pk]))
    html = response.text
    assert "第十七届第四次会议缺席情况通报" in html
    assert "未经批准不到会的,一律按缺席对待" in html
    assert "css/meetings.css" in html and "data-print" in html
    assert "未登记(不作缺席,请补登)" in html
    assert "请假申请审批中,未获批准" in html
    assert f"{held['past'].start_date.year}年{held['past'].start_date.month}月{held['past'].start_date.day}日" in html


def test_a_session_still_to_come_is_marked_as_a_snapshot(district, as_):
    html = as_(Role.SECRETARIAT).get(reverse("meetings:bulletin", args=[district["coming"].pk])).text
    assert "大会尚未结束" in html


def test_an_unknown_session_is_a_404(district, as_):
    assert as_(Role.SECRETARIAT).get("/meetings/sessions/424242/bulletin/").status_code == 404
    assert as_(Role.SECRETARIAT).get("/meetings/sessions/424242/bulletin.xlsx").status_code == 404


def test_the_page_exports_the_xlsx_as_an_export_job(held, as_):
    html = as_(Role.SECRETARIAT).get(reverse("meetings:bulletin", args=[held["past"].pk])).text
    assert f'action="{reverse("exports:form", args=["absence_bulletin"])}"' in html
    assert f'name="session" value="{held["past"].pk}"' in html


def test_the_xlsx_has_a_title_chinese_headers_a_frozen_header_and_the_rows(held, as_, bulletin_xlsx):
    workbook = load_workbook(io.BytesIO(bulletin_xlsx(as_(Role.SECRETARIAT), held["past"])))
    assert workbook.sheetnames == ["按会议", "按代表汇总"]
    sheet = workbook["按会议"]
    assert sheet["A1"].value.startswith("第十七届第四次会议缺席情况通报")
    assert [c.value for c in sheet[2]] == ["会议日期", "时段", "会议", "会议类型", "情况", "代表", "人大街工委", "代表团",
                                           "说明"]
    assert sheet.freeze_panes == "A3"
    rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=3)]
    assert [(r[2], r[4], r[5]) for r in rows] == [
        ("预备会议", "未登记(不作缺席)", "张东"),
        ("预备会议", "未登记(不作缺席)", "李四"),
        ("预备会议", "未登记(不作缺席)", "王朝"),
        ("第一次全体会议", "请假(已批准)", "张东"),
        ("代表团会议:审议政府工作报告", "未经批准缺席", "李四"),
        ("代表团会议:审议政府工作报告", "未经批准缺席", "王朝"),
    ]
    first = sheet["A3"]
    assert first.value.date() == held["pm"]["preparatory"].date and "年" in first.number_format
    assert rows[3][8] == "全体会议请假"
    assert rows[4][8] == "请假申请审批中,未获批准"
    summary = workbook["按代表汇总"]
    assert [c.value for c in summary[2]] == ["代表", "人大街工委", "代表团", "未经批准缺席次数", "缺席的会议", "整次大会未出席"]
    assert [[c.value for c in row][:4] for row in summary.iter_rows(min_row=3)] == [
        ["李四", "东四", "东四代表团", 1], ["王朝", "朝阳门", "朝阳门代表团", 1]]


def test_the_xlsx_of_street_staff_holds_their_street_only(held, as_, bulletin_xlsx):
    sheet = load_workbook(io.BytesIO(bulletin_xlsx(as_(Role.STREET_STAFF), held["past"])))["按会议"]
    assert {row[5].value for row in sheet.iter_rows(min_row=3)} == {"张东", "李四"}
