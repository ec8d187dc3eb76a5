"""Who may do what: every act of the regulation the system lets a user do, as one django-rules
predicate each, registered as the permission ``dutyadmin.<act>``.

Views, the API, menus, templates, services and the admin ask ``allows(user, "<act>", obj)``
(``rules.has_perm("dutyadmin.<act>", …)`` with a check that the act exists), so every client gets
the same answer. A predicate takes the user, or the Scope already computed for them. Reads are scoped in the selectors; these say who may act.
A predicate reads the object's attributes only (a deputy, an activity, a leave step, a street
committee id); core never imports the apps above it.

``rules.has_perm`` is used rather than ``user.has_perm``: Django answers yes to every permission of
an active superuser, while some acts belong to a deputy in person (self_register).
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import rules
from django.db.models import F, Q

from dutyadmin.roles import STREET_ROLES, Role
from dutyadmin.scope import Scope, scope_for

# --- the tables --------------------------------------------------------------------------------

ROSTER_EDITORS = (Role.LIAISON_OFFICE,)  # terms, streets, delegations, deputies, contacts
THRESHOLD_EDITORS = (Role.LIAISON_OFFICE,)  # the thresholds' changes over a term (DESIGN.md: liaison office)
SUSPENSION_EDITORS = (Role.LIAISON_OFFICE,)  # deputies' suspensions (代表法 Art. 61), entered on the deputy's page
ATTENDANCE_RECORDERS = (Role.SECRETARIAT,)  # sessions, meetings, attendance
RECORD_EDITORS = (Role.LIAISON_OFFICE, Role.SECRETARIAT)  # contributions of any deputy

# Whose deputies each role decides a leave step for (Art. 3 routes): the street director of the
# deputy's street, the head of the deputy's delegation, the district roles for every deputy.
# decide_leave_step reads it for one step, leave_step_q renders it in SQL for the inbox.
STREET, DELEGATION, DISTRICT = "street", "delegation", "district"
LEAVE_STEP_SCOPES: dict[str, str] = {
    Role.STREET_DIRECTOR: STREET,
    Role.DELEGATION_HEAD: DELEGATION,
    Role.SC_OFFICE: DISTRICT,
    Role.SC_LEADER: DISTRICT,
    Role.SECRETARIAT: DISTRICT,
    Role.PRESIDIUM_SECRETARY_GENERAL: DISTRICT,
}

# Who records the intervention of each action rule (RULES.md, "responsible"); the liaison office
# records all of them. Street directors and delegation heads only for deputies in their scope.
INTERVENTION_RECORDERS: dict[str, frozenset[str]] = {
    "absence_notice": frozenset({Role.SECRETARIAT}),
    "session_absence_talk": frozenset({Role.DELEGATION_HEAD, Role.STREET_DIRECTOR}),
    "qualification_termination": frozenset({Role.SC_OFFICE, Role.SC_LEADER}),
    "silent_in_sessions_talk": frozenset({Role.DELEGATION_HEAD}),
    "activity_absence_notice": frozenset({Role.SC_OFFICE}),
    "activity_absence_talk": frozenset({Role.STREET_DIRECTOR}),
    "no_contact_talk": frozenset({Role.STREET_DIRECTOR}),
    "resignation_advice": frozenset({Role.SC_OFFICE, Role.SC_LEADER}),
}
INTERVENTION_ROLES = frozenset().union(*INTERVENTION_RECORDERS.values())


@dataclass(frozen=True)
class ForRule:
    """An intervention about to be recorded: for this deputy under this action rule."""

    deputy: Any
    rule: str


def _scope(user) -> Scope:
    """The user's scope; a Scope already computed (a menu, an exporter's available()) passes through."""
    return user if isinstance(user, Scope) else scope_for(user)


def _street_id(obj) -> int | None:
    """A street committee id given as an id, a street committee or a record of one."""
    if obj is None or isinstance(obj, int):
        return obj
    if hasattr(obj, "street_committee_id"):
        return obj.street_committee_id
    return obj.pk


def _deputy_id(obj) -> int | None:
    """The deputy of a record (deputy_id), or the deputy itself."""
    if obj is None:
        return None
    return obj.deputy_id if hasattr(obj, "deputy_id") else obj.pk


def _own_street(scope: Scope, street_committee_id: int | None) -> bool:
    return street_committee_id is not None and street_committee_id == scope.street_committee_id


def _street_staff_of(scope: Scope, deputy) -> bool:
    return Role.STREET_STAFF in scope.roles and _own_street(scope, deputy.street_committee_id)


# --- what a user sees ----------------------------------------------------------------------------


def _office_or_street_staff(scope: Scope, street_committee_id: int | None, *, any_street: bool = False) -> bool:
    """The liaison office, or street staff of that street (any_street: of some street at all)."""
    if scope.has(Role.LIAISON_OFFICE):
        return True
    if Role.STREET_STAFF not in scope.roles:
        return False
    return scope.street_committee_id is not None if any_street else _own_street(scope, street_committee_id)


@rules.predicate
def see_deputy_list(user) -> bool:
    """Anyone who sees more deputies than themself: district roles, street staff, delegation heads."""
    scope = _scope(user)
    return scope.is_district or bool(scope.roles & (STREET_ROLES | {Role.DELEGATION_HEAD}))


@rules.predicate
def see_own_records_only(user) -> bool:
    """A deputy who sees nobody but themself: their own page, findings and handbook."""
    return _scope(user).deputy_id is not None and not see_deputy_list(user)


@rules.predicate
def see_records(user) -> bool:
    """Lists of activities, leave, contributions and interventions: anyone with deputies in view."""
    return see_deputy_list(user) or _scope(user).deputy_id is not None


@rules.predicate
def read_notifications(user) -> bool:
    return _scope(user).user_id is not None


@rules.predicate
def see_sent_notifications(user) -> bool:
    """The sent log: the liaison office and admins (everything), street staff and directors (their street)."""
    scope = _scope(user)
    return scope.has(Role.LIAISON_OFFICE) or bool(scope.street_committee_id and scope.roles & STREET_ROLES)


@rules.predicate
def export(user) -> bool:
    """The Excel exports of the roster and of the oversight: whoever sees a deputy list."""
    return see_deputy_list(user)


@rules.predicate
def administer(user) -> bool:
    """Users, roles and the Django admin."""
    return _scope(user).is_admin


# --- records -------------------------------------------------------------------------------------


@rules.predicate
def manage_roster(user) -> bool:
    """Terms, street committees, delegations, deputies, contact assignments: the liaison office."""
    return _scope(user).has(*ROSTER_EDITORS)


@rules.predicate
def manage_thresholds(user) -> bool:
    """Change a term's thresholds from a day on (阈值调整, RULES.md "Settings change over time"): the liaison office."""
    return _scope(user).has(*THRESHOLD_EDITORS)


