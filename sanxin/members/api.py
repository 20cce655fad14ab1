"""Party members over the API: the list page's filters, one member, new and edited ones.

Reads go through sanxin.members.selectors, writes through sanxin.members.services, as the pages do; the ID number
and the phone are answered masked only (their full display is a page action, audited).
"""

from __future__ import annotations

from typing import Literal

from django.http import Http404
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from sanxin.core.api_schemas import TEXT_VALUE, Day, Limit, Offset, QueryText, list_response, responses
from sanxin.core.guards import require
from sanxin.core.scope import scoped
from sanxin.core.text import normalize_code
from sanxin.members import selectors, services
from sanxin.members.forms import MemberForm
from sanxin.members.models import Education, Gender, Member, MemberStatus, RelationMode
from sanxin.orgs.api import MAX_COUNT, Choice, choices_text, form_value, in_queryset, resolved
from sanxin.orgs.models import Organization

router = Router(tags=["党员"])


class Ref(Schema):
    id: int
    name: str


class MemberOut(Schema):
    id: int
    name: str = Field(description="姓名")
    gender: str = Field(description=f"性别：{choices_text(Gender.choices)}")
    birth_date: Day = Field(description="出生日期")
    ethnicity: str = Field(description="民族")
    education: str = Field(description=f"学历：{choices_text(Education.choices)}；空为未填")
    id_number: str = Field(description="公民身份号码（脱敏）")
    phone: str = Field(description="手机号码（脱敏）")
    joined_on: Day = Field(description="入党日期")
    status: str = Field(description=f"党员状态：{choices_text(MemberStatus.choices)}")
    status_label: str
    relation_mode: str = Field(description=f"组织关系情况：{choices_text(RelationMode.choices)}")
    relation_mode_label: str
    occupation: str = Field(description="职业")
    party_organization: Ref = Field(description="所在党组织")
    region: str = Field(description="所在地区（党组织所在地的区划代码）")
    region_name: str
    employer: str | None = Field(description="工作单位的统一社会信用代码；不在您数据范围内的不显示")


class MemberList(Schema):
    items: list[MemberOut]
    count: int = Field(description="符合条件的总条数")


# What a row reads: the list page's columns and the employer's code.
ROW_FIELDS = (
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "id_number",
    "phone",
    "joined_on",
    "status",
    "relation_mode",
    "occupation",
    "employer_id",
    "party_organization__name",
    "party_organization__region__full_name",
)


def member_row(member: Member, *, employer_code: str | None) -> dict:
    """MemberOut of one member; the personal numbers masked."""
    return {
        "id": member.pk,
        "name": member.name,
        "gender": member.gender,
        "birth_date": member.birth_date,
        "ethnicity": member.ethnicity,
        "education": member.education,
        "id_number": member.id_number_masked,
        "phone": member.phone_masked,
        "joined_on": member.joined_on,
        "status": member.status,
        "status_label": member.get_status_display(),
        "relation_mode": member.relation_mode,
        "relation_mode_label": member.get_relation_mode_display(),
        "occupation": member.occupation,
        "party_organization": {"id": member.party_organization_id, "name": member.party_organization.name},
        "region": member.party_organization.region_id,
        "region_name": member.party_organization.region.full_name,
        "employer": employer_code,
    }


def member_rows(members, user) -> list[dict]:
    """The rows of a page of members, with the codes of the employers the caller may see (one query)."""
    members = list(members)
    ids = {m.employer_id for m in members if m.employer_id}
    codes = dict(scoped(Organization.objects.filter(pk__in=ids), user).values_list("pk", "credit_code")) if ids else {}
    return [member_row(m, employer_code=codes.get(m.employer_id)) for m in members]


