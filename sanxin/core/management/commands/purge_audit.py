from datetime import datetime

from django.utils import timezone

from sanxin.core.audit import RetentionError, audit_purge
from sanxin.core.commands import BaseCommand, CommandError


class Command(BaseCommand):
    help = "清理早于指定日期的审计记录（至少保留 190 天）"

    def add_arguments(self, parser):
        parser.add_argument("--before", required=True, help="日期，格式 2026-01-01")

    def handle(self, *args, before, **options):
        try:
            cutoff = timezone.make_aware(datetime.strptime(before, "%Y-%m-%d"))
        except ValueError as exc:
            raise CommandError(f"日期“{before}”格式不正确，应为 YYYY-MM-DD") from exc
        try:
            deleted = audit_purge(actor=None, before=cutoff)
        except RetentionError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"已清理 {deleted:,} 条审计记录"))
