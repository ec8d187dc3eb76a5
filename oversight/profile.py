"""Reads for a deputy's page: their records in summary and the change history of everything that
can lead to a sanction (DESIGN.md: who, when, before, after). Scoped by the caller's selectors;
a fixed number of queries whatever the number of records."""
from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db import models
from django.db.models import Count
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from activities.choices import Outcome
from activities.models import Participation
from activities.selectors import participation_list
from deputies.models import Deputy, Suspension, Term, ThresholdChange
from meetings.choices import ContributionKind, LeaveStatus
from meetings.models import Attendance, Contribution, LeaveApprovalStep, LeaveRequest, Meeting
from meetings.selectors import contribution_list, leave_request_list
from meetings.services import STEP_LABELS
from oversight.rules import classify
from oversight.rules.catalog import THRESHOLD_LABELS, THRESHOLD_RULES

from .choices import InterventionKind
from .findings.selectors import classification_for
from .interventions.selectors import intervention_list
from .labels import RULE_LABELS
from .models import Intervention

LATEST = 5  # records listed per kind on the deputy's page

# A meeting's status (oversight.rules.classify) → its words and badge on the deputy's page.
MEETING_WORDS = {
    classify.PRESENT: (gettext_lazy("出席"), "ok"),
    classify.EXCUSED: (gettext_lazy("缺席(已请假)"), "warn"),
    classify.UNEXCUSED: (gettext_lazy("缺席(未经批准)"), "bad"),
}


@dataclass
class RecordSummary:
    """One kind of record: counts by a choice, the total and the latest few (notes: what the rules count)."""

    counts: list[tuple[str, int]]
    total: int
    latest: list
    notes: list[tuple[str, int]] = field(default_factory=list)


@dataclass(frozen=True)
class MeetingRecord:
    """One meeting of the deputy as the classification reads it: present, excused or unexcused."""

    meeting: Meeting
    status: str

    @property
    def label(self) -> str:
        return str(MEETING_WORDS[self.status][0])

    @property
    def tone(self) -> str:
        return MEETING_WORDS[self.status][1]


def _counts(queryset, field_name: str, choices) -> tuple[list[tuple[str, int]], int]:
    rows = dict(queryset.order_by().values_list(field_name).annotate(n=Count("pk")))
    counts = [(label, rows.get(value, 0)) for value, label in choices]
    return counts, sum(rows.values())


def deputy_records_summary(*, user, deputy: Deputy, as_of: dt.date | None = None) -> dict[str, RecordSummary]:
    """Attendance, leave, participations, contributions and interventions of one deputy.

    Whether a meeting was excused and what a participation counts toward are the classification's as of the
    day (oversight.rules.classify): an approved leave excuses a meeting whether or not it was recorded.
    """
    summary: dict[str, RecordSummary] = {}
    as_of = as_of or timezone.localdate()
    reading = classification_for(term=deputy.term, as_of=as_of, deputies=[deputy.pk]).deputies[deputy.pk]

    marks = sorted((m for m in reading.meetings.values() if m.status in MEETING_WORDS),
                   key=lambda m: (m.meeting.date, m.meeting.id), reverse=True)
    latest_ids = [m.meeting.id for m in marks[:LATEST]]
    meetings = Meeting.objects.select_related("session").in_bulk(latest_ids)
    summary["attendance"] = RecordSummary(
        counts=[(str(label), sum(1 for m in marks if m.status == status))
                for status, (label, _tone) in MEETING_WORDS.items()],
        total=len(marks),
        latest=[MeetingRecord(meetings[m.meeting.id], m.status) for m in marks[:LATEST] if m.meeting.id in meetings],
    )

    leave = leave_request_list(user=user).filter(deputy=deputy)
    counts, total = _counts(leave, "status", LeaveStatus.choices)
    summary["leave"] = RecordSummary(
        counts, total, list(leave.prefetch_related(None).order_by("-session__start_date", "-id")[:LATEST])
    )

    participations = participation_list(user=user).filter(deputy=deputy)
    counts, total = _counts(participations, "outcome", Outcome.choices)
    counted = Counter(
        mark.rule if mark.reason in (classify.COUNTS, classify.CONFIRMED_ABSENCE) else mark.reason
        for mark in reading.participations.values()
    )
    notes = [(f"{_('计入')}{RULE_LABELS[rule.id]}", counted[rule.id]) for rule in THRESHOLD_RULES if counted[rule.id]]
    if counted[classify.A93_RULE]:
        notes.append((str(_("应邀确定参加而无故不参加")), counted[classify.A93_RULE]))
    if counted[classify.OUTSIDE_SERVICE]:
        notes.append((str(_("任职期间以外(不计入)")), counted[classify.OUTSIDE_SERVICE]))
    summary["participations"] = RecordSummary(
        counts, total, list(participations.order_by("-activity__date", "-id")[:LATEST]), notes
    )

    contributions = contribution_list(user=user).filter(deputy=deputy)
    counts, total = _counts(contributions, "kind", ContributionKind.choices)
    summary["contributions"] = RecordSummary(counts, total, list(contributions.order_by("-date", "-id")[:LATEST]))

    interventions = intervention_list(user=user).filter(deputy=deputy)
    counts, total = _counts(interventions, "kind", InterventionKind.choices)
    summary["interventions"] = RecordSummary(counts, total, list(interventions.order_by("-date", "-id")[:LATEST]))
    return summary