@rules.predicate
def manage_suspensions(user, deputy=None) -> bool:
    """Record, end or delete a deputy's suspension (暂时停止执行代表职务, 代表法 Art. 61): the liaison office."""
    return _scope(user).has(*SUSPENSION_EDITORS)


@rules.predicate
def manage_holidays(user) -> bool:
    """Enter a year's 法定节假日安排 from the State Council's notice (the clocks' calendar): the liaison office
    and the administrator."""
    return _scope(user).has(Role.LIAISON_OFFICE)


@rules.predicate
def record_attendance(user) -> bool:
    """Sessions, meetings and the attendance of deputies: the secretariat (Art. 3)."""
    return _scope(user).has(*ATTENDANCE_RECORDERS)


@rules.predicate
def enter_activity(user, activity=None) -> bool:
    """Whoever organizes registers (Art. 8(一)): a street's staff own their street's activities.

    Without an activity: may this user register some activity (street staff of a street, the
    liaison office)?"""
    return _office_or_street_staff(_scope(user), None if activity is None else activity.street_committee_id,
                                   any_street=activity is None)


@rules.predicate
def import_spreadsheet(user) -> bool:
    """Import activities from a spreadsheet: whoever may register an activity."""
    return enter_activity(user)


@rules.predicate
def enter_participation(user, participation) -> bool:
    """Invite a deputy to an activity and record the outcome: the activity's registrar, for deputies in view."""
    scope = _scope(user)
    if scope.has(Role.LIAISON_OFFICE):
        return True
    return enter_activity(user, participation.activity) and scope.sees_deputy(participation.deputy)


