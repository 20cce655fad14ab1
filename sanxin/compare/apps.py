from django.apps import AppConfig


class CompareConfig(AppConfig):
    name = "sanxin.compare"
    label = "compare"
    verbose_name = "数据比对"
