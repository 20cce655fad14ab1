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
