from ninja import Router, Schema

from sanxin.core.api_schemas import Limit, PathText, QueryText, responses
from sanxin.regions.models import Region
from sanxin.regions.selectors import access_region, region_children, region_search

router = Router(tags=["行政区划"])


class RegionOut(Schema):
    code: str
    name: str
    level: int
    full_name: str
    parent: str | None
    longitude: float | None = None
    latitude: float | None = None

    @staticmethod
    def resolve_parent(obj: Region):
        return obj.parent_id


class RegionList(Schema):
    items: list[RegionOut]
    count: int


@router.get("", response=responses({200: RegionList}), summary="下级区划或按名称搜索")
def list_regions(
    request,
    parent: QueryText("上级区划代码；空为本人数据范围的顶层", "3601") = "",
    q: QueryText("区划名称或代码", "东湖") = "",
    limit: Limit(100) = 20,
):
    """`parent=<code>` lists the children of a region (empty: the top of your scope); `q=<name or code>` searches."""
    if q:
        items = list(region_search(user=request.auth, q=q, limit=limit))
    else:
        items = list(region_children(user=request.auth, parent=parent))
    return {"items": items, "count": len(items)}


@router.get("/{code}", response=responses({200: RegionOut}), summary="单个区划")
def get_region(request, code: PathText("区划代码", "360102")):
    return access_region(code, user=request.auth)
