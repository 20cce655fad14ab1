"""Every transition of an appeal, and a refusing test for each of its rules."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from sanxin.accounts.models import Unit, UnitKind
from sanxin.appeals import services
from sanxin.appeals.models import AppealStatus, Rating, RoutingRule
from sanxin.core.models import AuditEvent, Notification, TimelineEvent
from tests.appeals.conftest import at, raise_appeal


def test_raised_by_the_worker_routes_to_the_street_with_the_shield_on(personas, appeal, worker):
    assert appeal.unit.name == "滕王阁街道党工委"  # the township unit of the community's street
    assert appeal.worker == worker and appeal.raised_by is None
    assert appeal.shielded is True  # on by default when a platform is set
    assert appeal.status == AppealStatus.SUBMITTED
    assert TimelineEvent.objects.filter(object_id=str(appeal.pk), transition="create").exists()
    assert AuditEvent.objects.filter(action="appeal_create", object_id=str(appeal.pk)).exists()


def test_without_a_platform_the_shield_is_off(personas):
    assert raise_appeal(personas["worker"]).shielded is False


def test_text_is_encrypted_in_the_database(personas, appeal):
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT text FROM appeals_appeal WHERE id = %s", [appeal.pk])
        raw = cursor.fetchone()[0]
    assert "小区" not in raw


def test_full_path_to_closed(personas, appeal, django_capture_on_commit_callbacks):
    street = personas["township"]
    worker = personas["worker"]
    appeal = services.appeal_accept(actor=street, appeal=appeal)
    assert appeal.status == AppealStatus.ACCEPTED and appeal.accepted_at
    appeal = services.appeal_start(actor=street, appeal=appeal)
    with django_capture_on_commit_callbacks(execute=True):
        appeal = services.appeal_resolve(actor=street, appeal=appeal, reply="已协调物业开放北门，骑手可进入。")
    assert appeal.status == AppealStatus.RESOLVED and appeal.reply.startswith("已协调")
    appeal = services.appeal_rate(actor=worker, appeal=appeal, rating=Rating.SATISFIED)
    assert appeal.status == AppealStatus.CLOSED and appeal.rating == Rating.SATISFIED
    steps = list(TimelineEvent.objects.filter(object_id=str(appeal.pk), object_type="appeals.appeal").values_list("transition", flat=True))
    assert steps == ["create", "accept", "start", "resolve", "rate", "close"]
    assert Notification.objects.filter(recipient=worker, title__contains="已办结").exists()


def test_wrong_state_refused(personas, appeal):
    with pytest.raises(ValidationError, match="当前状态为“待受理”，不能开始办理"):
        services.appeal_start(actor=personas["township"], appeal=appeal)
    with pytest.raises(ValidationError, match="不能评价"):
        services.appeal_rate(actor=personas["worker"], appeal=appeal, rating="satisfied")


def test_resolve_requires_a_reply(personas, appeal):
    appeal = services.appeal_accept(actor=personas["township"], appeal=appeal)
    with pytest.raises(ValidationError, match="请填写办理答复"):
        services.appeal_resolve(actor=personas["township"], appeal=appeal, reply="  ")


def test_only_the_handling_unit_or_above_acts(personas, appeal):
    community_user = personas["community"]  # below the street: not the handler
    with pytest.raises(ValidationError, match="承办，本单位不能办理"):
        services.appeal_accept(actor=community_user, appeal=appeal)
    with pytest.raises(PermissionDenied):
        services.appeal_accept(actor=personas["platform"], appeal=appeal)
    with pytest.raises(PermissionDenied):
        services.appeal_accept(actor=personas["worker"], appeal=appeal)
    assert services.appeal_accept(actor=personas["county"], appeal=appeal).status == AppealStatus.ACCEPTED  # the unit above may


def _resolved(personas, appeal):
    appeal = services.appeal_accept(actor=personas["township"], appeal=appeal)
    return services.appeal_resolve(actor=personas["township"], appeal=appeal, reply="已处理")


def test_rating_by_someone_else_refused(personas, appeal, other_worker):
    appeal = _resolved(personas, appeal)
    with pytest.raises(PermissionDenied):
        services.appeal_rate(actor=personas["township"], appeal=appeal, rating="satisfied")
    from sanxin.accounts.models import User
    from sanxin.accounts.services import grant_initial_roles

    other = User.objects.create(username="other-worker")
    grant_initial_roles(user=other, roles=["worker"])
    other_worker.user = other
    other_worker.save()
    with pytest.raises(ValidationError, match="只有诉求人本人"):
        services.appeal_rate(actor=other, appeal=appeal, rating="satisfied")
    with pytest.raises(ValidationError, match="请选择评价"):
        services.appeal_rate(actor=personas["worker"], appeal=appeal, rating="great")


def test_not_satisfied_reopens_once(personas, appeal):
    worker = personas["worker"]
    appeal = _resolved(personas, appeal)
    appeal = services.appeal_rate(actor=worker, appeal=appeal, rating=Rating.UNSATISFIED)
    assert appeal.status == AppealStatus.RATED
    appeal = services.appeal_reopen(actor=worker, appeal=appeal)
    assert appeal.status == AppealStatus.IN_PROGRESS and appeal.reopened
    appeal = services.appeal_resolve(actor=personas["township"], appeal=appeal, reply="再次处理")
    appeal = services.appeal_rate(actor=worker, appeal=appeal, rating=Rating.UNSATISFIED)
    assert appeal.status == AppealStatus.CLOSED  # the second "not satisfied" closes: no second reopening
    with pytest.raises(ValidationError):
        services.appeal_reopen(actor=worker, appeal=appeal)


def test_second_reopen_refused_by_its_rule(personas, appeal):
    from sanxin.appeals.models import Appeal

    appeal = _resolved(personas, appeal)
    appeal = services.appeal_rate(actor=personas["worker"], appeal=appeal, rating=Rating.UNSATISFIED)
    Appeal.objects.filter(pk=appeal.pk).update(reopened=True)
    with pytest.raises(ValidationError, match="已重新办理过一次"):
        services.appeal_reopen(actor=personas["worker"], appeal=appeal)


def test_reopen_after_satisfied_refused(personas, appeal):
    from sanxin.appeals.models import Appeal

    appeal = _resolved(personas, appeal)
    Appeal.objects.filter(pk=appeal.pk).update(status="rated", rating="basic")
    with pytest.raises(ValidationError, match="不满意"):
        services.appeal_reopen(actor=personas["worker"], appeal=appeal)


def test_transfer_needs_a_reason_and_a_unit_inside(personas, appeal):
    street = personas["township"]
    neighbour = Unit.objects.create(name="豫章街道党工委", kind=UnitKind.TOWNSHIP_COMMITTEE, region_id="360102004")
    far = Unit.objects.create(name="南京某街道党工委", kind=UnitKind.TOWNSHIP_COMMITTEE, region_id="320102")
    with pytest.raises(ValidationError, match="请填写转办原因"):
        services.appeal_transfer(actor=street, appeal=appeal, unit=neighbour, reason="")
    with pytest.raises(ValidationError, match="不在可转办的范围内"):
        services.appeal_transfer(actor=street, appeal=appeal, unit=far, reason="属地不符")
    with pytest.raises(ValidationError, match="当前承办单位"):
        services.appeal_transfer(actor=street, appeal=appeal, unit=appeal.unit, reason="属地不符")
    with pytest.raises(ValidationError, match="请选择转办的单位"):
        services.appeal_transfer(actor=street, appeal=appeal, unit=None, reason="属地不符")
    moved = services.appeal_transfer(actor=street, appeal=appeal, unit=neighbour, reason="实际发生地在豫章街道")
    assert moved.unit == neighbour and moved.status == AppealStatus.SUBMITTED
    event = TimelineEvent.objects.filter(object_id=str(appeal.pk), transition="transfer").get()
    assert event.note == "实际发生地在豫章街道"


def test_return_needs_a_reason(personas, appeal):
    with pytest.raises(ValidationError, match="请填写退回原因"):
        services.appeal_return(actor=personas["township"], appeal=appeal, reason=" ")
    returned = services.appeal_return(actor=personas["township"], appeal=appeal, reason="属于劳动仲裁受理范围，请向仲裁委申请")
    assert returned.status == AppealStatus.RETURNED
    with pytest.raises(ValidationError, match="不能受理"):
        services.appeal_accept(actor=personas["township"], appeal=returned)


def test_ask_pauses_and_the_answer_resumes(personas, appeal):
    street, worker = personas["township"], personas["worker"]
    appeal = services.appeal_accept(actor=street, appeal=appeal)
    with pytest.raises(ValidationError, match="请填写需要诉求人补充"):
        services.appeal_ask(actor=street, appeal=appeal, question="")
    appeal = services.appeal_ask(actor=street, appeal=appeal, question="具体是哪个小区？")
    assert appeal.status == AppealStatus.WAITING and appeal.paused_at
    with pytest.raises(PermissionDenied):
        services.appeal_answer(actor=street, appeal=appeal, answer="x")
    with pytest.raises(ValidationError, match="请填写答复内容"):
        services.appeal_answer(actor=worker, appeal=appeal, answer="")
    appeal = services.appeal_answer(actor=worker, appeal=appeal, answer="阳光小区")
    assert appeal.status == AppealStatus.IN_PROGRESS and appeal.paused_at is None
    assert "阳光小区" in appeal.text


def test_ask_refused_when_the_worker_has_no_account(personas, platform):
    appeal = services.appeal_create(
        actor=personas["township"], category="wages", text="代登记：工资拖欠", place="某站点", region="360102002001"
    )
    appeal = services.appeal_accept(actor=personas["township"], appeal=appeal)
    with pytest.raises(ValidationError, match="没有本人账号"):
        services.appeal_ask(actor=personas["township"], appeal=appeal, question="多少钱？")


def test_escalate_when_not_overdue_refused(personas, appeal):
    with pytest.raises(ValidationError, match="诉求未超期"):
        services.appeal_escalate(actor=personas["township"], appeal=appeal, reason="催办")
    with pytest.raises(ValidationError, match="请填写升级原因"):
        services.appeal_escalate(actor=personas["township"], appeal=appeal, reason="")


def test_overdue_escalates_to_the_unit_above_once_a_day(personas, appeal, django_capture_on_commit_callbacks):
    later = at(2099, 1, 5, 10, 0)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.appeals_escalate_overdue(now=later)
    assert result["escalated"] == 1
    appeal.refresh_from_db()
    assert appeal.unit.name == "东湖区委两新工委" and appeal.escalation_level == 1
    event = TimelineEvent.objects.get(object_id=str(appeal.pk), transition="escalate")
    assert "超过受理时限" in event.note and event.actor_name == "系统"
    assert services.appeals_escalate_overdue(now=later)["escalated"] == 0  # idempotent: a fresh deadline
    assert Notification.objects.filter(recipient=personas["county"], title__contains="升级").exists()


def test_escalate_at_the_top_refused(personas, appeal):
    from sanxin.appeals.models import Appeal

    province = Unit.objects.get(name="江西省委社会工作部")
    Appeal.objects.filter(pk=appeal.pk).update(unit=province)
    appeal.refresh_from_db()
    with pytest.raises(ValidationError, match="已是最高一级"):
        services.appeal_escalate(actor=None, appeal=appeal, reason="超期", now=at(2099, 1, 5, 10, 0))


def test_routing_most_specific_prefix_wins(personas):
    county_unit = personas["county"].unit
    community_unit = personas["community"].unit
    services.routing_rule_save(actor=personas["county"], region="360102", category="", unit=county_unit)
    services.routing_rule_save(actor=personas["county"], region="360102002001", category="wages", unit=community_unit)
    assert raise_appeal(personas["worker"]).unit == county_unit  # the county-wide rule beats the default
    assert raise_appeal(personas["worker"], category="wages").unit == community_unit
    rule = RoutingRule.objects.get(region_id="360102", category="")
    services.routing_rule_save(actor=personas["county"], rule=rule, region="360102", category="", unit=personas["township"].unit)
    event = AuditEvent.objects.filter(action="routing_rule_save").order_by("-id").first()
    assert event.detail["changes"]["unit"] == {"old": county_unit.pk, "new": personas["township"].unit.pk} or "unit" in str(event.detail)


def test_routing_rule_outside_refused(personas):
    with pytest.raises(ValidationError, match="不在本单位管辖范围内"):
        services.routing_rule_save(actor=personas["county"], region="360103", unit=personas["county"].unit)
    with pytest.raises(PermissionDenied):
        services.routing_rule_save(actor=personas["township"], region="360102002", unit=personas["township"].unit)


def test_client_key_exactly_once(personas, platform):
    key = "3f2b8c1e-0d1a-4c5e-9b7a-2e4f6a8b0c1d"
    first = raise_appeal(personas["worker"], client_key=key)
    second = raise_appeal(personas["worker"], client_key=key)
    assert first.pk == second.pk


def test_bad_input_refused_by_field(personas):
    with pytest.raises(ValidationError) as caught:
        raise_appeal(personas["worker"], category="", text="", place="", region="99")
    assert set(caught.value.message_dict) >= {"category", "text", "place", "region"}
    with pytest.raises(ValidationError, match="最多 2000 个字"):
        raise_appeal(personas["worker"], text="长" * 2001)
    with pytest.raises(ValidationError, match="纬度须在中国境内"):
        raise_appeal(personas["worker"], longitude="115.9", latitude="99")


def test_support_counts_without_a_new_appeal(personas, appeal, other_worker):
    from sanxin.accounts.models import User
    from sanxin.accounts.services import grant_initial_roles
    from sanxin.appeals.models import Appeal

    other = User.objects.create(username="w2")
    grant_initial_roles(user=other, roles=["worker"])
    other_worker.user = other
    other_worker.save()
    services.appeal_support(actor=other, appeal=appeal)
    services.appeal_support(actor=other, appeal=appeal)  # once
    assert appeal.supporters.count() == 1 and Appeal.objects.count() == 1
    with pytest.raises(ValidationError, match="本人提出"):
        services.appeal_support(actor=personas["worker"], appeal=appeal)


def test_anonymise_for_worker(personas, appeal, worker):
    services.appeal_anonymise_for_worker(worker)
    appeal.refresh_from_db()
    assert appeal.worker is None and "已注销" in appeal.text


def test_the_workers_erased_event_anonymises(personas, appeal, worker):
    from sanxin.core.events import publish

    publish("workers.erased", worker=worker)
    appeal.refresh_from_db()
    assert appeal.worker is None


def test_a_worker_who_deletes_their_data_leaves_their_appeals_anonymised(personas, appeal):
    """The workers app's own deletion reaches the appeals through the event, in one transaction."""
    from sanxin.workers.services import worker_delete_self

    worker_delete_self(actor=personas["worker"])
    appeal.refresh_from_db()
    assert appeal.worker is None and "已注销" in appeal.text


def test_a_rated_not_satisfied_appeal_left_alone_closes(personas, appeal):
    appeal = _resolved(personas, appeal)
    appeal = services.appeal_rate(actor=personas["worker"], appeal=appeal, rating=Rating.UNSATISFIED)
    assert services.appeals_close_rated(now=appeal.rated_at)["closed"] == 0
    assert services.appeals_close_rated(now=at(2099, 1, 1, 9, 0))["closed"] == 1
    appeal.refresh_from_db()
    assert appeal.status == AppealStatus.CLOSED


def test_full_width_region_is_read(personas):
    assert raise_appeal(personas["worker"], region="３６０１０２００２００１").region_id == "360102002001"


def test_appeal_positions_are_demand_points_of_the_circle_in_scope(personas):
    """An appeal raised with a position adds a demand point to the 15-minute circle of whoever sees the appeal."""
    from sanxin.stations.circle import circle_for

    raise_appeal(personas["worker"], longitude="115.9012", latitude="28.6801")
    raise_appeal(personas["worker"])  # no position: no demand point, none invented
    sources = [(d.source, d.label) for d in circle_for(personas["county"]).demand]
    assert sources == [("appeal", "从业人员诉求位置")]
    assert circle_for(personas["other_county"]).demand == []
