"""The rules of volunteer teams and service records: each kept, and each broken and refused in Chinese."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanxin.core.events import publish
from sanxin.core.guards import Refused
from sanxin.core.workflow import timeline
from sanxin.volunteers import selectors, services
from sanxin.volunteers.models import ServiceRecordMember, TeamMember
from tests.care.conftest import make_worker


def refused(call, text):
    with pytest.raises(ValidationError) as caught:
        call()
    assert text in " ".join(caught.value.messages), caught.value.messages


def members(team):
    return [m.worker_id for m in selectors.active_members(team)]


def submit(actor, team, hours="2", **changes):
    fields = {"day": timezone.localdate(), "hours": hours, "work": "清理驿站周边共享单车", "members": members(team)} | changes
    return services.volunteer_record_submit(actor=actor, team=team, **fields)


# Teams and members.


@pytest.mark.parametrize(
    ("changes", "field", "text"),
    [
        ({"name": ""}, "name", "请填写队伍名称"),
        ({"name": "队\x00"}, "name", "NUL"),
        ({"name": "长" * 101}, "name", "最多 100 个字"),
        ({"kind": "army"}, "kind", "类型应为"),
        ({"region": "360103"}, "region", "不在本单位管辖范围内"),
        ({"region": "36"}, "region", "区县、街道"),
        ({"leader": "99999999"}, "leader", "队长须是"),
    ],
)
def test_team_refuses_bad_fields(county, changes, field, text):
    fields = {"name": "东湖志愿服务队", "kind": "volunteer", "region": "360102"} | changes
    with pytest.raises(ValidationError) as caught:
        services.volunteer_team_create(actor=county, **fields)
    assert text in " ".join(caught.value.message_dict[field])


def test_leader_is_a_member_and_names_are_unique(county, worker):
    team = services.volunteer_team_create(actor=county, name="东湖党员突击队", kind="commando", region="360102", leader=str(worker.pk))
    assert team.leader == worker and members(team) == [worker.pk]
    refused(lambda: services.volunteer_team_create(actor=county, name="东湖党员突击队", kind="volunteer", region="360102"), "已有名为")


def test_members_join_leave_and_staff_add(county, personas, worker, team):
    assert TeamMember.objects.filter(team=team).count() == 2
    services.volunteer_member_add(actor=county, team=team, worker=worker)  # a double click adds nobody
    assert TeamMember.objects.filter(team=team).count() == 2
    services.volunteer_member_leave(actor=worker.user, worker=worker, team=team)
    assert worker.pk not in members(team)
    refused(lambda: services.volunteer_member_leave(actor=worker.user, worker=worker, team=team), "不是该队伍的队员")
    _, created = services.volunteer_member_join(actor=worker.user, worker=worker, team=team)
    assert created and worker.pk in members(team)
    with pytest.raises(Refused):
        services.volunteer_member_add(actor=personas["other_county"], team=team, worker=worker)
    far = make_worker("孙三", "13900000003", region="360103001001")
    refused(lambda: services.volunteer_member_add(actor=county, team=team, worker=far), "不在本单位管辖范围内")
    refused(lambda: services.volunteer_member_join(actor=far.user, worker=far, team=team), "只能加入本人工作区域所在区县的队伍")
    with pytest.raises(Refused):
        services.volunteer_member_join(actor=far.user, worker=worker, team=team)


# Service records.


@pytest.mark.parametrize(
    ("hours", "text"),
    [
        ("0", "应大于 0"),
        ("-2", "应大于 0"),
        ("25", "不能超过 24 小时"),
        ("２５", "不能超过 24 小时"),  # full-width 25
        ("1e9", "不能超过 24 小时"),
        ("9" * 40, "应为 0.5～24"),
        ("NaN", "应为数字"),
        ("两小时", "应为数字"),
        ("1.25", "一位小数"),
        ("", "请填写服务时长"),
    ],
)
def test_hours_refused(county, team, hours, text):
    refused(lambda: submit(county, team, hours=hours), text)


def test_hours_full_width_fold(county, team):
    assert submit(county, team, hours="１.５").hours == Decimal("1.5")


def test_record_refuses_other_fields(county, team):
    refused(lambda: submit(county, team, work=""), "请填写服务内容")
    refused(lambda: submit(county, team, work="x\x00"), "NUL")
    refused(lambda: submit(county, team, work="长" * 501), "最多 500 个字")
    refused(lambda: submit(county, team, members=[]), "请选择参加服务的队员")
    refused(lambda: submit(county, team, day=timezone.localdate() + timedelta(days=1)), "不能晚于今天")
    refused(lambda: submit(county, team, day="２０２６年"), "应为日期")
    outsider = make_worker("孙三", "13900000003")
    refused(lambda: submit(county, team, members=[outsider.pk]), "不是本队队员")


def test_no_more_than_24_hours_a_day_per_person(county, team, worker):
    submit(county, team, hours="20")
    refused(lambda: submit(county, team, hours="5", members=[worker.pk]), "超过 24 小时")
    submit(county, team, hours="4", members=[worker.pk])
    yesterday = timezone.localdate() - timedelta(days=1)
    submit(county, team, hours="24", day=yesterday)  # another day


def test_only_staff_of_the_place_or_the_leader_submit(county, personas, team, worker):
    with pytest.raises(Refused):
        submit(personas["other_county"], team)
    with pytest.raises(Refused):
        submit(worker.user, team)  # a member, not the leader
    services.team_update(actor=county, team=team, leader=str(worker.pk))
    team.refresh_from_db()
    record = submit(worker.user, team)
    assert record.status == "submitted" and record.submitted_by == worker.user


def test_confirm_publishes_hours_per_member(county, team, worker, merited):
    record = submit(county, team, hours="2.5")
    confirmed = services.record_confirm(actor=county, record=record)
    assert confirmed.status == "confirmed" and confirmed.confirmed_at
    assert sorted(m["source"] for m in merited) == sorted(f"volunteer_record:{record.pk}:worker:{w}" for w in members(team))
    assert {m["kind"] for m in merited} == {"volunteer_hours"}
    assert {m["quantity"] for m in merited} == {Decimal("2.5")}
    assert {m["region_code"] for m in merited} == {"360102002"}
    assert selectors.team_hours(team) == Decimal("5.0")
    assert selectors.member_hours(team)[worker.pk] == Decimal("2.5")
    assert selectors.worker_hours(worker) == Decimal("2.5")
    refused(lambda: services.record_confirm(actor=county, record=record), "不能确认")
    assert len(merited) == 2
    assert [e.label for e in timeline(record)] == ["填报", "确认"]


def test_reject_needs_a_reason_and_publishes_nothing(county, personas, team, merited):
    record = submit(county, team)
    refused(lambda: services.record_reject(actor=county, record=record, reason=""), "请填写退回原因")
    with pytest.raises(Refused):
        services.record_confirm(actor=personas["other_county"], record=record)
    with pytest.raises(Refused):
        services.record_confirm(actor=personas["worker"], record=record)
    rejected = services.record_reject(actor=county, record=record, reason="时长与签到记录不符")
    assert rejected.status == "rejected" and rejected.reject_reason == "时长与签到记录不符"
    refused(lambda: services.record_confirm(actor=county, record=record), "不能确认")
    assert merited == [] and selectors.team_hours(team) == 0


def test_worker_erased_keeps_the_team_hours(county, team, worker):
    services.team_update(actor=county, team=team, leader=str(worker.pk))
    record = submit(county, team)
    services.record_confirm(actor=county, record=record)
    publish("workers.erased", worker=worker, user_id=worker.user_id)
    team.refresh_from_db()
    assert team.leader is None and not TeamMember.objects.filter(worker=worker).exists()
    assert ServiceRecordMember.objects.filter(record=record, worker__isnull=True).count() == 1
    assert selectors.team_hours(team) == Decimal("4.0")


def test_worker_card_and_data(county, team, worker):
    record = submit(county, team)
    services.record_confirm(actor=county, record=record)
    card = selectors.worker_card(worker)
    assert card["teams"] == [team] and card["hours"] == Decimal("2.0")
    labels = [label for label, _ in selectors.worker_data(worker)]
    assert labels == ["志愿服务队", "志愿服务记录"]


def test_the_real_erasure_keeps_hours_and_people_served(county, team, worker):
    """Through the workers app's own erasure (the event, then the row and the account deleted)."""
    from datetime import timedelta as td

    from sanxin.care.models import CareSignup
    from sanxin.care.services import care_checkin
    from sanxin.workers.models import Worker
    from sanxin.workers.services import worker_erase
    from tests.care.conftest import make_activity, times

    now = timezone.now()
    activity = make_activity(
        county, **times(starts_in=-td(minutes=5)) | {"signup_opens_at": now - td(days=1), "signup_closes_at": now - td(minutes=30)}
    )
    from sanxin.care.services import care_signup_create

    care_signup_create(actor=worker.user, worker=worker, activity=activity, now=now - td(hours=1))
    care_checkin(actor=worker.user, worker=worker, code=activity.checkin_code)
    services.team_update(actor=county, team=team, leader=str(worker.pk))
    services.record_confirm(actor=county, record=submit(county, team))
    worker_erase(actor=None, worker=worker, reason="本人申请删除")
    assert not Worker.objects.filter(pk=worker.pk).exists()
    assert CareSignup.objects.filter(activity=activity, worker__isnull=True, checked_in_at__isnull=False).count() == 1
    assert selectors.team_hours(team) == Decimal("4.0")
