"""Signals meetings sends, so a higher app can act on its events without meetings importing it."""
from django.dispatch import Signal

# A leave request was submitted, or its current step was approved or rejected. Sent inside the
# service's transaction (with `leave_request`), so what a receiver writes (oversight's notification
# outbox) commits or rolls back with the step. oversight connects it in OversightConfig.ready().
leave_request_stepped = Signal()

# Staff confirmed a deputy's own contribution, or returned it with a reason (`contribution`). Sent
# inside the service's transaction, like leave_request_stepped.
contribution_reviewed = Signal()
