"""Leave is decided where the regulation decides it (issue 12): a request whose deciding step (批准 /
审批) was approved is `approved`, whatever its filing step (备案), which stays open or done as it was.

Before, the last step of a chain decided: a delegation-meeting leave approved by the head but not yet
filed by the secretariat, or a whole-session leave approved by the SC chair but not yet filed by the SC
office, stayed `pending` and excused nothing. A filing step could also reject; filing only records, so a
request refused at its filing step after the deciding step was approved is `approved`, its filing step
open again (the refusal's comment is kept on it).

Withdrawn requests stay withdrawn (the deputy withdrew them), and the year lock is not asked: the data
is corrected to what the regulation said it was. The step codes are frozen here as they were when
this migration was written (meetings.services.LEAVE_CHAINS).
"""
from django.db import migrations

DECIDING = {
    "whole_session": "sc_leader_approve",
    "plenary": "secretary_general_approve",
    "delegation_meeting": "delegation_head_approve",
}
FILING = {
    "whole_session": "sc_office_file",
    "delegation_meeting": "secretariat_file",
}
REOPENED = "(备案环节只作记录,不能驳回;原驳回已撤销,备案重新待办理。原意见:{comment})"


def approve_decided_requests(apps, schema_editor) -> dict[str, int]:
    """Pending (or refused at filing) requests whose deciding step is done become approved.

    Returns how many requests were approved from pending and how many refusals at filing were undone."""
    LeaveRequest = apps.get_model("meetings", "LeaveRequest")
    LeaveApprovalStep = apps.get_model("meetings", "LeaveApprovalStep")
    approved = reopened = 0
    for route, code in DECIDING.items():
        decided = LeaveApprovalStep.objects.filter(
            code=code, status="done", leave_request__route=route
        ).values("leave_request_id")
        approved += LeaveRequest.objects.filter(route=route, status="pending", pk__in=decided).update(
            status="approved"
        )
        filing = FILING.get(route)
        if filing is None:
            continue
        refused = LeaveApprovalStep.objects.filter(
            code=filing, status="rejected", leave_request__route=route,
            leave_request__status="rejected", leave_request_id__in=decided,
        )
        for step in refused:
            step.comment = REOPENED.format(comment=step.comment) if step.comment else ""
            step.status, step.acted_by, step.acted_at, step.acted_by_name = "waiting", None, None, ""
            step.save(update_fields=["status", "acted_by", "acted_at", "acted_by_name", "comment"])
            LeaveRequest.objects.filter(pk=step.leave_request_id).update(status="approved")
            reopened += 1
    return {"approved": approved, "reopened": reopened}


def forwards(apps, schema_editor) -> None:
    approve_decided_requests(apps, schema_editor)


class Migration(migrations.Migration):

    dependencies = [
        ("meetings", "0002_contribution_confirmation"),
    ]

    # Not reversible in meaning (which requests were pending before is not kept): going back leaves them.
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
