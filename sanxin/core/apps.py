from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "sanxin.core"
    label = "core"
    verbose_name = "基础"
