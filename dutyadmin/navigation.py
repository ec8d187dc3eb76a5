"""The main menu: one entry per page that exists, shown to the roles that can use it.

Later pages add a MenuItem here, naming the act of dutyadmin.permissions that shows it. Visibility
is a convenience only: every view asks the same permission itself (DESIGN.md: scope is enforced,
not only hidden in menus).
"""
from __future__ import annotations

from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext_lazy as _

from dutyadmin.roles import Role
from dutyadmin.scope import Scope
from dutyadmin.permissions import allows

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
    Role.HANDLING_UNIT: _("承办单位"),
    Role.SC_MEMBER: _("常委会组成人员"),
    Role.ADMIN: _("系统管理员"),
}


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    act: str  # the permission (dutyadmin.permissions) that shows the entry; empty: everyone
    icon: str = "•"  # a short symbol drawn before the label
    # Other url names that mark this entry as the current one.
    section: str = ""


MENU: tuple[MenuItem, ...] = (
    MenuItem(_("首页"), "home", "", icon="⌂", section="home"),
    MenuItem(_("代表名册"), "deputies:list", "see_deputy_list", icon="☰", section="deputies"),
    MenuItem(_("履职提示"), "oversight:finding_list", "see_deputy_list", icon="⚠", section="findings"),
    # A deputy's menu names their own things (their progress, activities, invitations, handbook …).
    MenuItem(_("我的履职评估"), "oversight:mine", "see_own_records_only", icon="⚠", section="findings"),
    MenuItem(_("我的活动"), "activities:mine", "see_own_activities", icon="◷", section="my_activities"),
    MenuItem(_("我的邀请"), "activities:my_invitations", "see_own_activities", icon="✆", section="my_invitations"),
    MenuItem(_("履职手册"), "oversight:my_handbook", "see_own_records_only", icon="❏", section="handbook"),
    MenuItem(_("数据检查"), "oversight:data_check_list", "see_deputy_list", icon="✓", section="data_checks"),
    MenuItem(_("闭会期间活动"), "activities:list", "see_deputy_list", icon="◷", section="activities"),
    MenuItem(_("个人登记"), "activities:self_list", "self_register", icon="✐", section="self_registrations"),
    MenuItem(_("登记审核"), "activities:review_list", "review_self_registration", icon="☑", section="reviews"),
    MenuItem(_("表格导入"), "activities:import_list", "import_spreadsheet", icon="⇪", section="imports"),
    MenuItem(_("大会会议"), "meetings:session_list", "see_deputy_list", icon="▦", section="sessions"),
    MenuItem(_("请假"), "meetings:leave_list", "see_records", icon="✉", section="leave"),
    MenuItem(_("待我审批"), "meetings:leave_inbox", "decide_leave_step", icon="✍", section="leave_inbox"),
    MenuItem(_("审议意见和建议"), "meetings:contribution_list", "see_deputy_list", icon="✎", section="contributions"),
    MenuItem(_("我的审议意见和建议"), "meetings:contribution_list", "see_own_records_only", icon="✎",
             section="contributions"),
    MenuItem(_("意见建议待确认"), "meetings:contribution_review", "enter_contribution", icon="✔",
             section="contribution_review"),
    # Deputies' suggestions (issue 13): the deputy's own, the liaison office's work, the handling unit's.
    MenuItem(_("我的建议"), "suggestions:mine", "see_own_records_only", icon="✎", section="suggestions_mine"),
    MenuItem(_("提出建议"), "suggestions:submit", "submit_suggestion", icon="✚", section="suggestion_submit"),
    MenuItem(_("代表建议"), "suggestions:list", "see_deputy_list", icon="✉", section="suggestions"),
    MenuItem(_("承办单位"), "suggestions:units", "manage_handling_units", icon="⌂", section="suggestion_units"),
    MenuItem(_("待办建议"), "suggestions:unit_list", "see_unit_suggestions", icon="☑", section="unit_suggestions"),
    MenuItem(_("办理统计"), "suggestions:statistics", "see_suggestion_statistics", icon="▥",
             section="suggestion_statistics"),
    # --- opinions: constituents' opinions (issue 14)
    MenuItem(_("群众意见"), "opinions:list", "see_opinions", icon="☏", section="opinions"),
    MenuItem(_("群众意见统计"), "opinions:statistics", "see_opinion_statistics", icon="▥", section="opinion_statistics"),
    MenuItem(_("履职处置"), "oversight:intervention_list", "see_records", icon="⚑", section="interventions"),
    MenuItem(_("年度审核"), "oversight:review_board", "see_reviews", icon="✔", section="year_reviews"),
    MenuItem(_("履职阈值"), "oversight:thresholds", "manage_thresholds", icon="⚖", section="thresholds"),
    MenuItem(_("Excel 导出"), "exports:index", "export", icon="⇩", section="exports"),
    MenuItem(_("我的消息"), "oversight:notification_inbox", "read_notifications", icon="✉",
             section="notifications"),
    MenuItem(_("通知发送记录"), "oversight:notification_log", "see_sent_notifications", icon="✆",
             section="notification_log"),
    MenuItem(_("我的代表信息"), "deputies:mine", "see_own_records_only", icon="☺", section="deputies"),
    # branch holidays: 法定节假日安排 (the clocks' calendar years)
    MenuItem(_("法定节假日安排"), "oversight:holidays", "manage_holidays", icon="☼", section="holidays"),
    MenuItem(_("系统管理"), "admin:index", "administer", icon="⚙", section="admin"),
    # --- contacts: A10.5 standing-committee members' contacts with their deputies
    MenuItem(_("我联系的代表"), "contacts:mine", "see_own_contacts", icon="☎", section="contacts_mine"),
    MenuItem(_("联系代表分配"), "contacts:assignments", "manage_contact_assignments", icon="☎",
             section="contact_assignments"),
    # --- receptions: A10.6 主任会议成员接待代表
    MenuItem(_("主任会议接待代表"), "receptions:year", "see_receptions", icon="◎", section="receptions"),
    # --- gaps14a: the public duty pages' settings (代表法第五十八条)
    MenuItem(_("履职公示设置"), "public_manage:settings", "manage_public_pages", icon="◎", section="public_settings"),
    # --- calendar: a deputy's private calendar feed
    MenuItem(_("我的日历订阅"), "calendar:page", "subscribe_calendar", icon="▦", section="calendar"),
    # --- auth15: accounts and addresses locked after failed logins
    MenuItem(_("登录锁定"), "lockouts", "unlock_logins", icon="⚿", section="lockouts"),
    # --- audit15: the audit log (administrator)
    MenuItem(_("审计日志"), "audit:list", "see_audit_log", icon="⌕", section="audit"),
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
        if item.act and not allows(scope, item.act):
            continue
        try:
            url = reverse(item.url_name)
        except NoReverseMatch:  # a page not wired yet must not break every other page
            continue
        if any(entry.url == url for entry in entries):  # two roles reaching one page: one entry
            continue
        entries.append(MenuEntry(str(item.label), url, item.icon, bool(section) and item.section == section))
    return entries
