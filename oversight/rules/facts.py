"""Facts the rules read: frozen records built by the fact loader, grouped per deputy once by build_facts."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from functools import partial
from itertools import groupby
from operator import itemgetter
from typing import NamedTuple, TypeVar

from .findings import Evidence
from .settings import ThresholdChangeFact


@dataclass(frozen=True, slots=True)
class TermFacts:
    """A term (届), its base threshold settings (missing keys take catalog defaults) and their changes."""

    id: int
    start: dt.date
    end: dt.date
    thresholds: Mapping[str, int] = field(default_factory=dict)
    changes: tuple[ThresholdChangeFact, ...] = ()  # settings changed during the term (rules/settings.py)


@dataclass(frozen=True, slots=True)
class DeputyFacts:
    """A deputy; service_end is set whenever termination, resignation, recall or death ended the service.

    suspensions: (start, end) of each suspension of their duties (代表法 Art. 61), end None while open."""

    id: int
    service_start: dt.date
    service_end: dt.date | None = None
    status: str = "active"
    suspensions: tuple[tuple[dt.date, dt.date | None], ...] = ()


@dataclass(frozen=True, slots=True)
class SessionFacts:
    """A congress session (区人民代表大会会议); its meetings are the MeetingFacts naming it."""

    id: int
    start: dt.date
    end: dt.date
    name: str = ""


@dataclass(frozen=True, slots=True)
class MeetingFacts:
    """One sitting of a session; kind is a MeetingKind value."""

    id: int
    session_id: int
    date: dt.date
    kind: str = "plenary"


@dataclass(frozen=True, slots=True)
class AttendanceFact:
    """What the secretariat recorded of one deputy at one meeting: present or absent."""

    meeting_id: int
    deputy_id: int
    present: bool


@dataclass(frozen=True, slots=True)
class LeaveFact:
    """A leave request (请假) with its current status; meeting_ids are the meetings it names (empty for whole_session).

    filing_open: its filing step (备案) is still to be done (only an approved request's filing counts)."""

    id: int
    deputy_id: int
    session_id: int
    route: str
    status: str
    meeting_ids: frozenset[int] = frozenset()
    filing_open: bool = False


class ParticipationFact(NamedTuple):
    """One deputy's invitation to and outcome at one activity, with the activity's kind and (first) date.

    A tuple, immutable as the dataclasses are: a city's term has millions, which facts_of makes from the loader's
    rows in C (a frozen dataclass sets each field through object.__setattr__: five times the cost)."""

    activity_id: int
    kind: str
    date: dt.date
    deputy_id: int
    confirmed: bool
    outcome: str


class ContributionFact(NamedTuple):
    """A review opinion, suggestion, motion or inquiry; session_id None means the closed period (a tuple, as
    ParticipationFact)."""

    id: int
    deputy_id: int
    session_id: int | None
    kind: str
    date: dt.date


@dataclass(frozen=True, slots=True)
class InterventionFact:
    """What the office did about an action rule: a talk, notice, termination or resignation advice."""

    id: int
    deputy_id: int
    rule: str
    kind: str
    date: dt.date


@dataclass(frozen=True, slots=True)
class Facts:
    """Every fact of one term, indexed once so each deputy is evaluated without scanning the others."""

    deputies: Mapping[int, DeputyFacts]
    sessions: tuple[SessionFacts, ...]  # by (start, id)
    meetings: Mapping[int, MeetingFacts]
    session_meetings: Mapping[int, tuple[MeetingFacts, ...]]  # session id → its meetings by (date, id)
    attendance: Mapping[int, Mapping[int, bool]]  # deputy id → meeting id → present
    leaves: Mapping[int, tuple[LeaveFact, ...]]
    participations: Mapping[int, tuple[ParticipationFact, ...]]
    contributions: Mapping[int, tuple[ContributionFact, ...]]
    interventions: Mapping[int, tuple[InterventionFact, ...]]
    # One shared Evidence per activity: an activity's evidence is the same for every deputy at it.
    activity_evidence: Mapping[int, Evidence]


_EMPTY: tuple = ()
T = TypeVar("T", bound=tuple)


def facts_of(cls: type[T], rows: Iterable[tuple]) -> Iterator[T]:
    """Facts of a tuple class (ParticipationFact, ContributionFact) from rows of its fields' values in its order."""
    return map(partial(tuple.__new__, cls), rows)


# ParticipationFact's fields by position (itemgetter runs in C; a NamedTuple's attribute is a Python-level lookup).
_ACTIVITY_OF_PARTICIPATION, _DATE_OF_PARTICIPATION, _DEPUTY_OF_PARTICIPATION = (
    itemgetter(ParticipationFact._fields.index(name)) for name in ("activity_id", "date", "deputy_id"))


def _group(records: Iterable, key: str) -> dict[int, tuple]:
    grouped: dict[int, list] = {}
    for record in records:
        deputy_id = getattr(record, key)
        bucket = grouped.get(deputy_id)
        if bucket is None:
            grouped[deputy_id] = [record]
        else:
            bucket.append(record)
    return {deputy_id: tuple(bucket) for deputy_id, bucket in grouped.items()}


def build_facts(
    *,
    deputies: Iterable[DeputyFacts],
    sessions: Iterable[SessionFacts] = (),
    meetings: Iterable[MeetingFacts] = (),
    attendance: Iterable[AttendanceFact] = (),
    leaves: Iterable[LeaveFact] = (),
    participations: Iterable[ParticipationFact] = (),
    contributions: Iterable[ContributionFact] = (),
    interventions: Iterable[InterventionFact] = (),
    marks: Iterable[tuple[int, int, bool]] = (),
    evidence: dict[int, Evidence] | None = None,
) -> Facts:
    """Group flat facts per deputy (one pass each) into the Facts the rules evaluate.

    marks: attendance as (meeting id, deputy id, present) tuples, read like `attendance` (the loader's rows: a
    million attendance records need no AttendanceFact each only to be grouped).
    evidence: the activities' Evidence already made for other deputies of the term (a chunk before), by activity id:
    kept, and the missing ones added, so that the chunks of a term make each activity's once."""
    meeting_list = sorted(meetings, key=lambda m: (m.date, m.id))
    session_meetings: dict[int, list[MeetingFacts]] = {}
    for meeting in meeting_list:
        session_meetings.setdefault(meeting.session_id, []).append(meeting)

    attendance_by_deputy: dict[int, dict[int, bool]] = {}
    for record in attendance:
        of_deputy = attendance_by_deputy.get(record.deputy_id)
        if of_deputy is None:
            attendance_by_deputy[record.deputy_id] = of_deputy = {}
        of_deputy[record.meeting_id] = record.present
    for meeting_id, deputy_id, present in marks:
        of_deputy = attendance_by_deputy.get(deputy_id)
        if of_deputy is None:
            attendance_by_deputy[deputy_id] = of_deputy = {}
        of_deputy[meeting_id] = present

    # Grouped in C: a stable sort by deputy (linear when the rows come by deputy, as a range of the deputy index
    # gives them), then groupby; each deputy's records keep the order they came in. The activities' dates likewise.
    participation_list = sorted(participations, key=_DEPUTY_OF_PARTICIPATION)
    grouped_participations = {deputy_id: tuple(ps) for deputy_id, ps in
                              groupby(participation_list, _DEPUTY_OF_PARTICIPATION)}
    dates = dict(zip(map(_ACTIVITY_OF_PARTICIPATION, participation_list), map(_DATE_OF_PARTICIPATION, participation_list),
                     strict=True))  # one date per activity: its records all carry it
    if evidence is None:
        activity_evidence = {activity_id: Evidence("activity", activity_id, date) for activity_id, date in dates.items()}
    else:
        activity_evidence = evidence
        for activity_id in dates.keys() - evidence.keys():
            evidence[activity_id] = Evidence("activity", activity_id, dates[activity_id])
    del participation_list

    return Facts(
        deputies={d.id: d for d in deputies},
        sessions=tuple(sorted(sessions, key=lambda s: (s.start, s.id))),
        meetings={m.id: m for m in meeting_list},
        session_meetings={sid: tuple(ms) for sid, ms in session_meetings.items()},
        attendance=attendance_by_deputy,
        leaves=_group(leaves, "deputy_id"),
        participations=grouped_participations,
        contributions=_group(contributions, "deputy_id"),
        interventions=_group(interventions, "deputy_id"),
        activity_evidence=activity_evidence,
    )
