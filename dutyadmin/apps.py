import importlib

from django.apps import AppConfig, apps


class DutyadminConfig(AppConfig):
    name = "dutyadmin"
    verbose_name = "履职管理"

    def ready(self) -> None:
        # --- auth15: session start, and the end of a user's API tokens on a password change or deactivation
        from . import accounts  # noqa: F401
        # --- audit15: the audit log's sources (dutyadmin/audit.py)
        audit = importlib.import_module("dutyadmin.audit")
        audit.connect()
        if apps.is_installed("axes"):  # django-axes is optional: its signals module needs its models
            importlib.import_module("axes.signals").user_locked_out.connect(
                audit.on_locked_out, dispatch_uid="audit_lockout")
