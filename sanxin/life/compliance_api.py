"""三会一课落实率 over the API: the rates of a region and of the regions below it, per kind, and the overdue list;
read from the same figures as the pages (sanxin.life.compliance_figures)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.utils import timezone
from ninja import Field, Query, Router, Schema

from sanxin.core.api_schemas import Limit, Offset, QueryText, list_response, responses
from sanxin.life import compliance_figures as figures
from sanxin.life.compliance import period_label
from sanxin.orgs.api import MAX_COUNT

router = Router(tags=["组织生活"])

RegionCode = QueryText("区划代码；空为本人数据范围", "360102")
Selected = Annotated[
    str,
    Query(
        description="期间：年 2026、半年 2026-H1 或季度 2026-Q3；空为本年度", example="2026-Q3", pattern=f"^$|{figures.SELECTION_PATTERN}"
    ),
]


class Rates(Schema):
    required: int = Field(description="应开期数（已开始的期间）")
    met: int = Field(description="按期召开的期数")
    due: int = Field(description="本期待开：期间未结束且尚未召开")
    overdue: int = Field(description="超期未开：期间已结束仍未召开")
    held: int = Field(description="会议次数")
    rate: float | None = Field(description="落实率（0–1）= 按期召开 ÷（按期召开 + 超期未开）；无已结束期间时为空")


class RegionRates(Rates):
    code: str
    name: str


class KindRates(Rates):
    key: str = Field(description="党组织层级、组建方式的代码，或会议类型编号")
    name: str


class MobileCounts(Schema):
    attending: int = Field(description="参加组织生活的流动党员：流入在此参加的，加上流出后在流入地党组织参加的")
    inflow: int
    outflow: int
    outflow_attending: int


class ComplianceOut(Schema):
    region: str = Field(description="区划代码；全国为空")
    period: str
    period_label: str
    summary: Rates
    by_region: list[RegionRates] = Field(description="下一级区划")
    by_org_level: list[KindRates]
    by_establishment_form: list[KindRates]
    by_meeting_type: list[KindRates]
    mobile_members: MobileCounts


def _selection(period: str):
    selection = figures.parse_selection(period)
    if selection is None:
        raise ValidationError({"period": "期间应写作 2026、2026-H1 或 2026-Q3"})
    return selection


@router.get("/rates", response=responses({200: ComplianceOut}), summary="三会一课落实率（按数据权限，下一级区划和各类型）")
def compliance_rates(request, region: RegionCode = "", period: Selected = ""):
    user = request.auth
    found = figures.compliance_region(user, region)
    selection = _selection(period)

    def by(field):
        return figures.breakdown_by(user=user, region=found, selection=selection, field=field)

    return {
        "region": found.code if found else "",
        "period": selection.key,
        "period_label": selection.label,
        "summary": figures.compliance_summary(user=user, region=found, selection=selection),
        "by_region": figures.breakdown_by_region(user=user, region=found, selection=selection),
        "by_org_level": by("org_level"),
        "by_establishment_form": by("establishment_form"),
        "by_meeting_type": by("meeting_type"),
        "mobile_members": figures.mobile_members(user=user, region=found),
    }


class Ref(Schema):
    id: int
    name: str


class OverdueOut(Schema):
    party_organization: Ref
    region: str = Field(description="党组织所在区划代码")
    meeting_type: Ref
    period: str = Field(description="期间：2026-09、2026-Q3、2026-H2 或 2026")
    period_label: str
    period_end: date = Field(description="期间最后一天")
    days_overdue: int


class OverdueList(Schema):
    items: list[OverdueOut]
    count: int = Field(description="符合条件的总条数")


LevelCode = Annotated[str, Query(description="党组织层级代码", pattern=r"^$|^[a-z_]{1,20}$")]


@router.get("/overdue", response=responses({200: OverdueList}), summary="超期未开的会议（按数据权限，与页面相同的筛选）")
def compliance_overdue(
    request,
    region: RegionCode = "",
    period: Selected = "",
    meeting_type: int | None = None,
    level: LevelCode = "",
    form: LevelCode = "",
    q: QueryText("党组织名称（包含）") = "",
    order: Literal["period_end", "-period_end"] = "period_end",
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    """最早截止的在前（order=-period_end 为最近截止的在前）。"""
    user = request.auth
    found = figures.compliance_region(user, region)
    rows = figures.overdue_list(
        user=user,
        region=found if region else None,  # by default all the scope sees, as the page
        selection=_selection(period),
        meeting_type="" if meeting_type is None else min(max(meeting_type, 0), MAX_COUNT),
        level=level,
        form=form,
        q=q,
    ).order_by(order, "pk")
    today = timezone.localdate()
    items = [
        {
            "party_organization": {"id": r.party_organization_id, "name": r.party_organization.name},
            "region": r.region_id,
            "meeting_type": {"id": r.meeting_type_id, "name": r.meeting_type.name},
            "period": r.period,
            "period_label": period_label(r.period),
            "period_end": r.period_end.isoformat(),
            "days_overdue": (today - r.period_end).days,
        }
        for r in rows[offset : offset + limit]
    ]
    return list_response(items, rows.count())
