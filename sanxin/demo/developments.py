"""Demo member development (发展党员) in the street's joint branch, one person at each stage and each through the
development services, so every rule holds on the demo's dates: the secretary finds an activist whose year is up, a
candidate whose publicity has ended and a probationary member whose year is up — real steps to take."""

from __future__ import annotations

import random
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from sanxin.accounts.models import User
from sanxin.demo.members import JOINT_BRANCH, _id_number
from sanxin.members.models import Development, Member, MemberStatus
from sanxin.members.services import (
    development_admit,
    development_create,
    development_make_activist,
    development_make_candidate,
    development_make_full,
)
from sanxin.members.workflow import years_after
from sanxin.party.models import PartyOrganization

# (name, male, born, days since the application, the last step taken)
PEOPLE = [
    ("邓子豪", True, date(2003, 3, 18), 40, "applicant"),
    ("彭雨欣", False, date(2001, 7, 2), 500, "activist"),  # a year as activist is up: may become a candidate
    ("曾志远", True, date(1998, 12, 9), 900, "candidate"),  # publicity ended: may be admitted
    ("罗佳怡", False, date(2000, 5, 27), 1300, "admitted"),  # a year of probation is up: may become full
    ("蒋文博", True, date(1997, 10, 15), 1900, "full"),
]
STEPS = ["applicant", "activist", "candidate", "admitted", "full"]


def seed_demo_developments() -> int:
    """Adds the demo's developments once (nothing if there are some or the joint branch is missing)."""
    joint = PartyOrganization.objects.filter(name=JOINT_BRANCH).first()
    secretary = User.objects.filter(username="secretary").first()  # the workflow takes steps by a person only
    introducers = list(Member.objects.filter(party_organization=joint, status=MemberStatus.FULL).order_by("pk")[:2])
    if joint is None or secretary is None or len(introducers) < 2 or Development.objects.exists():
        return 0
    rng = random.Random(1949)
    today = timezone.localdate()
    with transaction.atomic():
        for name, male, born, age_days, last in PEOPLE:
            applied = today - timedelta(days=age_days)
            development = development_create(
                actor=secretary,
                name=name,
                id_number=_id_number(rng, born, male, joint.region_id),
                party_organization=joint,
                applied_on=applied,
            )
            reached = STEPS.index(last)
            if reached >= 1:
                activist_on = applied + timedelta(days=60)
                development = development_make_activist(actor=secretary, development=development, on=activist_on)
            if reached >= 2:
                candidate_on = years_after(activist_on) + timedelta(days=20)
                development = development_make_candidate(actor=secretary, development=development, on=candidate_on)
            if reached >= 3:
                publicity_starts = candidate_on + timedelta(days=30)
                development = development_admit(
                    actor=secretary,
                    development=development,
                    on=publicity_starts + timedelta(days=25),
                    introducers=tuple(introducers),
                    publicity_starts_on=publicity_starts,
                    publicity_ends_on=publicity_starts + timedelta(days=20),  # five working days whatever the holidays
                )
            if reached >= 4:
                development_make_full(actor=secretary, development=development, on=years_after(development.admitted_on))
    return len(PEOPLE)
