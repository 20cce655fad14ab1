from datetime import datetime

from django.http import Http404
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from sanxin.accounts import selectors
from sanxin.accounts.api_auth import StaffSession
from sanxin.accounts.tokens import api_token_create
from sanxin.core.api_schemas import TEXT_VALUE, Limit, Offset, QueryText, list_response, responses
from sanxin.core.scope import user_scope

router = Router(tags=["单位与账号"])


class MeOut(Schema):
    username: str
    full_name: str
    unit: str | None
    roles: list[str]
    scope: str


class UnitOut(Schema):
    id: int
    name: str
    kind: str
    region: str | None
    region_name: str | None
    user_count: int | None = None

    @staticmethod
    def resolve_region(obj):
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj):
        return obj.region.full_name if obj.region_id else None


class UnitList(Schema):
    items: list[UnitOut]
    count: int


@router.get("/me", response=responses({200: MeOut}), summary="当前用户")
def me(request):
    user = request.auth
    return {
        "username": user.username,
        "full_name": user.full_name,
        "unit": user.unit.name if user.unit_id else None,
        "roles": sorted(user.role_codes),
        "scope": user_scope(user).label,
    }


@router.get("/units", response=responses({200: UnitList}), summary="单位列表（按数据权限）")
def units(
    request,
    q: QueryText("单位名称") = "",
    region: QueryText("区划代码（含下级）", "360102") = "",
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    if not request.auth.can("units.view"):
        raise Http404
    found = selectors.unit_list(user=request.auth, q=q, region=region).order_by("region_id", "name")
    rows = found[offset : offset + limit].values("id", "name", "kind", "region_id", "region__full_name", "user_count")
    items = [
        {
            "id": row["id"],
            "name": row["name"],
            "kind": row["kind"],
            "region": row["region_id"],
            "region_name": row["region__full_name"],
            "user_count": row["user_count"],
        }
        for row in rows
    ]  # UnitOut of each unit, as plain dicts
    return list_response(items, found.count())


@router.get("/units/{unit_id}", response=responses({200: UnitOut}), summary="单个单位")
def unit_detail(request, unit_id: int):
    return selectors.access_unit(unit_id, user=request.auth)


class TokenIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(max_length=64, pattern=TEXT_VALUE, description="令牌名称，如“数据同步脚本”")
    days: int = Field(90, description="有效期（天）：30、90、180 或 365，由签发服务校验")


class TokenCreated(Schema):
    id: int
    name: str
    expires_at: datetime
    token: str


@router.post(
    "/tokens",
    response=responses({201: TokenCreated}, refusals=(403,)),
    auth=StaffSession(),
    summary="为本人创建接口令牌（仅限登录会话；令牌只返回这一次）",
)
def create_token(request, payload: TokenIn):
    # Session only: a bearer token must not be able to mint its own successors.
    token, raw = api_token_create(actor=request.auth, user=request.auth, name=payload.name, days=payload.days)
    return Status(201, {"id": token.pk, "name": token.name, "expires_at": token.expires_at, "token": raw})
