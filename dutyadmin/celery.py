"""Celery app: Redis when REDIS_URL is set, otherwise tasks run in-process."""
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dutyadmin.settings")

app = Celery("dutyadmin")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
