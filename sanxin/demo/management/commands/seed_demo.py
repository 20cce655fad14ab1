from pathlib import Path

from django.conf import settings

from sanxin.core.commands import BaseCommand, CommandError
from sanxin.demo.accounts import seed_demo_accounts
from sanxin.demo.appeals import seed_demo_appeals
from sanxin.demo.care import seed_demo_care
from sanxin.demo.developments import seed_demo_developments
from sanxin.demo.hazards import seed_demo_hazards
from sanxin.demo.life import seed_demo_meetings
from sanxin.demo.members import seed_demo_members, seed_demo_transfers
from sanxin.demo.mine import seed_demo_mine
from sanxin.demo.orgs import seed_demo_orgs
from sanxin.demo.points import seed_demo_points
from sanxin.demo.selections import seed_demo_selections
from sanxin.demo.stations import seed_demo_stations
from sanxin.demo.study import seed_demo_study
from sanxin.demo.volunteers import seed_demo_volunteers
from sanxin.demo.workers import DEMO_WORKER_PHONE, seed_demo_workers
from sanxin.life.compliance import rebuild_all
from sanxin.regions.models import Region


class Command(BaseCommand):
    help = "在演示省份的真实区划上生成演示单位与账号，并打印账号密码"

    def add_arguments(self, parser):
        parser.add_argument("--password-file", default=str(settings.DATA_DIR / "demo-accounts.txt"))
        parser.add_argument(
            "--into-production",
            action="store_true",
            help="确认要把演示账号和组织写入未标明为演示环境（SANXIN_DEMO）的数据库",
        )

    def handle(self, *args, password_file, into_production, **options):
        if not settings.SANXIN_DEMO and not into_production:
            raise CommandError(
                "该数据库不是演示环境（未设置 SANXIN_DEMO=1），演示账号和演示组织会混入真实数据，已拒绝；确需写入请加 --into-production"
            )
        if not Region.objects.filter(code=settings.SANXIN_DEMO_PROVINCE).exists():
            raise CommandError(f"请先载入演示省份区划：python manage.py load_regions --province {settings.SANXIN_DEMO_PROVINCE}")
        path = Path(password_file)
        seed_demo_accounts(path)
        created = seed_demo_orgs(settings.DATA_DIR)
        if created:
            self.stdout.write(f"已生成演示组织 {created} 个，外部名录样例：{settings.DATA_DIR / 'demo-outside-registry.xlsx'}")
        members = seed_demo_members()
        if members:
            self.stdout.write(f"已生成演示党员 {members} 名")
        developments = seed_demo_developments()
        if developments:
            self.stdout.write(f"已生成演示发展党员记录 {developments} 条")
        if seed_demo_transfers():
            self.stdout.write("已生成演示组织关系转接 1 件（转往九江市，待接收方办理）")
        meetings = seed_demo_meetings()
        if meetings:
            self.stdout.write(f"已生成演示组织生活会议 {meetings} 次（含一次正在进行、可签到的主题党日）")
        materials = seed_demo_study()
        if materials:
            self.stdout.write(f"已生成演示学习资料 {materials} 份（已分享给东湖区的党组织，部分党员已学完）")
        if seed_demo_mine():
            self.stdout.write("已为演示党员（member）生成流入登记、下周的党小组会和一条待确认的亮身份报到")
        workers = seed_demo_workers()
        if workers:
            self.stdout.write(f"已生成演示平台 6 个、从业人员 {workers} 名（多数已本人注册并同意告知同意书）")
        stations = seed_demo_stations()
        if stations:
            self.stdout.write(f"已生成演示服务阵地 {stations} 个（东湖区真实街道地址，坐标为演示位置）和需求点若干")
        appeals = seed_demo_appeals()
        if appeals:
            self.stdout.write(f"已生成演示诉求 {appeals} 件（各种状态，含一件超期升级、一件涉及美团外卖并对平台隐藏身份）")
        rewards = seed_demo_points()
        if rewards:
            self.stdout.write(f"已生成演示礼品服务 {rewards} 项（含免费健康体检，一项已兑完）；赵快跑有积分、已领取和待领取的兑换")
        hazards = seed_demo_hazards()
        if hazards:
            self.stdout.write(f"已生成演示随手拍 {hazards} 件（赵快跑：一件核实有效、一件重复、一件已派单）")
        if seed_demo_care():
            self.stdout.write("已生成演示关爱活动 4 场（上周的集体庆生会含报名和签到，赵快跑已报名下周的义诊）")
        if seed_demo_volunteers():
            self.stdout.write("已生成演示志愿服务队 2 支（红运先锋骑手队含赵快跑和已确认的服务时长）")
        if seed_demo_selections():
            self.stdout.write("已生成演示最美评选 2 次（市级“最美外卖配送员”已表彰，赵快跑获评；区级“最美快递员”公示中，有一条异议待处理）")
        # 三会一课落实情况 of every active Party organization, whatever the steps above wrote (a rerun recomputes it).
        compliance = rebuild_all()
        self.stdout.write(f"已计算三会一课落实情况 {compliance['records']:,} 条")
        self.stdout.write(path.read_text(encoding="utf-8"))
        self.stdout.write(
            f"手机 {DEMO_WORKER_PHONE}（赵快跑，外卖骑手）：在手机页面 /w/login/ 用手机号码和验证码登录，演示环境的验证码显示在登录页上"
        )
