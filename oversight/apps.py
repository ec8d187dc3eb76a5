from django.apps import AppConfig

from deputies.thresholds import ThresholdCatalog, register_thresholds
from dutyadmin.history import register_history_reader
from dutyadmin.year_lock import register_year_lock
from meetings.signals import leave_request_stepped


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "履职监督"

    def ready(self) -> None:
        # The hooks lower apps call (README, "Layers and hooks"): the year lock of the year-end review;
        # the reader of a record's change history; the threshold table a term's thresholds are read
        # and validated with; the notification of a leave step (sent inside the step's transaction, so
        # the outbox row commits with it).
        from .notifications.services import leave_request_stepped_notify
        from .profile import record_history
        from .review.lock import YEAR_LOCK
        from .rules.catalog import DEFAULT_THRESHOLDS, THRESHOLD_LABELS, validate_thresholds

        register_year_lock(YEAR_LOCK)
        register_history_reader(record_history)
        register_thresholds(ThresholdCatalog(defaults=DEFAULT_THRESHOLDS, validate=validate_thresholds,
                                              labels=THRESHOLD_LABELS))
        leave_request_stepped.connect(leave_request_stepped_notify, sender=None, dispatch_uid="oversight.leave_step")
