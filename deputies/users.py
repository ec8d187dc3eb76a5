"""User accounts (用户账户): a user's one role (a group of dutyadmin.roles.Role) and the scope it needs (UserScope).

Reads: `user_list` (the administrator sees every account; anyone else none). Writes: `user_create`,
`user_update` and `user_import` (the rows of a spreadsheet, all or nothing), validated in Chinese field by field
and saved in one transaction. What the role needs is `ROLE_SCOPE`: a street role needs its street committee, a
deputy their deputy, a delegation head their delegation (and may name their own deputy record), a handling unit
its unit; every other role and every other field stays empty. A scope field a role does not use is a 400, except
that changing the role clears the old role's scope the request does not mention.

The audit log (dutyadmin/audit.py) records each creation, change, role change, scope change, password change and
deactivation through its signals; a changed password or a deactivation ends the user's API tokens
(dutyadmin/accounts.py) and their sessions (Django checks a session against the password hash, and refuses an
inactive user).
"""
from __future__ import annotations

import secrets
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.contrib.auth.password_validation import validate_password
from django.contrib.auth.validators import UnicodeUsernameValidator
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import QuerySet

from dutyadmin.permissions import allows
from dutyadmin.roles import Role

from .models import Delegation, Deputy, HandlingUnit, StreetCommittee, Term, UserScope

User = get_user_model()

SCOPE_FIELDS = ("street_committee", "delegation", "deputy", "handling_unit")
SCOPE_LABELS = {"street_committee": "人大街工委", "delegation": "代表团", "deputy": "代表", "handling_unit": "承办单位"}
# The scope each role needs (DESIGN.md's role table), and the fields it may name besides.
ROLE_SCOPE: dict[str, str] = {
    Role.STREET_STAFF: "street_committee",
    Role.STREET_DIRECTOR: "street_committee",
    Role.DEPUTY: "deputy",
    Role.DELEGATION_HEAD: "delegation",
    Role.HANDLING_UNIT: "handling_unit",
}
ROLE_OPTIONAL_SCOPE: dict[str, frozenset[str]] = {
    Role.DELEGATION_HEAD: frozenset({"deputy"}),  # the head's own deputy record (their own leave, notices)
}
ROLE_ORDER = [role.value for role in Role]
DENIED = "只有系统管理员可以管理用户账户。"
SUPERUSER_DENIED = "超级管理员账户只能由超级管理员修改。"
FULL_NAME_MAX = 150


def role_label(role: str) -> str:
    return Role(role).label if role in Role.values else role


def scope_fields_of(role: str) -> frozenset[str]:
    """The scope fields a role uses (needed or optional)."""
    needed = ROLE_SCOPE.get(role)
    return frozenset({needed} if needed else set()) | ROLE_OPTIONAL_SCOPE.get(role, frozenset())


# --- reads ----------------------------------------------------------------------------------------------


def user_list(*, user) -> QuerySet:
    """Every account for the administrator (with its scope and groups in three queries); none for anyone else."""
    users = User.objects.select_related(
        "scope", "scope__street_committee", "scope__delegation", "scope__deputy", "scope__handling_unit"
    ).prefetch_related("groups").order_by("username", "id")
    return users if allows(user, "administer") else users.none()


def user_role(user) -> str | None:
    """The user's role: their first group that is a role (DESIGN.md: one role a user); a bare superuser is admin."""
    names = {group.name for group in user.groups.all()}
    role = next((name for name in ROLE_ORDER if name in names), None)
    if role is None and user.is_superuser:
        return Role.ADMIN
    return role


def user_full_name(user) -> str:
    return user.get_full_name()


def user_scope_ids(user) -> dict[str, int | None]:
    """{scope field: id or None} of the user's UserScope (all None without one)."""
    link = _scope_of(user)
    return {name: getattr(link, f"{name}_id") if link is not None else None for name in SCOPE_FIELDS}


def _scope_of(user) -> UserScope | None:
    try:
        return user.scope
    except UserScope.DoesNotExist:
        return None


# --- writes ---------------------------------------------------------------------------------------------


def random_password() -> str:
    """A password that passes the validators (16 url-safe characters), for an account made without one."""
    return secrets.token_urlsafe(12)


def _check_admin(actor, user=None) -> None:
    """actor None: a management command, run by whoever runs the server (the API always passes request.user)."""
    if actor is None:
        return
    if not allows(actor, "administer"):
        raise PermissionDenied(DENIED)
    if user is not None and user.pk and user.is_superuser and not getattr(actor, "is_superuser", False):
        raise PermissionDenied(SUPERUSER_DENIED)


