"""The demo's 亮身份 and mobile members: a report waiting for the demo secretary, a member out, a member lost."""

from pathlib import Path

from django.test import Client

from sanxin.accounts.models import User
from sanxin.demo.accounts import seed_demo_accounts
from sanxin.demo.members import JOINT_BRANCH, seed_demo_members
from sanxin.demo.orgs import seed_demo_orgs
from sanxin.members.identity import identity_report_list
from sanxin.members.mobility import lost_member_list, mobile_registration_list


def test_the_demo_secretary_has_a_report_to_confirm_a_member_out_and_one_lost(db, tmp_path: Path, settings):
    settings.SANXIN_OTP_REQUIRED = False
    seed_demo_accounts(tmp_path / "accounts.txt")
    seed_demo_orgs(tmp_path)
    seed_demo_members()
    secretary = User.objects.get(username="secretary")
    report = identity_report_list(user=secretary).get()
    assert (report.status, report.party_organization.name, report.reporter.username) == ("submitted", JOINT_BRANCH, "worker")
    assert [g.member.name for g in mobile_registration_list(user=secretary, direction="outflow")] == ["王芳"]
    assert [(m.name, bool(m.lost_reason)) for m in lost_member_list(user=secretary)] == [("陈晨", True)]
    client = Client()
    client.force_login(secretary)
    page = client.get(f"/members/identity/{report.pk}/").content.decode()
    assert "确认报到" in page and "不予确认" in page
    assert ">王芳<" in client.get("/members/mobile/").content.decode()
    worker = Client()
    worker.force_login(User.objects.get(username="worker"))
    assert "待确认" in worker.get("/m/identity/").content.decode()
