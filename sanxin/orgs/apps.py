from django.apps import AppConfig


class OrgsConfig(AppConfig):
    name = "sanxin.orgs"
    label = "orgs"
    verbose_name = "两新组织"
