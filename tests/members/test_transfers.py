"""Relation transfers (组织关系转接): each rule broken is refused with its Chinese reason and writes nothing; the
allowed steps move the state, leave a timeline and an audit event, and completion moves the member to the
receiving Party organization through the member services. Both sides see the transfer; nobody else does."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.test import Client
from django.utils import timezone

from sanxin.accounts.models import Unit, UnitKind
from sanxin.accounts.services import grant_initial_roles, user_create
from sanxin.core.guards import Refused
from sanxin.core.models import AuditEvent, TimelineEvent
from sanxin.core.roles import Role
from sanxin.members.models import Member, RelationMode, Transfer, TransferState
from sanxin.members.selectors import access_member
from sanxin.members.transfers import (
    access_transfer,
    destination_suggestions,
    transfer_accept,
    transfer_cancel,
    transfer_complete,
    transfer_initiate,
    transfer_list,
    transfer_reject,
    transfer_steps,
)
from sanxin.regions.models import Region
from tests.conftest import PASSWORD, verify_session
from tests.members_factories import make_member
from tests.orgs_factories import party_org

TODAY = timezone.localdate()
VALID = TODAY + timedelta(days=90)


def make_city_user(username="jiujiang", unit_name="九江市委社会工作部", region="3604"):
    """Staff of another city (九江市), where the receiving Party organization is."""
    unit = Unit.objects.create(name=unit_name, kind=UnitKind.SOCIAL_WORK_DEPT, region_id=region)
    user = user_create(actor=None, username=username, full_name=f"测试{username}", unit=unit, password=PASSWORD, must_change_password=False)
    grant_initial_roles(user=user, roles=[Role.REGION_STAFF])
    return user


def client_of(user) -> Client:
    client = Client()
    client.force_login(user)
    verify_session(client, user)
    return client


@pytest.fixture
def jiujiang(personas):
    return make_city_user()


@pytest.fixture
def branch(personas):
    return party_org(personas["county"], name="滕王阁快递外卖联合党支部")


@pytest.fixture
def receiving(personas):
    return party_org(None, name="浔阳区快递物流联合党支部", region=Region.objects.get(code="360403001"))


@pytest.fixture
def member(personas, branch):
    return make_member(personas["county"], branch, name="转接党员", relation_mode=RelationMode.MOBILE)


def initiate(actor, member, receiving, **fields):
    data = {"to_organization": receiving, "letter_number": "赣组转〔2026〕12号", "valid_until": VALID, "reason": "工作调动"}
    return transfer_initiate(actor=actor, member=member, **(data | fields))


def writes() -> tuple[int, int, int, int]:
    return (
        Transfer.objects.count(),
        TimelineEvent.objects.count(),
        AuditEvent.objects.filter(action__startswith="transfer_").count(),
        AuditEvent.objects.filter(action="member_update").count(),
    )


def refused(call, reason: str, transfer: Transfer | None = None, error_type=ValidationError) -> None:
    before = writes()
    state = Transfer.objects.get(pk=transfer.pk).state if transfer is not None else None
    with pytest.raises(error_type) as error:
        call()
    messages = " ".join(error.value.messages) if isinstance(error.value, ValidationError) else str(error.value)
    assert reason in messages, messages
    assert writes() == before
    if transfer is not None:
        transfer.refresh_from_db()
        assert transfer.state == state


def test_initiated_accepted_completed_moves_the_member(personas, jiujiang, branch, receiving, member):
    county = personas["county"]
    transfer = initiate(county, member, receiving)
    assert (transfer.state, transfer.from_organization, transfer.initiated_on) == (TransferState.INITIATED, branch, TODAY)
    transfer = transfer_accept(actor=jiujiang, transfer=transfer)
    assert (transfer.state, transfer.accepted_on) == (TransferState.ACCEPTED, TODAY)
    transfer = transfer_complete(actor=jiujiang, transfer=transfer, note="已持介绍信报到")
    assert (transfer.state, transfer.completed_on) == (TransferState.COMPLETED, TODAY)
    member.refresh_from_db()
    assert (member.party_organization, member.relation_mode) == (receiving, RelationMode.LOCAL)
    labels = [e.label for e in TimelineEvent.objects.filter(object_type="members.transfer", object_id=str(transfer.pk)).order_by("pk")]
    assert labels == ["发起转接", "同意接收", "确认报到，完成转接"]
    # On the member's own timeline, through member_update (audited with old and new values).
    member_events = TimelineEvent.objects.filter(object_type="members.member", object_id=str(member.pk))
    assert {e.label for e in member_events} >= {"所在党组织变更", "组织关系情况变更"}
    assert member_events.get(label="所在党组织变更").to_state_label == receiving.name
    update = AuditEvent.objects.filter(action="member_update").latest("pk")
    assert update.actor == jiujiang
    assert update.detail["changes"]["party_organization"] == {"old": branch.pk, "new": receiving.pk}
    assert update.detail["changes"]["relation_mode"] == {"old": "mobile", "new": "local"}
    actions = list(AuditEvent.objects.filter(action__startswith="transfer_").order_by("pk").values_list("action", flat=True))
    assert actions == ["transfer_initiate", "transfer_accept", "transfer_complete"]
    assert member.id_number not in " ".join(str(e.detail) for e in AuditEvent.objects.all())


def test_one_open_transfer_per_member_service_and_database(personas, jiujiang, branch, receiving, member):
    county = personas["county"]
    first = initiate(county, member, receiving)
    other = party_org(county, name="滕王阁另一党支部")
    refused(lambda: initiate(county, member, other, letter_number="2"), "已有未办结的组织关系转接（介绍信编号 赣组转〔2026〕12号，已发起）")
    transfer_accept(actor=jiujiang, transfer=first)
    refused(lambda: initiate(county, member, other, letter_number="2"), "已有未办结的组织关系转接")
    # The database holds the rule too, whatever writes the row.
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(
            member=member, from_organization=branch, to_organization=other, letter_number="x", initiated_on=TODAY, valid_until=VALID
        )
    # Returned, it is closed: a new one may start.
    transfer_reject(actor=jiujiang, transfer=first, note="查无此人报到")
    assert initiate(county, member, other, letter_number="2").state == TransferState.INITIATED


def test_the_database_refuses_a_transfer_to_the_same_organization(branch, member):
    with pytest.raises(IntegrityError), transaction.atomic():
        Transfer.objects.create(
            member=member, from_organization=branch, to_organization=branch, letter_number="x", initiated_on=TODAY, valid_until=VALID
        )


def test_no_transfer_to_the_members_own_organization(personas, branch, member):
    refused(lambda: initiate(personas["county"], member, branch), "接收党组织不能是党员当前所在的党组织")


def test_a_lost_member_is_recovered_before_a_transfer(personas, receiving, member):
    """Completing a transfer sets the relation here (组织关系在本组织), which only member_recover may do for a lost member."""
    from sanxin.members.mobility import member_mark_lost

    member_mark_lost(actor=personas["county"], member=member, on=TODAY, reason="电话停机")
    refused(lambda: initiate(personas["county"], member, receiving), "已标记为失联，须先在其“流动情况”页恢复联系，再发起组织关系转接")


def test_letter_number_validity_and_a_dissolved_destination_are_checked(personas, receiving, member):
    county = personas["county"]
    refused(lambda: initiate(county, member, receiving, letter_number="  "), "请填写介绍信编号")
    refused(lambda: initiate(county, member, receiving, valid_until=TODAY - timedelta(days=1)), "介绍信有效期不能早于今天")
    refused(lambda: initiate(county, member, receiving, valid_until=TODAY + timedelta(days=181)), "介绍信有效期不超过 180 天")
    receiving.status = "dissolved"
    receiving.save()
    refused(lambda: initiate(county, member, receiving), "已撤销，不能接收组织关系")


def test_only_the_sending_side_initiates(personas, jiujiang, receiving, member):
    refused(lambda: initiate(jiujiang, member, receiving), "只有党员所在党组织（滕王阁快递外卖联合党支部）方可发起转接")
    # The community sees the branch only if it sits there; the other county keeps none of it.
    refused(lambda: initiate(personas["other_county"], member, receiving), "只有党员所在党组织")
    refused(lambda: initiate(personas["instructor"], member, receiving), "无权执行此操作", error_type=Refused)


def test_only_the_receiving_side_accepts_rejects_and_completes(personas, jiujiang, receiving, member):
    county = personas["county"]
    transfer = initiate(county, member, receiving)
    refused(lambda: transfer_accept(actor=county, transfer=transfer), "只有接收党组织（浔阳区快递物流联合党支部）方可办理此步骤", transfer)
    refused(lambda: transfer_reject(actor=county, transfer=transfer, note="不要了"), "只有接收党组织", transfer)
    transfer_accept(actor=jiujiang, transfer=transfer)
    refused(lambda: transfer_complete(actor=county, transfer=transfer), "只有接收党组织", transfer)
    member.refresh_from_db()
    assert member.party_organization == transfer.from_organization


def test_only_the_sending_side_cancels_and_only_while_initiated(personas, jiujiang, receiving, member):
    county = personas["county"]
    transfer = initiate(county, member, receiving)
    refused(lambda: transfer_cancel(actor=jiujiang, transfer=transfer), "只有转出党组织（滕王阁快递外卖联合党支部）方可撤销转接", transfer)
    transfer_accept(actor=jiujiang, transfer=transfer)
    refused(lambda: transfer_cancel(actor=county, transfer=transfer), "当前状态为“已接收”，不能撤销转接", transfer)


def test_cancel_while_initiated(personas, receiving, member):
    transfer = transfer_cancel(actor=personas["county"], transfer=initiate(personas["county"], member, receiving))
    assert (transfer.state, transfer.cancelled_on) == (TransferState.CANCELLED, TODAY)
    assert transfer_steps(transfer, personas["county"]) == []


def test_reject_needs_a_reason(personas, jiujiang, receiving, member):
    transfer = initiate(personas["county"], member, receiving)
    refused(lambda: transfer_reject(actor=jiujiang, transfer=transfer, note="  "), "请填写退回原因", transfer)
    transfer = transfer_reject(actor=jiujiang, transfer=transfer, note="本支部不接收该行业党员")
    assert (transfer.state, transfer.rejected_on, transfer.reject_reason) == (TransferState.REJECTED, TODAY, "本支部不接收该行业党员")


def test_steps_only_from_the_right_state(personas, jiujiang, receiving, member):
    transfer = initiate(personas["county"], member, receiving)
    refused(lambda: transfer_complete(actor=jiujiang, transfer=transfer), "当前状态为“已发起”，不能确认报到，完成转接", transfer)
    transfer_reject(actor=jiujiang, transfer=transfer, note="退回")
    refused(lambda: transfer_accept(actor=jiujiang, transfer=transfer), "当前状态为“已退回”，不能同意接收", transfer)
    refused(lambda: transfer_cancel(actor=personas["county"], transfer=transfer), "当前状态为“已退回”，不能撤销转接", transfer)


def test_the_same_step_twice_is_refused_the_second_time(personas, jiujiang, receiving, member):
    transfer = initiate(personas["county"], member, receiving)
    stale = Transfer.objects.get(pk=transfer.pk)  # the page the second click was made on
    transfer_accept(actor=jiujiang, transfer=transfer)
    refused(lambda: transfer_accept(actor=jiujiang, transfer=stale), "当前状态为“已接收”，不能同意接收", transfer)
    transfer_complete(actor=jiujiang, transfer=transfer)
    refused(lambda: transfer_complete(actor=jiujiang, transfer=stale), "当前状态为“已完成”，不能确认报到，完成转接", transfer)


def test_an_expired_letter_cannot_be_completed(personas, jiujiang, receiving, member):
    transfer = transfer_accept(actor=jiujiang, transfer=initiate(personas["county"], member, receiving))
    Transfer.objects.filter(pk=transfer.pk).update(valid_until=TODAY - timedelta(days=1))
    refused(lambda: transfer_complete(actor=jiujiang, transfer=transfer), "介绍信已过有效期", transfer)
    assert transfer_reject(actor=jiujiang, transfer=transfer, note="逾期未报到").state == TransferState.REJECTED


def test_a_member_moved_meanwhile_cannot_be_completed(personas, jiujiang, receiving, member):
    transfer = transfer_accept(actor=jiujiang, transfer=initiate(personas["county"], member, receiving))
    Member.objects.filter(pk=member.pk).update(party_organization=party_org(personas["county"], name="滕王阁第三党支部"))
    refused(lambda: transfer_complete(actor=jiujiang, transfer=transfer), "已不在转出党组织", transfer)


def test_both_sides_see_it_and_nobody_else(personas, jiujiang, receiving, member):
    county = personas["county"]
    transfer = initiate(county, member, receiving)
    assert list(transfer_list(user=county, direction="out")) == [transfer]
    assert list(transfer_list(user=county, direction="in")) == []
    assert list(transfer_list(user=jiujiang, direction="in")) == [transfer]
    assert list(transfer_list(user=jiujiang, direction="out")) == []
    assert access_transfer(transfer.pk, user=jiujiang) == transfer
    for outsider in ("other_county", "outsider", "instructor", "member"):
        assert not transfer_list(user=personas[outsider]).exists(), outsider
        with pytest.raises(Http404):
            access_transfer(transfer.pk, user=personas[outsider])
    # A third county of the receiving city sees nothing either.
    third = make_city_user("lianxi", "濂溪区委两新工委", "360402")
    with pytest.raises(Http404):
        access_transfer(transfer.pk, user=third)
    # The receiving side sees the masked data on the transfer, not the member's page, until completion.
    with pytest.raises(Http404):
        access_member(member.pk, user=jiujiang)
    transfer_complete(actor=jiujiang, transfer=transfer_accept(actor=jiujiang, transfer=transfer))
    assert access_member(member.pk, user=jiujiang) == member
    with pytest.raises(Http404):
        access_member(member.pk, user=county)  # gone from the sending side
    assert access_transfer(transfer.pk, user=county) == transfer  # the record stays with both sides


def test_each_side_is_offered_only_its_own_steps(personas, jiujiang, receiving, member):
    transfer = initiate(personas["county"], member, receiving)
    assert [s.name for s in transfer_steps(transfer, personas["county"])] == ["cancel"]
    assert [s.name for s in transfer_steps(transfer, jiujiang)] == ["accept", "reject"]
    assert [s.name for s in transfer_steps(transfer, personas["city"])] == ["cancel"]  # 南昌 keeps only the sender
    assert transfer_steps(transfer, personas["province"]) and {s.name for s in transfer_steps(transfer, personas["province"])} == {
        "accept",
        "reject",
        "cancel",
    }


def test_destinations_are_searched_across_the_platform(personas, receiving):
    county = personas["county"]
    assert list(destination_suggestions(county, "浔阳", 20)) == [receiving]
    assert list(destination_suggestions(county, "浔", 20)) == []  # two characters at least
    assert list(destination_suggestions(personas["instructor"], "浔阳", 20)) == []
    receiving.status = "dissolved"
    receiving.save()
    assert list(destination_suggestions(county, "浔阳", 20)) == []


@pytest.mark.django_db(transaction=True)
def test_two_initiations_at_once_leave_one_open_transfer(personas, receiving, member):
    """Two clicks in two processes at the same moment (PostgreSQL: real row locks): one transfer, one refusal."""
    import threading

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("行锁并发只在 PostgreSQL 上验证")
    county = personas["county"]
    other = party_org(county, name="滕王阁并发党支部")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def click(destination, number):
        try:
            barrier.wait()
            initiate(county, Member.objects.get(pk=member.pk), destination, letter_number=number)
            outcomes.append("ok")
        except ValidationError as error:
            outcomes.append(" ".join(error.messages))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=click, args=args) for args in ((receiving, "1"), (other, "2"))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(outcomes) == 2 and outcomes.count("ok") == 1, outcomes
    assert "已有未办结的组织关系转接" in next(o for o in outcomes if o != "ok")
    assert Transfer.objects.filter(member=member, state=TransferState.INITIATED).count() == 1
