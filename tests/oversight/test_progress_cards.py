"""A deputy's progress page as a phone shows it: the current year first and earlier years folded, bars only for
threshold rules (done against required), absences and days as numbers in their status colour, untriggered
action rules in one card, and the invitations still to answer."""
import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from activities.choices import Outcome
from dutyadmin.roles import Role
from tests import factories

from .records import D, attend, session_with_meetings

pytestmark = pytest.mark.django_db


def deputy_page(deputy, as_of: str) -> str:
    return f"{reverse('oversight:deputy_findings', args=[deputy.pk])}?as_of={as_of}"


def section_html(html: str, rule: str) -> str:
    """The HTML of one rule's card (up to the next card)."""
    start = html.index(f'id="rule-{rule}"')
    end = html.find("<section", start)
    return html[start:end if end != -1 else len(html)]


@pytest.fixture
def absences(world):
    """张东 missed every meeting of a 2024 session (7 half days)."""
    session, meetings = session_with_meetings(world["term"], D(2024, 3, 4), D(2024, 3, 6), number=7)
    attend(world["zhang"], meetings, "absent")
    attend(world["li"], meetings, "present")
    return session


def test_absences_are_a_coloured_number_not_a_full_bar(login, world, absences):
    response = login(Role.STREET_STAFF).get(deputy_page(world["zhang"], "2024-06-01"))
    html = response.text
    notice = section_html(html, "absence_notice")
    assert "<progress" not in notice
    meetings = len(absences.meetings.all())
    assert re.search(rf'未经批准缺席会议 <b class="num tone-bad">{meetings}</b> 场', notice)
    assert "缺席 1 场即通报" in notice
    talk = section_html(html, "session_absence_talk")
    assert "<progress" not in talk and "达到 1 次即约谈" in talk
    assert "<progress" in section_html(html, "closed_session_activities")  # threshold rules keep their bar


def test_the_findings_list_draws_bars_for_threshold_rules_only(login, world, absences):
    response = login(Role.STREET_STAFF).get(reverse("oversight:finding_list"), {"as_of": "2024-06-01"})
    rows = response.context["rows"]
    action_rows = [r for r in rows if r["finding"].action != "none"]
    assert action_rows and all(r["measure"] for r in action_rows)
    assert all(not r["measure"] for r in rows if r["finding"].action == "none")
    assert response.text.count("<progress") == len(rows) - len(action_rows)


def test_the_current_year_comes_first_and_earlier_years_are_folded(login, world, absences):
    response = login(Role.STREET_STAFF).get(deputy_page(world["zhang"], "2025-06-01"))
    sections = {s.id: s for s in response.context["sections"]}
    yearly = sections["closed_session_activities"]
    assert [v.finding.period_start.year for v in yearly.current] == [2025]
    assert [v.finding.period_start.year for v in yearly.earlier] == [2024, 2023, 2022]
    card = section_html(response.text, "closed_session_activities")
    assert card.index("2025年1月1日") < card.index('<details class="earlier">') < card.index("2024年1月1日")
    # An absence of 2024 still waiting for its notice is not folded away.
    assert [v.finding.status for v in sections["absence_notice"].current] == ["action_required"]


def test_untriggered_action_rules_share_one_card(login, world, absences):
    response = login(Role.STREET_STAFF).get(deputy_page(world["li"], "2024-06-01"))
    quiet = [s.id for s in response.context["quiet_sections"]]
    assert "absence_notice" in quiet and "activity_absence_notice" in quiet
    html = response.text
    card = html[html.index('id="quiet-rules"'):]
    assert 'id="rule-absence_notice"' in card and "目前未触发的处置规则" in html
    assert len(response.context["sections"]) == 15  # every rule is still explained


def test_the_deputy_sees_invitations_to_answer_on_their_progress_page(login, world):
    activity = factories.ActivityFactory(term=world["term"], date=timezone.localdate() + dt.timedelta(days=2))
    factories.ParticipationFactory(activity=activity, deputy=world["zhang"], confirmed=False, outcome=Outcome.PENDING)
    page = login(Role.DEPUTY).get(reverse("oversight:deputy_findings", args=[world["zhang"].pk]))
    assert page.context["invitations"]["unanswered"] == 1
    card = page.text[page.text.index('id="invitations"'):]
    assert "待答复" in card and reverse("activities:my_invitations") in card
    staff = login(Role.STREET_STAFF).get(reverse("oversight:deputy_findings", args=[world["zhang"].pk]))
    assert 'id="invitations"' in staff.text and reverse("activities:my_invitations") not in staff.text


def test_evidence_names_the_kind_only_where_the_rule_counts_several(login, world):
    for kind, title, day in (("inspection", "视察老旧小区", 10), ("special_research", "调研垃圾分类", 11),
                             ("lecture", "法治政府建设", 12)):
        activity = factories.ActivityFactory(term=world["term"], kind=kind, date=D(2024, 5, day), title=title)
        factories.ParticipationFactory(activity=activity, deputy=world["zhang"])
    html = login(Role.DEPUTY).get(deputy_page(world["zhang"], "2024-06-01")).text
    a41 = section_html(html, "closed_session_activities")  # 专题调研, 集中视察, …: the kind tells them apart
    assert '<span class="kind">集中视察:</span>视察老旧小区' in a41 and '<span class="kind">专题调研:</span>' in a41
    lectures = section_html(html, "lectures")  # only 代表大讲堂 counts: the title alone
    assert "法治政府建设" in lectures and "代表大讲堂:法治政府建设" not in lectures
