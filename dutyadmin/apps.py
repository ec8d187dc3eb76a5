from django.apps import AppConfig


class DutyadminConfig(AppConfig):
    name = "dutyadmin"
    verbose_name = "履职管理"

    def ready(self) -> None:
        # --- auth15: session start, and the end of a user's API tokens on a password change or deactivation
        from . import accounts  # noqa: F401
