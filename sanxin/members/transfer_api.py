"""Relation transfers (组织关系转接) over the API: the list (direction and state filters), one transfer, a new one
and a POST per step, through sanxin.members.transfers as the pages; the member's numbers masked."""

from __future__ import annotations

from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from sanxin.core.api_schemas import TEXT_VALUE, Day, Limit, Offset, QueryText, list_response, responses
from sanxin.core.guards import require
from sanxin.members import selectors, transfers
from sanxin.members.models import Transfer, TransferState
from sanxin.members.workflow import TRANSFER
from sanxin.orgs.api import MAX_COUNT, Choice, choices_text
from sanxin.party.models import PartyOrganization, PartyOrgStatus

router = Router(tags=["组织关系转接"])


class Side(Schema):
    id: int
    name: str
    region: str = Field(description="所在地区代码")
    region_name: str


class TransferMember(Schema):
    id: int
    name: str = Field(description="姓名")
    gender: str
    id_number: str = Field(description="公民身份号码（脱敏）")
    phone: str = Field(description="手机号码（脱敏）")
    joined_on: Day
    status: str


class TransferOut(Schema):
    id: int
    member: TransferMember = Field(description="党员（脱敏；接收方在完成前不能查看党员详情）")
    from_organization: Side = Field(description="转出党组织")
    to_organization: Side = Field(description="接收党组织")
    state: str = Field(description=f"状态：{choices_text(TransferState.choices)}")
    state_label: str
    letter_number: str = Field(description="介绍信编号")
    reason: str = Field(description="转接原因")
    initiated_on: Day
    valid_until: Day = Field(description="介绍信有效期至")
    accepted_on: Day | None
    rejected_on: Day | None
    reject_reason: str
    completed_on: Day | None
    cancelled_on: Day | None


class TransferList(Schema):
    items: list[TransferOut]
    count: int = Field(description="符合条件的总条数")


def _side(org) -> dict:
    return {"id": org.pk, "name": org.name, "region": org.region_id, "region_name": org.region.full_name}


def transfer_row(t: Transfer) -> dict:
    m = t.member
    return {
        "id": t.pk,
        "member": {
            "id": m.pk,
            "name": m.name,
            "gender": m.gender,
            "id_number": m.id_number_masked,
            "phone": m.phone_masked,
            "joined_on": m.joined_on,
            "status": m.status,
        },
        "from_organization": _side(t.from_organization),
        "to_organization": _side(t.to_organization),
        "state": t.state,
        "state_label": t.get_state_display(),
        "letter_number": t.letter_number,
        "reason": t.reason,
        "initiated_on": t.initiated_on,
        "valid_until": t.valid_until,
        "accepted_on": t.accepted_on,
        "rejected_on": t.rejected_on,
        "reject_reason": t.reject_reason,
        "completed_on": t.completed_on,
        "cancelled_on": t.cancelled_on,
    }


Direction = Annotated[Literal["", "out", "in"], Query(description="out 转出（本方为转出党组织）；in 转入（本方为接收党组织）；空为全部")]


@router.get("", response=responses({200: TransferList}), summary="组织关系转接（转出和转入两方均可见）")
def list_transfers(
    request,
    direction: Direction = "",
    state: Choice(TransferState.choices, "状态") = "",
    q: QueryText("党员姓名或介绍信编号（包含）", "张") = "",
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    if not request.auth.can("members.view"):
        raise Http404
    found = transfers.transfer_list(user=request.auth, direction=direction, state=state, q=q).order_by("-initiated_on", "-pk")
    return list_response([transfer_row(t) for t in found[offset : offset + limit]], found.count())


@router.get("/{transfer_id}", response=responses({200: TransferOut}), summary="单个组织关系转接")
def get_transfer(request, transfer_id: int):
    return transfer_row(transfers.access_transfer(transfer_id, user=request.auth))


class TransferIn(Schema):
    model_config = ConfigDict(extra="forbid")

    member: int = Field(ge=1, le=MAX_COUNT, description="党员编号（须在您可维护的党组织中）")
    to_organization: int = Field(ge=1, le=MAX_COUNT, description="接收党组织编号（平台上任一未撤销的党组织）")
    letter_number: str = Field(min_length=1, max_length=50, pattern=TEXT_VALUE, description="介绍信编号")
    valid_until: Day = Field(description="介绍信有效期至（今天起不超过 180 天）")
    reason: str = Field("", max_length=200, pattern=TEXT_VALUE, description="转接原因")


@router.post("", response=responses({201: TransferOut}, refusals=(403,)), summary="发起组织关系转接")
def create_transfer(request, payload: TransferIn):
    """As the 发起转接 page: the member must be where you keep members (else 404); one open transfer per member."""
    user = request.auth
    require(user, "members.manage")
    member = selectors.access_member(payload.member, user=user, for_write=True)
    destination = PartyOrganization.objects.filter(pk=payload.to_organization, status=PartyOrgStatus.ACTIVE).first()
    if destination is None:
        raise ValidationError({"to_organization": f"接收党组织编号“{payload.to_organization}”不存在或已撤销"})
    transfer = transfers.transfer_initiate(
        actor=user,
        member=member,
        to_organization=destination,
        letter_number=payload.letter_number,
        valid_until=payload.valid_until,
        reason=payload.reason,
    )
    return Status(201, transfer_row(transfers.access_transfer(transfer.pk, user=user)))


class TransferStepIn(Schema):
    model_config = ConfigDict(extra="forbid")

    note: str = Field("", max_length=500, pattern=TEXT_VALUE, description="说明；退回时为退回原因（必填）")


STEP = responses({200: TransferOut}, refusals=(403,))


def _step(request, transfer_id: int, name: str, payload: TransferStepIn) -> dict:
    transfer = transfers.access_transfer(transfer_id, user=request.auth, for_write=True)
    transfers.STEP_SERVICES[name](actor=request.auth, transfer=transfer, note=payload.note)
    return transfer_row(transfers.access_transfer(transfer_id, user=request.auth))


@router.post("/{transfer_id}/accept", response=STEP, summary=TRANSFER.by_name["accept"].label)
def transfer_accept(request, transfer_id: int, payload: TransferStepIn):
    """接收方办理；须为已发起。"""
    return _step(request, transfer_id, "accept", payload)


@router.post("/{transfer_id}/reject", response=STEP, summary=TRANSFER.by_name["reject"].label)
def transfer_reject(request, transfer_id: int, payload: TransferStepIn):
    """接收方办理，须填写退回原因；已发起或已接收时可退回。"""
    return _step(request, transfer_id, "reject", payload)


@router.post("/{transfer_id}/complete", response=STEP, summary=TRANSFER.by_name["complete"].label)
def transfer_complete(request, transfer_id: int, payload: TransferStepIn):
    """接收方确认党员持介绍信报到（有效期内）；党员编入接收党组织，组织关系在本组织。"""
    return _step(request, transfer_id, "complete", payload)


@router.post("/{transfer_id}/cancel", response=STEP, summary=TRANSFER.by_name["cancel"].label)
def transfer_cancel(request, transfer_id: int, payload: TransferStepIn):
    """转出方在接收方答复前撤销。"""
    return _step(request, transfer_id, "cancel", payload)
