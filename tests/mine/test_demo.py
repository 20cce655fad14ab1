"""The demo member (林小勇) has something real on each of his own pages."""

from pathlib import Path

from django.test import Client

from sanxin.accounts.models import User
from sanxin.demo.accounts import seed_demo_accounts
from sanxin.demo.life import seed_demo_meetings
from sanxin.demo.members import seed_demo_members, seed_demo_transfers
from sanxin.demo.mine import seed_demo_mine
from sanxin.demo.orgs import seed_demo_orgs


def test_the_demo_member_has_something_on_every_page(db, tmp_path: Path, settings):
    settings.SANXIN_OTP_REQUIRED = False
    seed_demo_accounts(tmp_path / "accounts.txt")
    seed_demo_orgs(tmp_path)
    seed_demo_members()
    seed_demo_transfers()
    seed_demo_meetings()
    assert seed_demo_mine() == 1
    assert seed_demo_mine() == 0  # once
    client = Client()
    client.force_login(User.objects.get(username="member"))
    home = client.get("/").content.decode()
    assert "我的待办" in home and "去签到" in home and "亮身份待确认" in home  # the 主题党日 going on now
    meetings = client.get("/m/meetings/").content.decode()
    assert "党小组会：交流夜间配送安全经验" in meetings and "云上主题党日" in meetings and "近一年已结束" in meetings
    organization = client.get("/m/organization/").content.decode()
    assert "流动党员，在此参加组织生活" in organization and "江西省赣州市于都县罗坳镇步前村党支部" in organization
    reports = client.get("/m/reports/").content.decode()
    assert "待确认" in reports and "流入" in reports
    data = client.get("/m/data/").content.decode()
    assert "林小勇" in data and "外卖骑手" in data
    assert "待确认" in client.get("/m/identity/").content.decode()
