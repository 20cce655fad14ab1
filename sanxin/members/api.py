"""Party members over the API: the list page's filters, one member, new and edited ones.

Reads go through sanxin.members.selectors, writes through sanxin.members.services, as the pages do; the ID number
and the phone are answered masked only (their full display is a page action, audited).
"""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from sanxin.core.api_schemas import TEXT_VALUE, Day, Limit, Offset, QueryText, list_response, responses
from sanxin.core.guards import require
from sanxin.core.scope import scoped
from sanxin.core.text import normalize_code
from sanxin.members import selectors, services
from sanxin.members.forms import DevelopmentForm, MemberForm
from sanxin.members.models import Development, DevelopmentStage, Education, Gender, Member, MemberStatus, RelationMode
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


# ------------------------------------------------------------------------------------- member development

development_router = Router(tags=["发展党员"])


class StageCount(Schema):
    stage: str
    label: str
    count: int


class DevelopmentOut(Schema):
    id: int
    name: str = Field(description="姓名")
    id_number: str = Field(description="公民身份号码（脱敏）")
    birth_date: Day = Field(description="出生日期（按身份证号码）")
    stage: str = Field(description=f"发展阶段：{choices_text(DevelopmentStage.choices)}")
    stage_label: str
    party_organization: Ref = Field(description="培养党组织")
    recommending_organization: Ref | None = Field(description="推荐党组织（青年人才党支部代为培养时；不在您数据范围内的不显示）")
    applied_on: Day = Field(description="递交入党申请日期")
    activist_on: Day | None = Field(description="确定为入党积极分子日期")
    candidate_on: Day | None = Field(description="列为发展对象日期")
    introducers: list[Ref] = Field(description="入党介绍人")
    publicity_starts_on: Day | None = Field(description="公示开始日期")
    publicity_ends_on: Day | None = Field(description="公示结束日期")
    admitted_on: Day | None = Field(description="接收为预备党员日期")
    full_on: Day | None = Field(description="转为正式党员日期")
    member: int | None = Field(description="接收后的党员编号")


class DevelopmentList(Schema):
    items: list[DevelopmentOut]
    count: int = Field(description="符合条件的总条数")
    stages: list[StageCount] = Field(description="各发展阶段人数（不按阶段筛选时的范围）")


def _ref(org) -> dict | None:
    return {"id": org.pk, "name": org.name} if org is not None else None


def development_row(d: Development, *, seen_orgs: set[int]) -> dict:
    """DevelopmentOut of one record; a recommending Party organization outside the caller's scope is not named."""
    return {
        "id": d.pk,
        "name": d.name,
        "id_number": d.id_number_masked,
        "birth_date": d.birth_date,
        "stage": d.stage,
        "stage_label": d.get_stage_display(),
        "party_organization": _ref(d.party_organization),
        "recommending_organization": _ref(d.recommending_organization) if d.recommending_organization_id in seen_orgs else None,
        "applied_on": d.applied_on,
        "activist_on": d.activist_on,
        "candidate_on": d.candidate_on,
        "introducers": [_ref(m) for m in (d.introducer_1, d.introducer_2) if m is not None],
        "publicity_starts_on": d.publicity_starts_on,
        "publicity_ends_on": d.publicity_ends_on,
        "admitted_on": d.admitted_on,
        "full_on": d.full_on,
        "member": d.member_id,
    }


@development_router.get("", response=responses({200: DevelopmentList}), summary="发展党员（按数据权限；各阶段人数）")
def list_developments(
    request,
    q: QueryText("姓名（包含）", "李") = "",
    party_org: int | None = None,
    stage: Choice(DevelopmentStage.choices, "发展阶段") = "",
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    """As the 发展党员 page: `party_org` is the cultivating Party organization's number."""
    if not request.auth.can("members.view"):
        raise Http404
    if party_org is not None and not 0 < party_org <= MAX_COUNT:
        party_org = 0
    unstaged = selectors.development_list(user=request.auth, q=q, party_org="" if party_org is None else party_org)
    found = (unstaged.filter(stage=stage) if stage else unstaged).select_related("introducer_1", "introducer_2")
    found = found.order_by("party_organization_id", "applied_on", "pk")
    page = list(found[offset : offset + limit])
    seen = selectors.visible_party_org_ids([d.recommending_organization_id for d in page], user=request.auth)
    rows = [development_row(d, seen_orgs=seen) for d in page]
    stages = [{"stage": s, "label": label, "count": n} for s, label, n in selectors.development_stage_counts(unstaged)]
    return {"items": rows, "count": found.count(), "stages": stages}


@development_router.get("/{development_id}", response=responses({200: DevelopmentOut}), summary="单个发展党员")
def get_development(request, development_id: int):
    return _row(selectors.access_development(development_id, user=request.auth), request.auth)


def _row(development: Development, user) -> dict:
    seen = selectors.visible_party_org_ids([development.recommending_organization_id], user=user)
    return development_row(development, seen_orgs=seen)


class DevelopmentIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=50, pattern=TEXT_VALUE, description="姓名")
    id_number: str = Field(max_length=30, pattern=TEXT_VALUE, description="公民身份号码（18 位，校验位须正确）")
    applied_on: Day = Field(description="递交入党申请日期；当日须年满 18 周岁")
    party_organization: int = Field(ge=1, le=MAX_COUNT, description="培养党组织编号（须是您可维护的党组织）")
    recommending_organization: int | None = Field(None, ge=1, le=MAX_COUNT, description="推荐党组织编号（青年人才党支部代为培养时）")


