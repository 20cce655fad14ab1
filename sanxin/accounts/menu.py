"""The left menu: grouped by domain, each item shown only to users with its capability."""

from dataclasses import dataclass

from django.urls import reverse

from sanxin.accounts.roles import Cap


@dataclass(frozen=True)
class MenuItem:
    label: str
    url_name: str
    capability: str
    icon: str = "bi-dot"


@dataclass(frozen=True)
class MenuGroup:
    label: str
    items: tuple[MenuItem, ...]


MENU = (
    MenuGroup("工作台", (MenuItem("首页", "dashboards:home", Cap.HOME, "bi-house"),)),
    MenuGroup(
        "两新组织",
        (
            MenuItem("两个覆盖", "orgs:coverage_overview", Cap.COVERAGE_VIEW, "bi-pie-chart"),
            MenuItem("组织名录", "orgs:organization_list", Cap.ORGS_VIEW, "bi-buildings"),
            MenuItem("摸排行动", "orgs:census_list", Cap.CENSUS_VIEW, "bi-clipboard-check"),
            MenuItem("党建指导员", "orgs:instructor_list", Cap.ORGS_VIEW, "bi-person-badge"),
            MenuItem("待办事项", "orgs:todo_list", Cap.ORGS_VIEW, "bi-list-check"),
            MenuItem("数据比对", "compare:list", Cap.COMPARE, "bi-intersect"),
            MenuItem("我的导入", "imports:job_list", Cap.IMPORT, "bi-upload"),
        ),
    ),
    MenuGroup(
        "党组织",
        (
            MenuItem("党组织名录", "party:party_org_list", Cap.PARTY_VIEW, "bi-flag"),
            MenuItem("党组织树", "party:party_org_tree", Cap.PARTY_VIEW, "bi-diagram-3"),
        ),
    ),
    MenuGroup(
        "基础数据",
        (
            MenuItem("行政区划", "regions:browse", Cap.REGIONS_VIEW, "bi-geo-alt"),
            MenuItem("园区/楼宇", "regions:zone_list", Cap.REGIONS_VIEW, "bi-bounding-box"),
        ),
    ),
    MenuGroup(
        "系统管理",
        (
            MenuItem("单位管理", "accounts:unit_list", Cap.UNITS_VIEW, "bi-building"),
            MenuItem("用户管理", "accounts:user_list", Cap.USERS_VIEW, "bi-people"),
            MenuItem("审计日志", "core:audit_list", Cap.AUDIT_VIEW, "bi-journal-check"),
        ),
    ),
)


def menu_for(user) -> list[dict]:
    groups = []
    for group in MENU:
        items = [
            {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name, "icon": item.icon}
            for item in group.items
            if user.can(item.capability)
        ]
        if items:
            groups.append({"label": group.label, "items": items})
    return groups


def menu_context(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    match = getattr(request, "resolver_match", None)
    current = f"{match.namespace}:{match.url_name}" if match and match.namespace else ""
    return {"menu": menu_for(user), "menu_current": current}
