"""Scope-test routes of study materials; collected by tests/scope_registry.py."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from sanxin.study.models import MEMBER_VISIBLE, StudyMaterial, StudyShare
from tests.scope_registry import PARTY_ORG, Entity, Route


def _learner(material, user) -> bool:
    """Without territory: a published (or withdrawn) material shared to a Party organization the user belongs to."""
    return material.status in MEMBER_VISIBLE and material.shares.filter(party_organization__members__user=user).exists()


# Seen by the units of its region, above and below (reaches down); by members and secretaries of the Party organizations it is shared to.
MATERIAL = Entity(StudyMaterial, region_code=lambda m: m.region_id, marker=lambda m: m.title, personal=_learner, reaches_down=True)
# Seen by whoever sees its Party organization; by that organization's secretary.
SHARE = Entity(
    StudyShare,
    region_code=lambda s: s.party_organization.region_id,
    marker=lambda s: s.party_organization.name,
    personal=lambda s, user: user.roles.filter(role="party_secretary").exists() and s.party_organization.members.filter(user=user).exists(),
    places=lambda s: PARTY_ORG.places(s.party_organization),
)
# A member's own list: only what is shared to the Party organization they belong to.
MINE = Entity(StudyMaterial, region_code=lambda m: None, marker=lambda m: m.title, personal=_learner)


def make_world_study(personas):
    """A published material with a PDF attachment at every place, shared to every Party organization of that place
    (one share each, so an organization's name marks its row)."""
    from sanxin.accounts.models import Unit
    from sanxin.party.models import PartyOrganization
    from sanxin.study.services import attachment_path

    now = timezone.now()
    places = {u.region_id for u in Unit.objects.filter(name__startswith="标记单位")} | {
        p.region_id for p in PartyOrganization.objects.all()
    }
    for place in sorted(places):
        stored = f"{int(place):032x}.pdf"
        attachment_path(stored).write_bytes(b"%PDF-1.4\n%%EOF\n")
        material = StudyMaterial.objects.create(
            title=f"标记学习{place}",
            body="学习内容",
            region_id=place,
            unit=Unit.objects.filter(region_id=place).first(),
            status="published",
            published_at=now - timedelta(days=1),
            attachment_name="学习.pdf",
            attachment_stored=stored,
            attachment_size=15,
        )
        for party_org in PartyOrganization.objects.filter(region_id=place):
            StudyShare.objects.create(material=material, party_organization=party_org, due_on=timezone.localdate() + timedelta(days=30))


ROUTES: list = [
    Route("study:material_list", "list", MATERIAL, "study.view", list_url="/study/materials/?size=100"),
    Route("study:material_detail", "detail", MATERIAL, "study.view", url=lambda m: reverse("study:material_detail", args=[m.pk])),
    Route("study:material_attachment", "detail", MATERIAL, "study.view", url=lambda m: reverse("study:material_attachment", args=[m.pk])),
    Route("study:rate_list", "list", SHARE, "study.view", list_url="/study/rates/?size=100"),
    Route("study:rate_export", "export", SHARE, "study.view", list_url="/study/rates/export/"),
    Route("study:share_detail", "detail", SHARE, "study.view", url=lambda s: reverse("study:share_detail", args=[s.pk])),
    Route("study:mine", "list", MINE, "study.learn", list_url="/m/study/"),
    Route("study:mine_detail", "detail", MINE, "study.learn", url=lambda m: reverse("study:mine_detail", args=[m.pk])),
    Route("study:mine_attachment", "detail", MINE, "study.learn", url=lambda m: reverse("study:mine_attachment", args=[m.pk])),
    Route(
        "api:list_materials",
        "api_list",
        MATERIAL,
        "study.view",
        list_url="/api/v1/study/materials?limit=200",
        api_items=lambda data: [item["title"] for item in data["items"]],
    ),
    Route("api:get_material", "api_detail", MATERIAL, "study.view", url=lambda m: f"/api/v1/study/materials/{m.pk}"),
    Route(
        "api:list_rates",
        "api_list",
        SHARE,
        "study.view",
        list_url="/api/v1/study/rates?limit=200",
        api_items=lambda data: [item["party_organization_name"] for item in data["items"]],
    ),
    Route(
        "api:list_mine",
        "api_list",
        MINE,
        "study.learn",
        list_url="/api/v1/study/mine",
        api_items=lambda data: [item["title"] for item in data["items"]],
    ),
]
WORLD = (make_world_study,)
EXEMPT: dict[str, str] = {
    "study:material_create": "新建表单；发布地区取本人单位所在地区，见 tests/study/test_materials.py",
    "study:material_edit": "经 access_material(for_write=True) 取得，只在发布地区及其上级可改，范围外 404，见 tests/study/test_pages.py",
    "study:material_publish": "只收 POST；经 access_material(for_write=True) 取得，范围外 404，见 tests/study/test_pages.py",
    "study:material_withdraw": "只收 POST；经 access_material(for_write=True) 取得，范围外 404，见 tests/study/test_pages.py",
    "study:material_share": "经 access_material(for_write=True) 取得；只列、只收本单位范围内的党组织，见 tests/study/test_materials.py",
    "study:mine_done": "只收 POST；经 access_my_material 取得（只认分享给本人所在党组织的），见 tests/study/test_pages.py",
    "api:mark_done": "本人标记学完；经 access_my_material 取得，见 tests/study/test_api.py",
    "api:create_material": "接口新建草稿；发布地区取本人单位所在地区，见 tests/study/test_api.py",
    "api:update_material": "接口修改；经 access_material(for_write=True) 取得，范围外 404，见 tests/study/test_api.py",
    "api:publish_material": "接口发布；经 access_material(for_write=True) 取得，范围外 404，见 tests/study/test_api.py",
    "api:withdraw_material": "接口撤回；经 access_material(for_write=True) 取得，范围外 404，见 tests/study/test_api.py",
    "api:share_material": "接口分享；党组织编号只在本单位范围内查找，范围外 422，见 tests/study/test_api.py",
}
