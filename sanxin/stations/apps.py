from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import STAFF_ROLES, TERRITORY_STAFF, Role


class StationsConfig(SanxinApp):
    name = "sanxin.stations"
    label = "stations"
    verbose_name = "服务阵地"
    capabilities = (
        Capability("stations.view", "查看服务阵地和15分钟服务圈", STAFF_ROLES),
        Capability("stations.manage", "维护服务阵地和需求点", TERRITORY_STAFF),
        # A worker checks in at a station with its printed code and finds the stations near them.
        Capability("stations.checkin", "服务阵地签到（本人）", frozenset({Role.WORKER})),
    )
    menu = (
        MenuItem("新就业群体", "服务阵地", "stations:station_list", "stations.view", "bi-house-heart", 72),
        MenuItem("新就业群体", "阵地地图", "stations:station_map", "stations.view", "bi-geo-alt", 73),
        MenuItem("新就业群体", "15分钟服务圈", "stations:circle", "stations.view", "bi-bullseye", 74),
    )
    audit_labels = {
        "station_*": "服务阵地（全部）",
        "station_create": "新建服务阵地",
        "station_update": "修改服务阵地",
        "station_photo_add": "上传六有照片",
        "station_photo_delete": "删除六有照片",
        "station_code_renew": "重新生成阵地签到码",
        "checkin_create": "从业人员在服务阵地签到",
        "demand_point_create": "标注需求点",
        "demand_point_delete": "删除需求点",
    }
    audit_objects = {"station": "服务阵地"}
    api_routers = (
        ("/stations", "sanxin.stations.api.router"),
        ("/circle", "sanxin.stations.api.circle_router"),
        ("/w", "sanxin.stations.api.worker_router"),
    )
    import_specs = ("sanxin.stations.importing.STATION_SPEC",)
    worker_cards = ("sanxin.stations.cards.worker_card",)
