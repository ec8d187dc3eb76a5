"""The suggestion's steps: each transition, its refusals (state, role, unit), its history and its clocks."""
from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile

from oversight.models import Suggestion, SuggestionEvent, SuggestionReply
from oversight.rules import clocks
from oversight.suggestions import services

from .suggestion_fixtures import D, assign, evaluate, reply, submit

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4 reply letter"


def statuses(suggestion):
    return list(suggestion.events.order_by("at", "id").values_list("action", "before_status", "after_status"))


# --- submit ----------------------------------------------------------------------------------------


def test_a_deputy_submits_their_own_and_it_is_their_pending_suggestion_contribution(sw):
    suggestion = submit(sw, by=sw.zhang_user, cosigners=[sw.li, sw.wang])
    assert suggestion.status == "submitted"
    assert suggestion.created_by == sw.zhang_user and suggestion.term == sw.term
    assert set(suggestion.cosigners.all()) == {sw.li, sw.wang}
    contribution = suggestion.contribution
    assert (contribution.deputy, contribution.kind, contribution.session, contribution.date, contribution.title) == (
        sw.zhang, "suggestion", sw.session, D(2024, 1, 11), "关于增设公交站的建议")
    assert contribution.confirmed is False  # a deputy's own entry waits for staff, as any contribution does
    assert statuses(suggestion) == [("submit", "", "submitted")]


def test_staff_entering_a_paper_form_record_a_confirmed_contribution(sw):
    suggestion = submit(sw, by=sw.staff_a)
    assert suggestion.contribution.confirmed is True
    assert suggestion.history.latest().history_user == sw.staff_a


def test_a_closed_period_suggestion_is_a_closed_period_contribution(sw):
    suggestion = submit(sw, session=None, on=D(2024, 5, 6))
    assert suggestion.contribution.session is None and suggestion.contribution.date == D(2024, 5, 6)


@pytest.mark.parametrize("who", ["li_user", "staff_b", "road_user"])
def test_nobody_else_submits_for_a_deputy(sw, who):
    with pytest.raises(PermissionDenied):
        submit(sw, by=getattr(sw, who))
    assert not Suggestion.objects.exists()


def test_a_submission_without_title_or_with_the_lead_as_cosigner_is_refused_and_saves_nothing(sw):
    with pytest.raises(ValidationError) as exc:
        submit(sw, title=" ", cosigners=[sw.zhang])
    assert set(exc.value.message_dict) == {"title", "cosigners"}
    assert not Suggestion.objects.exists() and not sw.zhang.contributions.exists()


def test_correcting_a_submitted_suggestion_keeps_its_contribution_in_step(sw):
    suggestion = submit(sw, by=sw.staff_a)
    suggestion = services.suggestion_update(user=sw.staff_a, suggestion=suggestion, data={
        "title": "关于增设两个公交站的建议", "submitted_on": D(2024, 1, 12), "session": None})
    contribution = suggestion.contribution
    contribution.refresh_from_db()
    assert (contribution.title, contribution.date, contribution.session, contribution.confirmed) == (
        "关于增设两个公交站的建议", D(2024, 1, 12), None, True)
    assert statuses(suggestion)[-1] == ("edit", "submitted", "submitted")
    with pytest.raises(PermissionDenied):
        services.suggestion_update(user=sw.staff_b, suggestion=suggestion, data={"title": "别人改"})
    assign(sw, suggestion)
    with pytest.raises(ValidationError):
        services.suggestion_update(user=sw.staff_a, suggestion=suggestion, data={"title": "交办后改"})


# --- assign ------------------------------------------------------------------------------------------


def test_the_office_assigns_and_the_due_date_is_the_clocks_three_months_stored(sw):
    suggestion = assign(sw, submit(sw), co_units=[sw.court], on=D(2024, 3, 7))
    suggestion.refresh_from_db()
    assert suggestion.status == "assigned"
    assert (suggestion.lead_unit, list(suggestion.co_units.all())) == (sw.road, [sw.court])
    assert suggestion.assigned_on == D(2024, 3, 7)
    assert suggestion.due_date == clocks.suggestion_due(D(2024, 3, 7)) == D(2024, 6, 7)
    event = suggestion.events.get(action="assign")
    assert (event.actor, event.before_status, event.after_status, event.date) == (
        sw.office, "submitted", "assigned", D(2024, 3, 7))
    assert "区交通委" in event.note and "区法院" in event.note


def test_assigning_on_the_31st_ends_on_the_months_last_day(sw):
    suggestion = assign(sw, submit(sw), on=D(2024, 1, 31))
    assert suggestion.due_date == D(2024, 4, 30)


