"""The rules of care activities, sign-ups and check-ins: each one kept, and each one broken and refused in Chinese."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from sanxin.care import selectors, services
from sanxin.care.models import CareSignup
from sanxin.core.events import publish
from sanxin.core.guards import Refused
from sanxin.core.workflow import timeline
from tests.care.conftest import make_activity, make_worker, times


def refused(call, text):
    with pytest.raises(ValidationError) as caught:
        call()
    assert text in " ".join(caught.value.messages), caught.value.messages


# Creating an activity.


def test_create_is_a_draft_with_a_timeline_and_a_code(county):
    activity = make_activity(county, publish=False, capacity="１２")  # full-width digits fold
    assert activity.status == "draft" and activity.capacity == 12 and activity.unit == county.unit
    assert len(activity.checkin_code) == 8
    assert [e.label for e in timeline(activity)] == ["新建"]
    published = services.activity_publish(actor=county, activity=activity)
    assert published.status == "published" and published.published_at
    assert [e.label for e in timeline(activity)] == ["新建", "发布"]


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"title": ""}, "title", "请填写活动名称"),
        ({"title": "庆生\x00会"}, "title", "NUL"),
        ({"title": "长" * 101}, "title", "最多 100 个字"),
        ({"description": "长" * 2001}, "description", "最多 2000 个字"),
        ({"type": "party"}, "type", "活动类型应为"),
        ({"capacity": 0}, "capacity", "1～100000"),
        ({"capacity": "-3"}, "capacity", "1～100000"),
        ({"capacity": "9" * 40}, "capacity", "1～100000"),
        ({"capacity": "十"}, "capacity", "1～100000"),
        ({"region": "360103"}, "region", "不在本单位管辖范围内"),
        ({"region": "36"}, "region", "区县、街道"),
        ({"region": "999999"}, "region", "不存在"),
        ({"starts_at": "明天"}, "starts_at", "应为日期和时间"),
        ({"place": "", "station": None}, "place", "请填写活动地点"),
    ],
)
def test_create_refuses_bad_fields(county, changes, field, text):
    with pytest.raises(ValidationError) as caught:
        make_activity(county, publish=False, **changes)
    assert text in " ".join(caught.value.message_dict[field])


def test_create_refuses_times_out_of_order(county):
    t = times()
    with pytest.raises(ValidationError) as caught:
        make_activity(county, publish=False, ends_at=t["starts_at"] - timedelta(hours=1))
    assert "结束时间应晚于开始时间" in caught.value.message_dict["ends_at"][0]
    with pytest.raises(ValidationError) as caught:
        make_activity(county, publish=False, signup_closes_at=t["ends_at"] + timedelta(hours=1))
    assert "不能晚于活动结束时间" in caught.value.message_dict["signup_closes_at"][0]


def test_worker_and_other_county_cannot_touch(county, personas, activity):
    with pytest.raises(Refused):
        make_activity(personas["worker"], publish=False)
    with pytest.raises(Refused):
        services.activity_update(actor=personas["other_county"], activity=activity, title="改")
    with pytest.raises(Refused):
        services.walk_ins_set(actor=personas["other_county"], activity=activity, count=3)


def test_station_must_be_in_scope(county, personas):
    from tests.stations.conftest import make_station

    mine = make_station(county)
    theirs = make_station(personas["other_county"], name="西湖驿站", region="360103001", longitude="115.88")
    activity = make_activity(county, publish=False, station=str(mine.pk), place="")
    assert activity.station == mine and mine.name in activity.place
    with pytest.raises(ValidationError) as caught:
        make_activity(county, publish=False, station=str(theirs.pk))
    assert "不在本单位管辖范围内" in caught.value.message_dict["station"][0]


def test_capacity_not_below_the_signed_up(county, worker, activity):
    services.care_signup_create(actor=worker.user, worker=worker, activity=activity)
    second = make_worker("钱二", "13900000002")
    services.care_signup_create(actor=second.user, worker=second, activity=activity)
    with pytest.raises(ValidationError) as caught:
        services.activity_update(actor=county, activity=activity, capacity=1)
    assert "名额不能少于 2" in caught.value.message_dict["capacity"][0]


# The workflow.


def test_close_only_after_the_end_and_cancel_only_before_the_start(county, activity):
    refused(lambda: services.activity_close(actor=county, activity=activity), "结束后才能登记结束")
    refused(lambda: services.activity_cancel(actor=county, activity=activity, reason=""), "请填写取消原因")
    later = activity.starts_at + timedelta(minutes=1)
    refused(lambda: services.activity_cancel(actor=county, activity=activity, reason="下雨", now=later), "已经开始，不能取消")
    closed = services.activity_close(actor=county, activity=activity, now=activity.ends_at + timedelta(minutes=1))
    assert closed.status == "closed"
    refused(lambda: services.activity_cancel(actor=county, activity=closed, reason="下雨"), "不能取消活动")


def test_cancel_with_reason(county, activity):
    cancelled = services.activity_cancel(actor=county, activity=activity, reason="场地临时维修")
    assert cancelled.status == "cancelled"
    assert timeline(activity)[-1].note == "场地临时维修"
    refused(lambda: services.activity_cancel(actor=county, activity=activity, reason="x\x00"), "NUL")


# Sign-up.


def test_signup_twice_is_one(worker, activity):
    first, created = services.care_signup_create(actor=worker.user, worker=worker, activity=activity)
    again, created_again = services.care_signup_create(actor=worker.user, worker=worker, activity=activity)
    assert created and not created_again and first.pk == again.pk
    assert CareSignup.objects.count() == 1


def test_signup_full_is_refused(county, worker):
    activity = make_activity(county, capacity=1)
    services.care_signup_create(actor=worker.user, worker=worker, activity=activity)
    other = make_worker("钱二", "13900000002")
    refused(lambda: services.care_signup_create(actor=other.user, worker=other, activity=activity), "名额已满")
    services.care_signup_cancel(actor=worker.user, worker=worker, activity=activity)
    services.care_signup_create(actor=other.user, worker=other, activity=activity)  # the freed place
    assert selectors.places_left(activity) == 0


def test_signup_window(county, worker, activity):
    early = activity.signup_opens_at - timedelta(minutes=1)
    refused(lambda: services.care_signup_create(actor=worker.user, worker=worker, activity=activity, now=early), "开始，请到时再来")
    late = activity.signup_closes_at + timedelta(minutes=1)
    refused(lambda: services.care_signup_create(actor=worker.user, worker=worker, activity=activity, now=late), "报名已于")
    draft = make_activity(county, publish=False, title="草稿活动")
    refused(lambda: services.care_signup_create(actor=worker.user, worker=worker, activity=draft), "活动草稿，不能报名")


def test_signup_for_the_occupation(county, worker):
    activity = make_activity(county, occupations=["courier"])
    refused(lambda: services.care_signup_create(actor=worker.user, worker=worker, activity=activity), "本活动面向快递员")


def test_signup_only_for_oneself(personas, worker, activity):
    other = make_worker("钱二", "13900000002")
    with pytest.raises(Refused):
        services.care_signup_create(actor=other.user, worker=worker, activity=activity)
    with pytest.raises(Refused):
        services.care_signup_create(actor=personas["county"], worker=worker, activity=activity)


def test_cancel_before_the_start_only(worker, activity):
    refused(lambda: services.care_signup_cancel(actor=worker.user, worker=worker, activity=activity), "没有报名")
    services.care_signup_create(actor=worker.user, worker=worker, activity=activity)
    later = activity.starts_at + timedelta(minutes=5)
    refused(lambda: services.care_signup_cancel(actor=worker.user, worker=worker, activity=activity, now=later), "已经开始，不能取消报名")
    assert services.care_signup_cancel(actor=worker.user, worker=worker, activity=activity).status == "cancelled"


# Check-in by code.


def test_checkin_inside_the_window_once_and_merited(worker, activity, merited):
    services.care_signup_create(actor=worker.user, worker=worker, activity=activity)
    during = activity.starts_at + timedelta(minutes=10)
    code = activity.checkin_code.lower()  # typed in lower case
    signup = services.care_checkin(actor=worker.user, worker=worker, code=code, now=during)
    assert signup.checked_in_at == during and signup.checked_in_by is None
    assert merited == [
        {
            "worker": worker,
            "source": f"care_checkin:{activity.pk}:worker:{worker.pk}",
            "kind": "care_checkin",
            "region_code": "360102002",
            "reason": f"参加关爱活动“{activity.title}”",
            "quantity": 1,
            "points": None,
            "actor": worker.user,
        }
    ]
    refused(lambda: services.care_checkin(actor=worker.user, worker=worker, code=code, now=during), "不能重复签到")
    assert len(merited) == 1


def test_checkin_outside_the_window(worker, activity):
    services.care_signup_create(actor=worker.user, worker=worker, activity=activity)
    code = activity.checkin_code
    before = activity.starts_at - timedelta(minutes=1)
    refused(lambda: services.care_checkin(actor=worker.user, worker=worker, code=code, now=before), "开始后才能签到")
    after = activity.ends_at + timedelta(minutes=1)
    refused(lambda: services.care_checkin(actor=worker.user, worker=worker, code=code, now=after), "结束，不能签到")
    assert not CareSignup.objects.filter(checked_in_at__isnull=False).exists()


def test_checkin_needs_a_signup_where_required(county, worker, activity):
    during = activity.starts_at + timedelta(minutes=1)
    refused(lambda: services.care_checkin(actor=worker.user, worker=worker, code=activity.checkin_code, now=during), "没有报名该活动")
    open_door = make_activity(county, title="义诊", type="clinic", signup_required=False)
    signup = services.care_checkin(actor=worker.user, worker=worker, code=open_door.checkin_code, now=during)
    assert signup.checked_in_at and signup.status == "signed_up"


def test_checkin_of_a_cancelled_activity(county, worker, activity):
    services.care_signup_create(actor=worker.user, worker=worker, activity=activity)
    services.activity_cancel(actor=county, activity=activity, reason="暴雨")
    during = activity.starts_at + timedelta(minutes=1)
    refused(lambda: services.care_checkin(actor=worker.user, worker=worker, code=activity.checkin_code, now=during), "活动已取消")


def test_unknown_code_is_404(worker):
    for code in ("", "NOPE2345", "x" * 40, "A\x00B"):
        with pytest.raises(Http404):
            services.care_checkin(actor=worker.user, worker=worker, code=code)


# Staff: by hand, walk-ins.


def test_staff_checks_in_by_hand(county, personas, worker, activity, merited):
    signup, _ = services.care_signup_create(actor=worker.user, worker=worker, activity=activity)
    refused(lambda: services.checkin_by_staff(actor=county, signup=signup), "开始后才能签到")
    with pytest.raises(Refused):
        services.checkin_by_staff(actor=personas["other_county"], signup=signup, now=activity.starts_at)
    during = activity.starts_at + timedelta(minutes=3)
    done = services.checkin_by_staff(actor=county, signup=signup, now=during)
    assert done.checked_in_by == county and merited[0]["actor"] == county
    assert merited[0]["source"] == f"care_checkin:{activity.pk}:worker:{worker.pk}"
    refused(lambda: services.checkin_by_staff(actor=county, signup=signup, now=during), "不能重复签到")


@pytest.mark.parametrize(("count", "text"), [("-1", "0～100000"), ("9" * 30, "0～100000"), ("三", "0～100000"), ("", "请填写")])
def test_walk_ins_refused(county, activity, count, text):
    during = activity.starts_at + timedelta(minutes=1)
    refused(lambda: services.walk_ins_set(actor=county, activity=activity, count=count, now=during), text)


def test_walk_ins_counted_in_people_served(county, personas, worker, activity):
    refused(lambda: services.walk_ins_set(actor=county, activity=activity, count=3), "还没有开始")
    services.care_signup_create(actor=worker.user, worker=worker, activity=activity)
    during = activity.starts_at + timedelta(minutes=1)
    services.care_checkin(actor=worker.user, worker=worker, code=activity.checkin_code, now=during)
    services.walk_ins_set(actor=county, activity=activity, count="１２", now=during)  # full-width 12
    activity.refresh_from_db()
    assert activity.walk_ins == 12 and selectors.served_of(activity) == 13
    start = timezone.localdate(activity.starts_at).isoformat()
    rows, totals = selectors.served_by_region(user=county, start=start, end=start, level="9")
    assert [(r["region"], r["total"], r["by_type"]) for r in rows] == [("360102002", 13, {"birthday": 13})]
    assert totals["birthday"] == 13
    county_rows, _ = selectors.served_by_region(user=personas["city"], level="6")
    assert [(r["region"], r["total"]) for r in county_rows] == [("360102", 13)]
    assert selectors.served_by_region(user=personas["other_county"])[0] == []
    before = (timezone.localdate(activity.starts_at) - timedelta(days=1)).isoformat()
    assert selectors.served_by_region(user=county, end=before)[0] == []


# Erasure.


def test_worker_erased_keeps_check_ins_as_people_served(county, worker, activity):
    second = make_activity(county, title="第二场")
    services.care_signup_create(actor=worker.user, worker=worker, activity=activity)
    services.care_signup_create(actor=worker.user, worker=worker, activity=second)
    during = activity.starts_at + timedelta(minutes=1)
    services.care_checkin(actor=worker.user, worker=worker, code=activity.checkin_code, now=during)
    publish("workers.erased", worker=worker, user_id=worker.user_id)
    assert not CareSignup.objects.filter(worker=worker).exists()
    assert CareSignup.objects.filter(activity=activity, worker__isnull=True, checked_in_at__isnull=False).count() == 1
    assert not CareSignup.objects.filter(activity=second).exists()
    assert selectors.served_of(activity) == 1


def test_worker_card_and_data(worker, activity):
    card = selectors.worker_card(worker)
    assert card["signup"] is None and card["open_count"] == 1
    services.care_signup_create(actor=worker.user, worker=worker, activity=activity)
    assert selectors.worker_card(worker)["signup"].activity == activity
    assert selectors.worker_data(worker)[0][0] == "关爱活动报名" and activity.title in selectors.worker_data(worker)[0][1]
