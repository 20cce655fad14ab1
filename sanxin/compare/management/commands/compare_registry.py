from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile

from sanxin.accounts.models import User
from sanxin.compare.models import ComparisonStatus, Outcome
from sanxin.compare.selectors import comparison_counts, comparison_rows, result_summary
from sanxin.compare.services import comparison_create, comparison_run
from sanxin.core.commands import BaseCommand, CommandError
from sanxin.core.exports import Column, xlsx_bytes
from sanxin.regions.models import Region


class Command(BaseCommand):
    help = (
        "把外部名录与平台的两新组织比对：每个输入行一行结果（匹配/新增/待核实/外部已注销/不在比对范围）及匹配到的统一社会信用代码，"
        "再列出外部未列出的平台组织"
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--region", required=True, help="比对范围的区划代码（如 360102）")
        parser.add_argument("--out", required=True, help="结果 xlsx 文件")
        parser.add_argument("--user", default=None, help="以哪个账号比对（按其数据权限）；缺省不限区划")

    def handle(self, *args, file, region, out, user, **options):
        path = Path(file)
        if not path.exists():
            raise CommandError(f"找不到文件 {path}")
        found = Region.objects.filter(code=region).first()
        if found is None:
            raise CommandError(f"区划代码“{region}”不存在")
        actor = User.objects.filter(username=user, is_active=True).first() if user else None
        if user and actor is None:
            raise CommandError(f"账号“{user}”不存在或已停用")
        comparison = comparison_create(actor=actor, region=found, upload=SimpleUploadedFile(path.name, path.read_bytes()))
        comparison = comparison_run(comparison.pk)
        if comparison.status == ComparisonStatus.FAILED:
            raise CommandError(comparison.message)
        # With --user, what that user may see (their region, industry and zone); without, everything.
        if actor is not None:
            rows = comparison_rows(comparison, user=actor)
            counts = comparison_counts([comparison.pk], user=actor)[comparison.pk]
        else:
            rows, counts = comparison.rows.select_related("organization"), comparison.counts
        rows = list(rows.order_by("row_number", "id"))
        inputs = [r for r in rows if r.row_number is not None]
        missing = [r for r in rows if r.outcome == Outcome.MISSING]
        columns = [
            Column("行号", lambda r: r.row_number),
            Column("单位名称", lambda r: r.values.get("单位名称", "") or r.organization.name, 30),
            Column("结果", lambda r: r.get_outcome_display()),
            Column("匹配的统一社会信用代码", lambda r: r.organization.credit_code if r.organization else "", 22),
            Column("相似度", lambda r: r.score),
            Column("依据", lambda r: r.reason, 30),
        ]
        content, _ = xlsx_bytes("比对结果", columns, [*inputs, *missing])
        Path(out).write_bytes(content)
        self.stdout.write(result_summary(counts))
        self.stdout.write(f"结果已写入 {out}")
