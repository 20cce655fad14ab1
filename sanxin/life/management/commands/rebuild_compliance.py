from sanxin.core.commands import BaseCommand
from sanxin.life.compliance import compliance_reminders, rebuild_all


class Command(BaseCommand):
    help = "重新计算三会一课落实情况（各党组织各类会议各期间的应开与已开，以及各地区的统计）；--remind 同时发送到期和超期提醒"

    def add_arguments(self, parser):
        parser.add_argument("--remind", action="store_true", help="计算后向党组织书记发送本期即将到期和已超期的提醒（每项只发一次）")

    def handle(self, *args, remind, **options):
        result = rebuild_all()
        self.stdout.write(f"已重新计算：落实情况 {result['records']:,} 条，地区统计 {result['facts']:,} 格")
        if remind:
            sent = compliance_reminders()
            self.stdout.write(f"已发送提醒：即将到期 {sent['due_soon']:,} 条，已超期 {sent['overdue']:,} 条")
