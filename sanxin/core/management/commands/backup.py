from sanxin.core.backup import BackupError, megabytes, one_line, write_backup
from sanxin.core.commands import BaseCommand, CommandError


class Command(BaseCommand):
    help = (
        "把整个数据库备份到一个文件（gzip 压缩的 JSON 行，格式见 sanxin/core/backup.py）。读取同一时刻的快照，不停服务；"
        "个人信息保持密文，不含登录会话。先写到同目录的临时文件，完成后改名，中断不会留下残缺文件。"
        "恢复须使用同一主密钥（SANXIN_MASTER_KEY 或 SANXIN_KEY_FILE），请与备份分开妥善保管。"
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="备份文件路径，建议以 .jsonl.gz 结尾")
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
