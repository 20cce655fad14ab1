"""Workers over the API: staff read the workers in their scope (phones masked); a worker reads, corrects and exports
their own data under /api/v1/w/me. Through the same selectors and services as the pages."""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from ninja import Field, Router, Schema
from pydantic import ConfigDict

from sanxin.core.api_schemas import TEXT_VALUE, Limit, Offset, QueryText, list_response, responses
from sanxin.orgs.api import MAX_COUNT, choices_text
from sanxin.workers import selectors, services
from sanxin.workers.models import EMPLOYER_NAME_MAX, NAME_MAX, WORK_AREA_MAX, Occupation, Platform, Worker

router = Router(tags=["新就业群体从业人员"])
me_router = Router(tags=["从业人员本人"])


class PlatformRef(Schema):
    id: int
    name: str


class WorkerOut(Schema):
    id: int
    name: str
    phone_masked: str = Field(description="手机号码（脱敏）")
    occupation: str = Field(description=f"职业：{choices_text(Occupation.choices)}")
    occupation_label: str
    platforms: list[PlatformRef]
    region: str = Field(description="工作区域代码（街道或社区）")
    region_name: str
    work_area: str
    employer_name: str = Field(description="所在站点/加盟商")
    source: str
    consent_version: str
    consented_at: datetime | None
    last_active_at: datetime | None


class WorkerList(Schema):
    items: list[WorkerOut]
    count: int = Field(description="符合条件的总条数")


def local(moment: datetime | None) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def worker_row(w: Worker) -> dict:
    return {
        "id": w.pk,
        "name": w.name,
        "phone_masked": w.phone_masked,
        "occupation": w.occupation,
        "occupation_label": w.get_occupation_display(),
        "platforms": [{"id": p.pk, "name": p.name} for p in w.platforms.all()],
        "region": w.region_id,
        "region_name": w.region.full_name,
        "work_area": w.work_area,
        "employer_name": w.employer.name if w.employer_id else w.employer_name,
        "source": w.source,
        "consent_version": w.consent_version,
        "consented_at": local(w.consented_at),
        "last_active_at": local(w.last_active_at),
    }


OccupationCode = Literal[("", *Occupation.values)]


@router.get("", response=responses({200: WorkerList}), summary="从业人员（按数据权限，手机号脱敏）")
def list_workers(
    request,
    q: QueryText("姓名（包含）或完整手机号") = "",
    occupation: OccupationCode = "",
    platform: int | None = None,
    region: QueryText("工作区域代码（含下级）", "360102002") = "",
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    if not request.auth.can("workers.view"):
        raise Http404
    found = selectors.worker_list(
        user=request.auth,
        q=q[:50],
        occupation=occupation,
        platform="" if platform is None else str(min(max(platform, 0), MAX_COUNT)),
        region=region[:12],
    ).select_related("employer")
    found = found.prefetch_related("platforms").order_by("region_id", "name", "pk")
    return list_response([worker_row(w) for w in found[offset : offset + limit]], found.count())


@router.get("/{worker_id}", response=responses({200: WorkerOut}), summary="单个从业人员（手机号脱敏）")
def get_worker(request, worker_id: int):
    if not request.auth.can("workers.view"):
        raise Http404
    return worker_row(selectors.access_worker(worker_id, user=request.auth))


# The worker's own data.


class WorkerMeOut(WorkerOut):
    sensitive_consented_at: datetime | None
    consent_current: bool = Field(description="是否已同意现行版本的告知同意书")


class MePatch(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(None, min_length=1, max_length=NAME_MAX, pattern=TEXT_VALUE)
    occupation: Literal[tuple(Occupation.values)] = Field(None)
    platforms: list[int] = Field(None, max_length=50, description="平台编号")
    region: str = Field(None, min_length=9, max_length=12, pattern=r"^\d{9}(\d{3})?$", description="工作区域代码（街道或社区）")
    work_area: str = Field(None, max_length=WORK_AREA_MAX, pattern=TEXT_VALUE)
    employer_name: str = Field(None, max_length=EMPLOYER_NAME_MAX, pattern=TEXT_VALUE)


def _me(request) -> Worker:
    worker = selectors.worker_of(request.auth)
    if worker is None or not request.auth.can("workers.self"):
        raise Http404
    return worker


def _me_row(worker: Worker) -> dict:
    return worker_row(worker) | {
        "sensitive_consented_at": local(worker.sensitive_consented_at),
        "consent_current": not selectors.consent_outdated(worker),
    }


@me_router.get("/me", response=responses({200: WorkerMeOut}), summary="本人的从业人员信息（手机号脱敏）")
def get_me(request):
    return _me_row(_me(request))


@me_router.patch("/me", response=responses({200: WorkerMeOut}, refusals=(403,)), summary="更正本人信息（手机号不能在此修改）")
def update_me(request, payload: MePatch):
    _me(request)
    changes = {k: v for k, v in payload.dict(exclude_unset=True).items() if v is not None}
    if "platforms" in changes:
        ids = {pk for pk in changes["platforms"] if 0 < pk <= MAX_COUNT}
        changes["platforms"] = list(Platform.objects.filter(pk__in=ids))
    services.worker_update_self(actor=request.auth, **changes)
    return _me_row(_me(request))


@me_router.get(
    "/me/export",
    response=responses({200: dict[str, str]}, refusals=(403,)),
    summary="导出本人数据（JSON：项目 → 内容，含完整手机号，留审计记录）",
)
def export_me(request):
    _me(request)
    content, filename, kind = services.worker_export_self(actor=request.auth, fmt="json")
    response = HttpResponse(content, content_type=kind)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
