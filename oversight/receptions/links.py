"""The link a 主任会议成员接待代表 activity's page shows to its streets' recommendations (registered in oversight's
AppConfig)."""
from __future__ import annotations

from django.urls import reverse

from activities.choices import ActivityKind
from activities.links import ActivityLink
from dutyadmin.permissions import allows

from .selectors import reception_row


def reception_recommendation_links(*, activity, user) -> list[ActivityLink]:
    if activity.kind != ActivityKind.DIRECTOR_RECEPTION or not allows(user, "see_receptions"):
        return []
    row = reception_row(user=user, reception=activity)
    label = f"各街工委推荐的代表（{len(row.recommendations)}/{row.expected} 个街工委已推荐）"
    return [ActivityLink(label, reverse("receptions:reception", args=[activity.pk]),
                         "第十条（六）：每个街工委每次推荐 1 名代表参加。")]
