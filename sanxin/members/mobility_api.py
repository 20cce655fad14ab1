"""流动党员 over the API: registrations (list with counts, one, outflow/inflow, end) and lost contact (mark, recover)
through sanxin.members.mobility, as the pages; contact phones masked."""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from sanxin.core.api_schemas import TEXT_VALUE, Day, Limit, Offset, QueryText, responses
from sanxin.members import identity, mobility, selectors
from sanxin.members.models import MobileDirection, MobileRegistration, RelationMode
from sanxin.orgs.api import MAX_COUNT, Choice, choices_text

router = Router(tags=["流动党员"])


class Ref(Schema):
    id: int
    name: str


class RegistrationOut(Schema):
    id: int
    member: Ref = Field(description="党员")
    party_organization: Ref = Field(description="党员所在党组织")
    direction: str = Field(description=f"流动方向：{choices_text(MobileDirection.choices)}")
    direction_label: str
    destination: str = Field(description="流入地（流出登记）")
    destination_organization: Ref | None = Field(description="流入地党组织（在本平台上的）")
    home_organization: str = Field(description="组织关系所在党组织（流入登记）")
    starts_on: Day = Field(description="流动开始日期")
    ends_on: Day | None = Field(description="流动结束日期（未定为空）")
    contact: str = Field(description="流动期间联系电话（脱敏）")
    note: str


class Counts(Schema):
    outflow: int = Field(description="流出党员（流动期未结束）")
    inflow: int = Field(description="流入党员（流动期未结束）")
    lost: int = Field(description="失联党员")


class RegistrationList(Schema):
    items: list[RegistrationOut]
    count: int = Field(description="符合条件的总条数")
    counts: Counts


def registration_row(g: MobileRegistration) -> dict:
    org = g.member.party_organization
    target = g.destination_organization
    return {
        "id": g.pk,
        "member": {"id": g.member_id, "name": g.member.name},
        "party_organization": {"id": org.pk, "name": org.name},
        "direction": g.direction,
        "direction_label": g.get_direction_display(),
        "destination": g.destination,
        "destination_organization": {"id": target.pk, "name": target.name} if target else None,
        "home_organization": g.home_organization,
        "starts_on": g.starts_on,
        "ends_on": g.ends_on,
        "contact": g.contact_masked,
        "note": g.note,
    }


