from ninja import Router, Schema

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


@router.get("", response=RegionList, summary="下级区划或按名称搜索")
def list_regions(request, parent: str = "", q: str = "", limit: int = 20):
    """`parent=<code>` lists the children of a region (empty: the top of your scope); `q=<name or code>` searches."""
    if q:
        items = list(region_search(user=request.auth, q=q, limit=max(1, min(limit, 100))))
    else:
        items = list(region_children(user=request.auth, parent=parent))
    return {"items": items, "count": len(items)}


@router.get("/{code}", response=RegionOut, summary="单个区划")
def get_region(request, code: str):
    return access_region(code, user=request.auth)
