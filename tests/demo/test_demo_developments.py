"""The demo's member development: one person at each stage, each with the next step due for the demo secretary."""

from pathlib import Path

from sanxin.demo.accounts import seed_demo_accounts
from sanxin.demo.developments import PEOPLE, seed_demo_developments
from sanxin.demo.members import JOINT_BRANCH, seed_demo_members
from sanxin.demo.orgs import seed_demo_orgs
from sanxin.members.models import Development, DevelopmentStage, Member
from sanxin.members.workflow import DEVELOPMENT


def test_every_stage_is_seeded_through_the_rules_and_the_secretary_has_steps_to_take(db, tmp_path: Path, settings):
    from sanxin.accounts.models import User

    settings.SANXIN_OTP_REQUIRED = False
    assert seed_demo_developments() == 0  # nothing without the joint branch and its members
    seed_demo_accounts(tmp_path / "accounts.txt")
    seed_demo_orgs(tmp_path)
    seed_demo_members()
    joint = Member.objects.filter(party_organization__name=JOINT_BRANCH)
    assert joint.filter(status="full").count() >= 2, list(joint.values_list("name", "status"))
    assert seed_demo_developments() == len(PEOPLE)
    assert seed_demo_developments() == 0  # a second run adds nothing
    developments = Development.objects.filter(party_organization__name=JOINT_BRANCH)
    assert set(developments.values_list("stage", flat=True)) == set(DevelopmentStage.values)
    admitted = developments.filter(member__isnull=False)
    assert admitted.count() == 2 and set(Member.objects.filter(development__in=admitted).values_list("status", flat=True)) == {
        "probationary",
        "full",
    }
    secretary = User.objects.get(username="secretary")
    # Each of applicant, activist, candidate and probationary has its next step offered to the secretary.
    for development in developments.exclude(stage=DevelopmentStage.FULL):
        assert DEVELOPMENT.available(development, secretary), development.stage


def test_the_secretary_s_home_lists_the_steps_due_and_the_open_transfer(db, tmp_path: Path, settings):
    from django.test import Client

    from sanxin.accounts.models import User
    from sanxin.demo.members import seed_demo_transfers

    settings.SANXIN_OTP_REQUIRED = False
    seed_demo_accounts(tmp_path / "accounts.txt")
    seed_demo_orgs(tmp_path)
    seed_demo_members()
    seed_demo_developments()
    seed_demo_transfers()
    client = Client()
    client.force_login(User.objects.get(username="secretary"))
    page = client.get("/").content.decode()
    assert f"本党组织（{JOINT_BRANCH}）" in page and "仅本人" not in page
    for name, step in [
        ("邓子豪", "谈话后确定为入党积极分子"),
        ("彭雨欣", "培养满一年，可列为发展对象"),
        ("曾志远", "公示后接收为预备党员"),
        ("罗佳怡", "预备期满，可转为正式党员"),
    ]:
        assert name in page and step in page, name
    assert "蒋文博" not in page  # full member: nothing due
    assert "刘婷" in page and "转往" in page and "转出待对方办理 1 件" in page
    other = Client()
    other.force_login(User.objects.get(username="xh_county"))  # 西湖区: none of it
    page = other.get("/").content.decode()
    assert "彭雨欣" not in page and "刘婷" not in page and "没有到期可办的发展步骤" in page
