from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import STAFF_ROLES, Role
from sanxin.members.apps import MEMBER_KEEPERS


class LifeConfig(SanxinApp):
    name = "sanxin.life"
    seeded_models = ("MeetingType",)  # the default meeting types, written by a data migration
    label = "life"
    verbose_name = "组织生活"
    capabilities = (
        # A member sees the meetings they are expected at (sanxin.life.models.Meeting.scope_personal).
        Capability("life.view", "查看组织生活", MEMBER_KEEPERS | {Role.MEMBER}),
        Capability("life.manage", "维护组织生活会议和出席情况", MEMBER_KEEPERS),
        Capability("life.configure", "设置本地区会议频次", frozenset({Role.REGION_STAFF})),
        # Whoever has a member record of their own may sign in to the meetings they are expected at.
        # 三会一课落实率 of the scope: rates per region and kind, per Party organization, the overdue list.
        Capability("life.compliance", "查看三会一课落实率", STAFF_ROLES),
        Capability("life.sign_in", "会议签到", STAFF_ROLES | {Role.PARTY_SECRETARY, Role.INSTRUCTOR, Role.MEMBER}),
    )
    menu = (
        MenuItem("组织生活", "会议记录", "life:meeting_list", "life.view", "bi-people", 50),
        MenuItem("组织生活", "会议类型与频次", "life:meeting_type_list", "life.manage", "bi-calendar3", 51),
        MenuItem("组织生活", "三会一课落实率", "life:compliance_overview", "life.compliance", "bi-clipboard-data", 53),
        MenuItem("组织生活", "会议签到", "life:sign_in", "life.sign_in", "bi-qr-code-scan", 52),
    )
    audit_labels = {
        "meeting_*": "组织生活会议（全部）",
        "meeting_create": "新建组织生活会议",
        "meeting_update": "修改组织生活会议",
        "meeting_attendance_update": "登记出席情况",
        "meeting_sign_in": "党员会议签到",
        "meeting_photo_add": "上传会议照片",
        "meeting_photo_delete": "删除会议照片",
        "meeting_expected_refresh": "更新会议应到人员",
        "meeting_type_set_frequency": "设置本地区会议频次",
    }
    api_routers = (("/meetings", "sanxin.life.api.router"), ("/compliance", "sanxin.life.compliance_api.router"))
    # First the records (the date moved), then the reminders read them.
    daily_jobs = {
        "compliance": "sanxin.life.compliance.compliance_daily",
        "compliance_reminders": "sanxin.life.compliance.compliance_reminders",
    }
    audit_objects = {"compliance": "三会一课落实情况"}

    def ready(self):
        from django.db.models.signals import post_delete

        from sanxin.core.events import subscribe
        from sanxin.life.compliance import meeting_deleted
        from sanxin.life.models import Meeting
        from sanxin.life.services import registers_follow_membership

        subscribe("members.changed", registers_follow_membership)
        # However a meeting goes (there is no delete page yet), what its Party organization held is recounted.
        post_delete.connect(meeting_deleted, sender=Meeting, dispatch_uid="life.compliance.meeting_deleted")
