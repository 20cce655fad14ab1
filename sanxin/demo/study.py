"""Demo study materials, written through the study services: the county (account dh_county) publishes four materials
and shares them to the Party organizations of 东湖区 (one with a due date, one only to the street's joint branch, one
withdrawn); the demo member (林小勇, account "member") has one done and two to study, the secretary one done; some
members without accounts of their own have done some, so the county sees rates between 0 and 100 %."""

from __future__ import annotations

import random
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from sanxin.accounts.models import User
from sanxin.demo.members import JOINT_BRANCH
from sanxin.members.models import RelationMode
from sanxin.party.models import PartyOrganization
from sanxin.study.models import StudyCompletion, StudyMaterial
from sanxin.study.services import material_create, material_mark_done, material_publish, material_share, material_withdraw

MATERIALS = [
    # (title, kind, body, link, shared only to the joint branch, due in days, withdrawn)
    (
        "学习《中国共产党章程》第一章 党员",
        "document",
        "第一条 年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子，承认党的纲领和章程，"
        "愿意参加党的一个组织并在其中积极工作、执行党的决议和按期交纳党费的，可以申请加入中国共产党。\n\n"
        "学习要求：结合本职工作，思考新就业群体中的党员如何发挥先锋模范作用。",
        "",
        False,
        30,
        False,
    ),
    (
        "新就业群体党建工作经验交流（视频）",
        "video",
        "观看各地快递、外卖、网约车行业党建工作的经验介绍，支部学习时可集中观看。",
        "https://www.12371.cn/",
        False,
        None,
        False,
    ),
    (
        "“小哥驿站”志愿服务指引",
        "article",
        "一、驿站开放时间与值班安排\n二、党员骑手志愿服务内容：交通安全宣传、帮扶困难群众\n三、服务记录与反馈方式",
        "",
        True,
        14,
        False,
    ),
    ("2025 年学习安排（已调整）", "other", "本安排已调整，请以新发布的学习资料为准。", "", False, None, True),
]


def seed_demo_study() -> int:
    """Adds the demo materials once (nothing if any exists or the demo's accounts and members do not)."""
    county = User.objects.filter(username="dh_county").first()
    joint = PartyOrganization.objects.filter(name=JOINT_BRANCH).first()
    if county is None or joint is None or StudyMaterial.objects.exists() or not joint.members.exists():
        return 0
    rng = random.Random(2026)
    today = timezone.localdate()
    materials = []
    with transaction.atomic():
        for title, kind, body, link, joint_only, due_days, _withdrawn in MATERIALS:
            material = material_publish(actor=county, material=material_create(actor=county, title=title, kind=kind, body=body, link=link))
            due_on = today + timedelta(days=due_days) if due_days else None
            if joint_only:
                material_share(actor=county, material=material, party_orgs=[joint], due_on=due_on)
            else:
                material_share(actor=county, material=material, region=county.unit.region_id, due_on=due_on)
            materials.append(material)
        charter, video, station, old = materials
        for username in ("member", "secretary"):
            user = User.objects.filter(username=username).first()
            if user is not None and hasattr(user, "member_record"):
                material_mark_done(actor=user, material=charter)
        # Members without accounts of their own: what their own accounts would have written, done a few days ago.
        for material, share in ((charter, 0.6), (video, 0.3), (station, 0.5), (old, 0.4)):
            for org in PartyOrganization.objects.filter(study_shares__material=material):
                for member in org.members.filter(user__isnull=True).exclude(relation_mode=RelationMode.LOST):
                    if rng.random() < share:
                        StudyCompletion.objects.get_or_create(
                            material=material,
                            member=member,
                            defaults={"party_organization": org, "done_at": timezone.now() - timedelta(days=rng.randrange(1, 10))},
                        )
        for material, spec in zip(materials, MATERIALS, strict=True):
            if spec[-1]:
                material_withdraw(actor=county, material=material, note="学习安排已调整")
    return len(materials)
