from sanxin.accounts.services import accounts_disable_inactive
from sanxin.core.commands import BaseCommand


class Command(BaseCommand):
    help = "停用 90 天未使用的账号"

    def handle(self, *args, **options):
        count = accounts_disable_inactive()
        self.stdout.write(f"已停用 {count} 个长期未使用的账号")
