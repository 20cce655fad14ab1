from sanxin.core.declare import Capability, SanxinApp
from sanxin.core.roles import STAFF_ROLES, Role

# Whoever may have a member record of their own (as sanxin.life's sign-in): their own pages show it, or say there is none.
SELF_ROLES = STAFF_ROLES | {Role.PARTY_SECRETARY, Role.INSTRUCTOR, Role.MEMBER}


class MineConfig(SanxinApp):
    """The member's own phone pages (我的): their organization, meetings, reports and transfers, data and calendar.
    Stands on members and life; reads only what is the user's own."""

    name = "sanxin.mine"
    label = "mine"
    verbose_name = "我的（党员本人）"
    capabilities = (Capability("mine.view", "查看和导出本人的党员信息", SELF_ROLES),)
    audit_labels = {
        "mine_*": "党员本人页面（全部）",
        "mine_unmask": "查看本人完整身份证号和手机号",
        "mine_export": "导出本人数据",
        "mine_calendar_reset": "生成或重置本人会议日历订阅地址",
        # The life service the phone pages call (sanxin.life.leave).
        "meeting_leave_request": "党员本人会前请假",
    }
    api_routers = (("/me", "sanxin.mine.api.router"),)
