"""Reads of terms, streets, delegations and deputies, scoped by user."""
from __future__ import annotations


from django.db.models import QuerySet
from django.http import Http404

from dutyadmin.permissions import allows
from dutyadmin.scope import scope_for

from . import contacts
from .models import ContactAssignment, Delegation, Deputy, StreetCommittee, Suspension, Term, ThresholdChange


def term_list(*, user) -> QuerySet[Term]:
    return Term.objects.all()


def threshold_change_list(*, user) -> QuerySet[ThresholdChange]:
    """A term's threshold changes are read like the term itself: by every user (they say what is expected)."""
    return ThresholdChange.objects.select_related("term", "created_by")


def street_committee_list(*, user) -> QuerySet[StreetCommittee]:
    return StreetCommittee.objects.all()


def delegation_list(*, user) -> QuerySet[Delegation]:
    return Delegation.objects.select_related("term", "head")


def deputy_list(*, user) -> QuerySet[Deputy]:
    """The deputies the user may see."""
    scope = scope_for(user)
    return Deputy.objects.filter(scope.deputy_q()).select_related("term", "street_committee", "delegation")


def suspension_list(*, user) -> QuerySet[Suspension]:
    """Suspensions of the deputies the user may see (read like the deputy: they say why duties stopped)."""
    scope = scope_for(user)
    return Suspension.objects.filter(scope.deputy_q("deputy__")).select_related("deputy", "created_by")


def contact_assignment_list(*, user) -> QuerySet[ContactAssignment]:
    """The contact assignments the user may see (one definition: deputies.contacts)."""
    return contacts.contact_assignment_list(user=user)


def current_term() -> Term | None:
    """The term with the highest number: the default for forms and lists."""
    return Term.objects.order_by("-number").first()


def current_term_or_404() -> Term:
    """current_term for a page that has nothing to show without a term: a 404 that says so."""
    term = current_term()
    if term is None:
        raise Http404("还没有届次。")
    return term


def editable_deputies(*, user, act: str) -> QuerySet:
    """Deputies in the user's scope on whom the user may do the act of dutyadmin.permissions (a form's choices)."""
    scope = scope_for(user)
    deputies = deputy_list(user=user)
    everyone = list(deputies)
    ids = [deputy.pk for deputy in everyone if allows(scope, act, deputy)]
    if len(ids) == len(everyone):
        return deputies  # district-wide editors: no long IN list
    return deputies.filter(pk__in=ids)
