"""Demo data of A10.5 (contacts branch): four standing-committee members (the demo user `sc_member` and three
more) with their deputies and contacts, through deputies.contacts' services.

- Every assignment has one contact a year 2022–2025 except where said.
- sc_member (王建国): 6 deputies; in 2026 four of them — two are still owed this year.
- scm_li (李秀英): 6 deputies, all contacted in 2025 and 2026.
- scm_zhao (赵志强): 5 deputies; one never contacted in 2025 (a `contact_missing` data check).
- scm_chen (陈静): only 4 deputies (a `contact_assignment_size` data check).
Deputies are picked among those in service all term and not suspended, first by name, so the demo is stable."""
from __future__ import annotations

import datetime as dt

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from deputies.contacts import contact_assignments_set, contact_log
from deputies.models import Deputy, Term, UserScope
from dutyadmin.roles import Role

# username → (display name, deputies, skip: index of a deputy not contacted in 2025, how many contacted in 2026)
DEMO_CONTACT_MEMBERS: tuple[tuple[str, str, int, int | None, int], ...] = (
    ("sc_member", "王建国", 6, None, 4),
    ("scm_li", "李秀英", 6, None, 6),
    ("scm_zhao", "赵志强", 5, 2, 3),
    ("scm_chen", "陈静", 4, None, 2),
)
MODES = ("visit", "phone", "research", "forum", "inspection", "letter", "group_activity")
NOTES = ("了解代表联系选民情况，听取对社区养老服务的意见。", "电话沟通代表近期履职安排。",
         "一同到街道开展专题调研。", "召开座谈会，听取代表对预算草案的意见。")


def contacts_write(*, term: Term, users: dict[str, object], by, password: str, as_of: dt.date) -> None:
    """Members (made if missing), their assignments and contacts; `by` (the liaison office user) assigns."""
    User = get_user_model()
    group = Group.objects.get_or_create(name=Role.SC_MEMBER)[0]
    hashed = make_password(password)
    pool = list(Deputy.objects.filter(term=term, service_start__lte=term.start_date, service_end__isnull=True,
                                      suspensions__isnull=True).select_related("term").order_by("name", "id")[:40])
    pos = 0
    for username, name, size, skip, this_year in DEMO_CONTACT_MEMBERS:
        member = users.get(username) or User.objects.filter(username=username).first()
        if member is None:
            member = User.objects.create(username=username, password=hashed, first_name=name)
            member.groups.add(group)
            UserScope.objects.create(user=member)
        elif not member.first_name:
            member.first_name = name
            member.save(update_fields=["first_name"])
        chosen = pool[pos:pos + size]
        pos += size
        assignments = contact_assignments_set(user=by, term=term, member=member, deputies=chosen)
        assignments.sort(key=lambda a: (a.deputy.name, a.deputy_id))
        for i, a in enumerate(assignments):
            for year in range(term.start_date.year, 2026):
                if not (year == 2025 and i == skip):
                    contact_log(user=member, assignment=a, date=dt.date(year, 3 + i, 10 + i),
                                mode=MODES[(i + year) % len(MODES)], notes=NOTES[(i + year) % len(NOTES)], today=as_of)
            if i < this_year:
                contact_log(user=member, assignment=a, date=dt.date(2026, 2 + i, 5 + i),
                            mode=MODES[(i + 2) % len(MODES)], notes=NOTES[(i + 1) % len(NOTES)], today=as_of)
