from datetime import timedelta

from django.db import models

from sanxin.core.models import UploadJob
from sanxin.imports.registry import import_specs


class ImportMode(models.TextChoices):
    ALL = "all", "全部有效才导入"
    VALID = "valid", "只导入有效行"


class ImportStatus(models.TextChoices):
    QUEUED = "queued", "排队中"
    CHECKING = "checking", "校验中"
    WRITING = "writing", "导入中"
    DONE = "done", "已完成"
    REJECTED = "rejected", "未导入（有错误行）"
    FAILED = "failed", "失败"


RUNNING = (ImportStatus.QUEUED, ImportStatus.CHECKING, ImportStatus.WRITING)

# A running job writes its progress while it reads the file (every 20,000 rows), every 5,000 rows it checks and
# at every step of the write; at 5 million rows no step takes more than a few minutes. This long without a sign
# of life, its worker was stopped (or never started): sanxin.imports.services.import_jobs_fail_stale marks it failed.
STALE_AFTER = timedelta(hours=1)


class ImportJob(UploadJob):
    """One upload of a registry file, checked and written in the background."""

    UPLOAD_FOLDER = "imports"
    RUNNING_STATUSES = RUNNING

    registry = models.CharField("名录", max_length=32)
    mode = models.CharField("方式", max_length=8, choices=ImportMode.choices, default=ImportMode.ALL)
    status = models.CharField("状态", max_length=16, choices=ImportStatus.choices, default=ImportStatus.QUEUED)
    total_rows = models.PositiveIntegerField("总行数", default=0)
    created_count = models.PositiveIntegerField("新增", default=0)
    updated_count = models.PositiveIntegerField("更新", default=0)
    unchanged_count = models.PositiveIntegerField("未变", default=0)
    rejected_count = models.PositiveIntegerField("拒绝", default=0)
    errors = models.JSONField("错误", default=list, blank=True)

    class Meta:
        ordering = ["-id"]
        verbose_name = "导入任务"

    def __str__(self):
        return f"{self.filename}（{self.get_status_display()}）"

    @property
    def status_label(self) -> str:
        return "已中断" if self.stale else self.get_status_display()

    @property
    def stale_message(self) -> str:
        if self.status == ImportStatus.QUEUED:
            return "排队已超过 1 小时仍未开始：后台任务进程可能没有运行。请联系运维人员，或稍后重新上传。"
        return "导入已超过 1 小时没有进展，后台进程可能已被中断。写入在同一事务中进行，中断不会留下部分数据；请重新上传该文件。"

    @property
    def registry_label(self) -> str:
        spec = import_specs().get(self.registry)
        return spec.label if spec else self.registry