def _validate(*, actor, user, role: str, scope: dict[str, Any], password: str | None,
              password_required: bool) -> dict[str, list[str]]:
    """Every problem of the account as it would be saved, {field: [Chinese messages]} (empty: none)."""
    errors: dict[str, list[str]] = {}

    def add(name: str, message: str) -> None:
        errors.setdefault(name, []).append(message)

    username = user.username or ""
    if not username:
        add("username", "请填写用户名。")
    elif len(username) > 150:
        add("username", "用户名最多 150 个字符。")
    else:
        try:
            UnicodeUsernameValidator()(username)
        except ValidationError:
            add("username", "用户名只能包含字母、数字和 @ . + - _ 这些字符。")
        others = User.objects.filter(username__iexact=username)
        if user.pk:
            others = others.exclude(pk=user.pk)
        if others.exists():
            add("username", f"用户名“{username}”已被使用。")
    if len(user.first_name or "") > FULL_NAME_MAX:
        add("full_name", f"姓名最多 {FULL_NAME_MAX} 个字符。")
    if role not in Role.values:
        add("role", "角色应为以下之一：" + "、".join(f"{r.value}（{r.label}）" for r in Role) + "。")
    else:
        needed = ROLE_SCOPE.get(role)
        used = scope_fields_of(role)
        for name in SCOPE_FIELDS:
            value = scope.get(name)
            if name == needed and value is None:
                add(name, f"角色“{role_label(role)}”须指定{SCOPE_LABELS[name]}。")
            elif name not in used and value is not None:
                add(name, f"角色“{role_label(role)}”不使用{SCOPE_LABELS[name]}，请留空。")
        deputy, delegation = scope.get("deputy"), scope.get("delegation")
        if role == Role.DELEGATION_HEAD and deputy is not None and delegation is not None \
                and deputy.delegation_id != delegation.pk:
            add("deputy", f"代表{deputy.name}不是{delegation.name}的代表，不能作为该团团长本人关联。")
        if deputy is not None and "deputy" not in errors:
            taken = UserScope.objects.filter(deputy=deputy).exclude(user_id=user.pk).select_related("user").first()
            if taken is not None:
                add("deputy", f"代表{deputy.name}已关联账户“{taken.user.username}”。")
    if actor is not None and user.pk and user.pk == actor.pk:
        if not user.is_active:
            add("is_active", "不能停用自己的账户。")
        if role != Role.ADMIN and not user.is_superuser:
            add("role", "不能取消自己的系统管理员角色。")
    if password:
        try:
            validate_password(password, user=user)
        except ValidationError as exc:
            errors.setdefault("password", []).extend(exc.messages)
    elif password_required:
        add("password", "请设置密码。")
    return errors


def _save(*, user, role: str, scope: dict[str, Any], password: str | None) -> Any:
    """Write an account already validated: the user, their one role group, their scope."""
    if password:
        user.set_password(password)
    user.is_staff = role == Role.ADMIN or user.is_superuser  # the Django admin is the administrator's
    user.save()
    wanted = Group.objects.get_or_create(name=role)[0]
    stale = [g for g in user.groups.filter(name__in=Role.values) if g.pk != wanted.pk]
    if stale:
        user.groups.remove(*stale)
    if not user.groups.filter(pk=wanted.pk).exists():
        user.groups.add(wanted)
    link = _scope_of(user) or UserScope(user=user)
    changed = link.pk is None
    for name in SCOPE_FIELDS:
        value = scope.get(name)
        if getattr(link, f"{name}_id") != (value.pk if value is not None else None):
            setattr(link, name, value)
            changed = True
    if changed:
        link.save()
    user.scope = link
    return user


def _raise(errors: dict[str, list[str]]) -> None:
    if errors:
        raise ValidationError(errors)


def user_create(*, actor, username: str, role: str, password: str | None = None, full_name: str = "",
                street_committee: StreetCommittee | None = None, delegation: Delegation | None = None,
                deputy: Deputy | None = None, handling_unit: HandlingUnit | None = None,
                is_active: bool = True, password_required: bool = True):
    """Make an account with one role and the scope it needs; validated (Django's password validators) and atomic."""
    _check_admin(actor)
    user = User(username=(username or "").strip(), first_name=(full_name or "").strip(), last_name="",
                is_active=is_active)
    scope = {"street_committee": street_committee, "delegation": delegation, "deputy": deputy,
             "handling_unit": handling_unit}
    _raise(_validate(actor=actor, user=user, role=role, scope=scope, password=password,
                     password_required=password_required))
    if not password:
        user.set_unusable_password()
    try:
        with transaction.atomic():
            return _save(user=user, role=role, scope=scope, password=password)
    except IntegrityError as exc:  # two requests made the same username or linked the same deputy at once
        raise ValidationError({"username": "用户名或关联的代表与已有账户冲突，请刷新后重试。"}) from exc


