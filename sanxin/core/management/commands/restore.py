from sanxin.core.backup import BackupError, Summary, check_file, local_time, megabytes, one_line, restore_backup
from sanxin.core.commands import BaseCommand, CommandError


def described(summary: Summary) -> str:
    return f"{summary.tables} 张表，{summary.rows:,} 行（备份时间 {local_time(summary.created_at)}，{megabytes(summary.size)}）"


class Command(BaseCommand):
    help = (
        "把 backup 命令写的备份恢复到刚执行过 migrate 的空数据库（迁移版本须与备份相同；库中已有数据则拒绝）。"
        "备份文件整体加密，必须使用与做备份的系统相同的主密钥（SANXIN_MASTER_KEY 或 SANXIN_KEY_FILE）才能解密："
        "主密钥不同，或文件损坏、被截断、被改动，都拒绝恢复。先解密并校验整个文件，再在一个事务中恢复，"
        "任何一项校验不通过都不做任何改动。恢复后所有人须重新登录。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="backup 命令写的备份文件")
        parser.add_argument(
            "--check", action="store_true", help="只解密并校验备份文件（加密数据块、行数、SM3 校验值和印章），不连数据库、不恢复"
        )
        parser.add_argument(
            "--allow-audit-problems",
            action="store_true",
            help="源系统的审计链本已损坏时照样恢复（问题数记入恢复的审计事件）",
        )

    def handle(self, *args, file, check, allow_audit_problems, verbosity, **options):
        if check:
            return self.check_only(file)
        progress = (lambda table, rows: self.stdout.write(f"  {table}：{rows:,} 行")) if verbosity > 1 else None
        try:
            summary = restore_backup(file, allow_audit_problems=allow_audit_problems, progress=progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        except Exception as exc:
            raise CommandError(f"恢复失败，未做任何改动：{one_line(exc)}") from None
        if summary.audit_problems:
            self.stderr.write(f"注意：审计链有 {summary.audit_problems} 处问题（源系统中已存在），请运行 verify_audit 查看")
        outcome = "有问题" if summary.audit_problems else "通过"
        self.stdout.write(self.style.SUCCESS(f"恢复完成：{described(summary)}，用时 {summary.seconds:.1f} 秒；审计链校验{outcome}"))

    def check_only(self, file):
        try:
            summary = check_file(file)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        except Exception as exc:
            raise CommandError(f"校验失败：{one_line(exc)}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"备份文件完好：{described(summary)}，解密无误，校验值与印章相符（本机主密钥与做备份的系统相同），"
                f"用时 {summary.seconds:.1f} 秒"
            )
        )
