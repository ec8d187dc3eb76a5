"""The A10.5 contacts export (gaps14b): per standing-committee member, each assigned deputy of the term with the
year's contacts, the last contact and whether the deputy is still not contacted that year; then one row per
member. The liaison office exports every member (or one); a member only their own (contact_assignment_list's
scope, and the member's own rows again here)."""
from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from django import forms
from django.conf import settings
from django.db.models import Count, Max, Q

from deputies.contacts import contact_assignment_list, member_display, sc_members
from dutyadmin.exporters import BaseExporter, ExportSheet, Mark, chinese_date, register
from dutyadmin.permissions import allows
from oversight.rules.datachecks import contact_size_message

from .year_summary import TermYearForm

HEADER = ["常委会组成人员", "联系代表", "人大街工委", "代表团", "本年联系次数", "本年最近联系日期", "最近联系日期（全届）",
          "本年未联系"]
MEMBER_HEADER = ["常委会组成人员", "联系代表人数", "本年已联系", "本年未联系", "未联系的代表", "人数是否符合第十条（五）"]


class ContactsExportForm(TermYearForm):
    """term (default the current one), year (default this year), and for the liaison office one member or all."""

    member = forms.ModelChoiceField(label="常委会组成人员", queryset=sc_members(), required=False,
                                    error_messages={"invalid_choice": "请从列表中选择常委会组成人员。"})

    def __init__(self, *args, all_members: bool, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        if all_members:
            self.fields["member"].queryset = sc_members()
            self.fields["member"].label_from_instance = member_display
        else:
            del self.fields["member"]


@register
class ContactsExporter(BaseExporter):
    identifier = "contacts"
    verbose_name = "常委会组成人员联系代表情况"
    description = ("每位常委会组成人员的联系代表各一行：该年度联系次数、最近联系日期、是否尚未联系；另附每位组成人员的"
                   "汇总（联系代表人数是否为 5–6 名）。常委会组成人员只能导出本人的联系代表。")
    sheet_name = "联系代表"
    form_class = ContactsExportForm
    frozen_columns = 2

    @classmethod
    def available(cls, scope) -> bool:
        return allows(scope, "manage_contact_assignments") or allows(scope, "see_own_contacts")

    def form_kwargs(self) -> dict:
        return {"today": self.today, "all_members": allows(self.scope, "manage_contact_assignments")}

    def title(self) -> str:
        term, year = self.data["term"], self.data["year"]
        return (f"{settings.DISTRICT_NAME} {term.name} {year}年度常委会组成人员联系代表情况"
                f"(导出日期:{chinese_date(self.today)})")

    def filename(self) -> str:
        return f"{self.data['year']}年度联系代表情况-{self.today:%Y%m%d}.xlsx"

    def assignments(self):
        """The user's assignments of the term, each with the year's count and last date, and the last ever."""
        term, year = self.data["term"], self.data["year"]
        rows = contact_assignment_list(user=self.user).filter(term=term, member__isnull=False)
        if not allows(self.scope, "manage_contact_assignments"):
            rows = rows.filter(member_id=self.scope.user_id)
        elif self.data.get("member") is not None:
            rows = rows.filter(member=self.data["member"])
        in_year = Q(contact_records__date__year=year)
        return (rows.annotate(year_count=Count("contact_records", filter=in_year),
                              year_last=Max("contact_records__date", filter=in_year),
                              last=Max("contact_records__date"))
                .order_by("member__last_name", "member__first_name", "member__username", "deputy__name", "id"))

    def _owed(self, a) -> bool:
        """Not contacted in the year while in service in it (the member's page and 待办 read it the same way)."""
        year = self.data["year"]
        served = a.deputy.service_start <= dt.date(year, 12, 31) and (
            a.deputy.service_end is None or a.deputy.service_end >= dt.date(year, 1, 1))
        return served and not a.year_count

    def sheets(self) -> Iterator[ExportSheet]:
        rows = list(self.assignments())
        yield ExportSheet(self.sheet_name, self._rows(rows), self.title(), self.frozen_columns)
        yield ExportSheet("按组成人员汇总", self._members(rows), self.title(), 1)

    def iterate(self) -> Iterator[Any]:
        return self._rows(list(self.assignments()))

    def _rows(self, rows) -> Iterator[Any]:
        yield HEADER
        yield len(rows)
        for a in rows:
            d = a.deputy
            yield [member_display(a.member), d.name, d.street_committee.name if d.street_committee_id else "",
                   d.delegation.name if d.delegation_id else "", a.year_count, a.year_last, a.last,
                   Mark("是") if self._owed(a) else "否"]

    def _members(self, rows) -> Iterator[Any]:
        by_member: dict[int, list] = {}
        for a in rows:
            by_member.setdefault(a.member_id, []).append(a)
        yield MEMBER_HEADER
        yield len(by_member)
        for assigned in by_member.values():
            owed = [a.deputy.name for a in assigned if self._owed(a)]
            size = contact_size_message(len(assigned))
            yield [member_display(assigned[0].member), len(assigned), len(assigned) - len(owed),
                   Mark(len(owed), "warn") if owed else 0, "、".join(owed), Mark(size) if size else "是"]
