"""Signals the suggestion services send, so the notifications (oversight.notifications) act on a step without
the services knowing who is told. Each is sent inside the service's transaction, as activities' and meetings'
signals are, so what a receiver writes (the notification outbox) commits or rolls back with the step;
oversight connects them in OversightConfig.ready().
"""
from django.dispatch import Signal

# The lead unit (or the office on its behalf) replied (`suggestion`, its feedback_due set; `reply`, the new row).
suggestion_replied = Signal()

# The lead deputy evaluated the reply (`suggestion`: closed, or rehandling with its rehandling_due; `reply`).
suggestion_evaluated = Signal()

# The liaison office pressed the lead unit for a reply (催办: `suggestion`, `event` the timeline's row).
suggestion_chased = Signal()
