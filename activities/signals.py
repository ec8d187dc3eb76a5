"""Signals activities sends, so a higher app (oversight's notifications) can act on its events without
activities importing it. Each is sent inside the service's transaction, so what a receiver writes (the
notification outbox) commits or rolls back with the event; oversight connects them in OversightConfig.ready().
"""
from django.dispatch import Signal

# Deputies were newly invited to an activity that has not taken place yet (`activity`, `deputy_ids`).
invitations_sent = Signal()

# A deputy answered their invitation (`participation`: confirmed, or decline_reason when they cannot come).
invitation_answered = Signal()

# Staff approved or returned a deputy's personal registration (`registration`, its status set).
self_registration_reviewed = Signal()
