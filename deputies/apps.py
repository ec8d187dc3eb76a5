from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save

from dutyadmin.scope import register_scope_links


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = "代表"

    def ready(self) -> None:
        from .filter_choices import WATCHED, forget_filter_rows
        from .links import link_ids, link_names

        register_scope_links(ids=link_ids, names=link_names)
        for model in WATCHED:
            post_save.connect(forget_filter_rows, sender=model, dispatch_uid=f"forget-filter-rows-{model.__name__}")
            post_delete.connect(forget_filter_rows, sender=model, dispatch_uid=f"forget-filter-rows-{model.__name__}")
