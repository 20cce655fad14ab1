from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "sanxin.accounts"
    label = "accounts"
    verbose_name = "单位与账号"

    def ready(self):
        from sanxin.accounts import signals  # noqa: F401
