from sanxin.core.backup import BackupError, megabytes, one_line, write_backup
from sanxin.core.commands import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "把整个数据库备份到一个文件。读取同一时刻的快照，不停服务；不含登录会话。整个文件用 SM4-GCM 加密"
        "（密钥由主密钥派生，格式见 sanxin/core/backup.py），文件中没有任何明文个人信息；只有使用同一主密钥"
        "（SANXIN_MASTER_KEY 或 SANXIN_KEY_FILE）的系统才能校验和恢复，主密钥丢失则备份无法恢复，请与备份分开妥善保管。"
        "先写到同目录的临时文件，完成后改名，中断不会留下残缺文件。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件路径，建议以 .sxbk 结尾")
        parser.add_argument("--force", action="store_true", help="文件已存在时覆盖")

    def handle(self, *args, file, force, verbosity, **options):
        progress = (lambda table, rows: self.stdout.write(f"  {table}：{rows:,} 行")) if verbosity > 1 else None
        try:
            summary = write_backup(file, force=force, progress=progress)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        except Exception as exc:
            raise CommandError(f"备份失败：{one_line(exc)}") from None
        self.stdout.write(
            self.style.SUCCESS(
                f"备份完成：{summary.tables} 张表，{summary.rows:,} 行，{megabytes(summary.size)}，用时 {summary.seconds:.1f} 秒，"
                f"已写入 {file}"
            )
        )
