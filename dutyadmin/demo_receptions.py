"""Demo data of A10.6 (主任会议成员接待代表, Art. 10(六)): the receptions the plan does not hold (it holds two a
year, April and October) and each street's recommended deputy, written after the plan so its random draws and every
deliberate case stay as they are (a reception is handbook only: no rule counts it, and no participation is added).

- 2022–2024: 7 receptions a year, every street recommended for each.
- 2025: only 6 (a `director_receptions_short` data check for the liaison office).
- 2026: 6 held by DEMO_TODAY and one planned on 2026-12-10 (7 planned; the year page reads "进度落后" until it is
  held). For the October reception 朝阳门, 景山 and 天坛 did not recommend anyone; nobody has recommended for the
  planned one yet, so 东四's staff (dongsi_staff) find it in their 待办; 东四 recommended for every held one, through
  the service, as its staff would.
Recommended deputies are picked per street among those in service and not suspended on the day, in turn by name."""
from __future__ import annotations

import datetime as dt

from simple_history.utils import bulk_create_with_history

from activities.choices import ActivityKind, OrganizerLevel
from activities.models import Activity
from deputies.models import Term
from oversight.receptions.models import ReceptionRecommendation
from oversight.receptions.selectors import deputies_by_street
from oversight.receptions.services import recommendation_set
from oversight.rules.receptions import may_recommend

EXTRA = ((2, 24), (6, 10), (7, 15), (9, 9), (11, 12))  # besides the plan's April and October receptions
SHORT_YEAR = 2025  # one reception fewer: 6
PLANNED = dt.date(2026, 12, 10)
OCTOBER_MISSING = ("朝阳门", "景山", "天坛")
OWN_STREET = "东四"  # recommended through the service by its staff (dongsi_staff)


def _weekday(d: dt.date) -> dt.date:
    return d - dt.timedelta(days=1) if d.weekday() == 5 else d + dt.timedelta(days=1) if d.weekday() == 6 else d


def receptions_write(*, term: Term, users: dict[str, object], today: dt.date) -> None:
    new = []
    for year in range(term.start_date.year, term.end_date.year + 1):
        extra = EXTRA[:-1] if year in (SHORT_YEAR, today.year) else EXTRA
        for month, day in extra:
            new.append(Activity(term=term, kind=ActivityKind.DIRECTOR_RECEPTION, date=_weekday(dt.date(year, month, day)),
                                title=f"主任会议成员接待代表（{year}年{month}月）",
                                organizer_level=OrganizerLevel.STANDING_COMMITTEE, location="区人大常委会机关"))
    if term.start_date <= PLANNED <= term.end_date:
        new.append(Activity(term=term, kind=ActivityKind.DIRECTOR_RECEPTION, date=PLANNED,
                            title="主任会议成员接待代表（2026年12月）", organizer_level=OrganizerLevel.STANDING_COMMITTEE,
                            location="区人大常委会机关", description="听取代表对明年区政府重点工作的意见建议。"))
    Activity.objects.bulk_create(new)
    receptions = list(Activity.objects.filter(term=term, kind=ActivityKind.DIRECTOR_RECEPTION, date__lte=today)
                      .order_by("date", "id"))
    by_street = deputies_by_street(term)
    names = dict(term.deputies.values_list("pk", "name"))
    streets = {s.pk: s for s in {d.street_committee for d in term.deputies.select_related("street_committee")}
               if s is not None}
    liaison, own_staff = users["liaison"], users.get("dongsi_staff")
    rows, own = [], []
    for k, reception in enumerate(receptions):
        october = reception.date.year == today.year and reception.date.month == 10
        for street_id, deputies in sorted(by_street.items()):
            street = streets[street_id]
            if october and street.name in OCTOBER_MISSING:
                continue
            pool = sorted((d for d in deputies if may_recommend(d, reception.date)), key=lambda d: (names[d.id], d.id))
            if not pool:
                continue
            deputy = pool[k % len(pool)]
            if street.name == OWN_STREET and reception.date.year == today.year and own_staff is not None:
                own.append((reception, street, deputy.id))
            else:
                rows.append(ReceptionRecommendation(reception=reception, street_committee=street, deputy_id=deputy.id,
                                                    created_by=liaison))
    bulk_create_with_history(rows, ReceptionRecommendation, default_user=liaison, batch_size=1000)
    deputies = {d.pk: d for d in term.deputies.filter(pk__in=[d for _r, _s, d in own])}
    for reception, street, deputy_id in own:
        recommendation_set(user=own_staff, reception=reception, street_committee=street, deputy=deputies[deputy_id],
                           note="本街工委推荐。", current=0)
