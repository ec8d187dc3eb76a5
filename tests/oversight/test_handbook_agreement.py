"""One reading of the regulation: the handbook (API, page, PDF), the deputy's page and the year figures say what
the classification (oversight.rules.classify) says, in varied worlds built at random in the database, and the
handbook's findings are the engine's."""
import datetime as dt
import io
import random
import re

import pytest
from django.test import Client
from django.utils import timezone
from pypdf import PdfReader

from activities.choices import ActivityKind, Outcome
from deputies.choices import DeputyStatus
from dutyadmin.roles import Role
from meetings.choices import AttendanceStatus, HalfDay, LeaveRoute, LeaveStatus, MeetingKind
from oversight.findings.selectors import classification_for, deputy_findings
from oversight.handbook.build import MARK_OF_STATUS, TALLIED, handbook_build, year_as_of, year_figures
from oversight.handbook.selectors import about_year
from oversight.profile import deputy_records_summary
from oversight.rules import classify as c
from tests import factories

pytestmark = pytest.mark.django_db

YEARS = (2024, 2025)
SESSIONS = ((dt.date(2024, 1, 8), dt.date(2024, 1, 11)), (dt.date(2025, 1, 6), dt.date(2025, 1, 9)))


def random_world(rng: random.Random, term) -> list:
    """Three deputies (one joins during the 2024 session, one resigns during the 2025 one), two sessions of
    meetings of random kinds with random records and leave of every route and status, activities of random
    kinds and outcomes around the service periods, and a few contributions and interventions."""
    street = factories.StreetCommitteeFactory(name=f"街道{rng.randrange(10**6)}")
    deputies = [
        factories.DeputyFactory(term=term, street_committee=street, name="甲代表"),
        factories.DeputyFactory(term=term, street_committee=street, name="乙代表", service_start=dt.date(2024, 1, 10)),
        factories.DeputyFactory(term=term, street_committee=street, name="丙代表", service_end=dt.date(2025, 1, 7),
                                status=DeputyStatus.RESIGNED),
    ]
    for number, (start, end) in enumerate(SESSIONS, start=1):
        session = factories.CongressSessionFactory(term=term, number=number, name=f"第{number}次会议",
                                                   start_date=start, end_date=end)
        meetings = [
            factories.MeetingFactory(session=session, kind=rng.choice(MeetingKind.values),
                                     date=start + dt.timedelta(days=rng.randrange(4)),
                                     half_day=rng.choice(HalfDay.values))
            for _ in range(rng.randint(3, 6))
        ]
        for deputy in deputies:
            for meeting in meetings:
                status = rng.choice([AttendanceStatus.PRESENT, AttendanceStatus.ABSENT, AttendanceStatus.ABSENT, None])
                if status is not None:
                    factories.AttendanceFactory(meeting=meeting, deputy=deputy, status=status)
            for _ in range(rng.choice((0, 1, 1, 2))):
                route = rng.choice(LeaveRoute.values)
                leave = factories.LeaveRequestFactory(deputy=deputy, session=session, route=route,
                                                      status=rng.choice([LeaveStatus.APPROVED] * 3 + LeaveStatus.values))
                if route != LeaveRoute.WHOLE_SESSION:
                    leave.meetings.set(rng.sample(meetings, rng.randint(1, len(meetings))))
    for _ in range(14):
        day = dt.date(2023, 12, 1) + dt.timedelta(days=rng.randrange(800))
        activity = factories.ActivityFactory(term=term, kind=rng.choice(ActivityKind.values), date=day)
        for deputy in rng.sample(deputies, rng.randint(1, 3)):
            factories.ParticipationFactory(activity=activity, deputy=deputy, confirmed=rng.random() < 0.6,
                                           outcome=rng.choice(Outcome.values))
    for deputy in deputies:
        if rng.random() < 0.5:
            factories.ContributionFactory(deputy=deputy, kind="review_opinion", date=dt.date(2024, 1, 10))
        if rng.random() < 0.5:
            factories.InterventionFactory(deputy=deputy, rule="absence_notice", kind="notice", date=dt.date(2025, 2, 1))
    return deputies


def text_of_pdf(content: bytes) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def squeeze(text: str) -> str:
    return re.sub(r"\s+", "", text)