# --- change history ---------------------------------------------------------------------------


@dataclass(frozen=True)
class FieldChange:
    field: str
    before: str
    after: str


@dataclass
class HistoryEntry:
    when: dt.datetime
    who: str
    record_type: str
    record: str
    action: str  # 新增 / 修改 / 删除
    changes: list[FieldChange] = field(default_factory=list)


# Fields that only bookkeep and would clutter every entry.
_SKIPPED = {"id", "created_at"}


def _history_sources(deputy: Deputy) -> list[tuple[str, models.QuerySet]]:
    """(record type, historical rows) of the deputy and of every record that can lead to a sanction."""
    # Approval steps belong to the deputy's leave requests, deleted ones included.
    leave_ids = LeaveRequest.history.filter(deputy_id=deputy.pk).values("id")
    return [
        (_("代表信息"), Deputy.history.filter(id=deputy.pk)),
        (_("暂停执行代表职务"), Suspension.history.filter(deputy_id=deputy.pk)),
        (_("出席记录"), Attendance.history.filter(deputy_id=deputy.pk)),
        (_("请假申请"), LeaveRequest.history.filter(deputy_id=deputy.pk)),
        (_("请假审批"), LeaveApprovalStep.history.filter(leave_request_id__in=leave_ids)),
        (_("参加活动"), Participation.history.filter(deputy_id=deputy.pk)),
        (_("审议意见和建议"), Contribution.history.filter(deputy_id=deputy.pk)),
        (_("履职处置"), Intervention.history.filter(deputy_id=deputy.pk)),
    ]