@rules.predicate
def enter_contribution(user, deputy=None) -> bool:
    """Record review opinions, suggestions, motions, inquiries for this deputy (or for some deputy)."""
    scope = _scope(user)
    if scope.has(*RECORD_EDITORS):
        return True
    if Role.STREET_STAFF not in scope.roles:
        return False
    return deputy is None or scope.sees_deputy(deputy)


@rules.predicate
def act_as_deputy(user, record=None) -> bool:
    """The deputy in person (for their own record, if one is given)."""
    scope = _scope(user)
    if Role.DEPUTY not in scope.roles or scope.deputy_id is None:
        return False
    return record is None or _deputy_id(record) == scope.deputy_id


@rules.predicate
def self_register(user, record=None) -> bool:
    """A deputy records an activity or contribution they took part in (个人登记), their own only."""
    return act_as_deputy(user, record)


@rules.predicate
def answer_invitation(user, participation=None) -> bool:
    """A deputy answers their own invitation (确定参加 / 不能参加, A9.3), in person only."""
    return act_as_deputy(user, participation)


@rules.predicate
def see_own_activities(user) -> bool:
    """A deputy's own pages of activities: their invitations and participations (我的活动, 我的邀请)."""
    return act_as_deputy(user)


@rules.predicate
def review_self_registration(user, record=None) -> bool:
    """The staff of the deputy's street review a personal registration; the liaison office any.

    Without a record: does this user review personal registrations at all?"""
    if record is None:
        return _office_or_street_staff(_scope(user), None, any_street=True)
    deputy = record.deputy if hasattr(record, "deputy_id") else record
    if own_request(_scope(user), deputy):
        return False  # recusal (回避): nobody reviews their own registration
    return _office_or_street_staff(_scope(user), deputy.street_committee_id)


# --- leave -----------------------------------------------------------------------------------------


@rules.predicate
def file_leave(user, deputy) -> bool:
    """Ask for leave for this deputy: the deputy themself, their street's staff, or the secretariat."""
    scope = _scope(user)
    if scope.has(Role.SECRETARIAT, Role.LIAISON_OFFICE):
        return True
    if Role.DEPUTY in scope.roles and scope.deputy_id == deputy.id:
        return True
    return _street_staff_of(scope, deputy)


@rules.predicate
def backfill_leave(user, deputy) -> bool:
    """Enter leave decided on paper for a past session: staff only."""
    scope = _scope(user)
    if scope.has(Role.SECRETARIAT, Role.LIAISON_OFFICE):
        return True
    return _street_staff_of(scope, deputy)


def own_request(scope: Scope, deputy) -> bool:
    """Recusal (回避, RULES.md "Leave"): the user is the deputy the request is for; nobody acts on it."""
    return scope.deputy_id is not None and scope.deputy_id == deputy.pk


def step_decider_role(role: str, deputy) -> str:
    """The role that takes a step of this deputy's request: the step's own, except where its approver would
    be the requesting deputy — a delegation head's own leave, whose head's step the congress secretariat
    (大会秘书处) takes instead (RULES.md, Recusal). `deputy.delegation` is read (select it)."""
    if role == Role.DELEGATION_HEAD and deputy.delegation_id is not None and deputy.delegation.head_id == deputy.pk:
        return Role.SECRETARIAT
    if role == Role.STREET_DIRECTOR and directs_own_street(deputy):  # --- confirm15: a street director's own leave
        return Role.SECRETARIAT
    return role


def _decides(scope: Scope, role: str, deputy) -> bool:
    if own_request(scope, deputy):
        return False
    role = step_decider_role(role, deputy)
    if role not in scope.roles:
        return False
    reach = LEAVE_STEP_SCOPES.get(role)
    if reach == STREET:
        return _own_street(scope, deputy.street_committee_id)
    if reach == DELEGATION:
        return deputy.delegation_id is not None and deputy.delegation_id == scope.delegation_id
    return reach == DISTRICT


