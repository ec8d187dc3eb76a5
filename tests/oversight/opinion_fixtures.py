"""A small district for the opinion tests: two streets, a station reception in street A, units and users."""
from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from activities.choices import ActivityKind, OrganizerLevel
from deputies.choices import HandlingUnitKind
from oversight.opinions import services
from tests import factories

D = dt.date
PHONE = "13812341234"


@pytest.fixture
def op(db):
    term = factories.TermFactory()
    street_a = factories.StreetCommitteeFactory(name="东四", code="A01")
    street_b = factories.StreetCommitteeFactory(name="朝阳门", code="B01")
    zhang = factories.DeputyFactory(term=term, name="张东", street_committee=street_a)
    li = factories.DeputyFactory(term=term, name="李西", street_committee=street_a)
    wang = factories.DeputyFactory(term=term, name="王南", street_committee=street_b)
    reception = factories.ActivityFactory(term=term, kind=ActivityKind.STATION_RECEPTION, title="东四联络站接待日",
                                          date=D(2025, 3, 3), organizer_level=OrganizerLevel.STREET_COMMITTEE,
                                          street_committee=street_a, location="东四代表之家")
    factories.ParticipationFactory(activity=reception, deputy=zhang)
    factories.ParticipationFactory(activity=reception, deputy=li)
    road = factories.HandlingUnitFactory(name="区交通委", code="G01")
    street_office = factories.HandlingUnitFactory(name="东四街道办事处", code="J01", kind=HandlingUnitKind.STREET_OFFICE)
    mk = factories.make_user
    return SimpleNamespace(
        term=term, street_a=street_a, street_b=street_b, zhang=zhang, li=li, wang=wang, reception=reception,
        road=road, street_office=street_office,
        office=mk("liaison_office", username="office"),
        staff_a=mk("street_staff", username="staff_a", street_committee=street_a),
        director_a=mk("street_director", username="director_a", street_committee=street_a),
        staff_b=mk("street_staff", username="staff_b", street_committee=street_b),
        zhang_user=mk("deputy", username="zhang", deputy=zhang),
        wang_user=mk("deputy", username="wang", deputy=wang),
        road_user=mk("handling_unit", username="road", handling_unit=road),
        so_user=mk("handling_unit", username="so", handling_unit=street_office),
        admin=mk("admin", username="admin"),
    )


def record(op, *, by=None, content="小区门口路灯坏了，晚上出行不便。", phone=PHONE, **kwargs):
    kwargs.setdefault("reception", op.reception)
    kwargs.setdefault("deputies", [op.zhang])
    return services.opinion_record(user=by or op.staff_a, content=content, citizen_name="赵大爷", citizen_phone=phone,
                                   **kwargs)


def forward(op, opinion, *, unit=None, on=D(2025, 3, 5), by=None):
    return services.opinion_forward(user=by or op.staff_a, opinion=opinion, unit=unit or op.road, date=on)


def reply(op, opinion, *, on=D(2025, 3, 20), by=None):
    return services.opinion_reply(user=by or op.road_user, opinion=opinion, date=on, text="已修复路灯。")


def close(op, opinion, *, on=D(2025, 3, 25), by=None):
    return services.opinion_close(user=by or op.staff_a, opinion=opinion, date=on, note="已电话告知。")