def _display(value, model_field: models.Field, related: dict) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, dict):  # thresholds (a term's, a change's): each key in words, never a raw dict
        return ";".join(f"{THRESHOLD_LABELS.get(k, k)} {_display(v, model_field, related)}" for k, v in value.items())
    if model_field.is_relation:
        target = related.get(model_field.related_model, {}).get(value)
        if target is None:
            return f"#{value}"  # deleted since
        if model_field.related_model is get_user_model():
            return _user_name(target)
        if isinstance(getattr(target, "date", None), dt.date) and hasattr(target, "title"):
            # Meetings and activities: their own __str__ writes the date as YYYY-MM-DD.
            return f"{target.title}({formats.date_format(target.date)})"
        return str(target)
    if model_field.choices:
        return str(dict(model_field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, (dt.date, dt.datetime)):
        return formats.date_format(value)
    return str(value)


def _related_objects(rows_by_source: list[tuple[str, list]]) -> dict:
    """{related model: {pk: object}} for every foreign key value in the rows, one query per model."""
    wanted: dict[type, set] = defaultdict(set)
    for _label, rows in rows_by_source:
        for row in rows:
            for f in row.tracked_fields:
                if f.is_relation and f.many_to_one:
                    value = getattr(row, f.attname)
                    if value is not None:
                        wanted[f.related_model].add(value)
    related = {}
    user_model = get_user_model()
    for model, ids in wanted.items():
        queryset = model._default_manager.all()
        if model is LeaveRequest:
            queryset = queryset.select_related("deputy", "session")
        if model is user_model:
            queryset = queryset.only("id", "username", "first_name", "last_name")
        related[model] = queryset.in_bulk(ids)
    return related


def _user_name(user) -> str:
    if user is None:
        return _("系统")
    return f"{user.last_name}{user.first_name}".strip() or user.get_username()


def _record_label(row, related: dict) -> str:
    """What the historical row is about, in words a clerk recognizes."""
    model = row.instance_type
    if model is Deputy:
        return row.name
    if model is Attendance:
        return _display(row.meeting_id, model._meta.get_field("meeting"), related)
    if model is LeaveRequest:
        session = _display(row.session_id, model._meta.get_field("session"), related)
        return f"{session} {row.get_route_display()}"
    if model is Participation:
        return _display(row.activity_id, model._meta.get_field("activity"), related)
    if model is Contribution:
        return row.title
    if model is Intervention:
        return f"{row.get_kind_display()} {formats.date_format(row.date)}"
    if model is ThresholdChange:
        return _("%(day)s起施行") % {"day": formats.date_format(row.effective_from)}
    if model is Term:
        return row.name
    if model is LeaveApprovalStep:
        leave = _display(row.leave_request_id, model._meta.get_field("leave_request"), related)
        return f"{leave} · {STEP_LABELS.get(row.code, row.code)}"
    return str(row.pk)


def deputy_history(*, deputy: Deputy) -> list[HistoryEntry]:
    """Every change to the deputy and their records, newest first, with each field's before → after."""
    return record_history(sources=_history_sources(deputy))


def record_history(*, sources: list[tuple[str, models.QuerySet]]) -> list[HistoryEntry]:
    """The changes in (record type, historical rows) sources, newest first, with before → after."""
    rows_by_source = [
        (label, list(qs.select_related("history_user").order_by("history_date", "history_id")))
        for label, qs in sources
    ]
    related = _related_objects(rows_by_source)
    actions = {"+": _("新增"), "~": _("修改"), "-": _("删除")}
    entries = []
    for label, rows in rows_by_source:
        previous: dict = {}
        for row in rows:
            fields = [f for f in row.tracked_fields if f.name not in _SKIPPED and f.editable]
            before = previous.get(row.id)
            changes = []
            if row.history_type == "~" and before is not None:
                # simple-history's own diff of the two versions (many-to-many fields left out: a leave's
                # meetings would cost a query per version), listed in the model's field order.
                delta = row.diff_against(before, included_fields=[f.name for f in fields])
                by_name = {change.field: change for change in delta.changes}
                for f in fields:
                    change = by_name.get(f.name)
                    if change is None:
                        continue
                    if isinstance(change.old, dict) and isinstance(change.new, dict):
                        # Thresholds: the keys that changed, one line each.
                        for key in dict.fromkeys([*change.old, *change.new]):
                            if change.old.get(key) != change.new.get(key):
                                changes.append(FieldChange(
                                    f"{f.verbose_name}·{THRESHOLD_LABELS.get(key, key)}",
                                    _display(change.old.get(key), f, related), _display(change.new.get(key), f, related),
                                ))
                        continue
                    changes.append(FieldChange(str(f.verbose_name), _display(change.old, f, related),
                                               _display(change.new, f, related)))
                if not changes:
                    continue  # saved without a change: nothing to tell
            elif row.history_type == "+":
                for f in fields:
                    new = getattr(row, f.attname)
                    # The deputy of a new record is the page's deputy: no need to repeat it.
                    if new not in (None, "", False) and not (f.name == "deputy" and row.instance_type is not Deputy):
                        changes.append(FieldChange(str(f.verbose_name), "—", _display(new, f, related)))
            previous[row.id] = row
            entries.append(
                HistoryEntry(
                    when=row.history_date,
                    who=_user_name(row.history_user),
                    record_type=str(label),
                    record=_record_label(row, related),
                    action=str(actions.get(row.history_type, row.history_type)),
                    changes=changes,
                )
            )
    entries.sort(key=lambda e: e.when, reverse=True)
    return entries
