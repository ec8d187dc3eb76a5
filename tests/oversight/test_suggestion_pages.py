"""The suggestion pages: one suggestion's page with its step forms (shown by predicate, posted to their own views),
我的建议 and submitting. Bad input and a wrong state re-render the page with the message (400), another scope is a
404, a role the step is not for a 403; never a 500."""
from __future__ import annotations

import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from meetings.models import Contribution
from oversight.models import Suggestion, SuggestionEvent
from oversight.rules import clocks

from .suggestion_fixtures import D, assign, evaluate, reply, submit

pytestmark = pytest.mark.django_db

TODAY = D(2024, 6, 20)  # a day the calendar knows, after the fixtures' reply (2024-06-3) and before its feedback due
PDF = b"%PDF-1.4 reply letter"


@pytest.fixture(autouse=True)
def today(monkeypatch):
    """The district's today is TODAY for the services, the clocks' callers and the pages alike."""
    real = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, tz=None: TODAY if value is None else real(value, tz))
    return TODAY


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def detail(s) -> str:
    return reverse("suggestions:detail", args=[s.pk])


def step_url(s, name: str) -> str:
    return reverse(f"suggestions:{name}", args=[s.pk])


def text(response) -> str:
    """The page's text without tags, whitespace squeezed (what a reader sees)."""
    html = response.content.decode()
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", html, flags=re.S)
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def forms_on(response) -> set[str]:
    """Which step forms the page offers (their anchors)."""
    html = response.content.decode()
    return {name for name in ("assign", "extend", "reply", "evaluate", "close", "withdraw")
            if f'id="{name}"' in html and 'class="step-form"' in html}


# --- the detail page: who sees it, what it says ----------------------------------------------------------


def test_the_detail_page_shows_the_suggestion_its_units_clocks_and_steps(sw):
    s = assign(sw, submit(sw, cosigners=[sw.li]), co_units=[sw.court])
    response = client_of(sw.zhang_user).get(detail(s))
    assert response.status_code == 200
    page = text(response)
    assert "关于增设公交站的建议" in page and "建议在某路口增设公交站。" in page
    assert "张东" in page and "李西" in page  # lead deputy and cosigner
    assert sw.session.full_name in page
    assert "区交通委" in page and "区法院" in page
    assert "交办日期 2024年3月7日" in page
    due = clocks.suggestion_due(D(2024, 3, 7))
    assert f"答复期限 {due.year}年{due.month}月{due.day}日" in page
    assert f"逾期{(TODAY - due).days}天" in page  # due 2024-06-07, no reply on 2024-06-20
    assert "已交办，办理中" in page
    # The timeline: who, what, before → after.
    assert "提交" in page and "交办" in page and "已提交，待交办 → 已交办，办理中" in page
    assert "主办：区交通委；协办：区法院" in page


def test_a_closed_period_suggestion_says_so(sw):
    s = submit(sw, session=None)
    assert "闭会期间" in text(client_of(sw.zhang_user).get(detail(s)))


def test_days_left_are_counted_by_the_clocks(sw):
    s = assign(sw, submit(sw), on=D(2024, 5, 6))
    due = clocks.suggestion_due(D(2024, 5, 6))
    assert f"还剩{clocks.days_left(due, TODAY)}天" in text(client_of(sw.road_user).get(detail(s)))


def test_each_role_sees_only_the_steps_it_may_take(sw):
    submitted = submit(sw)
    assert forms_on(client_of(sw.office).get(detail(submitted))) == {"assign", "withdraw"}
    assert forms_on(client_of(sw.zhang_user).get(detail(submitted))) == {"withdraw"}
    assert forms_on(client_of(sw.staff_a).get(detail(submitted))) == set()

    assigned = assign(sw, submit(sw, title="第二条"), co_units=[sw.court])
    assert forms_on(client_of(sw.office).get(detail(assigned))) == {"extend", "reply", "withdraw"}
    assert forms_on(client_of(sw.road_user).get(detail(assigned))) == {"reply"}
    assert forms_on(client_of(sw.court_user).get(detail(assigned))) == set()  # a co-unit does not reply

    replied = reply(sw, assign(sw, submit(sw, title="第三条", cosigners=[sw.li])))
    assert forms_on(client_of(sw.zhang_user).get(detail(replied))) == {"evaluate"}
    assert forms_on(client_of(sw.li_user).get(detail(replied))) == set()  # a cosigner does not evaluate
    assert forms_on(client_of(sw.office).get(detail(replied))) == set()  # feedback not yet due: no closing


