"""Scope-test routes of divisions and zones; collected by tests/scope_registry.py."""

from django.urls import reverse

from sanxin.regions.models import Region, Zone, ZoneKind
from tests.scope_registry import REGION, Entity, Route

ZONE = Entity(Zone, region_code=lambda z: z.region_id, marker=lambda z: z.name, zone_id=lambda z: z.pk)


def marker_zone(region: Region) -> Zone:
    """The world holds one zone only; a detail route needs one at every place, so each region gets its own here."""
    zone, _ = Zone.objects.get_or_create(name=f"标记园区{region.code}", region=region, defaults={"kind": ZoneKind.PARK})
    return zone


# Zones reached through the region they lie in: the oracle reads the region code and the zone id.
ZONE_AT_REGION = Entity(Region, region_code=lambda r: r.code, marker=lambda r: f"标记园区{r.code}", zone_id=lambda r: marker_zone(r).pk)

ROUTES: list = [
    Route("regions:browse_region", "detail", REGION, "regions.view", url=lambda r: reverse("regions:browse_region", args=[r.code])),
    Route("api:get_region", "api_detail", REGION, None, url=lambda r: f"/api/v1/regions/{r.code}"),
    Route(
        "api:list_regions",
        "api_list",
        REGION,
        None,
        list_url="/api/v1/regions?q=360102002&limit=100",
        api_items=lambda data: [item["code"] for item in data["items"]],
        queryset=lambda: Region.objects.filter(code__startswith="360102002"),
    ),
    Route(
        "api:list_regions",
        "api_list",
        REGION,
        None,
        list_url="/api/v1/regions?parent=360102",
        api_items=lambda data: [item["code"] for item in data["items"]],
        queryset=lambda: Region.objects.filter(parent_id="360102"),
    ),
    Route("regions:zone_list", "list", ZONE, "regions.view", list_url="/zones/?size=100"),
    Route(
        "regions:zone_edit",
        "detail",
        ZONE_AT_REGION,
        "zones.manage",
        url=lambda r: reverse("regions:zone_edit", args=[marker_zone(r).pk]),
    ),
]
EXEMPT: dict[str, str] = {
    "regions:browse": "区划树的起点为本人数据权限的根，见 test_region_browse_starts_at_scope_root",
    "regions:zone_create": "新建表单；所在区划由区划选择器按数据权限裁剪，服务再校验，见 test_regions.py::test_zone_outside_scope_refused",
}
