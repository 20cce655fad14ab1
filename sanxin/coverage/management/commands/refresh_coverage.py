from datetime import datetime

from django.utils import timezone

from sanxin.core.commands import BaseCommand, CommandError
from sanxin.coverage.compute import coverage_daily, recompute_all
from sanxin.coverage.figures import refresh_facts, snapshot_month


class Command(BaseCommand):
    help = "重新计算两个覆盖：--daily 每日任务，--recompute 逐个组织重算，--snapshot YYYY-MM 保存月度快照"

    def add_arguments(self, parser):
        parser.add_argument("--daily", action="store_true", help="每日任务：重算随日期变化的覆盖，月末保存当月快照（可重复运行）")
        parser.add_argument("--recompute", action="store_true", help="逐个组织重新计算覆盖状态（指导员选派到期等按日变化的情况）")
        parser.add_argument("--snapshot", default=None, help="保存月度快照，如 2026-11；缺省不保存")

    def handle(self, *args, daily, recompute, snapshot, **options):
        if daily:
            result = coverage_daily()
            taken = f"，已保存 {result['snapshot']:%Y-%m} 月度快照" if result["snapshot"] else ""
            self.stdout.write(f"每日任务完成：覆盖状态有变化的组织 {result['changed']:,} 个{taken}")
            return
        if recompute:
            changed = recompute_all()
            self.stdout.write(f"已重新计算，覆盖状态有变化的组织 {changed:,} 个")
        else:
            cells = refresh_facts()
            self.stdout.write(f"已刷新统计 {cells:,} 格")
        if snapshot:
            try:
                month = datetime.strptime(snapshot, "%Y-%m").date()
            except ValueError as exc:
                raise CommandError(f"月份“{snapshot}”格式不正确，应为 YYYY-MM") from exc
            if month > timezone.localdate():
                raise CommandError("不能为将来的月份保存快照")
            self.stdout.write(f"已保存 {month:%Y-%m} 月度快照 {snapshot_month(month):,} 格")
