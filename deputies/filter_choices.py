"""The deputy list's filter choices (terms, streets, delegations), read once per process and cache timeout.

They change a few times a term, and every list page offered them in three queries. The rows live in Django's
cache (Redis in production, shared by the workers); saving or deleting a term, street or delegation forgets
them, once at once and once again on commit (a page reading meanwhile could store the old rows). Without Redis
(development) each process has its own cache: a change shows in another process within TIMEOUT.
"""
from __future__ import annotations

from dataclasses import dataclass

from django.core.cache import cache
from django.db import connection, transaction

from .models import Delegation, StreetCommittee, Term

TIMEOUT = 600  # seconds: an upper bound on staleness should a change bypass the signals (queryset.update)


@dataclass(frozen=True)
class FilterRows:
    terms: list[Term]  # newest first (Term's ordering): terms[0] is the current term
    streets: list[StreetCommittee]
    delegations: list[Delegation]  # with their term

    @property
    def current_term(self) -> Term | None:
        """The term with the highest number, as deputies.selectors.current_term."""
        return max(self.terms, key=lambda term: term.number) if self.terms else None


def cache_key() -> str:
    """Named by the database too: processes on other databases may share the Redis (tests in parallel)."""
    return f"deputies:filter-rows:1:{connection.settings_dict['NAME']}"


def filter_rows() -> FilterRows:
    """Every term, street and delegation, from the cache or in three queries."""
    key = cache_key()
    rows = cache.get(key)
    if rows is None:
        rows = FilterRows(terms=list(Term.objects.all()), streets=list(StreetCommittee.objects.all()),
                          delegations=list(Delegation.objects.select_related("term")))
        cache.set(key, rows, TIMEOUT)
    return rows


def forget_filter_rows(**_kwargs) -> None:
    """post_save / post_delete of Term, StreetCommittee, Delegation (connected in DeputiesConfig.ready)."""
    key = cache_key()
    cache.delete(key)
    transaction.on_commit(lambda: cache.delete(key))


WATCHED = (Term, StreetCommittee, Delegation)
