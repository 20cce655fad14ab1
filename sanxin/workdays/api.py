"""The working-day calendar over the API: a year's holidays and make-up working days (public knowledge, for every
user), and the administrator's entries (system administrator only)."""

from __future__ import annotations

from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from sanxin.core.api_schemas import TEXT_VALUE, Day, responses
from sanxin.workdays import selectors, services

router = Router(tags=["工作日历"])


class SpecialDayOut(Schema):
    day: Day
    is_workday: bool = Field(description="true：调休上班；false：放假")
    name: str = Field(description="节日名称")
    source: str = Field(description="table：管理员录入；package：随系统提供的国务院放假安排")
    id: int | None = Field(description="管理员录入的记录编号（可删除）；随系统提供的为空")


class YearOut(Schema):
    year: int
    known: bool = Field(description="该年的放假安排已随系统提供或已录入")
    days: list[SpecialDayOut] = Field(description="工作日放假与周末调休上班的日子，按日期排列")


def _year(year: int) -> dict:
    days = selectors.year_special_days(year)
    return {
        "year": year,
        "known": selectors.year_known(year, days),
        "days": [
            {"day": d.day, "is_workday": d.is_workday, "name": d.name, "source": d.source, "id": d.adjustment.pk if d.adjustment else None}
            for d in days
        ],
    }


@router.get("/workdays", response=responses({200: YearOut}), summary="某年的放假与调休安排")
def year_calendar(request, year: int = Query(None, ge=2000, le=2100, description="年份；空为今年")):
    return _year(year or timezone.localdate().year)


class AdjustmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    day: Day = Field(description="日期")
    is_workday: bool = Field(description="true：调休上班；false：放假")
    name: str = Field("", max_length=20, pattern=TEXT_VALUE, description="节日名称")
    note: str = Field("", max_length=100, pattern=TEXT_VALUE, description="依据（通知文号）")


@router.post("/workdays", response=responses({201: YearOut}, refusals=(403,)), summary="录入一天的放假或调休上班")
def save_adjustment(request, payload: AdjustmentIn):
    adjustment = services.workday_adjustment_save(actor=request.auth, **payload.dict())
    return Status(201, _year(adjustment.day.year))


@router.delete("/workdays/{adjustment_id}", response=responses({200: YearOut}, refusals=(403,)), summary="删除录入的一天")
def delete_adjustment(request, adjustment_id: int):
    adjustment = selectors.access_adjustment(adjustment_id)
    year = adjustment.day.year
    services.workday_adjustment_delete(actor=request.auth, adjustment=adjustment)
    return _year(year)
