"""Scope-test routes of the member's own pages; collected by tests/scope_registry.py.

Nothing here is cut by territory: every persona, staff included, sees only what is tied to their own account (their
member record, the meetings they are expected at, their transfers); everything else is absent or a 404."""

from datetime import date

from django.urls import reverse

from sanxin.life.models import Meeting
from sanxin.members.models import Member, Transfer
from sanxin.party.models import PartyOrganization
from tests.scope_registry import Entity, Route

# Only the user's own: no place sees it (region None), the user does.
MY_MEETING = Entity(
    Meeting, region_code=lambda m: None, marker=lambda m: m.topic, personal=lambda m, user: m.attendances.filter(member__user=user).exists()
)
MY_MEMBER = Entity(Member, region_code=lambda m: None, marker=lambda m: m.name, personal=lambda m, user: m.user_id == user.pk)
MY_TRANSFER = Entity(
    Transfer, region_code=lambda t: None, marker=lambda t: t.letter_number, personal=lambda t, user: t.member.user_id == user.pk
)
MY_PARTY_ORG = Entity(
    PartyOrganization, region_code=lambda p: None, marker=lambda p: p.name, personal=lambda p, user: p.members.filter(user=user).exists()
)


def make_world_own_transfer(personas):
    """The secretary persona's own record on its way to another Party organization: their own transfer to see."""
    mine = Member.objects.get(user=personas["secretary"])
    destination = PartyOrganization.objects.exclude(pk=mine.party_organization_id).order_by("-pk").first()
    Transfer.objects.create(
        member=mine,
        from_organization=mine.party_organization,
        to_organization=destination,
        letter_number="标记转接书记本人",
        state="initiated",
        initiated_on=date(2026, 1, 1),
        valid_until=date(2026, 3, 31),
    )


WORLD = [make_world_own_transfer]

ROUTES: list = [
    Route("mine:meetings", "list", MY_MEETING, "mine.view", list_url="/m/meetings/"),
    Route("mine:meeting_detail", "detail", MY_MEETING, "mine.view", url=lambda m: reverse("mine:meeting_detail", args=[m.pk])),
    Route("mine:meeting_ics", "detail", MY_MEETING, "mine.view", url=lambda m: reverse("mine:meeting_ics", args=[m.pk])),
    Route("mine:organization", "tree", MY_PARTY_ORG, "mine.view", list_url="/m/organization/"),
    Route("mine:me", "tree", MY_MEMBER, "mine.view", list_url="/m/me/"),
    Route("mine:data", "tree", MY_MEMBER, "mine.view", list_url="/m/data/"),
    Route("mine:data_unmask", "tree", MY_MEMBER, "mine.view", list_url="/m/data/unmask/"),
    Route("mine:data_export", "export", MY_MEMBER, "mine.view", list_url="/m/data/export/"),
    Route("mine:reports", "list", MY_TRANSFER, "mine.view", list_url="/m/reports/"),
    Route(
        "api:list_my_meetings",
        "api_list",
        MY_MEETING,
        "mine.view",
        list_url="/api/v1/me/meetings?when=past&limit=200",
        api_items=lambda data: [item["topic"] for item in data["items"]],
    ),
    Route("api:get_my_meeting", "api_detail", MY_MEETING, "mine.view", url=lambda m: f"/api/v1/me/meetings/{m.pk}"),
    Route(
        "api:export_my_data",
        "api_list",
        MY_MEMBER,
        "mine.view",
        list_url="/api/v1/me/export",
        api_items=lambda data: [item["name"] for item in data["member"]],
    ),
]
EXEMPT: dict[str, str] = {
    "mine:meeting_leave": "只收 POST；经 access_my_meeting 取得本人的出席记录，非本人应到的会议 404，见 tests/mine/test_mine.py",
    "mine:meeting_sign_in": "只收 POST；经 access_my_meeting 取得本人的出席记录，非本人应到的会议 404，见 tests/mine/test_mine.py",
    "mine:calendar": "本人的日历订阅设置页，不显示任何对象；订阅地址只在生成时显示一次",
    "mine:calendar_reset": "只收 POST；只重置本人的订阅令牌，见 tests/mine/test_mine.py",
    "mine:calendar_feed": "无会话的订阅地址，以令牌取得本人账号；错误或已重置的令牌 404（任何人登录也一样），见 tests/mine/test_mine.py",
    "api:ask_leave": "接口请假；经 access_my_meeting 取得本人的出席记录，非本人应到的会议 404，见 tests/mine/test_mine.py",
}
