"""Scope-test routes of the accounts area (units, users, tokens) and zones; collected by tests/scope_registry.py."""

from django.urls import reverse

from sanxin.accounts.roles import Cap
from sanxin.regions.models import Region, Zone, ZoneKind
from tests.scope_registry import USER, Entity, Route

ZONE = Entity(Zone, region_code=lambda z: z.region_id, marker=lambda z: z.name, zone_id=lambda z: z.pk)


def marker_zone(region: Region) -> Zone:
    """The world holds one zone only; a detail route needs one at every place, so each region gets its own here."""
    zone, _ = Zone.objects.get_or_create(name=f"标记园区{region.code}", region=region, defaults={"kind": ZoneKind.PARK})
    return zone


# Zones reached through the region they lie in: the oracle reads the region code and the zone id.
ZONE_AT_REGION = Entity(Region, region_code=lambda r: r.code, marker=lambda r: f"标记园区{r.code}", zone_id=lambda r: marker_zone(r).pk)

ROUTES: list[Route] = [
    Route("accounts:user_phone", "detail", USER, Cap.PERSONAL_DATA_UNMASK, url=lambda u: reverse("accounts:user_phone", args=[u.pk])),
    Route("regions:zone_list", "list", ZONE, Cap.REGIONS_VIEW, list_url="/zones/?size=100"),
    Route(
        "regions:zone_edit",
        "detail",
        ZONE_AT_REGION,
        Cap.ZONES_MANAGE,
        url=lambda r: reverse("regions:zone_edit", args=[marker_zone(r).pk]),
    ),
]
EXEMPT: dict[str, str] = {
    "accounts:second_factor_enrol": "只作用于本人：绑定本人的身份验证器",
    "accounts:second_factor_verify": "只作用于本人：验证本人的动态口令",
    "accounts:second_factor_reset": (
        "只接受 POST；对象经 access_user（须有授予角色权限）取得，范围外为 404，见 test_second_factor.py::test_reset_only_in_scope"
    ),
    "accounts:token_list": "只列出、创建本人的令牌，见 test_api.py::test_token_page_lists_only_own_tokens",
    "accounts:token_revoke": "只接受 POST，只找本人的令牌，他人的令牌为 404，见 test_api.py::test_other_users_token_cannot_be_revoked",
    "api:create_token": "只为调用者本人创建令牌，见 test_api.py::test_session_write_needs_csrf",
    "regions:zone_create": "新建表单；所在区划由区划选择器按数据权限裁剪，服务再校验，见 test_regions.py::test_zone_outside_scope_refused",
}
