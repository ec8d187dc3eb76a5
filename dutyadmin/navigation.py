"""The main menu: one entry per page that exists, shown to the roles that can use it.

Later pages add a MenuItem here. Visibility is a convenience only: every view still checks the
user's scope and the write policy itself (DESIGN.md: scope is enforced, not only hidden in menus).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from dutyadmin import policy
from dutyadmin.roles import STREET_ROLES, Role
from dutyadmin.scope import Scope

# Role names for the header; the same words as deputies.choices.Role, marked for translation.
ROLE_LABELS: dict[str, str] = {
    Role.STREET_STAFF: _("街工委工作人员"),
    Role.STREET_DIRECTOR: _("街工委主任"),
    Role.DEPUTY: _("代表"),
    Role.DELEGATION_HEAD: _("代表团团长"),
    Role.SECRETARIAT: _("大会秘书处"),
    Role.PRESIDIUM_SECRETARY_GENERAL: _("大会主席团秘书长"),
    Role.SC_OFFICE: _("常委会办公室"),
    Role.SC_LEADER: _("常委会主任/副主任"),
    Role.LIAISON_OFFICE: _("代表联络机构"),
    Role.ADMIN: _("系统管理员"),
}


def sees_deputy_list(scope: Scope) -> bool:
    """Anyone who sees more deputies than themself: district roles, street staff, delegation heads."""
    return scope.is_district or bool(scope.roles & (STREET_ROLES | {Role.DELEGATION_HEAD}))


def is_own_deputy_only(scope: Scope) -> bool:
    """A deputy who sees nobody but themself goes straight to their own page."""
    return scope.deputy_id is not None and not sees_deputy_list(scope)


def may_enter_contributions(scope: Scope) -> bool:
    """Whom policy.can_edit_contribution allows for at least the deputies of their scope."""
    return scope.has(*policy.RECORD_EDITORS) or Role.STREET_STAFF in scope.roles


def may_enter_interventions(scope: Scope) -> bool:
    """Whom policy.can_edit_intervention allows for at least the deputies of their scope."""
    return scope.has(Role.LIAISON_OFFICE) or bool(scope.roles & policy.INTERVENTION_ROLES)


def sees_records(scope: Scope) -> bool:
    """Lists of contributions and interventions: anyone with deputies in view."""
    return sees_deputy_list(scope) or scope.deputy_id is not None


def may_register_activities(scope: Scope) -> bool:
    """Street staff (their street's activities) and the liaison office: create and import activities."""
    from activities.importing.rows import may_import

    return may_import(scope)


def may_self_register(scope: Scope) -> bool:
    """A deputy records the activities they took part in (个人登记)."""
    from activities.services import can_self_register

    return can_self_register(scope)


def may_review_self_registrations(scope: Scope) -> bool:
    from activities.services import may_review_self_registrations as allowed

    return allowed(scope)


def approves_leave(scope: Scope) -> bool:
    """Acts on some step of some leave route (an admin on any): sees 待我审批."""
    from meetings.selectors import STEP_ROLES  # meetings' views import this module

    return scope.is_admin or bool(scope.roles & STEP_ROLES)


def may_see_reviews(scope: Scope) -> bool:
    """The year-end review of handbooks (Art. 8(二)): district roles and street committee roles."""
    from oversight.review.access import sees_reviews

    return sees_reviews(scope)


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    visible: Callable[[Scope], bool]
    icon: str = "•"  # a short symbol drawn before the label
    # Other url names that mark this entry as the current one.
    section: str = ""


MENU: tuple[MenuItem, ...] = (
    MenuItem(_("首页"), "home", lambda scope: True, icon="⌂", section="home"),
    MenuItem(_("代表名册"), "deputies:list", sees_deputy_list, icon="☰", section="deputies"),
    MenuItem(_("我的履职"), "deputies:mine", is_own_deputy_only, icon="☺", section="deputies"),
    MenuItem(_("履职提示"), "oversight:finding_list", sees_deputy_list, icon="⚠", section="findings"),
    MenuItem(_("履职提示"), "oversight:mine", is_own_deputy_only, icon="⚠", section="findings"),
    MenuItem(_("数据检查"), "oversight:data_check_list", sees_deputy_list, icon="✓", section="data_checks"),
    MenuItem(_("闭会期间活动"), "activities:list", sees_records, icon="◷", section="activities"),
    MenuItem(_("个人登记"), "activities:self_list", may_self_register, icon="✐", section="self_registrations"),
    MenuItem(_("登记审核"), "activities:review_list", may_review_self_registrations, icon="☑", section="year_reviews"),
    MenuItem(_("表格导入"), "activities:import_list", may_register_activities, icon="⇪", section="imports"),
    MenuItem(_("大会会议"), "meetings:session_list", sees_deputy_list, icon="▦", section="sessions"),
    MenuItem(_("请假"), "meetings:leave_list", sees_records, icon="✉", section="leave"),
    MenuItem(_("待我审批"), "meetings:leave_inbox", approves_leave, icon="✍", section="leave_inbox"),
    MenuItem(_("审议意见和建议"), "meetings:contribution_list", sees_records, icon="✎", section="contributions"),
    MenuItem(_("意见建议待确认"), "meetings:contribution_review", may_enter_contributions, icon="✔",
             section="contribution_review"),
    MenuItem(_("履职处置"), "oversight:intervention_list", sees_records, icon="⚑", section="interventions"),
    MenuItem(_("履职手册"), "oversight:my_handbook", is_own_deputy_only, icon="❏", section="handbook"),
    MenuItem(_("年度审核"), "oversight:review_board", may_see_reviews, icon="✔", section="year_reviews"),
    MenuItem(_("Excel 导出"), "exports:index", sees_deputy_list, icon="⇩", section="exports"),
    MenuItem(_("我的消息"), "oversight:notification_inbox", lambda scope: scope.user_id is not None, icon="✉",
             section="notifications"),
    MenuItem(_("通知发送记录"), "oversight:notification_log", lambda scope: scope.has(Role.LIAISON_OFFICE) or bool(
        scope.street_committee_id and scope.roles & STREET_ROLES), icon="✆", section="notification_log"),
    MenuItem(_("系统管理"), "admin:index", lambda scope: scope.is_admin, icon="⚙", section="admin"),
)


@dataclass(frozen=True)
class MenuEntry:
    label: str
    url: str
    icon: str
    active: bool


def menu_for(scope: Scope, *, section: str = "") -> list[MenuEntry]:
    """The entries this scope may use, with the current section marked."""
    entries = []
    for item in MENU:
        if not item.visible(scope):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # a page not wired yet must not break every other page
            continue
        entries.append(MenuEntry(str(item.label), url, item.icon, bool(section) and item.section == section))
    return entries
