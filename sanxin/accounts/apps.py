from django.apps import AppConfig
from django.conf import settings


class AccountsConfig(AppConfig):
    name = "sanxin.accounts"
    label = "accounts"
    verbose_name = "单位与账号"

    def ready(self):
        from sanxin.accounts import signals  # noqa: F401

        # The lockout counts failures per client address: the same one the audit trail records
        # (django-ipware is not installed, so without this axes would always use REMOTE_ADDR).
        if not getattr(settings, "AXES_CLIENT_IP_CALLABLE", None):
            settings.AXES_CLIENT_IP_CALLABLE = "sanxin.core.middleware.client_ip"
