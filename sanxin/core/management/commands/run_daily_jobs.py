import time

from sanxin.core.commands import BaseCommand
from sanxin.core.schedule import run_daily_jobs


class Command(BaseCommand):
    help = "运行每日任务（覆盖状况随日期变化的重算与月末快照、停用 90 天未用的账号）；同一天重复运行不会重复执行"

    def add_arguments(self, parser):
        parser.add_argument("--every", type=int, default=0, help="每隔多少秒检查一次（0：运行一次即退出，供 cron 使用）")

    def handle(self, *args, every, **options):
        while True:
            for job, outcome in run_daily_jobs().items():
                self.stdout.write(f"{job}：{outcome}")
            if not every:
                return
            time.sleep(every)