@router.get("", response=responses({200: MemberList}), summary="党员名册（按数据权限，与名册页相同的筛选）")
def list_members(
    request,
    q: QueryText("姓名（包含）", "张") = "",
    region: QueryText("所在地区代码（含下级）", "360102") = "",
    party_org: int | None = None,
    status: Choice(MemberStatus.choices, "党员状态") = "",
    relation: Choice(RelationMode.choices, "组织关系情况") = "",
    occupation: QueryText("职业（包含）", "快递") = "",
    lost: bool = False,
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    """The same filters as the list page, ordered by Party organization and name. `party_org` is a Party
    organization's number; `lost=true` lists the members who lost contact."""
    if not request.auth.can("members.view"):
        raise Http404
    if party_org is not None and not 0 < party_org <= MAX_COUNT:
        party_org = 0
    found = selectors.member_list(
        user=request.auth,
        q=q,
        region=normalize_code(region),
        party_org="" if party_org is None else party_org,
        status=status,
        relation=relation,
        occupation=occupation,
        lost="1" if lost else "",
    ).order_by("party_organization_id", "name", "pk")
    page = found.only(*ROW_FIELDS)[offset : offset + limit]
    return list_response(member_rows(page, request.auth), found.count())


@router.get("/{member_id}", response=responses({200: MemberOut}), summary="单个党员（身份证号码、手机号码脱敏）")
def get_member(request, member_id: int):
    return member_rows([selectors.access_member(member_id, user=request.auth)], request.auth)[0]


GenderCode = Literal[tuple(Gender.values)]
EducationCode = Literal[("", *Education.values)]
StatusCode = Literal[tuple(MemberStatus.values)]
RelationCode = Literal[tuple(RelationMode.values)]
PartyOrgId = Field(ge=1, le=MAX_COUNT, description="所在党组织编号（须是您可维护的党组织）")


class MemberIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=50, pattern=TEXT_VALUE, description="姓名")
    gender: GenderCode = Field(description=f"性别：{choices_text(Gender.choices)}；须与身份证号码一致")
    id_number: str = Field(max_length=30, pattern=TEXT_VALUE, description="公民身份号码（18 位，校验位须正确）")
    birth_date: Day | None = Field(None, description="出生日期；空则按身份证号码，填写的须与之一致；须年满 18 周岁")
    ethnicity: str = Field("汉族", max_length=20, pattern=TEXT_VALUE, description="民族")
    education: EducationCode = Field("", description=f"学历：{choices_text(Education.choices)}")
    phone: str = Field("", max_length=20, pattern=TEXT_VALUE, description="手机号码（11 位大陆手机号）")
    joined_on: Day = Field(description="入党日期，不能晚于今天")
    status: StatusCode = Field(description=f"党员状态：{choices_text(MemberStatus.choices)}")
    party_organization: int = PartyOrgId
    relation_mode: RelationCode = Field(RelationMode.LOCAL, description=f"组织关系情况：{choices_text(RelationMode.choices)}")
    occupation: str = Field("", max_length=50, pattern=TEXT_VALUE, description="职业")
    employer: str | None = Field(None, max_length=30, pattern=TEXT_VALUE, description="工作单位的统一社会信用代码（须在您的数据范围内）")


class MemberPatch(Schema):
    """Only the fields given change."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(None, min_length=1, max_length=50, pattern=TEXT_VALUE, description="姓名")
    gender: GenderCode = Field(None, description="性别")
    id_number: str = Field(None, max_length=30, pattern=TEXT_VALUE, description="公民身份号码")
    birth_date: Day = Field(None, description="出生日期")
    ethnicity: str = Field(None, max_length=20, pattern=TEXT_VALUE, description="民族")
    education: EducationCode = Field(None, description="学历")
    phone: str = Field(None, max_length=20, pattern=TEXT_VALUE, description="手机号码；空字符串为清除")
    joined_on: Day = Field(None, description="入党日期")
    status: StatusCode = Field(None, description="党员状态")
    party_organization: int = Field(None, ge=1, le=MAX_COUNT, description="所在党组织编号")
    relation_mode: RelationCode = Field(None, description="组织关系情况")
    occupation: str = Field(None, max_length=50, pattern=TEXT_VALUE, description="职业")
    employer: str | None = Field(None, max_length=30, pattern=TEXT_VALUE, description="工作单位的统一社会信用代码；null 为清除")


def _fields(form, data: dict) -> dict:
    resolvers = {
        "party_organization": lambda pk: in_queryset(form, "party_organization", pk, key="pk", label="党组织编号"),
        "employer": lambda code: form_value(form, "employer", code or ""),
    }
    return resolved(form, data, resolvers)


@router.post("", response=responses({201: MemberOut}, refusals=(403,)), summary="登记党员")
def create_member(request, payload: MemberIn):
    """As the 登记党员 page: every rule of a member record, the Party organization one you may keep."""
    user = request.auth
    require(user, "members.manage")
    member = services.member_create(actor=user, **_fields(MemberForm(user=user), payload.dict()))
    return Status(201, member_rows([member], user)[0])


@router.patch("/{member_id}", response=responses({200: MemberOut}, refusals=(403,)), summary="修改党员信息")
def update_member(request, member_id: int, payload: MemberPatch):
    """As the edit page, for the fields given; only where the member's Party organization sits (else 404)."""
    user = request.auth
    member = selectors.access_member(member_id, user=user, for_write=True)
    changes = payload.dict(exclude_unset=True)
    for name in ("name", "gender", "id_number", "birth_date", "ethnicity", "joined_on", "status", "party_organization", "relation_mode"):
        if name in changes and changes[name] is None:
            changes.pop(name)  # a required field cannot be cleared: null leaves it as it is
    member = services.member_update(actor=user, member=member, **_fields(MemberForm(user=user), changes))
    return member_rows([member], user)[0]
