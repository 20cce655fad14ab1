"""The staff pages (/care/) and the worker's phone pages (/w/care/), over HTTP."""

import pytest
from django.test import Client
from django.utils import timezone

from sanxin.care import services
from sanxin.care.models import CareActivity, CareSignup
from tests.care.conftest import make_activity, signed_up_before, times


@pytest.fixture
def phone(personas):
    client = Client()
    client.force_login(personas["worker"])
    return client


def local(moment) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%dT%H:%M}"


def test_staff_creates_publishes_and_sees_the_list(client_for, county):
    t = times()
    form = {
        "title": "义诊进驿站",
        "type": "clinic",
        "region": "360102002",
        "place": "滕王阁小哥驿站",
        "capacity": "３０",
        **{name: local(value) for name, value in t.items()},
        "signup_required": "on",
        "occupations": ["delivery_rider", "courier"],
    }
    client = client_for("county")
    response = client.post("/care/new/", form)
    activity = CareActivity.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/care/{activity.pk}/"
    assert activity.capacity == 30 and activity.occupations == ["courier", "delivery_rider"]
    client.post(f"/care/{activity.pk}/act/", {"action": "publish"})
    activity.refresh_from_db()
    assert activity.status == "published"
    page = client.get(f"/care/{activity.pk}/").content.decode()
    assert "义诊进驿站" in page and activity.checkin_code in page and "发布" in page
    listing = client.get("/care/?type=clinic").content.decode()
    assert "义诊进驿站" in listing
    code = client.get(f"/care/{activity.pk}/code/").content.decode()
    assert "<svg" in code and activity.checkin_code in code


def test_create_form_shows_errors_in_chinese(client_for):
    response = client_for("county").post("/care/new/", {"title": "\x00"})
    assert response.status_code in (200, 400)
    assert not CareActivity.objects.exists()
    empty = client_for("county").post("/care/new/", {}).content.decode()
    assert "必填" in empty or "请填写" in empty


def test_other_county_gets_404(client_for, activity, worker):
    signup, _ = services.care_signup_create(actor=worker.user, worker=worker, activity=activity)
    client = client_for("other_county")
    assert client.get(f"/care/{activity.pk}/").status_code == 404
    assert client.get(f"/care/{activity.pk}/edit/").status_code == 404
    assert client.post(f"/care/{activity.pk}/act/", {"action": "cancel", "note": "x"}).status_code == 404
    assert client.post(f"/care/{activity.pk}/walk-ins/", {"walk_ins": "3"}).status_code == 404
    assert client.post(f"/care/signups/{signup.pk}/checkin/").status_code == 404
    assert client_for("industry").post(f"/care/{activity.pk}/walk-ins/", {"walk_ins": "3"}).status_code == 404
    activity.refresh_from_db()
    assert activity.status == "published" and activity.walk_ins == 0


def test_staff_checkin_walk_ins_and_people_served(client_for, under_way, worker):
    activity = under_way
    signup = signed_up_before(worker, activity)
    client = client_for("county")
    assert "代签到" in client.get(f"/care/{activity.pk}/").content.decode()
    client.post(f"/care/signups/{signup.pk}/checkin/")
    again = client.post(f"/care/signups/{signup.pk}/checkin/", follow=True).content.decode()
    assert "不能重复签到" in again
    client.post(f"/care/{activity.pk}/walk-ins/", {"walk_ins": "4"})
    bad = client.post(f"/care/{activity.pk}/walk-ins/", {"walk_ins": "-1"}, follow=True).content.decode()
    assert "0～100000" in bad
    activity.refresh_from_db()
    assert activity.walk_ins == 4
    served = client.get("/care/served/?level=9").content.decode()
    assert "集体庆生会" in served and 'id="served-total">5<' in served
    assert client_for("other_county").get("/care/served/").content.decode().count("所选期间没有关爱活动") == 1
    export = client.get("/care/served/export/?level=6")
    assert export.status_code == 200 and "密码" in export.content.decode()


def test_unknown_action_is_404(client_for, activity):
    assert client_for("county").post(f"/care/{activity.pk}/act/", {"action": "delete"}).status_code == 404


# The worker's phone pages.