@rules.predicate
def decide_leave_step(user, step=None) -> bool:
    """The step's role (or the secretariat standing in for a head's own leave), for a deputy in its reach;
    an admin may act on any step; nobody on a step of their own request.

    A step is read as ``step.role`` and ``step.leave_request.deputy``. Without a step: does this user
    decide some step of some route (待我审批)?"""
    scope = _scope(user)
    if step is not None and own_request(scope, step.leave_request.deputy):
        return False
    if scope.is_admin:
        return True
    if step is None:
        return bool(scope.roles & set(LEAVE_STEP_SCOPES))
    return _decides(scope, step.role, step.leave_request.deputy)


def leave_step_q(scope: Scope, *, role: str = "current_role", deputy: str = "deputy__") -> Q:
    """decide_leave_step in SQL: rows whose ``role`` field names a step this scope decides for the
    row's deputy (``deputy`` is the path to it). The same table, rendered for a queryset, with the same
    recusal: never the user's own request; a head's step of the head's own leave is the secretariat's."""
    not_own = ~Q(**{f"{deputy}id": scope.deputy_id}) if scope.deputy_id is not None else Q()
    if scope.is_admin:
        return not_own
    heads_own = Q(**{role: Role.DELEGATION_HEAD, f"{deputy}delegation__head_id": F(f"{deputy}id")})
    directors_own = directors_own_q(role=role, deputy=deputy)  # --- confirm15
    mine = Q(pk__in=[])
    for step_role in sorted(scope.roles & set(LEAVE_STEP_SCOPES)):
        reach = LEAVE_STEP_SCOPES[step_role]
        if reach == STREET:
            if scope.street_committee_id is not None:
                mine |= Q(**{role: step_role, f"{deputy}street_committee_id": scope.street_committee_id}) & ~directors_own
        elif reach == DELEGATION:
            if scope.delegation_id is not None:
                mine |= Q(**{role: step_role, f"{deputy}delegation_id": scope.delegation_id}) & ~heads_own
        else:
            mine |= Q(**{role: step_role})
    if Role.SECRETARIAT in scope.roles:
        mine |= heads_own | directors_own
    return mine & not_own


# --- oversight -------------------------------------------------------------------------------------


@rules.predicate
def record_intervention(user, subject=None) -> bool:
    """Record a talk, notice, termination or advice (Art. 9). The subject is a deputy (for some
    rule), a ForRule or an intervention (for its rule); none: for some deputy under some rule.
    Recusal (回避): nobody records an intervention about themself (a street director's own talk)."""
    scope = _scope(user)
    if subject is None:
        return scope.has(Role.LIAISON_OFFICE) or bool(scope.roles & INTERVENTION_ROLES)
    if hasattr(subject, "rule"):
        deputy, rule_ids = subject.deputy, [subject.rule]
    else:
        deputy, rule_ids = subject, list(INTERVENTION_RECORDERS)
    if own_request(scope, deputy):
        return False
    if scope.has(Role.LIAISON_OFFICE):
        return True
    for rule_id in rule_ids:
        for role in INTERVENTION_RECORDERS.get(rule_id, ()):
            if role not in scope.roles:
                continue
            if role == Role.STREET_DIRECTOR and deputy.street_committee_id != scope.street_committee_id:
                continue
            if role == Role.DELEGATION_HEAD and (
                deputy.delegation_id is None or deputy.delegation_id != scope.delegation_id
            ):
                continue
            return True
    return False


@rules.predicate
def see_reviews(user) -> bool:
    """Whom the menu offers the year-end review: district roles and street committee roles."""
    scope = _scope(user)
    return scope.is_district or (bool(scope.roles & STREET_ROLES) and scope.street_committee_id is not None)


@rules.predicate
def see_review_board(user) -> bool:
    """Every street's state of the year-end review: the district roles (read only but the liaison office)."""
    return _scope(user).is_district


@rules.predicate
def see_street_review(user, street) -> bool:
    """A street's submission: district roles, and the street's own staff and director."""
    scope = _scope(user)
    if scope.is_district:
        return True
    return bool(scope.roles & STREET_ROLES) and _own_street(scope, _street_id(street))


@rules.predicate
def submit_handbooks(user, street) -> bool:
    """The street committee's staff compile and submit its handbooks (Art. 8(二)); the admin may too."""
    scope = _scope(user)
    if scope.is_admin:
        return True
    return Role.STREET_STAFF in scope.roles and _own_street(scope, _street_id(street))


