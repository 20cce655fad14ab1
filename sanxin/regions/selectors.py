from django.db.models import Count, Q

from sanxin.core.scope import scoped, user_scope
from sanxin.core.text import half_width, normalize_code
from sanxin.regions.models import LEVEL_CODE_LENGTH, Region, RegionLevel


def region_root_code(user) -> str:
    """The code a user's region browsing starts from ("" = the whole country)."""
    scope = user_scope(user)
    return "" if scope.nationwide else (scope.region_prefix or "")


def region_children(*, user, parent: str = "") -> "list[Region]":
    regions = scoped(Region.objects.all(), user)
    parent = normalize_code(parent)
    if parent:
        return regions.filter(parent_id=parent)
    root = region_root_code(user)
    if root:
        return regions.filter(code=root)
    return regions.filter(level=RegionLevel.PROVINCE)


def region_search(*, user, q: str, limit: int = 20):
    regions = scoped(Region.objects.all(), user)
    q = half_width(q).strip()  # region names are Chinese: only a code typed full-width changes
    if not q:
        return regions.none()
    if q.isdigit():
        return regions.filter(code__under=q).order_by("code")[:limit]
    return regions.filter(Q(name__contains=q)).order_by("level", "code")[:limit]


def access_region(code: str, *, user) -> Region:
    from sanxin.core.scope import access

    return access(Region.objects.select_related("parent"), normalize_code(code), user)


def region_child_counts(*, user, parent: Region | None) -> dict[str, int]:
    """How many communities etc. lie under each child of `parent`, one GROUP BY on the code prefix."""
    children = list(region_children(user=user, parent=parent.code if parent else ""))
    if not children:
        return {}
    length = len(children[0].code)
    from django.db.models.functions import Substr

    rows = (
        scoped(Region.objects.filter(level=RegionLevel.COMMUNITY), user)
        .filter(code__under=parent.code if parent else "")
        .annotate(prefix=Substr("code", 1, length))
        .values("prefix")
        .annotate(n=Count("code"))
    )
    return {row["prefix"]: row["n"] for row in rows}


def regions_below_by_level(*, user) -> list[tuple[str, int]]:
    """Counts of the regions in the user's scope at each level below its root."""
    root = region_root_code(user)
    rows = dict(scoped(Region.objects.all(), user).values_list("level").annotate(n=Count("code")).values_list("level", "n"))
    root_level = next((lv for lv, ln in LEVEL_CODE_LENGTH.items() if ln == len(root)), 0)
    return [(RegionLevel(level).label, rows.get(level, 0)) for level in RegionLevel.values if level > root_level]
