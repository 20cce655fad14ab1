"""Every rule of a selection campaign, kept and broken: the window, the scope, the occupation, once per worker, the
places, the publicity and its objections, the award with its honour and points, revocation and erasure."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from sanxin.core.events import publish
from sanxin.core.guards import Refused
from sanxin.core.workflow import timeline
from sanxin.selections import selectors, services
from sanxin.selections.models import CampaignStatus, Honour, Nomination, NominationStatus, ObjectionStatus
from tests.selections.conftest import DEEDS, make_campaign

pytestmark = pytest.mark.django_db


def after_publicity(campaign):
    return timezone.make_aware(timezone.datetime.combine(campaign.publicity_until + timedelta(days=1), timezone.datetime.min.time()))


def to_publicity(personas, campaign, *nominees):
    city = personas["city"]
    made = [services.nomination_create(actor=personas["community"], campaign=campaign, worker=w, deeds=DEEDS) for w in nominees]
    campaign = services.campaign_review(actor=city, campaign=campaign)
    for n in made:
        services.nomination_approve(actor=city, nomination=n)
    return services.campaign_publish(actor=city, campaign=campaign), made


def test_the_whole_way_to_the_award(personas, campaign, worker, rider, merits):
    city = personas["city"]
    by_unit = services.nomination_create(actor=personas["community"], campaign=campaign, worker=rider, deeds=DEEDS)
    self_made = services.nomination_create(actor=personas["worker"], campaign=campaign, worker=worker, deeds="自荐：三年零差评。")
    assert by_unit.nominating_unit == personas["community"].unit and self_made.nominator_kind == "self"
    assert self_made.platform_name == "美团外卖"
    campaign = services.campaign_review(actor=city, campaign=campaign)
    services.nomination_approve(actor=city, nomination=self_made)
    services.nomination_reject(actor=city, nomination=by_unit, reason="事迹材料不充分")
    campaign = services.campaign_publish(actor=city, campaign=campaign)
    assert campaign.status == CampaignStatus.PUBLICITY and campaign.publicity_until > campaign.publicity_from
    # The notice: only the approved, masked.
    rows = selectors.notice_rows(campaign)
    assert [r["name"] for r in rows] == ["测******r"]  # 测试worker
    assert [selectors.notice_name(n) for n in ("赵快跑", "李明", "欧阳小明", "王")] == ["赵*跑", "李*", "欧**明", "王"]
    objection = services.objection_raise(actor=personas["township"], nomination=self_made, reason="此人曾有违章记录，请核实")
    with pytest.raises(ValidationError, match="公示期内不能表彰"):
        services.campaign_award(actor=city, campaign=campaign)
    with pytest.raises(ValidationError, match="公示异议未处理"):
        services.campaign_award(actor=city, campaign=campaign, now=after_publicity(campaign))
    services.objection_handle(actor=city, objection=objection, upheld=False, note="经核实，违章已处理，不影响评选")
    campaign = services.campaign_award(actor=city, campaign=campaign, now=after_publicity(campaign))
    assert campaign.status == CampaignStatus.AWARDED
    honour = Honour.objects.get(worker=worker)
    assert honour.title == "最美外卖配送员" and honour.points == 50 and honour.campaign == campaign
    assert not Honour.objects.filter(worker=rider).exists()
    [event] = merits["merited"]
    assert event["source"] == f"selection_award:{self_made.pk}" and event["kind"] == "selection_award"
    assert event["points"] == 50 and event["worker"] == worker and event["region_code"] == "360102002001"
    assert [e.transition for e in timeline(campaign)] == ["create", "open", "review", "publish", "award"]
    with pytest.raises(ValidationError, match="已表彰"):
        services.campaign_award(actor=city, campaign=campaign, now=after_publicity(campaign))
    assert len(merits["merited"]) == 1


@pytest.mark.parametrize("shift", [-6, 6])
def test_nominating_outside_the_window_is_refused(personas, campaign, rider, shift):
    moment = timezone.now() + timedelta(days=shift)
    with pytest.raises(ValidationError, match="不在推荐时间内"):
        services.nomination_create(actor=personas["community"], campaign=campaign, worker=rider, deeds=DEEDS, now=moment)


def test_nominating_a_draft_or_after_the_close_is_refused(personas, rider):
    draft = make_campaign(personas["city"], open_it=False)
    with pytest.raises(ValidationError, match="不接受推荐"):
        services.nomination_create(actor=personas["community"], campaign=draft, worker=rider, deeds=DEEDS)
    closed = services.campaign_review(actor=personas["city"], campaign=make_campaign(personas["city"], title="第二届"))
    with pytest.raises(ValidationError, match="不接受推荐"):
        services.nomination_create(actor=personas["community"], campaign=closed, worker=rider, deeds=DEEDS)


def test_nominating_outside_ones_area_is_refused(personas, campaign, street_rider, far_rider):
    with pytest.raises(ValidationError, match="不在本单位管辖范围内"):
        services.nomination_create(actor=personas["community"], campaign=campaign, worker=street_rider, deeds=DEEDS)
    # The county may nominate the other street's rider; nobody in 东湖区 the 西湖区 one.
    assert services.nomination_create(actor=personas["county"], campaign=campaign, worker=street_rider, deeds=DEEDS).pk
    with pytest.raises(ValidationError, match="不在本单位管辖范围内"):
        services.nomination_create(actor=personas["county"], campaign=campaign, worker=far_rider, deeds=DEEDS)


def test_a_worker_outside_the_campaigns_region_is_refused(personas, far_rider):
    county_campaign = make_campaign(personas["county"], region="360102")
    with pytest.raises(ValidationError, match="不在评选范围"):
        services.nomination_create(actor=personas["city"], campaign=county_campaign, worker=far_rider, deeds=DEEDS)


def test_another_countys_campaign(personas, rider):
    county_campaign = make_campaign(personas["county"], region="360102")
    other = personas["other_county"]
    with pytest.raises(Http404):
        selectors.access_campaign(county_campaign.pk, user=other)
    with pytest.raises(Refused):
        services.nomination_create(actor=other, campaign=county_campaign, worker=rider, deeds=DEEDS)
    with pytest.raises(ValidationError, match="本单位不能办理"):
        services.campaign_review(actor=other, campaign=county_campaign)
    # A county cannot run a campaign over another county, nor over the city.
    with pytest.raises(ValidationError, match="不在本单位管辖范围内"):
        make_campaign(other, region="360102")
    # The city's campaign is seen by the county (to nominate), but only the city runs it.
    city_campaign = make_campaign(personas["city"])
    assert selectors.access_campaign(city_campaign.pk, user=other)
    with pytest.raises(Http404):
        selectors.access_campaign(city_campaign.pk, user=other, for_write=True)
    with pytest.raises(ValidationError, match="本单位不能办理"):
        services.campaign_review(actor=personas["county"], campaign=city_campaign)


def test_the_wrong_occupation_is_refused(personas, campaign, courier):
    with pytest.raises(ValidationError, match="面向外卖骑手"):
        services.nomination_create(actor=personas["community"], campaign=campaign, worker=courier, deeds=DEEDS)


def test_nominating_twice_is_refused(personas, campaign, rider, worker):
    services.nomination_create(actor=personas["community"], campaign=campaign, worker=rider, deeds=DEEDS)
    with pytest.raises(ValidationError, match="每人只能推荐一次"):
        services.nomination_create(actor=personas["township"], campaign=campaign, worker=rider, deeds=DEEDS)
    services.nomination_create(actor=personas["worker"], campaign=campaign, worker=worker, deeds=DEEDS)
    with pytest.raises(ValidationError, match="每人只能推荐一次"):
        services.nomination_create(actor=personas["community"], campaign=campaign, worker=worker, deeds=DEEDS)
    assert Nomination.objects.filter(campaign=campaign).count() == 2


def test_a_worker_nominates_only_themself(personas, campaign, rider):
    with pytest.raises(Refused, match="只能推荐本人"):
        services.nomination_create(actor=personas["worker"], campaign=campaign, worker=rider, deeds=DEEDS)


@pytest.mark.parametrize(
    ("deeds", "reason"),
    [("", "请填写主要事迹"), ("好" * 1001, "最多 1000 个字"), ("送餐\x00途中", "NUL"), ("   ", "请填写主要事迹")],
)
def test_bad_deeds_are_refused(personas, campaign, rider, deeds, reason):
    with pytest.raises(ValidationError, match=reason):
        services.nomination_create(actor=personas["community"], campaign=campaign, worker=rider, deeds=deeds)


def test_approving_beyond_the_places_is_refused(personas, worker, rider, street_rider):
    city = personas["city"]
    campaign = make_campaign(city, places=2)
    made = [
        services.nomination_create(actor=personas["county"], campaign=campaign, worker=w, deeds=DEEDS)
        for w in (worker, rider, street_rider)
    ]
    with pytest.raises(ValidationError, match="只能在审核阶段"):
        services.nomination_approve(actor=city, nomination=made[0])
    campaign = services.campaign_review(actor=city, campaign=campaign)
    services.nomination_approve(actor=city, nomination=made[0])
    services.nomination_approve(actor=city, nomination=made[1])
    with pytest.raises(ValidationError, match="名额 2 人已满"):
        services.nomination_approve(actor=city, nomination=made[2])
    with pytest.raises(ValidationError, match="未审核"):
        services.campaign_publish(actor=city, campaign=campaign)
    with pytest.raises(ValidationError, match="请填写不予通过的理由"):
        services.nomination_reject(actor=city, nomination=made[2])
    services.nomination_reject(actor=city, nomination=made[2], reason="名额已满")
    assert services.campaign_publish(actor=city, campaign=campaign).status == CampaignStatus.PUBLICITY


def test_publishing_nobody_is_refused(personas):
    city = personas["city"]
    campaign = services.campaign_review(actor=city, campaign=make_campaign(city))
    with pytest.raises(ValidationError, match="没有审核通过"):
        services.campaign_publish(actor=city, campaign=campaign)


def test_staff_who_only_nominate_cannot_review(personas, campaign, rider):
    nomination = services.nomination_create(actor=personas["community"], campaign=campaign, worker=rider, deeds=DEEDS)
    services.campaign_review(actor=personas["city"], campaign=campaign)
    with pytest.raises(Refused):
        services.nomination_approve(actor=personas["community"], nomination=nomination)


def test_objections(personas, worker, rider):
    city = personas["city"]
    campaign, (first, second) = to_publicity(personas, make_campaign(city), worker, rider)
    with pytest.raises(ValidationError, match="请填写异议理由"):
        services.objection_raise(actor=personas["worker"], nomination=second, reason="")
    with pytest.raises(ValidationError, match="NUL"):
        services.objection_raise(actor=personas["worker"], nomination=second, reason="有\x00问题")
    with pytest.raises(ValidationError, match="最多 500 个字"):
        services.objection_raise(actor=personas["worker"], nomination=second, reason="长" * 501)
    objection = services.objection_raise(actor=personas["worker"], nomination=second, reason="他上个月还因超速被处罚")
    with pytest.raises(ValidationError, match="请勿重复提出"):
        services.objection_raise(actor=personas["worker"], nomination=second, reason="再说一遍")
    with pytest.raises(ValidationError, match="已不能提出异议"):
        services.objection_raise(actor=personas["county"], nomination=second, reason="晚了", now=after_publicity(campaign))
    with pytest.raises(Refused):
        services.objection_handle(actor=personas["community"], objection=objection, upheld=True, note="x")
    with pytest.raises(ValidationError, match="请填写处理意见"):
        services.objection_handle(actor=city, objection=objection, upheld=True, note="")
    services.objection_handle(actor=city, objection=objection, upheld=True, note="经核实属实，撤销推荐")
    second.refresh_from_db()
    objection.refresh_from_db()
    assert second.status == NominationStatus.WITHDRAWN and objection.status == ObjectionStatus.UPHELD
    with pytest.raises(ValidationError, match="已处理"):
        services.objection_handle(actor=city, objection=objection, upheld=False, note="改判")
    assert [r["id"] for r in selectors.notice_rows(campaign)] == [first.pk]
    with pytest.raises(ValidationError, match="不在公示名单"):
        services.objection_raise(actor=personas["county"], nomination=second, reason="已撤销的")
    with pytest.raises(Refused, match="请登录"):
        services.objection_raise(actor=None, nomination=first, reason="匿名")


def test_no_objection_once_awarded(personas, worker):
    city = personas["city"]
    campaign, (first,) = to_publicity(personas, make_campaign(city), worker)
    services.campaign_award(actor=city, campaign=campaign, now=after_publicity(campaign))
    with pytest.raises(ValidationError, match="不在公示期"):
        services.objection_raise(actor=personas["county"], nomination=first, reason="晚了")


def test_revoking_an_honour_withdraws_the_points(personas, worker, merits):
    city = personas["city"]
    campaign, (first,) = to_publicity(personas, make_campaign(city), worker)
    services.campaign_award(actor=city, campaign=campaign, now=after_publicity(campaign))
    honour = Honour.objects.get(nomination=first)
    with pytest.raises(ValidationError, match="请填写撤销原因"):
        services.honour_revoke(actor=city, honour=honour, reason="")
    with pytest.raises(Refused):
        services.honour_revoke(actor=personas["other_county"], honour=honour, reason="不是本区的")
    services.honour_revoke(actor=city, honour=honour, reason="发现弄虚作假")
    assert merits["withdrawn"] == [
        {"source": f"selection_award:{first.pk}", "reason": "撤销荣誉“最美外卖配送员”：发现弄虚作假", "actor": city}
    ]
    with pytest.raises(ValidationError, match="已撤销"):
        services.honour_revoke(actor=city, honour=honour, reason="再撤一次")
    assert not selectors.my_honours(worker).exists()


def test_cancel_needs_a_reason_and_ends_it(personas, campaign, rider):
    with pytest.raises(ValidationError, match="请填写取消原因"):
        services.campaign_cancel(actor=personas["city"], campaign=campaign)
    campaign = services.campaign_cancel(actor=personas["city"], campaign=campaign, reason="改期举办")
    with pytest.raises(ValidationError, match="不接受推荐"):
        services.nomination_create(actor=personas["community"], campaign=campaign, worker=rider, deeds=DEEDS)


@pytest.mark.parametrize(
    ("fields", "field", "reason"),
    [
        ({"places": "0"}, "places", "名额应为 1 到 1000"),
        ({"places": "99999999999999999999"}, "places", "名额应为"),
        ({"places": "十"}, "places", "名额应为"),
        ({"award_points": "-5"}, "award_points", "表彰积分应为 0 到 100000"),
        ({"publicity_days": "0"}, "publicity_days", "公示期应为 1 到 30"),
        ({"title": "最美\x00骑手", "kind": "other", "occupation": "delivery_rider"}, "title", "NUL"),
        ({"title": "长" * 61, "kind": "other", "occupation": "delivery_rider"}, "title", "最多 60 个字"),
        ({"kind": "other"}, "occupation", "请选择面向的职业"),
        ({"kind": "courier", "occupation": "delivery_rider"}, "occupation", "应面向快递员"),
        ({"kind": "nonsense"}, "kind", "请选择评选类型"),
        ({"region": "32"}, "region", "不在本单位管辖范围内"),
        ({"region": "36\x0001"}, "region", "请选择评选范围"),
        ({"description": "说明\x1b"}, "description", "ESC"),
    ],
)
def test_bad_campaigns_are_refused(personas, fields, field, reason):
    with pytest.raises(ValidationError) as caught:
        make_campaign(personas["city"], open_it=False, **fields)
    assert reason in " ".join(caught.value.message_dict[field])


def test_window_order_and_full_width_digits(personas):
    today = timezone.localdate()
    with pytest.raises(ValidationError, match="不能早于开始日期"):
        make_campaign(personas["city"], open_it=False, nominate_from=today, nominate_until=today - timedelta(days=1))
    made = make_campaign(personas["city"], open_it=False, places="１０", region="３６０１")
    assert made.places == 10 and made.region_id == "3601"


def test_only_the_region_staff_create(personas):
    for name in ("community", "township", "worker", "industry"):
        with pytest.raises(Refused):
            make_campaign(personas[name], open_it=False)


def test_publicity_counts_working_days(personas, worker):
    campaign, _ = to_publicity(personas, make_campaign(personas["city"], publicity_days=5), worker)
    from sanxin.workdays.calendar import workdays_between

    assert workdays_between(campaign.publicity_from + timedelta(days=1), campaign.publicity_until) == 5


def test_erasure_takes_honours_and_nominations(personas, worker):
    city = personas["city"]
    campaign, _ = to_publicity(personas, make_campaign(city), worker)
    services.campaign_award(actor=city, campaign=campaign, now=after_publicity(campaign))
    assert Honour.objects.filter(worker=worker).exists()
    publish("workers.erased", worker=worker, user_id=worker.user_id)
    assert not Honour.objects.filter(worker=worker).exists()
    assert not Nomination.objects.filter(worker=worker).exists()


def test_worker_card_and_record_section(personas, campaign, worker):
    card = selectors.worker_card(worker)
    assert card["campaign"] == campaign and card["honour"] is None
    services.nomination_create(actor=personas["worker"], campaign=campaign, worker=worker, deeds=DEEDS)
    assert selectors.worker_card(worker) is None
    assert selectors.worker_record_section(worker)["honours"] == []
    assert ("评选推荐", f"{campaign.title}：待审核；事迹：{DEEDS}") in selectors.worker_data(worker)
