"""Study materials over the API: materials (list, read, create, update, publish, withdraw, share), the rates per
Party organization, and the member's own list and marking done; through sanxin.study.selectors and services, as
the pages."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from sanxin.core.api_schemas import TEXT_VALUE, Day, Limit, Offset, QueryText, list_response, responses
from sanxin.core.guards import require
from sanxin.orgs.api import MAX_COUNT, choices_text
from sanxin.party.models import PartyOrgLevel
from sanxin.study import selectors, services
from sanxin.study.models import BODY_MAX, LINK_MAX, TITLE_MAX, MaterialKind, MaterialStatus, StudyMaterial

router = Router(tags=["学习资料"])


class MaterialOut(Schema):
    id: int
    title: str
    kind: str = Field(description=f"类型：{choices_text(MaterialKind.choices)}")
    kind_label: str
    status: str = Field(description=f"状态：{choices_text(MaterialStatus.choices)}")
    status_label: str
    region: str = Field(description="发布地区代码")
    unit: str = Field(description="发布单位")
    link: str
    has_attachment: bool
    published_at: datetime | None
    withdrawn_at: datetime | None


class MaterialDetailOut(MaterialOut):
    body: str


class MaterialList(Schema):
    items: list[MaterialOut]
    count: int = Field(description="符合条件的总条数")


class RateOut(Schema):
    id: int = Field(description="分享编号")
    material: int
    material_title: str
    party_organization: int
    party_organization_name: str
    region: str
    due_on: date | None
    expected: int = Field(description="应学人数（现有党员，含在此参加组织生活的流动党员，不含失联党员）")
    done: int = Field(description="已标记学完人数")
    rate: float | None = Field(description="完成率（0–1）；无应学人员时为空")


class RateList(Schema):
    items: list[RateOut]
    count: int


class MineOut(Schema):
    id: int
    title: str
    kind: str
    status: str
    status_label: str
    due_on: date | None
    done_at: datetime | None


class MineList(Schema):
    items: list[MineOut]
    count: int


def local(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def material_row(m: StudyMaterial) -> dict:
    return {
        "id": m.pk,
        "title": m.title,
        "kind": m.kind,
        "kind_label": m.get_kind_display(),
        "status": m.status,
        "status_label": m.get_status_display(),
        "region": m.region_id,
        "unit": m.unit.name if m.unit_id else "",
        "link": m.link,
        "has_attachment": m.has_attachment,
        "published_at": local(m.published_at),
        "withdrawn_at": local(m.withdrawn_at),
    }


def _detail(material: StudyMaterial) -> dict:
    return material_row(material) | {"body": material.body}


def rate_row(s) -> dict:
    return {
        "id": s.pk,
        "material": s.material_id,
        "material_title": s.material.title,
        "party_organization": s.party_organization_id,
        "party_organization_name": s.party_organization.name,
        "region": s.party_organization.region_id,
        "due_on": s.due_on.isoformat() if s.due_on else None,
        "expected": s.expected,
        "done": s.done,
        "rate": s.rate,
    }


StatusCode = Literal[("", *MaterialStatus.values)]
KindCode = Literal[tuple(MaterialKind.values)]
LevelCode = Literal[("", *PartyOrgLevel.values)]
Progress = Literal["", "complete", "incomplete", "overdue"]


# The member's own routes first, so that /mine is not read as a material's number.


@router.get("/mine", response=responses({200: MineList}), summary="本人的学习资料（分享给本人所在党组织的）")
def list_mine(request):
    """不统计在线时长；done_at 为本人标记学完的时间。"""
    if not request.auth.can("study.learn"):
        raise Http404
    rows = list(selectors.my_materials(request.auth)[:500])
    items = [
        {
            "id": m.pk,
            "title": m.title,
            "kind": m.kind,
            "status": m.status,
            "status_label": m.get_status_display(),
            "due_on": m.due_on.isoformat() if m.due_on else None,
            "done_at": local(m.done_at),
        }
        for m in rows
    ]
    return list_response(items, len(items))


class DoneOut(Schema):
    material: int
    done_at: datetime


@router.post("/mine/{material_id}/done", response=responses({200: DoneOut}, refusals=(403,)), summary="本人标记学完（每人一次）")
def mark_done(request, material_id: int):
    material = selectors.access_my_material(material_id, user=request.auth)
    done = services.material_mark_done(actor=request.auth, material=material)
    return {"material": material.pk, "done_at": done.done_at}


@router.get("/rates", response=responses({200: RateList}), summary="各党组织学习完成率（按数据权限）")
def list_rates(
    request,
    material: int | None = None,
    q: QueryText("党组织名称（包含）") = "",
    region: QueryText("地区代码（含下级）", "360102") = "",
    level: LevelCode = "",
    progress: Progress = "",
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    if not request.auth.can("study.view"):
        raise Http404
    found = selectors.share_list(
        user=request.auth,
        material="" if material is None else min(max(material, 0), MAX_COUNT),
        q=q,
        region=region,
        level=level,
        progress=progress,
    ).order_by("party_organization__region_id", "party_organization__name", "pk")
    return list_response([rate_row(s) for s in found[offset : offset + limit]], found.count())


@router.get("/materials", response=responses({200: MaterialList}), summary="学习资料（按数据权限）")
def list_materials(
    request,
    q: QueryText("标题（包含）") = "",
    status: StatusCode = "",
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    if not request.auth.can("study.view"):
        raise Http404
    found = selectors.material_list(user=request.auth, q=q, status=status).order_by("-created_at", "-pk")
    return list_response([material_row(m) for m in found[offset : offset + limit]], found.count())


@router.get("/materials/{material_id}", response=responses({200: MaterialDetailOut}), summary="单个学习资料")
def get_material(request, material_id: int):
    if not request.auth.can("study.view"):
        raise Http404
    return _detail(selectors.access_material(material_id, user=request.auth))


class MaterialIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=TITLE_MAX, pattern=TEXT_VALUE)
    kind: KindCode = Field(MaterialKind.ARTICLE, description=f"类型：{choices_text(MaterialKind.choices)}")
    body: str = Field("", max_length=BODY_MAX, pattern=TEXT_VALUE, description="正文（纯文本）")
    link: str = Field("", max_length=LINK_MAX, pattern=TEXT_VALUE, description="http:// 或 https:// 开头的网址")


class MaterialPatch(Schema):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(None, min_length=1, max_length=TITLE_MAX, pattern=TEXT_VALUE)
    kind: KindCode = Field(None)
    body: str = Field(None, max_length=BODY_MAX, pattern=TEXT_VALUE)
    link: str = Field(None, max_length=LINK_MAX, pattern=TEXT_VALUE)


@router.post("/materials", response=responses({201: MaterialDetailOut}, refusals=(403,)), summary="新建学习资料（草稿）")
def create_material(request, payload: MaterialIn):
    require(request.auth, "study.manage")
    material = services.material_create(actor=request.auth, **payload.dict())
    return Status(201, _detail(selectors.access_material(material.pk, user=request.auth)))


@router.patch("/materials/{material_id}", response=responses({200: MaterialDetailOut}, refusals=(403,)), summary="修改学习资料")
def update_material(request, material_id: int, payload: MaterialPatch):
    material = selectors.access_material(material_id, user=request.auth, for_write=True)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    services.material_update(actor=request.auth, material=material, **changes)
    return _detail(selectors.access_material(material_id, user=request.auth))


@router.post("/materials/{material_id}/publish", response=responses({200: MaterialDetailOut}, refusals=(403,)), summary="发布")
def publish_material(request, material_id: int):
    material = selectors.access_material(material_id, user=request.auth, for_write=True)
    services.material_publish(actor=request.auth, material=material)
    return _detail(selectors.access_material(material_id, user=request.auth))


class WithdrawIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(min_length=1, max_length=500, pattern=TEXT_VALUE, description="撤回原因")


@router.post("/materials/{material_id}/withdraw", response=responses({200: MaterialDetailOut}, refusals=(403,)), summary="撤回")
def withdraw_material(request, material_id: int, payload: WithdrawIn):
    material = selectors.access_material(material_id, user=request.auth, for_write=True)
    services.material_withdraw(actor=request.auth, material=material, note=payload.note)
    return _detail(selectors.access_material(material_id, user=request.auth))


class ShareIn(Schema):
    model_config = ConfigDict(extra="forbid")

    region: str = Field("", max_length=12, pattern=r"^\d{0,12}$", description="地区代码：分享给该地区及下级所有状态正常的党组织")
    level: LevelCode = Field("", description=f"党组织类型（与地区同用）：{choices_text(PartyOrgLevel.choices)}")
    party_organizations: list[int] = Field([], max_length=5000, description="或：党组织编号（须在您的管辖范围内）")
    due_on: Day | None = Field(None, description="学习截止日期")


class ShareOut(Schema):
    shared: int = Field(description="新分享的党组织数")
    already: int = Field(description="此前已分享、未重复的党组织数")


@router.post(
    "/materials/{material_id}/shares", response=responses({200: ShareOut}, refusals=(403,)), summary="分享给党组织（重复分享不重复计）"
)
def share_material(request, material_id: int, payload: ShareIn):
    user = request.auth
    material = selectors.access_material(material_id, user=user, for_write=True)
    orgs = []
    if payload.party_organizations:
        ids = {pk for pk in payload.party_organizations if 0 < pk <= MAX_COUNT}
        orgs = list(selectors.shareable_party_orgs(user).filter(pk__in=ids))
        missing = sorted(set(payload.party_organizations) - {p.pk for p in orgs})
        if missing:
            raise ValidationError({"party_organizations": f"党组织编号 {'、'.join(map(str, missing[:5]))} 不在您的管辖范围内或已撤销"})
    shared, already = services.material_share(
        actor=user, material=material, region=payload.region, level=payload.level, party_orgs=orgs, due_on=payload.due_on
    )
    return {"shared": shared, "already": already}
