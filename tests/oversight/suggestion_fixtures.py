"""A small district for the suggestion tests: two streets, three deputies, three units and a user of each role."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from deputies.choices import HandlingUnitKind
from oversight.suggestions import services
from tests import factories

D = dt.date
SESSION_START, SESSION_END = D(2024, 1, 10), D(2024, 1, 13)


@pytest.fixture
def sw(db):
    """sw.zhang (deputy of street A, user sw.zhang_user), sw.li (A), sw.wang (B); units sw.road, sw.court, sw.office_unit;
    users sw.office (liaison office), sw.staff_a / sw.staff_b (street staff), sw.road_user, sw.court_user (unit
    staff), sw.secretariat, sw.admin; sw.session (2024-01-10..13)."""
    term = factories.TermFactory()
    street_a = factories.StreetCommitteeFactory(name="东四", code="A01")
    street_b = factories.StreetCommitteeFactory(name="朝阳门", code="B01")
    zhang = factories.DeputyFactory(term=term, name="张东", street_committee=street_a)
    li = factories.DeputyFactory(term=term, name="李西", street_committee=street_a)
    wang = factories.DeputyFactory(term=term, name="王南", street_committee=street_b)
    road = factories.HandlingUnitFactory(name="区交通委", code="G01")
    court = factories.HandlingUnitFactory(name="区法院", code="C01", kind=HandlingUnitKind.COURT)
    office_unit = factories.HandlingUnitFactory(name="东四街道办事处", code="J01", kind=HandlingUnitKind.STREET_OFFICE)
    session = factories.CongressSessionFactory(term=term, number=3, start_date=SESSION_START, end_date=SESSION_END)
    mk = factories.make_user
    return SimpleNamespace(
        term=term, street_a=street_a, street_b=street_b, zhang=zhang, li=li, wang=wang,
        road=road, court=court, office_unit=office_unit, session=session,
        office=mk("liaison_office", username="office"),
        staff_a=mk("street_staff", username="staff_a", street_committee=street_a),
        staff_b=mk("street_staff", username="staff_b", street_committee=street_b),
        zhang_user=mk("deputy", username="zhang", deputy=zhang),
        li_user=mk("deputy", username="li", deputy=li),
        wang_user=mk("deputy", username="wang", deputy=wang),
        road_user=mk("handling_unit", username="road", handling_unit=road),
        court_user=mk("handling_unit", username="court", handling_unit=court),
        secretariat=mk("secretariat", username="secretariat"),
        admin=mk("admin", username="admin"),
    )


def submit(sw, *, by=None, deputy=None, title="关于增设公交站的建议", session="default", on=D(2024, 1, 11), **kwargs):
    """A suggestion submitted at the session (by the lead deputy's street staff unless `by` says otherwise)."""
    return services.suggestion_submit(
        user=by or sw.staff_a, lead_deputy=deputy or sw.zhang, title=title, content="建议在某路口增设公交站。",
        session=sw.session if session == "default" else session, submitted_on=on, **kwargs,
    )


def assign(sw, suggestion, *, unit=None, co_units=(), on=D(2024, 3, 7)):
    return services.suggestion_assign(user=sw.office, suggestion=suggestion, lead_unit=unit or sw.road,
                                      co_units=co_units, date=on)


def reply(sw, suggestion, *, by=None, on=D(2024, 6, 3), resolution="resolved", files=()):
    return services.suggestion_reply(user=by or sw.road_user, suggestion=suggestion, date=on, text="已增设公交站。",
                                     resolution=resolution, files=files)


def evaluate(sw, suggestion, satisfaction, *, by=None, on=D(2024, 6, 10)):
    return services.suggestion_evaluate(user=by or sw.zhang_user, suggestion=suggestion, satisfaction=satisfaction,
                                        comment="", date=on)