_UNSET = object()


def user_update(*, actor, user, username: Any = _UNSET, role: Any = _UNSET, password: Any = _UNSET,
                full_name: Any = _UNSET, street_committee: Any = _UNSET, delegation: Any = _UNSET,
                deputy: Any = _UNSET, handling_unit: Any = _UNSET, is_active: Any = _UNSET):
    """Change what is given of an account (the rest keeps its value); a new role clears the old role's scope that
    is not given. A new password or a deactivation ends the user's tokens and sessions."""
    _check_admin(actor, user)
    user = User.objects.select_related("scope").get(pk=user.pk)  # a fresh copy: a refused change leaves no trace
    current_role = user_role(user)
    new_role = current_role if role is _UNSET else role
    given = {"street_committee": street_committee, "delegation": delegation, "deputy": deputy,
             "handling_unit": handling_unit}
    link = _scope_of(user)
    scope: dict[str, Any] = {}
    for name, value in given.items():
        if value is not _UNSET:
            scope[name] = value
        elif new_role != current_role and name not in scope_fields_of(new_role or ""):
            scope[name] = None
        else:
            scope[name] = getattr(link, name) if link is not None else None
    if username is not _UNSET:
        user.username = (username or "").strip()
    if full_name is not _UNSET:
        user.first_name, user.last_name = (full_name or "").strip(), ""
    if is_active is not _UNSET:
        user.is_active = bool(is_active)
    new_password = None if password is _UNSET else (password or None)
    _raise(_validate(actor=actor, user=user, role=new_role or "", scope=scope, password=new_password,
                     password_required=password is not _UNSET))
    try:
        with transaction.atomic():
            return _save(user=user, role=new_role, scope=scope, password=new_password)
    except IntegrityError as exc:
        raise ValidationError({"username": "用户名或关联的代表与已有账户冲突，请刷新后重试。"}) from exc


# --- import: the rows of a spreadsheet of users, all or nothing --------------------------------------------

YES = frozenset({"是", "y", "yes", "true", "1", "启用", "有效"})
NO = frozenset({"否", "n", "no", "false", "0", "停用", "无效"})


@dataclass(frozen=True)
class ImportProblem:
    """One problem of one row: the row number as the sheet shows it, the field (a key of the row), why."""

    row: int
    field: str
    message: str


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    # {username: password} of the accounts made without a password: shown once, never stored in clear.
    passwords: dict[str, str] = field(default_factory=dict)
    problems: list[ImportProblem] = field(default_factory=list)


def _text(value) -> str:
    return "" if value is None else str(value).strip()


def _role_of(value) -> str | None:
    text = _text(value)
    for role in Role:
        if text in (role.value, role.label):
            return role.value
    return None


def _newest(candidates: list, term_of) -> list:
    """The candidates of the newest term among them (a name repeats across terms)."""
    if not candidates:
        return []
    newest = max(term_of(c).number for c in candidates)
    return [c for c in candidates if term_of(c).number == newest]


class _Lookups:
    """The reference data an import names, read once."""

    def __init__(self) -> None:
        self.streets = list(StreetCommittee.objects.all())
        self.units = list(HandlingUnit.objects.all())
        self.terms = {t.pk: t for t in Term.objects.all()}

    def street(self, text: str):
        found = [s for s in self.streets if text in (s.name, s.code)]
        return (found[0], None) if found else (None, f"没有名称或代码为“{text}”的人大街工委。")

    def unit(self, text: str):
        found = [u for u in self.units if text in (u.name, u.code)]
        return (found[0], None) if found else (None, f"没有名称为“{text}”的承办单位。")

    def delegation(self, text: str):
        found = _newest(list(Delegation.objects.filter(name=text)), lambda d: self.terms[d.term_id])
        return (found[0], None) if found else (None, f"没有名称为“{text}”的代表团。")

    def deputy(self, value):
        text = _text(value)
        if isinstance(value, int) or text.isdigit():
            found = Deputy.objects.filter(pk=int(text)).first()
            return (found, None) if found else (None, f"没有编号为 {text} 的代表。")
        found = _newest(list(Deputy.objects.filter(name=text)), lambda d: self.terms[d.term_id])
        if not found:
            return None, f"没有名为“{text}”的代表。"
        if len(found) > 1:
            ids = "、".join(str(d.pk) for d in found)
            return None, f"有多位名为“{text}”的代表（编号 {ids}），请填写代表编号。"
        return found[0], None


