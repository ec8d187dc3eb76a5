"""Every page of sessions, leave and contributions answers bad input with a 4xx or the page itself
and a notice, never a 500: nonsense query strings, forged form posts, ids that cannot exist."""
import pytest
from django.urls import reverse

from dutyadmin.roles import Role
from meetings.choices import LeaveStatus

from .helpers import leave_in_state

pytestmark = pytest.mark.django_db

NONSENSE = {"page": "abc", "session": "x", "delegation": "-1", "route": "teleport", "status": "maybe", "q": "\x00%",
            "deputy": "99999999999999999999999", "kind": "poem", "year": "十", "state": "lost", "backfilled": "perhaps"}
FORGED = {"deputy": "99999999999999999999999", "session": "abc", "route": "x", "meetings": ["-5", "x"],
          "reason": "", "status": "approved", "rejected_at": "nine", "action": "approve", "comment": "x" * 3000,
          "status_1": "maybe", "status_abc": "present", "status_99999999999999999999999": "absent", "fill": "",
          "title": "", "kind": "poem", "date": "2024-02-31", "term": "0", "number": "-1", "start_date": "昨天",
          "end_date": "", "half_day": "noon", "next": "javascript:alert(1)"}


def pages(district, leave) -> list[str]:
    s, m = district["coming"].pk, district["m"]["plenary"].pk
    return [
        reverse("meetings:session_list"), reverse("meetings:session_create"),
        reverse("meetings:session_detail", args=[s]), reverse("meetings:session_edit", args=[s]),
        reverse("meetings:meeting_create", args=[s]), reverse("meetings:meeting_edit", args=[m]),
        reverse("meetings:attendance_sheet", args=[m]), reverse("meetings:bulletin", args=[s]),
        reverse("meetings:bulletin_xlsx", args=[s]), reverse("meetings:leave_list"), reverse("meetings:leave_create"),
        reverse("meetings:leave_inbox"), reverse("meetings:leave_backfill"),
        reverse("meetings:leave_detail", args=[leave.pk]), reverse("meetings:leave_edit", args=[leave.pk]),
        reverse("meetings:leave_action", args=[leave.pk]), reverse("meetings:leave_certificate", args=[leave.pk]),
        reverse("meetings:contribution_list"), reverse("meetings:contribution_create"),
        reverse("meetings:contribution_self_create"), reverse("meetings:contribution_review"),
    ]


@pytest.mark.parametrize("role", [Role.SECRETARIAT, Role.STREET_STAFF, Role.DEPUTY, Role.DELEGATION_HEAD,
                                  Role.ADMIN, "nobody"])
def test_nonsense_and_forgeries_never_crash(district, people, as_, role):
    leave = leave_in_state(deputy=district["zhang"], session=district["coming"], status=LeaveStatus.PENDING,
                           meetings=[district["m"]["plenary"]], admin=people[Role.ADMIN])
    client = as_(role)
    for url in pages(district, leave):
        for response in (client.get(url, NONSENSE), client.post(url, FORGED), client.post(url + "?route=plenary", {})):
            assert response.status_code < 500, (url, response.status_code)
    leave.refresh_from_db()
    assert leave.status == LeaveStatus.PENDING or role == Role.ADMIN