class StepIn(Schema):
    model_config = ConfigDict(extra="forbid")

    on: Day = Field(description="日期，不能晚于今天，不能早于上一阶段的日期")
    note: str = Field("", max_length=500, pattern=TEXT_VALUE, description="说明")


class AdmitIn(StepIn):
    introducer_1: int = Field(ge=1, le=MAX_COUNT, description="入党介绍人一（党员编号，须为正式党员）")
    introducer_2: int = Field(ge=1, le=MAX_COUNT, description="入党介绍人二（党员编号，须为正式党员，不同于介绍人一）")
    publicity_starts_on: Day = Field(description="公示开始日期")
    publicity_ends_on: Day = Field(description="公示结束日期；公示不少于 5 天，须在接收日期之前结束")


@development_router.post("", response=responses({201: DevelopmentOut}, refusals=(403,)), summary="登记入党申请")
def create_development(request, payload: DevelopmentIn):
    user = request.auth
    require(user, "members.manage")
    form = DevelopmentForm(user=user)
    fields = resolved(
        form,
        payload.dict(),
        {
            "party_organization": lambda pk: in_queryset(form, "party_organization", pk, key="pk", label="党组织编号"),
            "recommending_organization": lambda pk: in_queryset(form, "recommending_organization", pk, key="pk", label="党组织编号"),
        },
    )
    development = services.development_create(actor=user, **fields)
    return Status(201, _row(development, user))


STEP = responses({200: DevelopmentOut}, refusals=(403,))


def _step(request, development_id: int, service, payload: StepIn):
    development = selectors.access_development(development_id, user=request.auth, for_write=True)
    service(actor=request.auth, development=development, on=payload.on, note=payload.note)
    return _row(selectors.access_development(development_id, user=request.auth), request.auth)


@development_router.post("/{development_id}/activist", response=STEP, summary="确定为入党积极分子")
def development_activist(request, development_id: int, payload: StepIn):
    return _step(request, development_id, services.development_make_activist, payload)


@development_router.post("/{development_id}/candidate", response=STEP, summary="列为发展对象")
def development_candidate(request, development_id: int, payload: StepIn):
    """须确定为积极分子满一年。"""
    return _step(request, development_id, services.development_make_candidate, payload)


@development_router.post("/{development_id}/admit", response=STEP, summary="接收为预备党员")
def development_admit(request, development_id: int, payload: AdmitIn):
    """两名正式党员作入党介绍人，公示期（不少于 5 天）已结束；接收后登记为预备党员（有推荐党组织的编入推荐党组织）。"""
    user = request.auth
    development = selectors.access_development(development_id, user=user, for_write=True)
    choices = selectors.introducer_choices(development, user=user)
    introducers = []
    for name in ("introducer_1", "introducer_2"):
        pk = getattr(payload, name)
        found = choices.filter(pk=pk).first()
        if found is None:
            raise ValidationError({name: f"党员编号“{pk}”不是培养党组织或推荐党组织中您可见的正式党员"})
        introducers.append(found)
    services.development_admit(
        actor=user,
        development=development,
        on=payload.on,
        note=payload.note,
        introducers=tuple(introducers),
        publicity_starts_on=payload.publicity_starts_on,
        publicity_ends_on=payload.publicity_ends_on,
    )
    return _row(selectors.access_development(development_id, user=user), user)


@development_router.post("/{development_id}/full", response=STEP, summary="转为正式党员")
def development_full(request, development_id: int, payload: StepIn):
    """预备期满一年；党员状态改为正式党员。"""
    return _step(request, development_id, services.development_make_full, payload)
