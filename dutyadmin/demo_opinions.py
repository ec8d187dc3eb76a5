"""Demo constituents' opinions (issue 14: opinions): taken at 东四's and 朝阳门's 2026 station receptions, one or
more in every state as of DEMO_TODAY = 2026-11-27 (and still on 2026-12-02), made and moved ONLY by
oversight/opinions/services.py, each step run as of its own day (demo_suggestions._as_of).

| state                           | example                                                        |
|---------------------------------|----------------------------------------------------------------|
| received, not forwarded         | 东四 2026-10-15 (two), 朝阳门 2026-08-14                         |
| forwarded, on time              | 朝阳门 forwarded 2026-11-25 → due 2026-12-25                      |
| forwarded, due within 15 days   | 东四 forwarded 2026-11-06 → due 2026-12-07 (12-06 a Sunday)      |
| forwarded, overdue              | 东四 2026-06-18 and 2026-10-20 (区城市管理委), 朝阳门 to its 街道办事处 |
| replied, feedback not yet given | 东四 2026-02 (街道办事处, replied by the office), 朝阳门 2026-08    |
| closed (fed back)               | several; one replied late (after its due date)                  |

The phones are fictitious (138 0000 xxxx)."""
from __future__ import annotations

from datetime import date

from activities.choices import ActivityKind
from activities.models import Activity
from deputies.models import HandlingUnit
from oversight.opinions import services
from oversight.opinions.models import Opinion, OpinionEvent

from .demo_suggestions import _as_of, _at

# (street, reception day, content, citizen, steps): steps are (action, day, unit code or "street_office", by)
F, R, C = "forward", "reply", "close"
PLAN = [
    ("东四", date(2026, 2, 16), "南锣鼓巷周边游客多，居民出行受影响，希望加强疏导。", "赵",
     [(F, date(2026, 2, 20), "ZF04", "staff"), (R, date(2026, 3, 10), "", "unit"), (C, date(2026, 3, 15), "", "staff")]),
    ("东四", date(2026, 2, 16), "胡同口公交站没有遮雨棚，老人候车不便。", "钱",
     [(F, date(2026, 2, 20), "ZF06", "staff"), (R, date(2026, 4, 10), "", "liaison"), (C, date(2026, 4, 15), "", "staff")]),
    ("东四", date(2026, 2, 16), "老旧小区楼道灯经常不亮，希望统一更换。", "孙",
     [(F, date(2026, 2, 25), "street_office", "staff"), (R, date(2026, 3, 20), "", "liaison")]),
    ("东四", date(2026, 6, 15), "夏季垃圾清运不及时，有异味。", "李",
     [(F, date(2026, 6, 18), "ZF04", "staff")]),
    ("东四", date(2026, 6, 15), "希望社区增设助餐点。", "周",
     [(F, date(2026, 6, 18), "ZF07", "staff"), (R, date(2026, 7, 10), "", "liaison"), (C, date(2026, 7, 12), "", "staff")]),
    ("东四", date(2026, 10, 15), "共享单车乱停放堵住胡同。", "吴",
     [(F, date(2026, 10, 20), "ZF04", "staff")]),
    ("东四", date(2026, 10, 15), "冬季供暖前希望检修老旧管线。", "郑",
     [(F, date(2026, 11, 6), "ZF05", "staff")]),
    ("东四", date(2026, 10, 15), "希望在社区开设智能手机使用课程。", "王", []),
    ("东四", date(2026, 10, 15), "小区停车位紧张，希望错时共享周边单位车位。", "冯", []),
    ("朝阳门", date(2026, 4, 15), "朝阳门内大街人行道破损。", "陈",
     [(F, date(2026, 4, 20), "ZF04", "staff"), (R, date(2026, 5, 10), "", "unit"), (C, date(2026, 5, 12), "", "staff")]),
    ("朝阳门", date(2026, 4, 15), "背街小巷夜间照明不足。", "褚",
     [(F, date(2026, 5, 6), "street_office", "staff")]),
    ("朝阳门", date(2026, 8, 14), "社区卫生服务站取药排队时间长。", "卫",
     [(F, date(2026, 8, 17), "ZF03", "staff"), (R, date(2026, 9, 5), "", "liaison")]),
    ("朝阳门", date(2026, 8, 14), "希望增加社区文化活动场地。", "蒋", []),
    ("朝阳门", date(2026, 10, 15), "学校门口上下学时段交通拥堵。", "沈",
     [(F, date(2026, 11, 25), "ZF06", "staff")]),
]
STAFF = {"东四": "dongsi_staff", "朝阳门": "chaoyangmen_staff"}
HOURS = {"record": "submit", F: "assign", R: "reply", C: "close"}


def _stamp(opinion: Opinion, day: date, action: str) -> None:
    event = opinion.events.order_by("-pk").first()
    OpinionEvent.objects.filter(pk=event.pk).update(at=_at(day, {"submit": 9, "assign": 10, "reply": 15, "close": 17}[HOURS[action]]))


def opinions_write(*, users: dict[str, object]) -> list[Opinion]:
    """Write PLAN through the services (see the module's docstring)."""
    receptions = {(a.street_committee.name, a.date): a for a in Activity.objects.filter(
        kind=ActivityKind.STATION_RECEPTION, street_committee__name__in=list(STAFF), date__year=2026,
    ).select_related("street_committee")}
    units = {u.code: u for u in HandlingUnit.objects.all()}
    offices = {u.name: u for u in units.values()}
    made = []
    for n, (street, day, content, surname, steps) in enumerate(PLAN):
        reception = receptions.get((street, day))
        if reception is None:
            continue
        staff = users[STAFF[street]]
        heard = [p.deputy for p in reception.participations.select_related("deputy").order_by("deputy__name")[:2]]
        with _as_of(day, HOURS["record"]):
            opinion = services.opinion_record(user=staff, reception=reception, content=content, deputies=heard,
                                              citizen_name=f"{surname}先生" if n % 2 else f"{surname}女士",
                                              citizen_phone=f"138000{n:05d}")
        Opinion.objects.filter(pk=opinion.pk).update(created_at=_at(day, 9))
        _stamp(opinion, day, "record")
        for action, when, unit, by in steps:
            user = {"staff": staff, "unit": users["chengguan_unit"], "liaison": users["liaison"]}[by]
            with _as_of(when, HOURS[action]):
                if action == F:
                    target = offices[f"{street}街道办事处"] if unit == "street_office" else units[unit]
                    opinion = services.opinion_forward(user=user, opinion=opinion, unit=target, date=when)
                elif action == R:
                    opinion = services.opinion_reply(user=user, opinion=opinion, date=when,
                                                     text="经现场核实，已安排整改，并将持续跟进。")
                else:
                    opinion = services.opinion_close(user=user, opinion=opinion, date=when,
                                                     note="已电话告知群众答复内容，群众表示认可。")
            _stamp(opinion, when, action)
        made.append(opinion)
    return made
