from pathlib import Path

from django.conf import settings

from sanxin.core.commands import BaseCommand, CommandError
from sanxin.demo.accounts import seed_demo_accounts
from sanxin.demo.orgs import seed_demo_orgs
from sanxin.regions.models import Region


class Command(BaseCommand):
    help = "在演示省份的真实区划上生成演示单位与账号，并打印账号密码"

    def add_arguments(self, parser):
        parser.add_argument("--password-file", default=str(settings.DATA_DIR / "demo-accounts.txt"))

    def handle(self, *args, password_file, **options):
        if not Region.objects.filter(code=settings.SANXIN_DEMO_PROVINCE).exists():
            raise CommandError(f"请先载入演示省份区划：python manage.py load_regions --province {settings.SANXIN_DEMO_PROVINCE}")
        path = Path(password_file)
        seed_demo_accounts(path)
        created = seed_demo_orgs(settings.DATA_DIR)
        if created:
            self.stdout.write(f"已生成演示组织 {created} 个，外部名录样例：{settings.DATA_DIR / 'demo-outside-registry.xlsx'}")
        self.stdout.write(path.read_text(encoding="utf-8"))
