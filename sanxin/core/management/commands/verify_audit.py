from sanxin.core.audit import verify_chain
from sanxin.core.commands import BaseCommand, CommandError
from sanxin.core.models import AuditEvent


class Command(BaseCommand):
    help = "校验审计日志的 HMAC-SM3 链，找出被修改或删除的记录"

    def handle(self, *args, **options):
        problems = verify_chain()
        if problems:
            for problem in problems:
                self.stderr.write(f"× {problem.reason}")
            raise CommandError(f"审计链校验失败：发现 {len(problems)} 处问题")
        self.stdout.write(self.style.SUCCESS(f"审计链完整：共校验 {AuditEvent.objects.count():,} 条记录"))