@rules.predicate
def review_year(user) -> bool:
    """The liaison office reviews the year's handbooks: approves, returns deputies, reopens (Art. 8(二))."""
    return _scope(user).has(Role.LIAISON_OFFICE)


# --- suggestions (Art. 10(四)) and handling units ----------------------------------------------------

SUGGESTION_OFFICE = (Role.LIAISON_OFFICE,)  # assigns, extends, closes; replies on a unit's behalf


def unit_of(scope: Scope) -> int | None:
    """The handling unit a `handling_unit` user replies for (None: not such a user, or no unit linked)."""
    return scope.handling_unit_id if Role.HANDLING_UNIT in scope.roles else None


@rules.predicate
def manage_handling_units(user) -> bool:
    """Create, change and delete handling units (承办单位): the liaison office."""
    return _scope(user).has(*SUGGESTION_OFFICE)


@rules.predicate
def see_handling_units(user) -> bool:
    """The list of handling units: staff (district roles, street committees, the units themselves)."""
    scope = _scope(user)
    return scope.is_district or bool(scope.roles & STREET_ROLES) or unit_of(scope) is not None


@rules.predicate
def see_suggestions(user) -> bool:
    """Lists of suggestions: whoever has deputies in view (a deputy: their own) and a unit's staff (its own)."""
    return see_records(user) or unit_of(_scope(user)) is not None


@rules.predicate
def submit_suggestion(user, deputy=None) -> bool:
    """Submit a suggestion led by this deputy (or by some deputy): the deputy in person, or staff who record
    the deputy's contributions (entering the session's paper forms)."""
    return act_as_deputy(user, deputy) or enter_contribution(user, deputy)


@rules.predicate
def assign_suggestion(user, suggestion=None) -> bool:
    """交办 to a lead unit and co-units: the liaison office."""
    return _scope(user).has(*SUGGESTION_OFFICE)


@rules.predicate
def chase_suggestion(user, suggestion=None) -> bool:
    """Press the lead unit for an awaited reply (催办): the assigning office."""
    return _scope(user).has(*SUGGESTION_OFFICE)


@rules.predicate
def extend_suggestion(user, suggestion=None) -> bool:
    """Agree to an extension (延期, six months): the assigning office."""
    return _scope(user).has(*SUGGESTION_OFFICE)


@rules.predicate
def close_suggestion(user, suggestion=None) -> bool:
    """Close a replied suggestion the deputy left without feedback: the liaison office."""
    return _scope(user).has(*SUGGESTION_OFFICE)


@rules.predicate
def reply_suggestion(user, suggestion=None) -> bool:
    """Reply (答复): the lead unit's staff, or the liaison office on its behalf; a co-unit does not reply.

    Without a suggestion: does this user reply to some suggestions at all?"""
    scope = _scope(user)
    if scope.has(*SUGGESTION_OFFICE):
        return True
    unit = unit_of(scope)
    if suggestion is None:
        return unit is not None
    return unit is not None and suggestion.lead_unit_id == unit


@rules.predicate
def evaluate_suggestion(user, suggestion=None) -> bool:
    """Evaluate a reply (满意/基本满意/不满意): the lead deputy in person only."""
    scope = _scope(user)
    if Role.DEPUTY not in scope.roles or scope.deputy_id is None:
        return False
    return suggestion is None or suggestion.lead_deputy_id == scope.deputy_id


@rules.predicate
def withdraw_suggestion(user, suggestion=None) -> bool:
    """Withdraw (撤回) before a reply: the lead deputy in person, or the liaison office."""
    return _scope(user).has(*SUGGESTION_OFFICE) or evaluate_suggestion(user, suggestion)


# --- sgoffice: the handling unit's own work list -----------------------------------------------------


@rules.predicate
def see_unit_suggestions(user) -> bool:
    """A handling unit's staff: the suggestions assigned to their unit (待办建议), as lead or co-unit."""
    return unit_of(_scope(user)) is not None


# --- sgstats: the suggestions' statistics -------------------------------------------------------------