@pytest.mark.parametrize("who", ["staff_a", "zhang_user", "road_user", "secretariat"])
def test_only_the_liaison_office_assigns(sw, who):
    suggestion = submit(sw)
    with pytest.raises(PermissionDenied):
        services.suggestion_assign(user=getattr(sw, who), suggestion=suggestion, lead_unit=sw.road, date=D(2024, 3, 7))
    suggestion.refresh_from_db()
    assert suggestion.status == "submitted" and suggestion.due_date is None


def test_an_assigned_suggestion_cannot_be_assigned_again(sw):
    suggestion = assign(sw, submit(sw))
    with pytest.raises(ValidationError) as exc:
        assign(sw, suggestion, unit=sw.court)
    assert "不能交办" in exc.value.message_dict["status"][0]
    suggestion.refresh_from_db()
    assert suggestion.lead_unit == sw.road


def test_the_lead_unit_cannot_also_be_a_co_unit_and_a_date_before_submission_is_refused(sw):
    suggestion = submit(sw)
    with pytest.raises(ValidationError) as exc:
        assign(sw, suggestion, co_units=[sw.road])
    assert "co_units" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        assign(sw, suggestion, on=D(2024, 1, 5))
    assert "date" in exc.value.message_dict
    suggestion.refresh_from_db()
    assert suggestion.status == "submitted" and not suggestion.events.filter(action="assign").exists()


def test_a_due_date_in_a_year_the_calendar_does_not_know_is_an_error_the_office_sees(sw, monkeypatch):
    package = clocks.PACKAGE_CALENDAR  # as if the package knew only 2004–2024 and nothing were entered
    monkeypatch.setattr(clocks, "PACKAGE_CALENDAR", clocks.Calendar(package.holidays, package.workdays, tuple(range(2004, 2025))))
    suggestion = submit(sw)
    with pytest.raises(ValidationError) as exc:
        assign(sw, suggestion, on=D(2024, 11, 1))  # due in 2025
    assert "2025" in exc.value.message_dict["date"][0]
    suggestion.refresh_from_db()
    assert suggestion.status == "submitted"


def test_bulk_assignment_is_all_or_none_and_names_the_bad_line(sw):
    first, second = submit(sw), submit(sw, title="关于垃圾分类的建议")
    assign(sw, second)
    lines = [services.SuggestionAssignment(first, sw.road), services.SuggestionAssignment(second, sw.court)]
    with pytest.raises(ValidationError) as exc:
        services.suggestion_assign_bulk(user=sw.office, assignments=lines, date=D(2024, 3, 8))
    [error] = exc.value.error_dict["records"]
    assert error.params == {"index": 1, "field": "status"} and "第2条" in error.message
    first.refresh_from_db()
    assert first.status == "submitted"
    third = submit(sw, title="关于停车的建议")
    done = services.suggestion_assign_bulk(
        user=sw.office, date=D(2024, 3, 8),
        assignments=[services.SuggestionAssignment(first, sw.road), services.SuggestionAssignment(third, sw.court,
                                                                                                  (sw.road,))])
    assert [s.status for s in done] == ["assigned", "assigned"]
    assert [s.due_date for s in done] == [clocks.suggestion_due(D(2024, 3, 8))] * 2


# --- extend -----------------------------------------------------------------------------------------


def test_an_extension_makes_the_due_date_six_months_from_assignment_once(sw):
    suggestion = services.suggestion_extend(user=sw.office, suggestion=assign(sw, submit(sw)), reason="涉及面广")
    assert suggestion.extended and suggestion.extension_reason == "涉及面广"
    assert suggestion.due_date == clocks.suggestion_due(D(2024, 3, 7), extended=True) == D(2024, 9, 9)
    with pytest.raises(ValidationError) as exc:
        services.suggestion_extend(user=sw.office, suggestion=suggestion, reason="再延")
    assert "已经延期" in exc.value.message_dict["status"][0]
    assert statuses(suggestion)[-1] == ("extend", "assigned", "assigned")


def test_an_extension_needs_a_reason_the_office_and_an_assigned_suggestion(sw):
    suggestion = submit(sw)
    with pytest.raises(ValidationError):
        services.suggestion_extend(user=sw.office, suggestion=suggestion, reason="理由")  # not assigned yet
    assign(sw, suggestion)
    with pytest.raises(ValidationError):
        services.suggestion_extend(user=sw.office, suggestion=suggestion, reason="  ")
    with pytest.raises(PermissionDenied):
        services.suggestion_extend(user=sw.road_user, suggestion=suggestion, reason="难度大")
    suggestion.refresh_from_db()
    assert not suggestion.extended and suggestion.due_date == D(2024, 6, 7)


# --- reply ------------------------------------------------------------------------------------------


