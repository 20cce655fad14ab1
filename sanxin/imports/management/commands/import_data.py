from pathlib import Path

from django.core.files import File

from sanxin.accounts.models import User
from sanxin.core.commands import BaseCommand, CommandError
from sanxin.core.uploads import MAX_UPLOAD_BYTES
from sanxin.imports.models import ImportStatus
from sanxin.imports.registry import import_specs
from sanxin.imports.services import import_job_create, import_job_run, import_jobs_fail_stale
from sanxin.imports.templates_xlsx import errors_bytes


class Command(BaseCommand):
    help = "从 xlsx 或 CSV 导入名录：逐行校验，按唯一标识新增或更新，打印新增、更新、未变、拒绝的行数"

    def add_arguments(self, parser):
        parser.add_argument("registry", choices=sorted(import_specs()), help="名录，如 organizations")
        parser.add_argument("file", help="xlsx 或 csv 文件")
        parser.add_argument("--mode", choices=["all", "valid"], default="all", help="all：全部有效才导入（默认）；valid：只导入有效行")
        parser.add_argument("--errors", default=None, help="把错误清单写到这个 xlsx 文件")
        parser.add_argument("--user", default=None, help="以哪个账号导入（按其数据权限校验）；缺省为运维人员在服务器上导入，不限区划")

    def handle(self, *args, registry, file, mode, errors, user, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"找不到文件 {path}")
        if path.stat().st_size > MAX_UPLOAD_BYTES:
            raise CommandError(f"文件超过 {MAX_UPLOAD_BYTES // 1024**2} MB，请拆分后导入")
        import_jobs_fail_stale()  # an earlier run that was killed shows as failed, with its reason
        actor = None
        if user:
            actor = User.objects.filter(username=user, is_active=True).first()
            if actor is None:
                raise CommandError(f"账号“{user}”不存在或已停用")
        with path.open("rb") as handle:
            job = import_job_create(actor=actor, registry=registry, upload=File(handle, name=path.name), mode=mode)
        self.stdout.write(f"导入任务 #{job.pk}：{path.name}")
        job = import_job_run(job.pk)
        if errors and job.errors:
            Path(errors).write_bytes(errors_bytes(job.errors))
            self.stdout.write(f"错误清单已写入 {errors}")
        # The rows' errors go to stdout: a failure's stderr is its one line (sanxin.core.commands).
        for error in job.errors[:20]:
            self.stdout.write(f"第 {error['row']} 行「{error['column']}」“{error['value']}”：{error['reason']}")
        if len(job.errors) > 20:
            self.stdout.write(f"……另有 {len(job.errors) - 20} 条错误")
        counts = f"新增 {job.created_count:,}，更新 {job.updated_count:,}，未变 {job.unchanged_count:,}，拒绝 {job.rejected_count:,}"
        self.stdout.write(f"共 {job.total_rows:,} 行：{counts}")
        if job.status in (ImportStatus.FAILED, ImportStatus.REJECTED):
            raise CommandError(job.message)