def page_marks(html: str) -> list[str]:
    """The mark of every meeting row of the handbook page's section 二, in order."""
    section = html.split('id="hb-sessions"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<td class="nowrap"><span class="badge[^"]*">([^<]+)</span></td></tr>', section)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_handbook_and_the_deputy_page_read_the_classification(seed, term, make_user):
    rng = random.Random(seed)
    deputies = random_world(rng, term)
    client = Client()
    client.force_login(make_user(Role.LIAISON_OFFICE))
    today = timezone.localdate()
    seen: set[str] = set()  # the statuses and reasons met, to be sure the world was varied
    for deputy in deputies:
        for year in YEARS:
            as_of = year_as_of(year, today)
            reading = classification_for(term=deputy.term, as_of=as_of, deputies=[deputy.pk]).deputies[deputy.pk]
            hb = handbook_build(deputy=deputy, year=year, today=today)
            where = f"seed {seed}, {deputy.name}, {year}"

            # The API: every meeting's status, excused and leave, every participation's rule and reason.
            body = client.get(f"/api/v1/deputies/{deputy.pk}/handbook/", {"year": year}).json()
            meetings = [m for s in body["sessions"] for m in s["meetings"]]
            seen.update(m["status"] for m in meetings)
            seen.update(a["reason"] for rows in body["activities"].values() for a in rows)
            for m in meetings:
                mark = reading.meetings[m["id"]]
                assert (m["status"], m["excused"], m["leave"]) == (
                    mark.status, mark.status == c.EXCUSED, mark.leave_id), where
                recorded = mark.recorded
                assert m["attendance"] == (None if recorded is None else "present" if recorded else "absent"), where
            for s in body["sessions"]:
                assert s["non_attendance"] == reading.sessions[s["id"]].non_attendance, where
            assert {s["id"] for s in body["sessions"]} == {
                sid for sid, mark in reading.sessions.items() if mark.session.start.year <= year <= mark.session.end.year
            }, where
            for rows in body["activities"].values():
                for a in rows:
                    mark = reading.participations[a["activity"]]
                    assert (a["counts_for"], a["reason"]) == (mark.rule, mark.reason), where

            # The page: each meeting's word is the classification's status.
            html = client.get(f"/oversight/deputies/{deputy.pk}/handbook/", {"year": year}).content.decode()
            assert page_marks(html) == [MARK_OF_STATUS[reading.meetings[m["id"]].status] for m in meetings], where

            # The PDF: each session's tally, counted from the classification.
            pdf = squeeze(text_of_pdf(client.get(f"/oversight/deputies/{deputy.pk}/handbook.pdf", {"year": year}).content))
            for s in body["sessions"]:
                words = [MARK_OF_STATUS[reading.meetings[m["id"]].status] for m in s["meetings"]]
                tally = "、".join(f"{w}{words.count(w)}" for w in dict.fromkeys(
                    ["出席", "请假", "缺席", "未记录", "未任职"]) if words.count(w))
                assert squeeze(tally) in pdf, where
            for line in (row for section in hb.activity_sections for g in section.groups for row in g.rows):
                if line.counts_note:
                    assert squeeze(line.counts_note) in pdf, where

            # The findings are the engine's, in the API as in the model.
            first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
            engine = [f for f in deputy_findings(deputy=deputy, as_of=as_of) if about_year(f, first, last)]
            assert list(hb.findings) == engine, where
            assert [(f["rule"], f["status"], f["count"], f["required"], f["period_start"]) for f in body["findings"]] == [
                (f.rule, f.status, f.count, f.required, f.period_start.isoformat()) for f in engine], where

            # The year figures (review snapshot, year summary) are the handbook's.
            _as_of, figures = year_figures(term=term, year=year, today=today, deputies=[deputy.pk])
            assert figures[deputy.pk] == hb.figures, where
            known = [m for m in reading.meetings.values() if first <= m.meeting.date <= min(last, as_of)]
            assert hb.figures.meetings == {status: sum(1 for m in known if m.status == status) for status in TALLIED}

        # The deputy's page: attendance counts as the classification reads the whole term.
        reading = classification_for(term=deputy.term, as_of=today, deputies=[deputy.pk]).deputies[deputy.pk]
        counts = dict(deputy_records_summary(user=make_user(Role.LIAISON_OFFICE), deputy=deputy,
                                             as_of=today)["attendance"].counts)
        statuses = [m.status for m in reading.meetings.values()]
        assert counts == {"出席": statuses.count(c.PRESENT), "缺席(已请假)": statuses.count(c.EXCUSED),
                          "缺席(未经批准)": statuses.count(c.UNEXCUSED)}, f"seed {seed}, {deputy.name}"
        page = client.get(f"/deputies/{deputy.pk}/")
        assert dict(page.context["summary"]["attendance"].counts) == counts
    assert {c.PRESENT, c.EXCUSED, c.UNEXCUSED, c.NOT_RECORDED, c.COUNTS, c.NOT_ATTENDED} <= seen, seen


def test_an_unrecorded_meeting_under_approved_leave_is_excused_in_the_api_as_on_the_page(term, make_user):
    """The bug of issue 10: the API said excused: false while the page showed 请假."""
    deputy = factories.DeputyFactory(term=term)
    session = factories.CongressSessionFactory(term=term, start_date=dt.date(2024, 1, 8), end_date=dt.date(2024, 1, 11))
    meeting = factories.MeetingFactory(session=session, date=dt.date(2024, 1, 9))
    leave = factories.LeaveRequestFactory(deputy=deputy, session=session, route=LeaveRoute.PLENARY,
                                          status=LeaveStatus.APPROVED)
    leave.meetings.set([meeting])
    client = Client()
    client.force_login(make_user(Role.LIAISON_OFFICE))
    (m,) = client.get(f"/api/v1/deputies/{deputy.pk}/handbook/", {"year": 2024}).json()["sessions"][0]["meetings"]
    assert (m["attendance"], m["excused"], m["status"], m["leave"]) == (None, True, "excused", leave.pk)
    html = client.get(f"/oversight/deputies/{deputy.pk}/handbook/", {"year": 2024}).content.decode()
    assert page_marks(html) == ["请假"]
    counts = dict(client.get(f"/deputies/{deputy.pk}/").context["summary"]["attendance"].counts)
    assert counts["缺席(已请假)"] == 1
