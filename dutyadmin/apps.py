from django.apps import AppConfig


class DutyadminConfig(AppConfig):
    name = "dutyadmin"
    verbose_name = "履职管理"