def test_the_lead_unit_replies_with_a_file_and_the_feedback_clock_starts(sw):
    letter = SimpleUploadedFile("答复函.pdf", PDF, content_type="application/pdf")
    suggestion = reply(sw, assign(sw, submit(sw)), files=[letter])
    assert suggestion.status == "replied"
    assert (suggestion.replied_on, suggestion.first_replied_on, suggestion.resolution) == (
        D(2024, 6, 3), D(2024, 6, 3), "resolved")
    assert suggestion.feedback_due == clocks.feedback_due(D(2024, 6, 3)) == D(2024, 6, 25)
    assert suggestion.replied_on_time is True
    [answer] = suggestion.replies.all()
    assert (answer.unit, answer.rehandling, answer.replied_by) == (sw.road, False, sw.road_user)
    [attachment] = answer.attachments.all()
    assert (attachment.name, attachment.file_type, attachment.size) == ("答复函.pdf", "pdf", len(PDF))
    assert attachment.file.read() == PDF
    assert statuses(suggestion)[-1] == ("reply", "assigned", "replied")


def test_the_liaison_office_may_register_the_reply_on_the_units_behalf(sw):
    suggestion = reply(sw, assign(sw, submit(sw)), by=sw.office)
    assert suggestion.replies.get().replied_by == sw.office and suggestion.replies.get().unit == sw.road


@pytest.mark.parametrize("who", ["court_user", "zhang_user", "staff_a"])
def test_a_co_unit_another_unit_or_the_deputy_cannot_reply(sw, who):
    suggestion = assign(sw, submit(sw), co_units=[sw.court])
    with pytest.raises(PermissionDenied):
        reply(sw, suggestion, by=getattr(sw, who))
    suggestion.refresh_from_db()
    assert suggestion.status == "assigned" and not SuggestionReply.objects.exists()


def test_a_reply_before_assignment_or_twice_is_refused(sw):
    suggestion = submit(sw)
    with pytest.raises(ValidationError):
        reply(sw, suggestion, by=sw.office)
    reply(sw, assign(sw, suggestion))
    with pytest.raises(ValidationError) as exc:
        reply(sw, suggestion)
    assert "不能答复" in exc.value.message_dict["status"][0]
    assert SuggestionReply.objects.count() == 1


def test_a_renamed_file_or_a_bad_resolution_is_refused_and_saves_no_reply(sw):
    suggestion = assign(sw, submit(sw))
    fake = SimpleUploadedFile("答复函.pdf", b"MZ not a pdf", content_type="application/pdf")
    with pytest.raises(ValidationError) as exc:
        reply(sw, suggestion, files=[fake])
    assert "files" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        reply(sw, suggestion, resolution="ignored")
    assert "resolution" in exc.value.message_dict
    suggestion.refresh_from_db()
    assert suggestion.status == "assigned" and not SuggestionReply.objects.exists()


def test_a_late_reply_is_saved_and_reads_not_on_time(sw):
    suggestion = reply(sw, assign(sw, submit(sw)), on=D(2024, 6, 11))
    assert suggestion.replied_on_time is False


# --- evaluate and rehandle ------------------------------------------------------------------------------


@pytest.mark.parametrize("satisfaction", ["satisfied", "basically_satisfied"])
def test_a_satisfied_evaluation_closes_it(sw, satisfaction):
    suggestion = evaluate(sw, reply(sw, assign(sw, submit(sw))), satisfaction)
    assert (suggestion.status, suggestion.satisfaction, suggestion.evaluated_on, suggestion.closed_on) == (
        "closed", satisfaction, D(2024, 6, 10), D(2024, 6, 10))
    assert suggestion.replies.get().satisfaction == satisfaction
    assert statuses(suggestion)[-1] == ("evaluate", "replied", "closed")


def test_dissatisfied_reopens_it_then_the_rehandling_reply_and_its_evaluation_close_it_whatever_it_says(sw):
    suggestion = evaluate(sw, reply(sw, assign(sw, submit(sw)), resolution="explained"), "dissatisfied",
                          on=D(2024, 6, 20))
    assert suggestion.status == "rehandling"
    assert suggestion.rehandling_due == clocks.rehandling_due(D(2024, 6, 20)) == D(2024, 8, 20)
    assert suggestion.reply_due == D(2024, 8, 20)
    suggestion = reply(sw, suggestion, on=D(2024, 8, 1), resolution="in_progress")
    assert (suggestion.status, suggestion.replied_on, suggestion.first_replied_on, suggestion.satisfaction) == (
        "replied", D(2024, 8, 1), D(2024, 6, 3), None)
    assert suggestion.feedback_due == clocks.feedback_due(D(2024, 8, 1))
    suggestion = evaluate(sw, suggestion, "dissatisfied", on=D(2024, 8, 5))
    assert suggestion.status == "closed" and suggestion.satisfaction == "dissatisfied"
    first, second = suggestion.replies.order_by("rehandling")
    assert (first.rehandling, first.resolution, first.satisfaction) == (False, "explained", "dissatisfied")
    assert (second.rehandling, second.resolution, second.satisfaction) == (True, "in_progress", "dissatisfied")
    assert [after for _, _, after in statuses(suggestion)] == [
        "submitted", "assigned", "replied", "rehandling", "replied", "closed"]


