"""Personas and a small district for the browser-page tests.

Two street committees, 东四 and 朝阳门. Deputies 张东 and 李四 sit in 东四 (delegation 东四代表团),
王朝 in 朝阳门 (delegation 朝阳门代表团). Each role has one persona; street roles work for 东四,
the delegation head for 东四代表团, the deputy persona is 张东.
"""
import datetime as dt

import pytest
from django.test import Client

from dutyadmin.roles import Role
from tests import factories


@pytest.fixture
def world(db):
    term = factories.TermFactory(number=17, name="第十七届")
    dongsi = factories.StreetCommitteeFactory(name="东四", code="DS")
    chaoyang = factories.StreetCommitteeFactory(name="朝阳门", code="CY")
    del_ds = factories.DelegationFactory(term=term, name="东四代表团")
    del_cy = factories.DelegationFactory(term=term, name="朝阳门代表团")
    zhang = factories.DeputyFactory(
        term=term, name="张东", street_committee=dongsi, delegation=del_ds, unit="东城区第一中学", constituency="第3选区"
    )
    li = factories.DeputyFactory(
        term=term, name="李四", gender="M", street_committee=dongsi, delegation=del_ds, unit="协和医院",
        constituency="第5选区",
    )
    wang = factories.DeputyFactory(
        term=term, name="王朝", street_committee=chaoyang, delegation=del_cy, unit="王府井百货", constituency="第9选区"
    )
    session = factories.CongressSessionFactory(
        term=term, number=3, name="第十七届第三次会议", start_date=dt.date(2024, 1, 10), end_date=dt.date(2024, 1, 13)
    )
    unit = factories.HandlingUnitFactory(name="区交通委", code="JTW")
    return {
        "term": term, "dongsi": dongsi, "chaoyang": chaoyang, "del_ds": del_ds, "del_cy": del_cy,
        "zhang": zhang, "li": li, "wang": wang, "session": session, "unit": unit,
    }


@pytest.fixture
def personas(world):
    """One user per role (plus `nobody`, a user with no role), in 东四's scope where a role has one (the handling
    unit's: 区交通委)."""
    make = factories.make_user
    users = {
        Role.STREET_STAFF: make(Role.STREET_STAFF, username="staff", street_committee=world["dongsi"]),
        Role.STREET_DIRECTOR: make(Role.STREET_DIRECTOR, username="director", street_committee=world["dongsi"]),
        Role.DEPUTY: make(Role.DEPUTY, username="zhangdong", deputy=world["zhang"]),
        Role.DELEGATION_HEAD: make(Role.DELEGATION_HEAD, username="head", delegation=world["del_ds"]),
        Role.SECRETARIAT: make(Role.SECRETARIAT, username="secretariat"),
        Role.PRESIDIUM_SECRETARY_GENERAL: make(Role.PRESIDIUM_SECRETARY_GENERAL, username="secgen"),
        Role.SC_OFFICE: make(Role.SC_OFFICE, username="scoffice"),
        Role.SC_LEADER: make(Role.SC_LEADER, username="scleader"),
        Role.LIAISON_OFFICE: make(Role.LIAISON_OFFICE, username="liaison"),
        Role.HANDLING_UNIT: make(Role.HANDLING_UNIT, username="unit", handling_unit=world["unit"]),
        Role.SC_MEMBER: make(Role.SC_MEMBER, username="scmember"),
        Role.ADMIN: make(Role.ADMIN, username="admin"),
        "nobody": make(None, username="nobody"),
    }
    staff = users[Role.STREET_STAFF]
    staff.last_name, staff.first_name = "陈", "静"
    staff.save()
    return users


@pytest.fixture
def login(personas):
    """login(role) → a test Client signed in as that role's persona."""

    def client_for(role: str) -> Client:
        client = Client()
        client.force_login(personas[role])
        return client

    return client_for
