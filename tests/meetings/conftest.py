"""A small district around a session that is still to come (leave is asked before a session) and
one that is over (its leave is backfilled), with one persona per role.

Streets 东四 (deputies 张东, 李四; delegation 东四代表团) and 朝阳门 (王朝; 朝阳门代表团). Street
roles work for 东四, the delegation head for 东四代表团, the deputy persona is 张东.
"""
import datetime as dt

import pytest
from django.test import Client
from django.utils import timezone

from dutyadmin.roles import Role
from meetings.choices import HalfDay, MeetingKind
from tests import factories


@pytest.fixture
def today() -> dt.date:
    return timezone.localdate()


@pytest.fixture
def district(db, today):
    term = factories.TermFactory(number=17, name="第十七届", start_date=today.replace(year=today.year - 3, month=1, day=1),
                                 end_date=today.replace(year=today.year + 2, month=12, day=31))
    dongsi = factories.StreetCommitteeFactory(name="东四", code="DS")
    chaoyang = factories.StreetCommitteeFactory(name="朝阳门", code="CY")
    del_ds = factories.DelegationFactory(term=term, name="东四代表团")
    del_cy = factories.DelegationFactory(term=term, name="朝阳门代表团")
    zhang = factories.DeputyFactory(term=term, name="张东", street_committee=dongsi, delegation=del_ds)
    li = factories.DeputyFactory(term=term, name="李四", street_committee=dongsi, delegation=del_ds)
    wang = factories.DeputyFactory(term=term, name="王朝", street_committee=chaoyang, delegation=del_cy)

    start = today + dt.timedelta(days=10)
    coming = factories.CongressSessionFactory(term=term, number=5, name="第十七届第五次会议", start_date=start,
                                              end_date=start + dt.timedelta(days=2))
    past_start = today - dt.timedelta(days=60)
    past = factories.CongressSessionFactory(term=term, number=4, name="第十七届第四次会议", start_date=past_start,
                                            end_date=past_start + dt.timedelta(days=2))

    def meetings_of(session):
        return {
            "preparatory": factories.MeetingFactory(session=session, kind=MeetingKind.PREPARATORY, title="预备会议",
                                                    date=session.start_date, half_day=HalfDay.AM),
            "plenary": factories.MeetingFactory(session=session, kind=MeetingKind.PLENARY, title="第一次全体会议",
                                                date=session.start_date, half_day=HalfDay.PM),
            "group": factories.MeetingFactory(session=session, kind=MeetingKind.DELEGATION,
                                              title="代表团会议:审议政府工作报告",
                                              date=session.start_date + dt.timedelta(days=1), half_day=HalfDay.AM),
        }

    return {
        "term": term, "dongsi": dongsi, "chaoyang": chaoyang, "del_ds": del_ds, "del_cy": del_cy,
        "zhang": zhang, "li": li, "wang": wang, "coming": coming, "past": past,
        "m": meetings_of(coming), "pm": meetings_of(past),
    }


@pytest.fixture
def people(district):
    """One user per role (plus `nobody`), in 东四's scope where the role has one; `other_*` for 朝阳门."""
    make = factories.make_user
    d = district
    return {
        Role.STREET_STAFF: make(Role.STREET_STAFF, username="staff", street_committee=d["dongsi"]),
        Role.STREET_DIRECTOR: make(Role.STREET_DIRECTOR, username="director", street_committee=d["dongsi"]),
        Role.DEPUTY: make(Role.DEPUTY, username="zhangdong", deputy=d["zhang"]),
        Role.DELEGATION_HEAD: make(Role.DELEGATION_HEAD, username="head", delegation=d["del_ds"]),
        Role.SECRETARIAT: make(Role.SECRETARIAT, username="secretariat"),
        Role.PRESIDIUM_SECRETARY_GENERAL: make(Role.PRESIDIUM_SECRETARY_GENERAL, username="secgen"),
        Role.SC_OFFICE: make(Role.SC_OFFICE, username="scoffice"),
        Role.SC_LEADER: make(Role.SC_LEADER, username="scleader"),
        Role.LIAISON_OFFICE: make(Role.LIAISON_OFFICE, username="liaison"),
        Role.ADMIN: make(Role.ADMIN, username="admin"),
        "nobody": make(None, username="nobody"),
        "other_staff": make(Role.STREET_STAFF, username="cy-staff", street_committee=d["chaoyang"]),
        "other_director": make(Role.STREET_DIRECTOR, username="cy-director", street_committee=d["chaoyang"]),
        "other_head": make(Role.DELEGATION_HEAD, username="cy-head", delegation=d["del_cy"]),
        "li": make(Role.DEPUTY, username="lisi", deputy=d["li"]),
    }


@pytest.fixture
def as_(people):
    """as_(role) → a test Client signed in as that persona."""

    def client_for(who) -> Client:
        client = Client()
        client.force_login(people[who])
        return client

    return client_for
