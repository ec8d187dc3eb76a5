"""What the rules say: findings (履职提示) and data-quality checks, with the API contract's field names."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Evidence:
    """One record behind a finding: type is session, meeting, activity, contribution or intervention."""

    type: str
    id: int
    date: dt.date

    def as_dict(self) -> dict:
        """The contract's {type, id, date} (date still a date object)."""
        return {"type": self.type, "id": self.id, "date": self.date}


@dataclass(frozen=True, slots=True)
class Finding:
    """What one rule says about one deputy for one period (RULES.md, evaluation contract)."""

    deputy: int
    rule: str
    article: str
    status: str
    action: str
    responsible: str
    period_start: dt.date
    period_end: dt.date
    count: int
    required: int
    trigger_date: dt.date | None
    evidence: tuple[Evidence, ...]
    # The effective_from of the latest settings change the finding was judged under, or the term's start
    # when none applied (RULES.md "Settings change over time").
    settings_from: dt.date | None = None

    def as_dict(self) -> dict:
        """The contract's fields as plain values (dates still date objects, evidence as dicts)."""
        return {
            "deputy": self.deputy,
            "rule": self.rule,
            "article": self.article,
            "status": self.status,
            "action": self.action,
            "responsible": self.responsible,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "count": self.count,
            "required": self.required,
            "trigger_date": self.trigger_date,
            "settings_from": self.settings_from,
            "evidence": [e.as_dict() for e in self.evidence],
        }


@dataclass(frozen=True, slots=True)
class DataCheck:
    """A data-quality warning (not a sanction) about one record of one deputy; detail is for the staff."""

    check: str
    deputy: int
    type: str
    id: int
    date: dt.date
    detail: str

    def as_dict(self) -> dict:
        """The contract's fields as plain values."""
        return {
            "check": self.check,
            "deputy": self.deputy,
            "type": self.type,
            "id": self.id,
            "date": self.date,
            "detail": self.detail,
        }


@dataclass(frozen=True, slots=True)
class GroupedDataCheck(DataCheck):
    """A data check about one record of a problem of several (a duplicate: every activity of the same kind
    that day): given once per record, as the contract has it, with the whole `group` (ids, ascending) so
    that a page can show the problem once. Its contract fields are DataCheck's (as_dict is the same)."""

    group: tuple[int, ...] = ()