@pytest.mark.parametrize("who", ["li_user", "office", "staff_a", "road_user"])
def test_only_the_lead_deputy_evaluates(sw, who):
    suggestion = reply(sw, assign(sw, submit(sw, cosigners=[sw.li])))
    with pytest.raises(PermissionDenied):
        evaluate(sw, suggestion, "satisfied", by=getattr(sw, who))
    suggestion.refresh_from_db()
    assert suggestion.status == "replied" and suggestion.satisfaction is None


def test_evaluating_before_a_reply_is_refused(sw):
    suggestion = assign(sw, submit(sw))
    with pytest.raises(ValidationError) as exc:
        evaluate(sw, suggestion, "satisfied")
    assert "不能评价" in exc.value.message_dict["status"][0]


# --- close ------------------------------------------------------------------------------------------------


def test_the_office_closes_a_reply_left_without_feedback_only_after_its_deadline(sw):
    suggestion = reply(sw, assign(sw, submit(sw)))  # feedback due 2024-06-25
    with pytest.raises(ValidationError) as exc:
        services.suggestion_close(user=sw.office, suggestion=suggestion, date=D(2024, 6, 25), note="")
    assert "2024年6月25日" in exc.value.message_dict["date"][0]
    suggestion = services.suggestion_close(user=sw.office, suggestion=suggestion, date=D(2024, 6, 26), note="电话联系未果")
    assert (suggestion.status, suggestion.closed_on, suggestion.close_note, suggestion.satisfaction) == (
        "closed", D(2024, 6, 26), "电话联系未果", None)
    assert statuses(suggestion)[-1] == ("close", "replied", "closed")


def test_closing_is_the_offices_and_only_of_a_replied_suggestion(sw):
    suggestion = assign(sw, submit(sw))
    with pytest.raises(ValidationError):
        services.suggestion_close(user=sw.office, suggestion=suggestion, date=D(2024, 10, 1))
    reply(sw, suggestion)
    with pytest.raises(PermissionDenied):
        services.suggestion_close(user=sw.road_user, suggestion=suggestion, date=D(2024, 7, 1))


# --- withdraw -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("who", ["zhang_user", "office"])
def test_withdrawing_before_a_reply_removes_its_contribution(sw, who):
    suggestion = assign(sw, submit(sw))
    contribution_id = suggestion.contribution_id
    suggestion = services.suggestion_withdraw(user=getattr(sw, who), suggestion=suggestion)
    assert suggestion.status == "withdrawn" and suggestion.contribution is None
    assert not sw.zhang.contributions.filter(pk=contribution_id).exists()
    assert statuses(suggestion)[-1] == ("withdraw", "assigned", "withdrawn")


def test_a_replied_suggestion_cannot_be_withdrawn_and_others_cannot_withdraw(sw):
    suggestion = assign(sw, submit(sw, cosigners=[sw.li]))
    for who in (sw.li_user, sw.road_user, sw.staff_a):
        with pytest.raises(PermissionDenied):
            services.suggestion_withdraw(user=who, suggestion=suggestion)
    reply(sw, suggestion)
    with pytest.raises(ValidationError) as exc:
        services.suggestion_withdraw(user=sw.zhang_user, suggestion=suggestion)
    assert "不能撤回" in exc.value.message_dict["status"][0]
    suggestion.refresh_from_db()
    assert suggestion.status == "replied" and suggestion.contribution is not None


# --- the state machine and history ---------------------------------------------------------------------------


def test_the_status_cannot_be_set_by_hand(sw):
    suggestion = submit(sw)
    with pytest.raises(AttributeError):
        suggestion.status = "closed"


def test_every_step_is_in_the_suggestions_history_with_who_did_it(sw):
    suggestion = evaluate(sw, reply(sw, assign(sw, submit(sw, by=sw.zhang_user))), "satisfied")
    history = list(suggestion.history.order_by("history_date", "history_id").values_list("status", "history_user"))
    assert history == [
        ("submitted", sw.zhang_user.pk), ("assigned", sw.office.pk), ("replied", sw.road_user.pk),
        ("closed", sw.zhang_user.pk),
    ]
    assert SuggestionEvent.objects.filter(suggestion=suggestion).count() == 4