@router.get("", response=responses({200: RegistrationList}), summary="流动党员登记（按数据权限；流出、流入、失联人数）")
def list_mobile_registrations(
    request,
    direction: Choice(MobileDirection.choices, "流动方向") = "",
    q: QueryText("党员姓名（包含）", "张") = "",
    ended: bool = False,
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    """`ended=true` lists every period, ended ones too (the history); by default only those not yet over."""
    user = request.auth
    if not user.can("members.view"):
        raise Http404
    found = mobility.mobile_registration_list(user=user, direction=direction, q=q, active=not ended).order_by("-starts_on", "-pk")
    rows = [registration_row(g) for g in found[offset : offset + limit]]
    return {"items": rows, "count": found.count(), "counts": mobility.mobile_counts(user=user)}


@router.get("/{registration_id}", response=responses({200: RegistrationOut}), summary="单个流动党员登记")
def get_mobile_registration(request, registration_id: int):
    return registration_row(mobility.access_mobile_registration(registration_id, user=request.auth))


class RegistrationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    member: int = Field(ge=1, le=MAX_COUNT, description="党员编号（须在您管辖的党组织）")
    direction: Literal[tuple(MobileDirection.values)] = Field(description=f"流动方向：{choices_text(MobileDirection.choices)}")
    destination: str = Field("", max_length=200, pattern=TEXT_VALUE, description="流入地（流出时填写，或填流入地党组织）")
    destination_organization: int | None = Field(None, ge=1, le=MAX_COUNT, description="流入地党组织编号（流出时，在本平台上的）")
    home_organization: str = Field("", max_length=200, pattern=TEXT_VALUE, description="组织关系所在党组织（流入时必填）")
    starts_on: Day = Field(description="流动开始日期")
    ends_on: Day | None = Field(None, description="流动结束日期（预计），不能早于开始日期")
    contact: str = Field("", max_length=20, pattern=TEXT_VALUE, description="流动期间联系电话")
    note: str = Field("", max_length=500, pattern=TEXT_VALUE, description="说明")


WRITE = responses({201: RegistrationOut}, refusals=(403,))


@router.post("", response=WRITE, summary="登记流出或流入")
def create_mobile_registration(request, payload: RegistrationIn):
    user = request.auth
    member = selectors.access_member(payload.member, user=user, for_write=True)
    data = payload.dict()
    common = {k: data[k] for k in ("starts_on", "ends_on", "contact", "note")}
    if payload.direction == MobileDirection.OUTFLOW:
        target = None
        if payload.destination_organization is not None:
            target = identity.report_target(payload.destination_organization)
            if target is None:
                raise ValidationError({"destination_organization": f"党组织编号“{payload.destination_organization}”不存在或已撤销"})
        registration = mobility.mobile_outflow_register(
            actor=user, member=member, destination=payload.destination, destination_organization=target, **common
        )
    else:
        registration = mobility.mobile_inflow_register(actor=user, member=member, home_organization=payload.home_organization, **common)
    return Status(201, registration_row(mobility.access_mobile_registration(registration.pk, user=user)))


class EndIn(Schema):
    model_config = ConfigDict(extra="forbid")

    ends_on: Day = Field(description="结束日期，不能早于开始日期、不能晚于今天")
    note: str = Field("", max_length=500, pattern=TEXT_VALUE, description="说明")


@router.post("/{registration_id}/end", response=responses({200: RegistrationOut}, refusals=(403,)), summary="结束流动登记")
def end_mobile_registration(request, registration_id: int, payload: EndIn):
    user = request.auth
    registration = mobility.access_mobile_registration(registration_id, user=user, for_write=True)
    mobility.mobile_registration_end(actor=user, registration=registration, ends_on=payload.ends_on, note=payload.note)
    return registration_row(mobility.access_mobile_registration(registration_id, user=user))


class MemberModeOut(Schema):
    id: int
    name: str
    relation_mode: str = Field(description=f"组织关系情况：{choices_text(RelationMode.choices)}")
    relation_mode_label: str


class LostIn(Schema):
    model_config = ConfigDict(extra="forbid")

    on: Day = Field(description="失联日期，不能晚于今天")
    reason: str = Field("", max_length=500, pattern=TEXT_VALUE, description="失联原因（必填）")


class RecoverIn(Schema):
    model_config = ConfigDict(extra="forbid")

    on: Day = Field(description="恢复联系日期，不能早于失联日期")
    note: str = Field("", max_length=500, pattern=TEXT_VALUE, description="情况说明（必填）")


MODE = responses({200: MemberModeOut}, refusals=(403,))


def _mode(member) -> dict:
    return {
        "id": member.pk,
        "name": member.name,
        "relation_mode": member.relation_mode,
        "relation_mode_label": member.get_relation_mode_display(),
    }


@router.post("/members/{member_id}/lost", response=MODE, summary="标记失联党员")
def mark_member_lost(request, member_id: int, payload: LostIn):
    user = request.auth
    member = selectors.access_member(member_id, user=user, for_write=True)
    mobility.member_mark_lost(actor=user, member=member, on=payload.on, reason=payload.reason)
    return _mode(selectors.access_member(member_id, user=user))


@router.post("/members/{member_id}/recover", response=MODE, summary="失联党员恢复联系")
def recover_member(request, member_id: int, payload: RecoverIn):
    """恢复到失联前的组织关系情况。"""
    user = request.auth
    member = selectors.access_member(member_id, user=user, for_write=True)
    mobility.member_recover(actor=user, member=member, on=payload.on, note=payload.note)
    return _mode(selectors.access_member(member_id, user=user))
