"""The demo's study materials: the demo member has some to study, the county sees rates between 0 and 100 %."""

from pathlib import Path

from django.test import Client

from sanxin.accounts.models import User
from sanxin.demo.accounts import seed_demo_accounts
from sanxin.demo.members import JOINT_BRANCH, seed_demo_members
from sanxin.demo.orgs import seed_demo_orgs
from sanxin.demo.study import MATERIALS, seed_demo_study
from sanxin.study.models import StudyCompletion, StudyMaterial
from sanxin.study.selectors import share_list, to_study_count


def test_the_demo_member_has_materials_to_study_and_the_county_sees_rates(db, tmp_path: Path, settings):
    settings.SANXIN_OTP_REQUIRED = False
    assert seed_demo_study() == 0  # nothing without the accounts and the joint branch
    seed_demo_accounts(tmp_path / "accounts.txt")
    seed_demo_orgs(tmp_path)
    seed_demo_members()
    assert seed_demo_study() == len(MATERIALS)
    assert seed_demo_study() == 0  # a second run adds nothing
    assert set(StudyMaterial.objects.values_list("status", flat=True)) == {"published", "withdrawn"}
    member = User.objects.get(username="member")
    assert to_study_count(member) == 2
    assert StudyCompletion.objects.filter(member__user=member).count() == 1
    county = User.objects.get(username="dh_county")
    rows = list(share_list(user=county))
    assert len({r.party_organization_id for r in rows}) >= 2
    rates = [r.rate for r in rows if r.rate is not None]
    assert any(0 < rate < 1 for rate in rates)
    joint = [r for r in rows if r.party_organization.name == JOINT_BRANCH]
    assert len(joint) == len(MATERIALS)
    client = Client()
    client.force_login(member)
    page = client.get("/m/study/").content.decode()
    assert "待学习（2）" in page and "已学完（1）" in page
