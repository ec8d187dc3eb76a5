"""The roles of DESIGN.md: a user's group names are these values. Core, so every app reads one list."""
from django.db import models


class Role(models.TextChoices):
    """The groups of DESIGN.md; a user's group names are these values."""

    STREET_STAFF = "street_staff", "街工委工作人员"
    STREET_DIRECTOR = "street_director", "街工委主任"
    DEPUTY = "deputy", "代表"
    DELEGATION_HEAD = "delegation_head", "代表团团长"
    SECRETARIAT = "secretariat", "大会秘书处"
    PRESIDIUM_SECRETARY_GENERAL = "presidium_secretary_general", "大会主席团秘书长"
    SC_OFFICE = "sc_office", "常委会办公室"
    SC_LEADER = "sc_leader", "常委会主任/副主任"
    LIAISON_OFFICE = "liaison_office", "代表联络机构"
    HANDLING_UNIT = "handling_unit", "承办单位"
    SC_MEMBER = "sc_member", "常委会组成人员"
    ADMIN = "admin", "系统管理员"


# Roles that see every deputy of the district.
DISTRICT_ROLES = frozenset(
    {
        Role.SECRETARIAT,
        Role.PRESIDIUM_SECRETARY_GENERAL,
        Role.SC_OFFICE,
        Role.SC_LEADER,
        Role.LIAISON_OFFICE,
        Role.ADMIN,
    }
)
STREET_ROLES = frozenset({Role.STREET_STAFF, Role.STREET_DIRECTOR})
