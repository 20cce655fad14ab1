from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import STAFF_ROLES, TERRITORY_STAFF, Role


class RegionsConfig(SanxinApp):
    name = "sanxin.regions"
    seeded_models = ("Industry",)  # the industry dictionary, written by a data migration
    label = "regions"
    verbose_name = "行政区划"
    capabilities = (
        Capability("regions.view", "查看行政区划与园区/楼宇", frozenset({Role.SYSTEM_ADMIN, *STAFF_ROLES})),
        # Territorial staff keep the zones (园区/楼宇/商圈) of their territory; industry and zone staff only read them.
        Capability("zones.manage", "维护园区/楼宇/商圈", frozenset({Role.SYSTEM_ADMIN, *TERRITORY_STAFF})),
    )
    menu = (
        MenuItem("基础数据", "行政区划", "regions:browse", "regions.view", "bi-geo-alt", 60),
        MenuItem("基础数据", "园区/楼宇", "regions:zone_list", "regions.view", "bi-bounding-box", 61),
    )
    audit_labels = {"zone_*": "园区/楼宇（全部）", "zone_create": "新增园区/楼宇", "zone_update": "修改园区/楼宇"}
    api_routers = (("/regions", "sanxin.regions.api.router"),)
