from django.apps import AppConfig

from deputies.thresholds import ThresholdCatalog, register_thresholds
from dutyadmin.year_lock import register_year_lock
from meetings.signals import leave_request_stepped


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "履职监督"

    def ready(self) -> None:
        # The hooks lower apps call: the year lock of the year-end review, the notification of a leave
        # step (sent inside the step's transaction, so the outbox row commits with it), and the
        # threshold table a term's thresholds are read and validated with.
        from .notifications.services import leave_request_stepped_notify
        from .review.lock import YEAR_LOCK
        from .rules.catalog import DEFAULT_THRESHOLDS, validate_thresholds

        register_year_lock(YEAR_LOCK)
        register_thresholds(ThresholdCatalog(defaults=DEFAULT_THRESHOLDS, validate=validate_thresholds))
        leave_request_stepped.connect(leave_request_stepped_notify, sender=None, dispatch_uid="oversight.leave_step")