def test_other_scopes_get_a_404(sw):
    s = assign(sw, submit(sw))
    assert client_of(sw.wang_user).get(detail(s)).status_code == 404  # another deputy
    assert client_of(sw.staff_b).get(detail(s)).status_code == 404  # another street
    assert client_of(sw.court_user).get(detail(s)).status_code == 404  # a unit it was not given to
    unassigned = submit(sw, title="未交办")
    assert client_of(sw.road_user).get(detail(unassigned)).status_code == 404
    assert client_of(sw.wang_user).post(step_url(s, "withdraw"), {"withdraw-confirm": "on"}).status_code == 404
    assert Suggestion.objects.get(pk=s.pk).status == "assigned"


def test_the_detail_page_reads_in_a_fixed_number_of_queries(sw, django_assert_max_num_queries):
    s = assign(sw, submit(sw, cosigners=[sw.li]), co_units=[sw.court])
    s = reply(sw, s, files=[SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf")])
    client = client_of(sw.zhang_user)
    with django_assert_max_num_queries(12):
        assert client.get(detail(s)).status_code == 200
    # More replies' files and steps do not add queries.
    s = evaluate(sw, s, "dissatisfied", on=D(2024, 6, 12))
    s = reply(sw, s, on=D(2024, 6, 19), files=[SimpleUploadedFile(f"照片{i}.pdf", PDF) for i in range(3)])
    with django_assert_max_num_queries(12):
        assert client.get(detail(s)).status_code == 200


# --- the steps, posted -----------------------------------------------------------------------------------


def test_the_office_assigns_on_the_detail_page(sw):
    s = submit(sw)
    office = client_of(sw.office)
    response = office.post(step_url(s, "assign"), {
        "assign-lead_unit": sw.road.pk, "assign-co_units": [sw.court.pk], "assign-date": "2024-06-03"})
    assert response.status_code == 302 and response["Location"] == detail(s)
    s.refresh_from_db()
    assert (s.status, s.lead_unit, s.assigned_on, s.due_date) == (
        "assigned", sw.road, D(2024, 6, 3), clocks.suggestion_due(D(2024, 6, 3)))
    assert list(s.co_units.all()) == [sw.court]
    due = s.due_date
    assert f"已交办区交通委主办，答复期限为{due.year}年{due.month}月{due.day}日。" in text(office.get(detail(s)))


def test_assigning_without_a_unit_or_with_a_future_date_says_so_next_to_the_field(sw):
    s = submit(sw)
    office = client_of(sw.office)
    response = office.post(step_url(s, "assign"), {"assign-date": "2024-06-03"})
    assert response.status_code == 400
    assert re.search(r'id="id_assign-lead_unit".*?errorlist', response.content.decode(), re.S)
    response = office.post(step_url(s, "assign"), {"assign-lead_unit": sw.road.pk, "assign-date": "2024-07-01"})
    assert response.status_code == 400
    assert "晚于今天，不能登记将来的日期。" in text(response)
    response = office.post(step_url(s, "assign"), {"assign-lead_unit": sw.road.pk, "assign-co_units": [sw.road.pk],
                                                   "assign-date": "2024-06-03"})
    assert response.status_code == 400 and "主办单位不能同时是协办单位。" in text(response)
    response = office.post(step_url(s, "assign"), {"assign-lead_unit": "abc", "assign-date": "not a date"})
    assert response.status_code == 400
    assert Suggestion.objects.get(pk=s.pk).status == "submitted"


def test_a_step_in_the_wrong_state_is_a_message_not_a_500(sw):
    s = assign(sw, submit(sw))
    response = client_of(sw.office).post(step_url(s, "assign"), {
        "assign-lead_unit": sw.court.pk, "assign-date": "2024-06-03"})
    assert response.status_code == 400
    assert "这条建议当前为“已交办，办理中”，不能交办。" in text(response)
    assert Suggestion.objects.get(pk=s.pk).lead_unit == sw.road
    # The deputy evaluates before any reply.
    response = client_of(sw.zhang_user).post(step_url(s, "evaluate"), {"evaluate-satisfaction": "satisfied"})
    assert response.status_code == 400 and "不能评价" in text(response)


def test_extending_needs_a_reason_and_happens_once(sw):
    s = assign(sw, submit(sw))
    office = client_of(sw.office)
    response = office.post(step_url(s, "extend"), {"extend-reason": "  "})
    assert response.status_code == 400
    assert re.search(r'id="id_extend-reason".*?请填写延期理由', response.content.decode(), re.S)
    assert office.post(step_url(s, "extend"), {"extend-reason": "涉及多个部门"}).status_code == 302
    s.refresh_from_db()
    assert s.extended and s.due_date == clocks.suggestion_due(D(2024, 3, 7), extended=True)
    page = text(office.get(detail(s)))
    assert "已延期" in page and "延期理由：涉及多个部门" in page
    assert "extend" not in forms_on(office.get(detail(s)))
    response = office.post(step_url(s, "extend"), {"extend-reason": "再延一次"})
    assert response.status_code == 400 and "已经延期过一次" in text(response)


def test_the_unit_replies_with_files_the_deputy_downloads_and_others_cannot(sw):
    s = assign(sw, submit(sw))
    response = client_of(sw.road_user).post(step_url(s, "reply"), {
        "reply-date": "2024-06-18", "reply-text": "已在路口增设公交站。", "reply-resolution": "resolved",
        "reply-files": [SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf")],
    })
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.status == "replied" and s.feedback_due == clocks.feedback_due(D(2024, 6, 18))
    attachment = s.replies.get().attachments.get()
    page = text(client_of(sw.zhang_user).get(detail(s)))
    assert "已在路口增设公交站。" in page and "办理结果：已解决" in page and "答复函.pdf" in page
    due = s.feedback_due
    assert f"请在{due.year}年{due.month}月{due.day}日前评价" in page
    url = reverse("suggestions:attachment", args=[s.pk, attachment.pk])
    download = client_of(sw.zhang_user).get(url)
    assert download.status_code == 200 and b"".join(download.streaming_content) == PDF
    assert client_of(sw.wang_user).get(url).status_code == 404
    assert client_of(sw.court_user).get(url).status_code == 404
    other = submit(sw, title="另一条")  # the attachment under another suggestion's address
    assert client_of(sw.zhang_user).get(reverse("suggestions:attachment", args=[other.pk, attachment.pk])).status_code == 404


def test_a_bad_reply_changes_nothing(sw):
    s = assign(sw, submit(sw))
    unit = client_of(sw.road_user)
    response = unit.post(step_url(s, "reply"), {"reply-date": "2024-06-18", "reply-text": "",
                                                 "reply-resolution": "resolved"})
    assert response.status_code == 400 and "请填写答复内容。" in text(response)
    response = unit.post(step_url(s, "reply"), {
        "reply-date": "2024-06-18", "reply-text": "答复", "reply-resolution": "resolved",
        "reply-files": [SimpleUploadedFile("病毒.exe", b"MZ....")]})
    assert response.status_code == 400 and "只能上传" in text(response)
    response = unit.post(step_url(s, "reply"), {"reply-date": "2024-06-18", "reply-text": "答复",
                                                 "reply-resolution": "solved"})
    assert response.status_code == 400
    assert Suggestion.objects.get(pk=s.pk).status == "assigned" and not s.replies.exists()
    assert client_of(sw.court_user).post(step_url(s, "reply"), {}).status_code == 404  # not its suggestion


def test_a_co_unit_posting_a_reply_is_refused(sw):
    s = assign(sw, submit(sw), co_units=[sw.court])
    response = client_of(sw.court_user).post(step_url(s, "reply"), {
        "reply-date": "2024-06-18", "reply-text": "答复", "reply-resolution": "resolved"})
    assert response.status_code == 403
    assert Suggestion.objects.get(pk=s.pk).status == "assigned"


def test_dissatisfied_reopens_and_the_page_shows_the_rehandling_due(sw):
    s = reply(sw, assign(sw, submit(sw)))
    response = client_of(sw.zhang_user).post(step_url(s, "evaluate"), {
        "evaluate-satisfaction": "dissatisfied", "evaluate-comment": "公交站位置不合理"})
    assert response.status_code == 302
    s.refresh_from_db()
    assert s.status == "rehandling" and s.rehandling_due == clocks.rehandling_due(TODAY)
    page = text(client_of(sw.zhang_user).get(detail(s)))
    due = s.rehandling_due
    assert "重新办理" in page and f"{due.year}年{due.month}月{due.day}日前再次答复" in page
    assert "公交站位置不合理" in page
    assert forms_on(client_of(sw.road_user).get(detail(s))) == {"reply"}


def test_evaluating_needs_a_choice_and_only_the_lead_deputy_may(sw):
    s = reply(sw, assign(sw, submit(sw, cosigners=[sw.li])))
    response = client_of(sw.zhang_user).post(step_url(s, "evaluate"), {"evaluate-comment": "嗯"})
    assert response.status_code == 400
    assert re.search(r"我的评价.*?请选择满意、基本满意或不满意。", response.content.decode(), re.S)
    assert client_of(sw.li_user).post(step_url(s, "evaluate"), {"evaluate-satisfaction": "satisfied"}).status_code == 403
    assert Suggestion.objects.get(pk=s.pk).status == "replied"
    assert client_of(sw.zhang_user).post(step_url(s, "evaluate"), {"evaluate-satisfaction": "satisfied"}).status_code == 302
    assert Suggestion.objects.get(pk=s.pk).status == "closed"


def test_the_office_closes_only_after_the_feedback_deadline(sw):
    early = reply(sw, assign(sw, submit(sw)))  # replied 2024-06-03, feedback due after TODAY
    response = client_of(sw.office).post(step_url(early, "close"), {"close-date": "2024-06-20"})
    assert response.status_code == 400 and "期限届满前不能以未反馈为由办结" in text(response)
    late = reply(sw, assign(sw, submit(sw, title="早已答复"), on=D(2024, 3, 7)), on=D(2024, 4, 1))
    page = client_of(sw.office).get(detail(late))
    assert "代表未反馈" in text(page) and "close" in forms_on(page)
    response = client_of(sw.office).post(step_url(late, "close"), {"close-date": "2024-06-20", "close-note": "电话联系未果"})
    assert response.status_code == 302
    late.refresh_from_db()
    assert late.status == "closed" and late.closed_on == TODAY
    assert client_of(sw.zhang_user).post(step_url(late, "close"), {"close-date": "2024-06-20"}).status_code == 403


def test_withdrawing_needs_the_confirmation(sw):
    s = submit(sw)
    deputy = client_of(sw.zhang_user)
    response = deputy.post(step_url(s, "withdraw"), {})
    assert response.status_code == 400 and "请勾选确认后再撤回。" in text(response)
    assert deputy.post(step_url(s, "withdraw"), {"withdraw-confirm": "on"}).status_code == 302
    s.refresh_from_db()
    assert s.status == "withdrawn" and s.contribution is None
    assert SuggestionEvent.objects.filter(suggestion=s, action="withdraw").count() == 1


def test_a_get_on_a_step_is_not_allowed(sw):
    s = submit(sw)
    assert client_of(sw.office).get(step_url(s, "assign")).status_code == 405


# --- 我的建议 -----------------------------------------------------------------------------------------------


def test_my_suggestions_lists_led_and_cosigned_with_what_to_do_next(sw):
    led = reply(sw, assign(sw, submit(sw, title="我领衔的建议")), on=D(2024, 6, 18))
    cosigned = assign(sw, submit(sw, by=sw.staff_b, deputy=sw.wang, title="王南领衔的建议", cosigners=[sw.zhang]),
                      unit=sw.court)
    submit(sw, by=sw.staff_b, deputy=sw.wang, title="与我无关的建议")
    response = client_of(sw.zhang_user).get(reverse("suggestions:mine"))
    assert response.status_code == 200
    page = text(response)
    assert "我领衔的建议" in page and "王南领衔的建议" in page and "与我无关的建议" not in page
    due = led.feedback_due
    assert f"请在{due.year}年{due.month}月{due.day}日前评价" in page
    assert "附议（王南领衔）" in page and "区法院" in page
    cdue = cosigned.due_date
    assert f"应在{cdue.year}年{cdue.month}月{cdue.day}日前答复" in page
    assert "有 1 条答复等待我评价" in page
    assert reverse("suggestions:detail", args=[led.pk]) + "#evaluate" in response.content.decode()


def test_my_suggestions_reads_in_a_fixed_number_of_queries(sw, django_assert_max_num_queries):
    client = client_of(sw.zhang_user)
    for i in range(2):
        assign(sw, submit(sw, title=f"建议{i}", cosigners=[sw.li]), co_units=[sw.court])
    with django_assert_max_num_queries(10) as few:
        client.get(reverse("suggestions:mine"))
    for i in range(8):
        reply(sw, assign(sw, submit(sw, title=f"更多{i}", cosigners=[sw.li, sw.wang]), co_units=[sw.court]))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert "更多7" in text(client.get(reverse("suggestions:mine")))


def test_my_suggestions_is_a_deputys_page(sw):
    assert client_of(sw.office).get(reverse("suggestions:mine")).status_code == 403
    assert client_of(sw.road_user).get(reverse("suggestions:mine")).status_code == 403


# --- submitting ------------------------------------------------------------------------------------------


def test_a_deputy_submits_their_own_suggestion(sw):
    deputy = client_of(sw.zhang_user)
    form = deputy.get(reverse("suggestions:submit"))
    assert form.status_code == 200
    html = form.content.decode()
    assert 'type="hidden" name="lead_deputy"' in html and "以张东代表的名义" in text(form)
    assert f'value="{sw.zhang.pk}"' not in re.search(r'<select name="cosigners".*?</select>', html, re.S).group(0)
    response = deputy.post(reverse("suggestions:submit"), {
        "lead_deputy": sw.zhang.pk, "title": "关于老旧小区加装电梯的建议", "content": "建议加快加装电梯。",
        "session": "", "cosigners": [sw.li.pk, sw.wang.pk], "submitted_on": "2024-06-20",
    })
    s = Suggestion.objects.get(title="关于老旧小区加装电梯的建议")
    assert response.status_code == 302 and response["Location"] == detail(s)
    assert (s.lead_deputy, s.session, s.submitted_on, s.status) == (sw.zhang, None, TODAY, "submitted")
    assert set(s.cosigners.all()) == {sw.li, sw.wang}
    assert s.contribution is not None and not s.contribution.confirmed  # a deputy's own waits for staff


def test_a_deputy_cannot_submit_in_another_deputys_name(sw):
    response = client_of(sw.zhang_user).post(reverse("suggestions:submit"), {
        "lead_deputy": sw.wang.pk, "title": "冒名", "content": "内容", "submitted_on": "2024-06-20"})
    assert response.status_code == 400
    assert not Suggestion.objects.filter(title="冒名").exists()


def test_a_bad_submission_says_what_is_missing_next_to_the_field(sw):
    response = client_of(sw.zhang_user).post(reverse("suggestions:submit"), {
        "lead_deputy": sw.zhang.pk, "title": "", "content": "内容", "cosigners": ["x"], "submitted_on": "2024-06-20"})
    assert response.status_code == 400
    html = response.content.decode()
    assert re.search(r'id="id_title".*?errorlist', html, re.S)
    assert not Suggestion.objects.exists()


def test_staff_enter_a_paper_form_for_a_deputy_of_their_street(sw):
    staff = client_of(sw.staff_a)
    form = staff.get(reverse("suggestions:submit"))
    html = form.content.decode()
    assert "data-deputy-select" in html
    lead = re.search(r'<select name="lead_deputy".*?</select>', html, re.S).group(0)
    assert "张东" in lead and "王南" not in lead  # only their street's deputies lead
    response = staff.post(reverse("suggestions:submit"), {
        "lead_deputy": sw.zhang.pk, "title": "纸质建议", "content": "内容", "session": sw.session.pk,
        "cosigners": [sw.wang.pk], "submitted_on": "2024-01-11"})
    s = Suggestion.objects.get(title="纸质建议")
    assert response.status_code == 302
    assert (s.session, s.submitted_on, list(s.cosigners.all())) == (sw.session, D(2024, 1, 11), [sw.wang])
    assert Contribution.objects.get(pk=s.contribution_id).confirmed  # staff's entry counts at once
    response = staff.post(reverse("suggestions:submit"), {
        "lead_deputy": sw.wang.pk, "title": "别的街道", "content": "内容", "submitted_on": "2024-01-11"})
    assert response.status_code == 400 and not Suggestion.objects.filter(title="别的街道").exists()
    response = staff.post(reverse("suggestions:submit"), {
        "lead_deputy": sw.zhang.pk, "title": "未来", "content": "内容", "submitted_on": "2024-12-01"})
    assert response.status_code == 400 and "不能登记将来的日期" in text(response)


def test_roles_without_the_predicate_cannot_submit(sw):
    assert client_of(sw.road_user).get(reverse("suggestions:submit")).status_code == 403
    assert client_of(sw.court_user).post(reverse("suggestions:submit"), {
        "lead_deputy": sw.zhang.pk, "title": "单位代交", "content": "内容", "submitted_on": "2024-06-20"}).status_code == 403
    assert not Suggestion.objects.exists()


def test_pages_ask_for_a_login(sw):
    s = submit(sw)
    for url in (detail(s), reverse("suggestions:mine"), reverse("suggestions:submit")):
        assert Client().get(url).status_code == 302
