"""Every write of a street's recommended deputy for a 主任会议成员接待代表 activity (Art. 10(六)): recommend (or
change the deputy), withdraw. Checked (role, the activity's kind, the deputy's street, term and service on the day),
atomic on the reception's locked row, kept in history (simple-history: who, when, before, after)."""
from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction

from activities.choices import ActivityKind
from activities.models import Activity
from deputies.models import Deputy, StreetCommittee
from dutyadmin.dates import chinese_date
from dutyadmin.permissions import allows
from dutyadmin.services import Conflict, record_delete, record_save
from oversight.findings.facts import deputy_facts
from oversight.rules.receptions import may_recommend

from .models import ReceptionRecommendation


def _check(*, reception: Activity, street_committee: StreetCommittee | None, deputy: Deputy | None) -> None:
    errors: dict[str, str] = {}
    if reception.kind != ActivityKind.DIRECTOR_RECEPTION:
        errors["reception"] = "只能为“主任会议成员接待代表”活动推荐代表。"
    if street_committee is None:
        errors["street_committee"] = "请选择推荐的街道工委。"
    if deputy is None:
        errors["deputy"] = "请选择推荐的代表。"
    elif street_committee is not None and deputy.street_committee_id != street_committee.pk:
        errors["deputy"] = f"{deputy.name}不是{street_committee.name}的代表；每个街工委推荐本街工委的代表。"
    elif deputy.term_id != reception.term_id:
        errors["deputy"] = f"{deputy.name}不是本届（{reception.term}）的代表。"
    elif not may_recommend(deputy_facts(Deputy.objects.filter(pk=deputy.pk))[deputy.pk], reception.date):
        errors["deputy"] = (f"{deputy.name}在接待日（{chinese_date(reception.date)}）不在任或暂停执行代表职务，"
                            "不能推荐。")
    if errors:
        raise ValidationError(errors)


def recommendation_set(*, user, reception: Activity, street_committee: StreetCommittee | None,
                       deputy: Deputy | None, note: str = "", current: int | None = None) -> ReceptionRecommendation:
    """The street's recommended deputy for this reception: a first recommendation, or a change of deputy (one per
    street and reception). current: the recommendation the user saw (its id, or 0 for none); if another was saved
    since (a double click, a colleague), 409 with the one now in force."""
    if not allows(user, "recommend_reception_deputy", street_committee):
        raise PermissionDenied("您只能为本街工委推荐代表。")
    _check(reception=reception, street_committee=street_committee, deputy=deputy)
    with transaction.atomic():
        # The reception's row serializes the street's recommendations (two at once: the second sees the first).
        Activity.objects.select_for_update().filter(pk=reception.pk).order_by().first()
        existing = (ReceptionRecommendation.objects.select_related("deputy")
                    .filter(reception=reception, street_committee=street_committee).first())
        if current is not None and (existing.pk if existing else 0) != current:
            raise Conflict(
                f"{street_committee.name}已推荐了{existing.deputy.name}，请刷新后再修改。" if existing
                else "这条推荐已被撤回，请刷新后再推荐。",
                field="deputy", current={"recommendation": existing.pk if existing else None,
                                         "deputy": existing.deputy_id if existing else None})
        if existing is not None and existing.deputy_id == deputy.pk and existing.note == (note or ""):
            return existing
        instance = existing or ReceptionRecommendation(reception=reception, street_committee=street_committee,
                                                       created_by=user if user is not None and user.is_authenticated else None)
        return record_save(instance, user=user, data={"deputy": deputy, "note": (note or "").strip()})


def recommendation_withdraw(*, user, recommendation: ReceptionRecommendation) -> None:
    """Withdraw a street's recommendation (history keeps it)."""
    record_delete(recommendation, user=user,
                  allowed=allows(user, "recommend_reception_deputy", recommendation.street_committee_id))
