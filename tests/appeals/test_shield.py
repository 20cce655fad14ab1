"""The identity shield (security.md 24): a platform's Party committee sees the appeals about its platform — the
matter, the place, the state, the timeline — never the worker's name or phone, across the list, the detail, the
export and the API; names, mobile numbers and ID numbers inside the texts shown to them are masked."""

import pytest

from sanxin.appeals import services
from tests.appeals.conftest import raise_appeal
from tests.conftest import PASSWORD, WORKER_PERSONA_PHONE
from tests.orgs_factories import xlsx_text

NAME = "测试worker"  # the worker persona's name (its Worker record and its account)
ID_NUMBER = "360102199001011234"
OTHER_PHONE = "13812345678"


@pytest.fixture
def shielded(personas, platform):
    text = f"我是{NAME}，电话 {WORKER_PERSONA_PHONE}，身份证 {ID_NUMBER}。站长（电话{OTHER_PHONE}）说超时罚款 50 元不合理。"
    appeal = raise_appeal(personas["worker"], platform=platform, category="platform_rules", text=text)
    street = personas["township"]
    appeal = services.appeal_accept(actor=street, appeal=appeal)
    appeal = services.appeal_ask(actor=street, appeal=appeal, question=f"{NAME}您好，哪天被罚的？")
    appeal = services.appeal_answer(actor=personas["worker"], appeal=appeal, answer=f"11月2日，{NAME}，手机{WORKER_PERSONA_PHONE}")
    return services.appeal_resolve(actor=street, appeal=appeal, reply=f"已约谈站点，{NAME}的罚款已退回。")


def assert_no_identity(text: str):
    assert NAME not in text
    assert WORKER_PERSONA_PHONE not in text
    assert ID_NUMBER not in text
    assert OTHER_PHONE not in text


def test_platform_staff_never_see_the_worker(client_for, shielded):
    client = client_for("platform")
    listing = client.get("/appeals/").content.decode()
    assert shielded.place in listing and "（已隐藏）" in listing
    assert_no_identity(listing)

    detail = client.get(f"/appeals/{shielded.pk}/").content.decode()
    assert "超时罚款" in detail and "罚款已退回" in detail and "诉求人" in detail  # the matter, the reply, the timeline
    assert "139****9000" in detail and "3601**********1234" in detail and "测*****" in detail
    assert_no_identity(detail)
    assert "受理" not in [line for line in detail.splitlines() if 'action="/appeals/' in line]  # no actions for them

    exported = xlsx_text(client.post("/appeals/export/", {"password": PASSWORD}).content)
    assert "超时罚款" in exported
    assert_no_identity(exported)

    api_list = client.get("/api/v1/appeals").json()
    assert api_list["count"] == 1 and api_list["items"][0]["worker_name"] == "（已隐藏）"
    assert_no_identity(str(api_list))
    api_detail = client.get(f"/api/v1/appeals/{shielded.pk}").json()
    assert "超时罚款" in api_detail["text"]
    assert_no_identity(str(api_detail))


def test_the_street_sees_the_worker_with_the_phone_masked(client_for, shielded):
    detail = client_for("township").get(f"/appeals/{shielded.pk}/").content.decode()
    assert NAME in detail and "139****9000" in detail
    assert f'{NAME} <span class="text-muted">139****9000</span>' in detail  # the phone of the record, masked (security.md 22)


def test_platform_staff_cannot_act(client_for, shielded, personas):
    from sanxin.appeals.models import Appeal

    fresh = raise_appeal(personas["worker"], platform=shielded.platform)
    client = client_for("platform")
    assert client.post(f"/appeals/{fresh.pk}/accept/").status_code == 404
    assert client.post(f"/api/v1/appeals/{fresh.pk}/transitions", {"action": "accept"}, content_type="application/json").status_code == 404
    assert Appeal.objects.get(pk=fresh.pk).status == "submitted"


def test_other_platforms_appeals_unseen(client_for, personas):
    from sanxin.workers.models import Platform

    other = Platform.objects.create(name="饿了么", kind="food_delivery")
    appeal = raise_appeal(personas["worker"], platform=other)
    client = client_for("platform")
    assert client.get(f"/appeals/{appeal.pk}/").status_code == 404
    assert appeal.place not in client.get("/appeals/").content.decode() or client.get("/api/v1/appeals").json()["count"] == 0


def test_without_the_shield_the_name_shows_but_never_the_phone(client_for, personas, platform):
    appeal = raise_appeal(personas["worker"], platform=platform, shielded=False, text=f"电话{WORKER_PERSONA_PHONE}")
    detail = client_for("platform").get(f"/appeals/{appeal.pk}/").content.decode()
    assert NAME in detail and WORKER_PERSONA_PHONE not in detail
