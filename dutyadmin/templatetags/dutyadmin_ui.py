"""Template helpers of the browser UI: the menu, the user's role labels, small formatting."""
from __future__ import annotations

from django import template

from dutyadmin.navigation import ROLE_LABELS, menu_for
from dutyadmin.roles import STREET_ROLES, Role
from dutyadmin.scope import scope_for, scope_link_names
from dutyadmin.permissions import allows as policy_allows

register = template.Library()


@register.simple_tag(takes_context=True)
def allows(context, act: str, obj=None) -> bool:
    """{% allows "self_register" as can %}: the policy's answer for the request's user (dutyadmin.permissions).

    Not rules' {% has_perm %}: that asks user.has_perm, which Django answers yes for a superuser."""
    request = context.get("request")
    return policy_allows(getattr(request, "user", None), act, obj)


@register.inclusion_tag("includes/menu.html", takes_context=True)
def main_menu(context) -> dict:
    """The menu entries the user's roles can use; `section` in the context marks the current one."""
    request = context.get("request")
    section = context.get("section", "")
    if not section and request is not None and request.resolver_match:
        section = request.resolver_match.namespace or request.resolver_match.url_name or ""
    return {"entries": menu_for(scope_for(getattr(request, "user", None)), section=section)}


@register.simple_tag(takes_context=True)
def role_labels(context) -> list[str]:
    """Each role with what it is about, e.g. "东四 街工委工作人员", "张东 代表"."""
    request = context.get("request")
    user = getattr(request, "user", None)
    scope = scope_for(user)
    if not scope.user_id:
        return []
    names = scope_link_names(user)
    labels = []
    for role in Role:
        if role not in scope.roles:
            continue
        place = ""
        if role in STREET_ROLES:
            place = names.get("street_committee", "")
        elif role == Role.DELEGATION_HEAD:
            place = names.get("delegation", "")
        elif role == Role.DEPUTY:
            place = names.get("deputy", "")
        elif role == Role.HANDLING_UNIT:
            place = names.get("handling_unit", "")
        labels.append(f"{place} {ROLE_LABELS[role]}".strip())
    if scope.is_superuser and Role.ADMIN not in scope.roles:
        labels.append(str(ROLE_LABELS[Role.ADMIN]))
    return labels


@register.filter
def display_name(user) -> str:
    """A Chinese name is family name first; fall back to the login name."""
    if user is None:
        return ""
    full = f"{user.last_name}{user.first_name}".strip()
    return full or user.get_username()


@register.filter
def dash(value):
    """An empty value shows as a dash, so a blank cell reads as 'nothing recorded'."""
    if value is None or value == "":
        return "—"
    return value
