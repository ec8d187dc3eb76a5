from django.apps import AppConfig

from dutyadmin.scope import register_scope_links


class DeputiesConfig(AppConfig):
    name = "deputies"
    verbose_name = "代表"

    def ready(self) -> None:
        from .links import link_ids, link_names

        register_scope_links(ids=link_ids, names=link_names)
