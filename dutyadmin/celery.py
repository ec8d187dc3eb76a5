"""Celery app: Redis when REDIS_URL is set, otherwise tasks run in-process."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dutyadmin.settings")

app = Celery("dutyadmin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()

# Reminders and the outbox (oversight.tasks). Each task is idempotent: a doubled beat sends nothing twice.
from celery.schedules import crontab  # noqa: E402

app.conf.beat_schedule = {
    "notifications-outbox-flush": {"task": "oversight.outbox_flush", "schedule": 60.0},
    "notifications-meeting-activity-notices": {"task": "oversight.notices_send", "schedule": crontab(hour=8, minute=0)},
    "notifications-approvals-waiting": {"task": "oversight.approvals_waiting_send", "schedule": crontab(hour=8, minute=30)},
    "notifications-findings-action": {"task": "oversight.finding_actions_send", "schedule": crontab(hour=7, minute=30)},
    "notifications-review-deadline": {"task": "oversight.review_deadline_send", "schedule": crontab(hour=9, minute=0)},
    "notifications-behind-monthly": {
        "task": "oversight.behind_reminders_send", "schedule": crontab(hour=9, minute=0, day_of_month=1),
    },
    "notifications-suggestion-reminders": {
        "task": "oversight.suggestion_reminders_send", "schedule": crontab(hour=8, minute=15),
    },
    "notifications-daily-digest": {"task": "oversight.digests_send", "schedule": crontab(hour=17, minute=30)},
    # --- opinions
    "notifications-opinion-reminders": {
        "task": "oversight.opinion_reminders_send", "schedule": crontab(hour=8, minute=20),
    },
    # --- audit15: delete audit events older than AUDIT_RETENTION_DAYS
    "audit-prune": {"task": "dutyadmin.audit_prune", "schedule": crontab(hour=3, minute=10)},
}