@rules.predicate
def see_suggestion_statistics(user) -> bool:
    """The handling statistics of suggestions: district roles every unit's, a unit's staff their own unit's."""
    scope = _scope(user)
    return scope.is_district or unit_of(scope) is not None


# --- contacts: A10.5, standing-committee members' contacts with their deputies ------------------------


@rules.predicate
def manage_contact_assignments(user) -> bool:
    """Assign each standing-committee member their 5–6 deputies of the term: the liaison office (roster)."""
    return _scope(user).has(*ROSTER_EDITORS)


@rules.predicate
def see_own_contacts(user) -> bool:
    """The page of a standing-committee member's own deputies and contacts (我联系的代表)."""
    return Role.SC_MEMBER in _scope(user).roles


@rules.predicate
def log_contact(user, assignment=None) -> bool:
    """Log a contact: the member of the assignment in person, or the liaison office (entering paper records)."""
    scope = _scope(user)
    if scope.has(*ROSTER_EDITORS):
        return True
    if Role.SC_MEMBER not in scope.roles:
        return False
    return assignment is None or (assignment.member_id is not None and assignment.member_id == scope.user_id)


# --- opinions: constituents' opinions (群众意见, issue 14) -----------------------------------------------


def _street_of_opinion(scope: Scope, opinion) -> bool:
    """Staff (or the director) of the opinion's street committee; without an opinion: of some street."""
    if not scope.roles & STREET_ROLES or scope.street_committee_id is None:
        return False
    return opinion is None or _own_street(scope, _street_id(opinion))


@rules.predicate
def see_opinions(user) -> bool:
    """Lists of constituents' opinions: district roles, street committees, handling units (theirs), deputies."""
    scope = _scope(user)
    return (scope.is_district or _street_of_opinion(scope, None) or unit_of(scope) is not None
            or (Role.DEPUTY in scope.roles and scope.deputy_id is not None))


@rules.predicate
def record_opinion(user, street=None) -> bool:
    """Record opinions (at a reception or a visit): the liaison office, or street staff of that street."""
    scope = _scope(user)
    return _office_or_street_staff(scope, _street_id(street), any_street=street is None)


@rules.predicate
def forward_opinion(user, opinion=None) -> bool:
    """转办 an opinion and record its feedback to the constituent: the liaison office or the street's staff."""
    return record_opinion(user, opinion)


@rules.predicate
def close_opinion(user, opinion=None) -> bool:
    return record_opinion(user, opinion)


@rules.predicate
def reply_opinion(user, opinion=None) -> bool:
    """答复: the staff of the unit it was forwarded to, or the liaison office on its behalf."""
    scope = _scope(user)
    if scope.has(Role.LIAISON_OFFICE):
        return True
    unit = unit_of(scope)
    if opinion is None:
        return unit is not None
    return unit is not None and opinion.forwarded_to_id == unit


@rules.predicate
def see_citizen_phone(user, opinion=None) -> bool:
    """The constituent's phone unmasked: only the staff of the opinion's street committee (RULES.md)."""
    return _street_of_opinion(_scope(user), opinion)


@rules.predicate
def see_opinion_statistics(user) -> bool:
    scope = _scope(user)
    return scope.is_district or _street_of_opinion(scope, None)


# --- public: the public duty pages' switches and publishing an intervention -------------------------


@rules.predicate
def manage_public_pages(user) -> bool:
    """Turn the public duty pages on/off, choose their fields, publish an intervention: the liaison office."""
    return _scope(user).has(Role.LIAISON_OFFICE)


# --- gaps14b: correcting and deleting a constituents' opinion ---------------------------------------------


@rules.predicate
def edit_opinion(user, opinion=None) -> bool:
    """修改 an opinion before it is closed, or delete one not yet forwarded (the services check the state): whoever
    records it, the liaison office or the staff of its street committee."""
    return record_opinion(user, opinion)


# --- calendar: a deputy's private calendar feed (我的日历订阅) -----------------------------------------


@rules.predicate
def subscribe_calendar(user, deputy=None) -> bool:
    """Make, reset or turn off one's own calendar feed address: the deputy in person only."""
    return act_as_deputy(user, deputy)


