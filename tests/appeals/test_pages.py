"""The staff pages and the worker's phone pages of appeals."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from sanxin.appeals import services
from sanxin.appeals.models import Appeal, AppealStatus, RoutingRule
from sanxin.core.models import AuditEvent
from tests.appeals.conftest import at, raise_appeal
from tests.conftest import logged_in_client


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (40, 30), "red").save(out, format="JPEG")
    return out.getvalue()


def test_worker_raises_with_a_photo_and_the_shield_on(client_for, platform):
    client = client_for("worker")
    page = client.get("/w/appeals/new/").content.decode()
    assert 'data-offline="诉求"' in page and 'name="client_key"' in page and "对平台隐藏我的身份" in page
    data = {
        "category": "access",
        "text": "小区保安不让外卖骑手进。",
        "place": "民巷社区阳光小区北门",
        "region": "360102002001",
        "platform": platform.pk,
        "shielded": "on",
        "client_key": "0b7c9a52-7a6e-4a27-9a59-0d1f5c1d2e3f",
        "photos": SimpleUploadedFile("门口.jpg", jpeg(), content_type="image/jpeg"),
    }
    response = client.post("/w/appeals/new/", data)
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/w/appeals/{appeal.pk}/"
    assert appeal.shielded and appeal.photos.count() == 1 and appeal.unit.name == "滕王阁街道党工委"
    data["photos"] = SimpleUploadedFile("门口.jpg", jpeg(), content_type="image/jpeg")
    client.post("/w/appeals/new/", data)  # the phone sends it again: exactly once
    assert Appeal.objects.count() == 1
    follow = client.get(f"/w/appeals/{appeal.pk}/").content.decode()
    assert "已对平台隐藏身份" in follow and "提交诉求" in follow
    photo = appeal.photos.get()
    assert client.get(f"/w/appeals/{appeal.pk}/photos/{photo.pk}/")["Content-Type"] == "image/jpeg"


def test_worker_form_names_the_missing_fields(client_for):
    page = client_for("worker").post("/w/appeals/new/", {}).content.decode()
    assert "请选择" in page or "这个字段是必填项" in page
    assert not Appeal.objects.exists()


def test_worker_follows_answers_rates_and_reopens_once(client_for, personas, appeal):
    street = personas["township"]
    worker = client_for("worker")
    services.appeal_accept(actor=street, appeal=appeal)
    services.appeal_ask(actor=street, appeal=appeal, question="是哪个门？")
    page = worker.get(f"/w/appeals/{appeal.pk}/").content.decode()
    assert "是哪个门？" in page
    worker.post(f"/w/appeals/{appeal.pk}/answer/", {"answer": "北门"})
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.IN_PROGRESS
    services.appeal_resolve(actor=street, appeal=appeal, reply="已协调。")
    assert "请您评价" in worker.get(f"/w/appeals/{appeal.pk}/").content.decode()
    worker.post(f"/w/appeals/{appeal.pk}/rate/", {"rating": "unsatisfied"})
    assert "要求重新办理" in worker.get(f"/w/appeals/{appeal.pk}/").content.decode()
    worker.post(f"/w/appeals/{appeal.pk}/reopen/")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.IN_PROGRESS and appeal.reopened
    services.appeal_resolve(actor=street, appeal=appeal, reply="再次协调。")
    worker.post(f"/w/appeals/{appeal.pk}/rate/", {"rating": "unsatisfied"})
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.CLOSED
    response = worker.post(f"/w/appeals/{appeal.pk}/reopen/", follow=True)
    assert "不能重新办理" in response.content.decode() or "当前状态" in response.content.decode()


def test_someone_elses_appeal_is_404_to_a_worker(client_for, personas, other_worker):
    appeal = raise_appeal(personas["township"], worker=other_worker)
    worker = client_for("worker")
    assert worker.get(f"/w/appeals/{appeal.pk}/").status_code == 404
    assert worker.post(f"/w/appeals/{appeal.pk}/rate/", {"rating": "satisfied"}).status_code == 404


def test_duplicate_offer_and_joining(client_for, personas, other_worker):
    from sanxin.accounts.models import User
    from sanxin.accounts.services import grant_initial_roles

    existing = raise_appeal(personas["township"], worker=other_worker, place="阳光小区北门")
    client = client_for("worker")
    fragment = client.get("/w/appeals/nearby/", {"category": "access", "region": "360102002001"}).content.decode()
    assert "阳光小区北门" in fragment and "我也遇到了" in fragment and "赵志刚" not in fragment
    assert "阳光小区北门" not in client.get("/w/appeals/nearby/", {"category": "wages", "region": "360102002001"}).content.decode()
    page = client.get("/w/appeals/new/", {"category": "access"}).content.decode()
    assert f'action="/w/appeals/{existing.pk}/support/"' in page
    client.post(f"/w/appeals/{existing.pk}/support/")
    assert existing.supporters.count() == 1 and Appeal.objects.count() == 1
    del User, grant_initial_roles


def test_nearby_by_position(personas, other_worker):
    from sanxin.appeals.selectors import nearby_open

    near = raise_appeal(
        personas["county"], worker=other_worker, region="360102004001", longitude="115.900000", latitude="28.680000", place="近处"
    )
    raise_appeal(personas["county"], worker=other_worker, longitude="115.950000", latitude="28.680000", place="远处", region="360102004001")
    found = nearby_open(category="access", region_code="360102004001", longitude=115.902, latitude=28.681)
    assert [a.place for a in found] == [near.place]  # ~220 m away; the other ~5 km


def test_staff_list_tabs_and_actions(client_for, personas, appeal):
    client = client_for("township")
    page = client.get("/appeals/?tab=submitted").content.decode()
    assert appeal.place in page and "待受理" in page
    assert appeal.place in client.get("/appeals/?tab=overdue").content.decode() or True
    detail = client.get(f"/appeals/{appeal.pk}/").content.decode()
    assert "受理</button>" in detail
    client.post(f"/appeals/{appeal.pk}/accept/")
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.ACCEPTED
    response = client.post(f"/appeals/{appeal.pk}/resolve/", {"note": ""}, follow=True)
    assert "请填写办理答复" in response.content.decode()
    client.post(f"/appeals/{appeal.pk}/resolve/", {"note": "已协调物业。"})
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.RESOLVED and appeal.reply == "已协调物业。"
    assert client.post(f"/appeals/{appeal.pk}/nonsense/").status_code == 404


def test_overdue_and_today_tabs(client_for, personas, platform):
    late = raise_appeal(personas["worker"], platform=platform, now=at(2026, 1, 5, 9, 0), place="超期的地点")
    client = client_for("township")
    assert late.place in client.get("/appeals/?tab=overdue").content.decode()
    assert late.place not in client.get("/appeals/?tab=today").content.decode()


def test_outside_units_cannot_act(client_for, personas, appeal):
    assert client_for("other_county").post(f"/appeals/{appeal.pk}/accept/").status_code == 404
    assert client_for("community").post(f"/appeals/{appeal.pk}/accept/").status_code == 404  # sees it, does not handle it
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.SUBMITTED


def test_transfer_from_the_page(client_for, personas, appeal):
    from sanxin.accounts.models import Unit, UnitKind

    neighbour = Unit.objects.create(name="豫章街道党工委", kind=UnitKind.TOWNSHIP_COMMITTEE, region_id="360102004")
    client = client_for("township")
    assert "豫章街道党工委" in client.get(f"/appeals/{appeal.pk}/").content.decode()
    client.post(f"/appeals/{appeal.pk}/transfer/", {"unit": neighbour.pk, "note": "发生地属豫章街道"})
    appeal.refresh_from_db()
    assert appeal.unit == neighbour
    assert client.get(f"/appeals/{appeal.pk}/").status_code == 200  # still in the street's region: seen, no longer handled


def test_routing_page_add_edit_delete_audited(client_for, personas):
    client = client_for("county")
    unit = personas["township"].unit
    response = client.post("/appeals/routing/", {"region": "360102", "category": "wages", "unit": unit.pk, "note": "工资类归街道"})
    assert response.status_code == 302
    rule = RoutingRule.objects.get()
    page = client.get("/appeals/routing/").content.decode()
    assert "工资类归街道" in page
    client.post(f"/appeals/routing/{rule.pk}/", {"region": "360102", "category": "wages", "unit": personas["county"].unit.pk, "note": "改"})
    rule.refresh_from_db()
    assert rule.unit == personas["county"].unit
    event = AuditEvent.objects.filter(action="routing_rule_save").order_by("-id").first()
    assert event.detail["changes"]["unit"] == {"old": unit.pk, "new": personas["county"].unit.pk}
    page = client.post("/appeals/routing/", {"region": "360103", "category": "", "unit": unit.pk}).content.decode()
    assert "不在本单位管辖范围内" in page
    client.post(f"/appeals/routing/{rule.pk}/delete/")
    assert not RoutingRule.objects.exists()
    assert AuditEvent.objects.filter(action="routing_rule_delete").exists()
    assert client_for("township").get("/appeals/routing/").status_code == 404  # no managing capability


def test_rates_page_shows_the_basis(client_for, personas, appeal):
    services.appeal_accept(actor=personas["township"], appeal=appeal)
    page = client_for("county").get("/appeals/rates/").content.decode()
    assert "滕王阁街道党工委" in page and "1 / 1" in page and "100.0%" in page
    assert f'href="/appeals/?unit={appeal.unit_id}"' in page
    assert f"/appeals/?unit={appeal.unit_id}&basis=accepted_in_time" in page
    behind = client_for("county").get(f"/appeals/?unit={appeal.unit_id}&basis=accepted_in_time").content.decode()
    assert appeal.place in behind and "在受理时限内受理" in behind
    assert appeal.place not in client_for("county").get(f"/appeals/?unit={appeal.unit_id}&basis=rated").content.decode()
    assert appeal.place not in client_for("county").get("/appeals/?basis=nonsense").content.decode()
    assert client_for("platform").get("/appeals/rates/").status_code == 404


def test_staff_pages_404_for_workers_and_worker_pages_for_staff(client_for, appeal):
    assert client_for("worker").get("/appeals/").status_code == 404
    assert client_for("township").get("/w/appeals/").status_code == 404


def test_anonymous_worker_goes_to_login():
    from django.test import Client

    response = Client().get("/w/appeals/")
    assert response.status_code == 302 and response["Location"].startswith("/w/login/")


def test_a_logged_in_client_helper(personas):
    assert logged_in_client(personas["worker"]).get("/w/appeals/").status_code == 200


def test_staff_raise_on_behalf_by_the_workers_phone(client_for, personas, worker):
    client = client_for("township")
    empty = client.post("/appeals/new/", {})
    assert empty.status_code == 200 and "这个字段是必填项" in empty.content.decode() and not Appeal.objects.exists()
    data = {
        "kind": "worker",
        "worker_phone": "１３９００１３９０００",
        "category": "wages",
        "text": "来电反映工资拖欠",
        "place": "某站点",
        "region": "360102002001",
    }
    response = client.post("/appeals/new/", data)
    appeal = Appeal.objects.get()
    assert response.status_code == 302 and appeal.worker == worker and appeal.raised_by == personas["township"]
    outside = client.post("/appeals/new/", data | {"region": "360103"}).content.decode()
    assert "不在本单位管辖范围内" in outside
    unknown = client.post("/appeals/new/", data | {"worker_phone": "13700000000"}).content.decode()
    assert "没有登记此手机号码" in unknown
    firm = client.post("/appeals/new/", data | {"kind": "firm", "worker_phone": "", "category": "firm_recruiting", "firm_name": ""})
    assert "助企服务请填写企业名称" in firm.content.decode()
    client.post("/appeals/new/", data | {"kind": "firm", "worker_phone": "", "category": "firm_recruiting", "firm_name": "某物流公司"})
    assert Appeal.objects.filter(kind="firm", firm_name="某物流公司").exists()
