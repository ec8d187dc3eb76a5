from django.apps import AppConfig

from dutyadmin.year_lock import register_year_lock


class OversightConfig(AppConfig):
    name = "oversight"
    verbose_name = "履职监督"

    def ready(self) -> None:
        # The hooks lower apps call: the year lock of the year-end review.
        from .review.lock import YEAR_LOCK

        register_year_lock(YEAR_LOCK)
