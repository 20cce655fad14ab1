"""Census campaigns (摸排) and to-dos over the API: the same selectors, services and workflow as the pages.

A campaign goes 未开始 → 进行中 → 已结束 only through its workflow (start, close, cancel); a census record is saved
(or corrected) for one organization of a running campaign; a to-do is closed with a note. Each refusal of a
rule is a 422 with the workflow's Chinese reason.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from sanxin.census import selectors, services
from sanxin.census.forms import CampaignForm
from sanxin.census.models import CENSUS_ITEMS, CampaignStatus, CensusCampaign, CensusRecord, Todo, TodoStatus
from sanxin.census.workflow import CAMPAIGN
from sanxin.core.api_schemas import TEXT_VALUE, Day, Limit, Offset, responses
from sanxin.core.guards import require
from sanxin.core.text import normalize_code
from sanxin.core.workflow import timeline
from sanxin.orgs.api import MAX_COUNT, OrganizationRef, choices_text, form_value, in_queryset, resolved

router = Router(tags=["摸排行动与待办"])


class TimelineOut(Schema):
    label: str = Field(description="办理操作，如“开始摸排”")
    to_state_label: str = Field(description="办理后的状态")
    actor_name: str = Field(description="办理人（“系统”为每日任务或自动办结）")
    note: str
    occurred_at: datetime


class ProgressOut(Schema):
    total: int = Field(description="应摸排组织数（只计您数据范围内的组织）")
    done: int = Field(description="已摸排组织数")
    rate: float | None = Field(description="进度，0–1 的小数；没有组织时为空")


class CampaignOut(Schema):
    id: int
    name: str
    region: str = Field(description="摸排范围（区划代码）")
    region_name: str
    industry: str | None = Field(description="限定行业代码；空为全部行业")
    industry_name: str | None
    starts_on: Day
    ends_on: Day = Field(description="截止日期；过期后由每日任务自动结束")
    status: str = Field(description=f"状态：{choices_text(CampaignStatus.choices)}")
    status_label: str
    started_at: datetime | None
    closed_at: datetime | None
    created_by_unit: str = Field(description="发起单位")
    progress: ProgressOut

    @staticmethod
    def resolve_region(obj: CensusCampaign) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: CensusCampaign) -> str:
        return obj.region.full_name

    @staticmethod
    def resolve_industry(obj: CensusCampaign) -> str | None:
        return obj.industry.code if obj.industry_id else None

    @staticmethod
    def resolve_industry_name(obj: CensusCampaign) -> str | None:
        return obj.industry.name if obj.industry_id else None

    @staticmethod
    def resolve_status_label(obj: CensusCampaign) -> str:
        return obj.get_status_display()

    @staticmethod
    def resolve_created_by_unit(obj: CensusCampaign) -> str:
        return obj.created_by_unit.name

    @staticmethod
    def resolve_progress(obj: CensusCampaign, context) -> dict:
        return selectors.campaign_progress(obj, user=context["request"].auth)


class CampaignDetail(CampaignOut):
    actions: list[str] = Field(description="您现在可以办理的操作：start 开始摸排；close 结束行动；cancel 撤销行动")
    timeline: list[TimelineOut] = Field(description="办理过程")

    @staticmethod
    def resolve_actions(obj: CensusCampaign, context) -> list[str]:
        return [step.name for step in CAMPAIGN.available(obj, context["request"].auth)]

    @staticmethod
    def resolve_timeline(obj: CensusCampaign) -> list:
        return timeline(obj)


class CampaignList(Schema):
    items: list[CampaignOut]
    count: int


def _campaign(pk, user) -> CensusCampaign:
    return selectors.access_campaign(pk, user=user)


@router.get("/campaigns", response=responses({200: CampaignList}), summary="摸排行动列表（按数据权限，含本范围进度）")
def list_campaigns(request, offset: Offset = 0, limit: Limit(100) = 20):
    """Campaigns of your scope and those of the units above it that cover your territory, newest first;
    progress counts only the organizations of your scope."""
    if not request.auth.can("census.view"):
        raise Http404
    found = selectors.campaign_list(user=request.auth).order_by("-starts_on", "-pk")
    return {"items": list(found[offset : offset + limit]), "count": found.count()}


@router.get("/campaigns/{campaign_id}", response=responses({200: CampaignDetail}), summary="单个摸排行动（含进度与办理过程）")
def get_campaign(request, campaign_id: int):
    return _campaign(campaign_id, request.auth)


class CampaignIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, pattern=TEXT_VALUE, description="行动名称")
    region: str = Field(max_length=12, pattern=TEXT_VALUE, description="摸排范围的区划代码，须在您的数据范围内", examples=["360102"])
    industry: str | None = Field(None, max_length=16, pattern=TEXT_VALUE, description="限定行业代码；空为全部行业")
    starts_on: Day = Field(description="开始日期")
    ends_on: Day = Field(description="截止日期，不能早于开始日期")


@router.post("/campaigns", response=responses({201: CampaignDetail}, refusals=(403,)), summary="发起摸排行动（新建为“未开始”）")
def create_campaign(request, payload: CampaignIn):
    user = request.auth
    require(user, "census.manage")
    form = CampaignForm(user=user)
    resolvers = {
        "region": lambda code: form_value(form, "region", code),
        "industry": lambda code: in_queryset(form, "industry", normalize_code(code) if code else None, key="code", label="行业代码"),
    }
    campaign = services.census_campaign_create(actor=user, **resolved(form, payload.dict(), resolvers))
    return Status(201, _campaign(campaign.pk, user))


class NoteIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = Field("", max_length=500, pattern=TEXT_VALUE, description="说明（撤销时必填：原因）")


STEP_DESCRIPTION = "只有发起单位及其上级可以办理；不在可办理状态时返回 422 与中文原因。"


def _step(request, campaign_id: int, service, **note):
    user = request.auth
    campaign = selectors.access_campaign(campaign_id, user=user, for_write=True)
    service(actor=user, campaign=campaign, **note)
    return _campaign(campaign.pk, user)


@router.post(
    "/campaigns/{campaign_id}/start",
    response=responses({200: CampaignDetail}, refusals=(403,)),
    summary="开始摸排（未开始 → 进行中，通知范围内各单位）",
    description=STEP_DESCRIPTION,
)
def start_campaign(request, campaign_id: int):
    return _step(request, campaign_id, services.campaign_start)


@router.post(
    "/campaigns/{campaign_id}/close",
    response=responses({200: CampaignDetail}, refusals=(403,)),
    summary="结束摸排行动（进行中 → 已结束）",
    description=STEP_DESCRIPTION,
)
def close_campaign(request, campaign_id: int, payload: NoteIn):
    return _step(request, campaign_id, services.campaign_close, note=payload.note)


@router.post(
    "/campaigns/{campaign_id}/cancel",
    response=responses({200: CampaignDetail}, refusals=(403,)),
    summary="撤销摸排行动（未开始 → 已结束，须填原因）",
    description=STEP_DESCRIPTION,
)
def cancel_campaign(request, campaign_id: int, payload: NoteIn):
    return _step(request, campaign_id, services.campaign_cancel, note=payload.note)


class CampaignOrganizationOut(Schema):
    id: int
    credit_code: str
    name: str
    region: str
    region_name: str
    censused: bool = Field(description="本次行动中已摸排")

    @staticmethod
    def resolve_region(obj) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj) -> str:
        return obj.region.full_name


class CampaignOrganizationList(Schema):
    items: list[CampaignOrganizationOut]
    count: int


@router.get(
    "/campaigns/{campaign_id}/organizations",
    response=responses({200: CampaignOrganizationList}),
    summary="摸排行动中的组织（只列您数据范围内的）",
)
def list_campaign_organizations(
    request,
    campaign_id: int,
    state: Annotated[Literal["", "done", "todo"], Query(description="done 已摸排；todo 未摸排；空为全部")] = "",
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    campaign = _campaign(campaign_id, request.auth)
    found = selectors.campaign_organizations_seen(campaign, user=request.auth)
    if state:
        found = found.filter(censused=state == "done")
    found = found.order_by("region_id", "name", "pk")
    return {"items": list(found[offset : offset + limit]), "count": found.count()}


class RecordIn(Schema):
    model_config = ConfigDict(extra="forbid")

    censused_on: Day = Field(description="摸排日期，在行动期间内且不晚于今天")
    employees: int = Field(ge=0, le=MAX_COUNT, description="从业人员数（写回组织名录）")
    formal_members: int = Field(ge=0, le=MAX_COUNT, description="正式党员数（≥3 且无本单位党组织时生成“应组建”待办）")
    probationary_members: int = Field(0, ge=0, le=MAX_COUNT, description="预备党员数")
    operation: str = Field(max_length=5000, pattern=TEXT_VALUE, description="经营运行情况")
    workforce: str = Field(max_length=5000, pattern=TEXT_VALUE, description="职工队伍情况")
    investors: str = Field(max_length=5000, pattern=TEXT_VALUE, description="出资人情况")
    party_members: str = Field(max_length=5000, pattern=TEXT_VALUE, description="党员情况")
    party_organization: str = Field(max_length=5000, pattern=TEXT_VALUE, description="党组织情况")
    mass_organizations: str = Field(max_length=5000, pattern=TEXT_VALUE, description="群团组织情况")
    party_work: str = Field(max_length=5000, pattern=TEXT_VALUE, description="党建工作情况")


assert {key for key, _ in CENSUS_ITEMS} <= set(RecordIn.model_fields), "RecordIn takes every item of the census"


class RecordOut(Schema):
    campaign: int
    organization: OrganizationRef
    censused_on: Day
    employees: int
    formal_members: int
    probationary_members: int
    operation: str
    workforce: str
    investors: str
    party_members: str
    party_organization: str
    mass_organizations: str
    party_work: str
    censused_by: str | None = Field(description="摸排人")

    @staticmethod
    def resolve_campaign(obj: CensusRecord) -> int:
        return obj.campaign_id

    @staticmethod
    def resolve_censused_by(obj: CensusRecord) -> str | None:
        return obj.censused_by.display_name if obj.censused_by_id else None


@router.get(
    "/campaigns/{campaign_id}/records/{organization_id}",
    response=responses({200: RecordOut}),
    summary="一个组织在本次行动中的摸排记录（七个清）",
)
def get_census_record(request, campaign_id: int, organization_id: int):
    campaign = _campaign(campaign_id, request.auth)
    organization = selectors.access_campaign_organization(organization_id, user=request.auth)
    record = selectors.census_record_of(campaign, organization)
    if record is None:
        raise Http404
    return record


@router.put(
    "/campaigns/{campaign_id}/records/{organization_id}",
    response=responses({200: RecordOut}, refusals=(403,)),
    summary="填报或更正摸排记录（七个清）",
)
def save_census_record(request, campaign_id: int, organization_id: int, payload: RecordIn):
    """As the 七个清 page: the campaign must be running, the organization one of the campaign's within your scope.
    The counts found are written back to the registry; three or more formal members and no Party organization
    of its own raise an open 应组建 to-do."""
    user = request.auth
    campaign = selectors.access_campaign(campaign_id, user=user, for_write=True)
    organization = selectors.access_campaign_organization(organization_id, user=user, for_write=True)
    record = services.census_record_save(actor=user, campaign=campaign, organization=organization, **payload.dict())
    return selectors.census_record_of(campaign, record.organization)


class TodoOut(Schema):
    id: int
    kind: str
    kind_label: str
    organization: OrganizationRef
    region_name: str = Field(description="组织所在地区")
    note: str
    due_on: Day | None = Field(description="办理期限")
    status: str = Field(description=f"状态：{choices_text(TodoStatus.choices)}")
    status_label: str
    closed_on: Day | None
    close_note: str = Field(description="办结说明")

    @staticmethod
    def resolve_kind_label(obj: Todo) -> str:
        return obj.get_kind_display()

    @staticmethod
    def resolve_region_name(obj: Todo) -> str:
        return obj.organization.region.full_name

    @staticmethod
    def resolve_status_label(obj: Todo) -> str:
        return obj.get_status_display()


class TodoDetail(TodoOut):
    timeline: list[TimelineOut] = Field(description="办理过程")

    @staticmethod
    def resolve_timeline(obj: Todo) -> list:
        return timeline(obj)


class TodoList(Schema):
    items: list[TodoOut]
    count: int


@router.get("/todos", response=responses({200: TodoList}), summary="待办事项（按数据权限）")
def list_todos(
    request,
    status: Annotated[
        Literal["", "open", "done"], Query(description=f"状态：{choices_text(TodoStatus.choices)}；空为全部；默认待办")
    ] = TodoStatus.OPEN.value,
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    """As the to-do page (`?status=`), earliest due first."""
    if not request.auth.can("census.view"):
        raise Http404
    found = selectors.todo_list(user=request.auth, status=status).order_by("status", "due_on", "pk")
    return {"items": list(found[offset : offset + limit]), "count": found.count()}


@router.get("/todos/{todo_id}", response=responses({200: TodoDetail}), summary="单个待办（含办理过程）")
def get_todo(request, todo_id: int):
    return selectors.access_todo(todo_id, user=request.auth)


class TodoCloseIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = Field(max_length=300, pattern=TEXT_VALUE, description="办结说明，如：已于某日单独组建党支部")


@router.post("/todos/{todo_id}/close", response=responses({200: TodoDetail}, refusals=(403,)), summary="办结待办（须填办结说明）")
def close_todo(request, todo_id: int, payload: TodoCloseIn):
    user = request.auth
    todo = selectors.access_todo(todo_id, user=user, for_write=True)
    services.todo_close(actor=user, todo=todo, note=payload.note)
    return selectors.access_todo(todo.pk, user=user)