@rules.predicate
def revoke_calendar(user, deputy=None) -> bool:
    """Turn a calendar feed address off: the deputy themself, or the liaison office (a lost phone, a leak)."""
    return act_as_deputy(user, deputy) or _scope(user).has(Role.LIAISON_OFFICE)


# --- auth15: login lockouts (django-axes) ---------------------------------------------------------------


@rules.predicate
def unlock_logins(user) -> bool:
    """See the accounts and addresses locked after failed logins and unlock them: the liaison office, the admin."""
    return _scope(user).has(Role.LIAISON_OFFICE)
# --- audit15: the audit log (审计日志) -----------------------------------------------------------------


@rules.predicate
def see_audit_log(user) -> bool:
    """Logins, failed logins, lockouts, permission denials, exports and user changes: the administrator only."""
    return _scope(user).is_admin


# --- receptions: A10.6 主任会议成员接待代表 and each street's recommended deputy -----------------------


@rules.predicate
def see_receptions(user) -> bool:
    """The year's 主任会议成员接待代表 against 7 and the streets' recommendations: district roles (every street's) and
    the street committees (theirs to make)."""
    scope = _scope(user)
    return scope.is_district or bool(scope.roles & STREET_ROLES and scope.street_committee_id is not None)


@rules.predicate
def manage_receptions(user) -> bool:
    """Arrange the year's receptions and answer for their number (the data check of a year with fewer than 7):
    the liaison office (Art. 10(六): 区人大常委会代表联络机构每年安排)."""
    return _scope(user).has(Role.LIAISON_OFFICE)


@rules.predicate
def recommend_reception_deputy(user, street=None) -> bool:
    """Recommend, change or withdraw a street's deputy for a reception: that street's staff, or the liaison office
    on its behalf (without a street: of some street at all)."""
    return _office_or_street_staff(_scope(user), _street_id(street), any_street=street is None)


# --- confirm15: confirmed stays confirmed (issue 15) ------------------------------------------------------


@rules.predicate
def change_own_entry(user, record=None) -> bool:
    """A deputy changes or deletes their own entry (a contribution, a personal registration) in person, until
    staff confirmed or approved it (``record.staff_confirmation``: who and when, None while it waits); from then
    on only staff change it (with history). Without a record: is this user a deputy who enters their own?"""
    return act_as_deputy(user, record) and (record is None or record.staff_confirmation is None)


def directs_own_street(deputy) -> bool:
    """Recusal (RULES.md "Leave"): is the deputy the director of their own street committee — a street_director
    user linked to this deputy (`deputy.user_scope`) whose street is the deputy's? Then the director's step of the
    deputy's whole-session leave (街工委主任同意) would be their own: the congress secretariat stands in, as for a
    delegation head's own leave. Read once per deputy object (select `user_scope` to spare the query)."""
    cached = getattr(deputy, "_directs_own_street", None)
    if cached is None:
        link = getattr(deputy, "user_scope", None)  # the reverse one-to-one: None when no user is linked
        cached = bool(
            link is not None and deputy.street_committee_id is not None
            and link.street_committee_id == deputy.street_committee_id
            and link.user.groups.filter(name=Role.STREET_DIRECTOR).exists()
        )
        deputy._directs_own_street = cached
    return cached


def directors_own_q(*, role: str = "current_role", deputy: str = "deputy__") -> Q:
    """directs_own_street in SQL, for the street director's step: rows whose ``role`` is the street director's and
    whose deputy (the path ``deputy``) is a street director of their own street."""
    return Q(**{role: Role.STREET_DIRECTOR,
                f"{deputy}user_scope__street_committee_id": F(f"{deputy}street_committee_id"),
                f"{deputy}user_scope__user__groups__name": Role.STREET_DIRECTOR})


ACTS = {
    name: predicate
    for name, predicate in globals().items()
    if isinstance(predicate, rules.Predicate)
}
for _name, _predicate in ACTS.items():
    rules.add_perm(f"dutyadmin.{_name}", _predicate)


def allows(user, act: str, obj=None) -> bool:
    """rules.has_perm for one act of this module (a typo is a KeyError, not a silent no)."""
    if act not in ACTS:
        raise KeyError(act)
    return rules.has_perm(f"dutyadmin.{act}", user, obj)
