"""Leave requests in a given state, made through the services as users would."""
from meetings.choices import LeaveRoute, LeaveStatus
from meetings.services import (
    LEAVE_CHAINS,
    deciding_index,
    leave_request_approve,
    leave_request_reject,
    leave_request_save,
    leave_request_submit,
    leave_request_withdraw,
)
from tests import factories


def leave_in_state(*, deputy, session, status: str, route: str = LeaveRoute.PLENARY, meetings=(), admin=None,
                   filed: bool = True):
    """A request of the deputy for the session, brought to status by an admin acting on every step
    (approved and filed: through the filing step too; filed=False: up to the deciding step, filing open)."""
    admin = admin or factories.make_user("admin")
    leave = leave_request_save(
        user=admin,
        data={"deputy": deputy, "session": session, "route": route, "reason": "出差", "meetings": list(meetings)},
    )
    if status == LeaveStatus.DRAFT:
        return leave
    leave_request_submit(user=admin, leave_request=leave)
    if status == LeaveStatus.APPROVED:
        steps = len(LEAVE_CHAINS[route]) if filed else deciding_index(route) + 1
        for order in range(1, steps + 1):  # the admin names each step: one action is one step
            leave_request_approve(user=admin, leave_request=leave, comment="同意", step=order)
    elif status == LeaveStatus.REJECTED:
        leave_request_reject(user=admin, leave_request=leave, comment="理由不充分")
    elif status == LeaveStatus.WITHDRAWN:
        leave_request_withdraw(user=admin, leave_request=leave)
    leave.refresh_from_db()
    assert leave.status == status
    return leave
