"""The link a station reception's page shows to its constituents' opinions (registered in oversight's AppConfig)."""
from __future__ import annotations

from django.urls import reverse

from activities.choices import ActivityKind
from activities.links import ActivityLink
from dutyadmin.permissions import allows

from .selectors import opinion_list


def reception_opinion_links(*, activity, user) -> list[ActivityLink]:
    if activity.kind != ActivityKind.STATION_RECEPTION or not allows(user, "see_opinions"):
        return []
    n = opinion_list(user=user).filter(reception=activity).count()
    can_record = activity.street_committee_id is not None and allows(user, "record_opinion", activity.street_committee_id)
    label = f"群众意见（{n}条）" + ("：查看和登记" if can_record else "：查看")
    return [ActivityLink(label, reverse("opinions:reception", args=[activity.pk]),
                         "这次接待中收集的群众意见，转办、答复和反馈情况。")]
