from django.apps import AppConfig


class PartyConfig(AppConfig):
    name = "sanxin.party"
    label = "party"
    verbose_name = "党组织"
