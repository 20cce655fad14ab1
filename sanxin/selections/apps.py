from sanxin.core.declare import Capability, MenuItem, SanxinApp
from sanxin.core.roles import TERRITORY_STAFF, Role


class SelectionsConfig(SanxinApp):
    name = "sanxin.selections"
    label = "selections"
    verbose_name = "最美评选"
    capabilities = (
        Capability("selections.view", "查看最美评选", TERRITORY_STAFF),
        # The organiser (a city's or county's 社会工作部/两新工委) runs the campaign: review, publicity, award.
        Capability("selections.manage", "组织最美评选：审核、公示、处理异议、表彰", frozenset({Role.REGION_STAFF})),
        # Streets and communities (and the county) nominate workers of their own area.
        Capability("selections.nominate", "推荐本辖区从业人员参加最美评选", TERRITORY_STAFF),
        Capability("selections.self_nominate", "自荐参加最美评选、查看本人荣誉", frozenset({Role.WORKER})),
    )
    menu = (MenuItem("新就业群体", "最美评选", "selections:list", "selections.view", "bi-award", 88),)
    audit_labels = {
        "campaign_*": "最美评选（全部）",
        "campaign_create": "创建最美评选",
        "campaign_open": "开始推荐",
        "campaign_review": "截止推荐开始审核",
        "campaign_publish": "发布评选公示",
        "campaign_award": "评选表彰",
        "campaign_cancel": "取消评选",
        "nomination_create": "推荐参评",
        "nomination_approve": "推荐审核通过",
        "nomination_reject": "推荐不予通过",
        "nomination_withdraw": "异议成立撤销推荐",
        "objection_raise": "提出公示异议",
        "objection_handle": "处理公示异议",
        "campaign_award.honour": "评选表彰：授予荣誉",
        "honour_revoke": "撤销荣誉",
        "selections_erase_worker": "从业人员注销后删除其评选推荐与荣誉",
    }
    audit_objects = {"campaign": "最美评选", "nomination": "评选推荐"}
    api_routers = (("/selections", "sanxin.selections.api.router"), ("/w/honours", "sanxin.selections.api.worker_router"))
    worker_cards = ("sanxin.selections.selectors.worker_card",)
    staff_cards = ("sanxin.selections.selectors.staff_card",)
    worker_links = (("/w/honours/", "bi-award", "我的荣誉"),)
    worker_data = ("sanxin.selections.selectors.worker_data",)
    worker_record_sections = ("sanxin.selections.selectors.worker_record_section",)

    def ready(self):
        from sanxin.core.events import subscribe
        from sanxin.selections.services import on_worker_erased

        # A worker erased (sanxin.workers.services.worker_erase): their nominations and honours go with them.
        subscribe("workers.erased", on_worker_erased)
