"""Step 4 of the import: a plan without problems is saved, all of it or nothing.

Before saving, the plan goes through the checks every write of the services makes
(`plan_validate`): the year lock of the year-end review is `assert_year_open` itself, asked once
per street, term and year the plan touches, and each row of a locked year is reported with its
row number. The service period is `Deputy.serves_on`, checked while the rows are read. Then
`plan_save` creates the activities and participations in bulk, with history, inside the caller's
transaction.
"""
from __future__ import annotations

from collections import defaultdict

from django.core.exceptions import ValidationError
from simple_history.utils import bulk_create_with_history

from deputies.models import Deputy
from dutyadmin.year_lock import assert_year_open

from ..models import Activity, ActivityImport, Participation
from .rows import ImportPlan, problem_order
from .sheet import COLUMN_BY_KEY, Problem


def plan_validate(plan: ImportPlan) -> None:
    """Add to the plan's problems every row the services would refuse: a row of a locked year."""
    rows_by_place: dict[tuple[int, int, int], list] = defaultdict(list)  # (term, street, year) → rows
    for activity in plan.activities:
        for p in activity.participations:
            rows_by_place[(activity.term_id, p.street_committee_id, activity.date.year)].append((activity, p))
    column = COLUMN_BY_KEY["date"].header
    for (term_id, street_id, _year), rows in rows_by_place.items():
        first, _ = rows[0]
        try:
            assert_year_open(deputies=[Deputy(term_id=term_id, street_committee_id=street_id)], dates=[first.date])
        except ValidationError as exc:
            plan.problems.extend(Problem(p.row, column, message) for _, p in rows for message in exc.messages)
    plan.problems.sort(key=problem_order)


def plan_save(*, user, plan: ImportPlan, record: ActivityImport) -> tuple[int, int]:
    """Create the planned activities and participations (with history); call inside a transaction."""
    history_user = user if user and user.is_authenticated else None
    activities = [
        Activity(
            term_id=a.term_id, kind=a.kind, title=a.title, date=a.date, end_date=a.end_date,
            organizer_level=plan.organizer_level, street_committee_id=plan.street_committee_id,
            location=a.location, source_import=record,
        )
        for a in plan.activities
    ]
    created = bulk_create_with_history(activities, Activity, default_user=history_user, batch_size=500)
    if any(a.pk is None for a in created):  # databases that do not return ids from a bulk insert
        created = list(Activity.objects.filter(source_import=record).order_by("id"))
    participations = [
        Participation(activity_id=activity.pk, deputy_id=p.deputy_id, confirmed=p.confirmed, outcome=p.outcome)
        for activity, planned in zip(created, plan.activities, strict=True)
        for p in planned.participations
    ]
    bulk_create_with_history(participations, Participation, default_user=history_user, batch_size=1000)
    return len(activities), len(participations)
