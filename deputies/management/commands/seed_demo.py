"""`python manage.py seed_demo`: load the demo district once and print the demo accounts."""
from __future__ import annotations

import unicodedata

from django.core.management.base import BaseCommand
from django.utils import timezone

from dutyadmin.demo import DEMO_PASSWORD, TERM_NAME, UserRow, demo_seed
from dutyadmin.signals import demo_loaded


def _width(text: str) -> int:
    """Terminal columns: CJK characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


def users_table(rows: list[UserRow]) -> str:
    """The credentials as an aligned plain-text table."""
    header = ("用户名", "密码", "角色", "范围")
    lines = [header] + [(r.username, r.password if r.created else "(未改动)", r.role, r.scope) for r in rows]
    widths = [max(_width(line[i]) for line in lines) for i in range(len(header))]
    rule = "  ".join("-" * w for w in widths)
    out = ["  ".join(_pad(cell, w) for cell, w in zip(line, widths)).rstrip() for line in lines]
    return "\n".join([out[0], rule, *out[1:]])


class Command(BaseCommand):
    help = ("载入演示数据(东城区 17 个街工委、第十七届代表及五年的履职记录，承办单位和代表建议),"
            "并创建各角色的演示账号。已载入则不重复。")

    def handle(self, *args, **options) -> None:
        result = demo_seed()
        counts = result.counts
        if result.created:
            self.stdout.write(self.style.SUCCESS(
                f"已载入演示数据(用时 {result.seconds:.1f} 秒):{counts['streetcommittee']} 个街工委,"
                f"{counts['deputy']} 名代表,{counts['congresssession']} 次大会 {counts['meeting']} 场会议、"
                f"{counts['attendance']} 条出席记录,{counts['leaverequest']} 份请假申请,"
                f"{counts['activity']} 项活动、{counts['participation']} 条参加记录,"
                f"{counts['contribution']} 条审议意见和建议,{counts['intervention']} 条履职处置;"
                f"{counts['handlingunit']} 个承办单位，{counts['suggestion']} 件代表建议（第五次会议及闭会期间，各办理状态均有）。"
            ))
        else:
            self.stdout.write(f"演示数据已存在({TERM_NAME},{counts['deputy']} 名代表),未作改动。")
        new_rows = [r for r in result.users if r.created]
        if new_rows:
            self.stdout.write("\n演示账号(仅供本机演示,所有账号密码相同):\n")
            self.stdout.write(users_table(result.users))
            self.stdout.write("")
        else:
            names = "、".join(r.username for r in result.users)
            self.stdout.write(f"演示账号已存在,未改动:{names}(初始密码 {DEMO_PASSWORD})。")
        # The day's reminders (findings to act on, approvals waiting), as the beat would send them: the demo
        # users' 我的消息 are not empty. Safe to repeat: a reminder already sent is not sent again.
        answers = [n for _, n in demo_loaded.send(sender=None, today=timezone.localdate())]
        made = sum(n for n in answers if isinstance(n, int))
        if made:
            self.stdout.write(f"已生成 {made} 条今日提醒(我的消息)。")
        # --- calendar: a receiver may answer a line to print (the demo deputy's calendar feed address, once)
        for line in answers:
            if isinstance(line, str) and line:
                self.stdout.write(line)
