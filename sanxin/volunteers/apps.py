from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import STAFF_ROLES, TERRITORY_STAFF, Role


class VolunteersConfig(SanxinApp):
    name = "sanxin.volunteers"
    label = "volunteers"
    verbose_name = "志愿服务队"
    capabilities = (
        Capability("volunteers.view", "查看志愿服务队和服务时长", STAFF_ROLES),
        Capability("volunteers.manage", "组建队伍、维护队员、填报和确认服务记录", TERRITORY_STAFF),
        # A worker joins a team of their county; a team's leader also reports its service records.
        Capability("volunteers.join", "加入志愿服务队、队长填报服务记录（本人）", frozenset({Role.WORKER})),
    )
    menu = (
        MenuItem("新就业群体", "志愿服务队", "volunteers:list", "volunteers.view", "bi-people-fill", 78),
        MenuItem("新就业群体", "志愿服务记录", "volunteers:records", "volunteers.view", "bi-journal-check", 79),
    )
    audit_labels = {
        "volunteer_*": "志愿服务队（全部）",
        "volunteer_team_create": "组建志愿服务队",
        "volunteer_team_update": "修改志愿服务队",
        "volunteer_member_add": "添加队员",
        "volunteer_member_remove": "移出队员",
        "volunteer_member_join": "从业人员加入队伍",
        "volunteer_member_leave": "从业人员退出队伍",
        "volunteer_record_submit": "填报志愿服务记录",
        "volunteer_record_confirm": "确认志愿服务记录",
        "volunteer_record_reject": "退回志愿服务记录",
        "volunteer_anonymise_for_worker": "从业人员注销后匿名化服务记录",
    }
    audit_objects = {"volunteer_team": "志愿服务队", "volunteer_record": "志愿服务记录"}
    api_routers = (("/volunteers", "sanxin.volunteers.api.router"), ("/w/teams", "sanxin.volunteers.api.worker_router"))
    worker_cards = ("sanxin.volunteers.selectors.worker_card",)
    staff_cards = ("sanxin.volunteers.selectors.staff_card",)
    worker_links = (("/w/teams/", "bi-people-fill", "志愿服务队"),)
    worker_data = ("sanxin.volunteers.selectors.worker_data",)

    def ready(self):
        from sanxin.core.events import subscribe
        from sanxin.volunteers.services import volunteer_anonymise_for_worker

        # Memberships of an erased worker go; the hours they served stay with the team, without them.
        subscribe("workers.erased", volunteer_anonymise_for_worker)