def _import_row(number: int, values: dict[str, Any], lookups: _Lookups) -> tuple[dict, list[ImportProblem]]:
    """One row → the keyword arguments of user_create/user_update, and its problems."""
    problems: list[ImportProblem] = []
    kwargs: dict[str, Any] = {"username": _text(values.get("username")), "full_name": _text(values.get("full_name"))}
    role = _role_of(values.get("role"))
    if role is None:
        text = _text(values.get("role"))
        problems.append(ImportProblem(number, "role", f"无法识别的角色“{text}”。" if text else "请填写角色。"))
    kwargs["role"] = role or ""
    for name, find in (("street_committee", lookups.street), ("delegation", lookups.delegation),
                       ("deputy", lookups.deputy), ("handling_unit", lookups.unit)):
        raw = values.get(name)
        kwargs[name] = None
        if _text(raw):
            found, message = find(raw) if name == "deputy" else find(_text(raw))
            if message:
                problems.append(ImportProblem(number, name, message))
            kwargs[name] = found
    active = _text(values.get("is_active")).lower()
    if not active or active in YES:
        kwargs["is_active"] = True
    elif active in NO:
        kwargs["is_active"] = False
    else:
        problems.append(ImportProblem(number, "is_active", f"“{active}”应为“是”或“否”。"))
        kwargs["is_active"] = True
    kwargs["password"] = _text(values.get("password")) or None
    return kwargs, problems


def _row_problems(number: int, kwargs: dict, existing, *, actor, said: set[str]) -> list[ImportProblem]:
    """What the service would refuse in this row (nothing is saved), except about the fields already `said`."""
    if existing is not None:
        user = User.objects.get(pk=existing.pk)
        user.username, user.first_name, user.last_name = kwargs["username"], kwargs["full_name"], ""
        user.is_active = kwargs["is_active"]
    else:
        user = User(username=kwargs["username"], first_name=kwargs["full_name"], is_active=kwargs["is_active"])
    scope = {name: kwargs[name] for name in SCOPE_FIELDS}
    errors = _validate(actor=actor, user=user, role=kwargs["role"], scope=scope, password=kwargs["password"],
                       password_required=False)
    return [ImportProblem(number, name, message) for name, messages in errors.items() for message in messages
            if name not in said]


def user_import(*, actor, rows: Iterable[tuple[int, dict[str, Any]]], dry_run: bool = False) -> ImportResult:
    """Create or update the accounts of the rows (by username), all or nothing: with any problem nothing is saved
    and every row's problems are returned. A new account without a password gets a random one (in the result);
    an existing account without one keeps its password."""
    _check_admin(actor)
    result = ImportResult()
    lookups = _Lookups()
    planned: list[tuple[int, dict, Any]] = []
    seen_names: dict[str, int] = {}
    seen_deputies: dict[int, int] = {}
    for number, values in rows:
        kwargs, problems = _import_row(number, values, lookups)
        existing = User.objects.filter(username__iexact=kwargs["username"]).first() if kwargs["username"] else None
        problems += _row_problems(number, kwargs, existing, actor=actor, said={p.field for p in problems})
        key = kwargs["username"].lower()
        if key and key in seen_names:
            problems.append(ImportProblem(number, "username", f"用户名“{kwargs['username']}”与第 {seen_names[key]} 行重复。"))
        seen_names.setdefault(key, number)
        deputy = kwargs.get("deputy")
        if deputy is not None:
            if deputy.pk in seen_deputies:
                problems.append(ImportProblem(number, "deputy", f"代表{deputy.name}已在第 {seen_deputies[deputy.pk]} 行关联。"))
            seen_deputies.setdefault(deputy.pk, number)
        result.problems += problems
        planned.append((number, kwargs, existing))
    if result.problems:
        return result
    with transaction.atomic():
        for number, kwargs, existing in planned:
            try:
                if existing is not None:
                    password = kwargs.pop("password") or _UNSET
                    user_update(actor=actor, user=existing, password=password, **kwargs)
                    result.updated.append(kwargs["username"])
                else:
                    if not kwargs["password"]:
                        kwargs["password"] = random_password()
                        result.passwords[kwargs["username"]] = kwargs["password"]
                    user_create(actor=actor, password_required=False, **kwargs)
                    result.created.append(kwargs["username"])
            except ValidationError as exc:
                # A row valid alone but not after an earlier row of the file was saved (e.g. a deputy moved).
                for name, messages in exc.message_dict.items():
                    result.problems += [ImportProblem(number, name, m) for m in messages]
        if result.problems or dry_run:
            transaction.set_rollback(True)
    if result.problems or dry_run:
        result.passwords = {}  # nothing was saved: no account has these passwords
    return result