def test_worker_signs_up_cancels_and_checks_in(phone, activity, worker):
    page = phone.get("/w/care/").content.decode()
    assert activity.title in page and "可报名的活动" in page
    detail = phone.get(f"/w/care/{activity.pk}/").content.decode()
    assert "报名</button>" in detail and "剩余名额 10 / 10" in detail
    phone.post(f"/w/care/{activity.pk}/signup/")
    phone.post(f"/w/care/{activity.pk}/signup/")  # a double click
    assert CareSignup.objects.filter(worker=worker, status="signed_up").count() == 1
    assert "取消报名" in phone.get(f"/w/care/{activity.pk}/").content.decode()
    phone.post(f"/w/care/{activity.pk}/cancel/")
    assert CareSignup.objects.get().status == "cancelled"
    phone.post(f"/w/care/{activity.pk}/signup/")
    early = phone.post(f"/w/care/checkin/{activity.checkin_code}/", follow=True).content.decode()
    assert "开始后才能签到" in early


def test_worker_checks_in_by_the_page_once(phone, under_way, worker):
    not_signed = phone.post(f"/w/care/checkin/{under_way.checkin_code}/", follow=True).content.decode()
    assert "没有报名该活动" in not_signed
    signed_up_before(worker, under_way)
    done = phone.post(f"/w/care/checkin/{under_way.checkin_code}/", follow=True).content.decode()
    assert "签到成功" in done and "已签到" in done
    twice = phone.post(f"/w/care/checkin/{under_way.checkin_code}/", follow=True).content.decode()
    assert "不能重复签到" in twice


def test_worker_types_the_short_code(phone, activity):
    response = phone.get(f"/w/care/code/?code={activity.checkin_code.lower()}")
    assert response["Location"] == f"/w/care/checkin/{activity.checkin_code}/"
    wrong = phone.get("/w/care/code/?code=WRONG", follow=True).content.decode()
    assert "签到码不正确" in wrong
    assert phone.get("/w/care/checkin/NOPE/").status_code == 404


def test_worker_does_not_see_drafts_or_other_counties(phone, county, personas):
    draft = make_activity(county, publish=False, title="草稿活动")
    theirs = make_activity(personas["other_county"], title="西湖区活动", region="360103")
    assert phone.get(f"/w/care/{draft.pk}/").status_code == 404
    assert phone.post(f"/w/care/{draft.pk}/signup/").status_code == 404
    page = phone.get("/w/care/").content.decode()
    assert "草稿活动" not in page and "西湖区活动" not in page
    assert theirs.title  # published elsewhere: a public notice, reachable by link only


def test_staff_cannot_use_worker_pages(client_for, activity):
    client = client_for("county")
    assert client.get("/w/care/").status_code == 404
    assert client.get(f"/w/care/checkin/{activity.checkin_code}/").status_code == 404


def test_worker_home_shows_the_card_and_the_link(phone, activity, worker):
    services.care_signup_create(actor=worker.user, worker=worker, activity=activity)
    home = phone.get("/w/").content.decode()
    assert 'data-card="care"' in home and activity.title in home and "/w/care/" in home


def test_edit_page_saves_and_cancel_needs_a_reason(client_for, activity):
    client = client_for("county")
    form = client.get(f"/care/{activity.pk}/edit/").content.decode()
    assert activity.title in form and 'type="datetime-local"' in form
    data = {
        "title": "改名后的庆生会",
        "type": activity.type,
        "region": activity.region_id,
        "place": activity.place,
        "capacity": "20",
        **{name: local(getattr(activity, name)) for name in ("starts_at", "ends_at", "signup_opens_at", "signup_closes_at")},
        "signup_required": "on",
    }
    assert client.post(f"/care/{activity.pk}/edit/", data).status_code == 302
    activity.refresh_from_db()
    assert activity.title == "改名后的庆生会" and activity.capacity == 20
    refused = client.post(f"/care/{activity.pk}/act/", {"action": "cancel", "note": ""}, follow=True).content.decode()
    assert "请填写取消原因" in refused
    client.post(f"/care/{activity.pk}/act/", {"action": "cancel", "note": "场地维修"})
    activity.refresh_from_db()
    assert activity.status == "cancelled"
    assert client.get(f"/care/{activity.pk}/edit/").status_code == 200
    assert "不能修改" in client.post(f"/care/{activity.pk}/edit/", data).content.decode()
