"""WSGI entry point (gunicorn dutyadmin.wsgi)."""
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "dutyadmin.settings")
application = get_wsgi_application()
