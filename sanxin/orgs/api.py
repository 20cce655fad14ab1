"""The organization registry over the API: the list page's filters, one organization, new and edited ones.

Reads go through sanxin.orgs.selectors and writes through sanxin.orgs.services, as the pages do. Codes in a
request (region, industry, zone, parent) are looked up by the page form's own fields, bound to the caller,
so a code outside the caller's scope is refused with the same Chinese reason as on the page.
"""

from __future__ import annotations

from typing import Annotated, Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from pydantic import ConfigDict

from sanxin.core.api_schemas import TEXT_VALUE, Day, Limit, Offset, QueryText, list_response, responses
from sanxin.core.guards import require
from sanxin.core.text import half_width, normalize_code
from sanxin.orgs import selectors, services
from sanxin.orgs.forms import OrganizationForm
from sanxin.orgs.models import FLAG_FIELDS, REGISTRY_FIELDS, CoverageState, Organization, OrgCategory, RegistrationStatus

router = Router(tags=["两新组织"])

# The largest count a PositiveIntegerField holds on every database.
MAX_COUNT = 2_147_483_647


def choices_text(choices) -> str:
    return "；".join(f"{value} {label}" for value, label in choices)


def Choice(choices, description: str):
    """A query filter that takes one of `choices` (value, label) or empty for all; documented with the labels."""
    values = tuple(value for value, _ in choices)
    return Annotated[Literal[("", *values)], Query(description=f"{description}：{choices_text(choices)}；空为全部")]


def form_value(form, name: str, value):
    """`value` checked by the page form's own field `name` (bound to the caller): the same lookup within the
    caller's scope and the same Chinese reason; a refusal names the field."""
    try:
        return form.fields[name].clean(value)
    except ValidationError as error:
        raise ValidationError({name: error.messages}) from None


def in_queryset(form, name: str, value, *, key: str, label: str):
    """The object of the form field `name`'s own queryset (cut to the caller's scope as the page offers it) whose
    `key` is `value`, else a Chinese refusal naming the field; None stays None."""
    if value is None:
        return None
    found = form.fields[name].queryset.filter(**{key: value}).first()
    if found is None:
        raise ValidationError({name: f"{label}“{value}”不存在或不在您的管辖范围内"})
    return found


def resolved(form, data: dict, resolvers: dict) -> dict:
    """The request's fields with every code turned into its object by `resolvers` (name → function of the value);
    all refusals at once, by field, as the page form shows them."""
    fields, errors = {}, {}
    for name, value in data.items():
        try:
            fields[name] = resolvers[name](value) if name in resolvers else value
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    return fields


# ---------------------------------------------------------------------------------------------- reading


class OrganizationRef(Schema):
    id: int
    credit_code: str
    name: str


class OrganizationOut(Schema):
    id: int
    credit_code: str = Field(description="统一社会信用代码")
    name: str = Field(description="单位名称")
    kind: str = Field(description="组织类型：economic 新经济组织；social 新社会组织（由单位类别决定）")
    category: str = Field(description=f"单位类别：{choices_text(OrgCategory.choices)}")
    category_label: str
    industry: str = Field(description="所属行业代码")
    industry_name: str
    region: str = Field(description="所在地区（区划代码）")
    region_name: str = Field(description="所在地区全称")
    zone: int | None = Field(description="所在园区/楼宇编号")
    zone_name: str | None
    address: str
    legal_representative: str
    employees: int = Field(description="从业人员数")
    formal_members: int = Field(description="正式党员数")
    probationary_members: int = Field(description="预备党员数")
    established_on: Day | None
    registration_status: str = Field(description=f"登记状态：{choices_text(RegistrationStatus.choices)}")
    registration_status_label: str
    is_top500_private: bool = Field(description="民营企业500强")
    is_top100_internet: bool = Field(description="互联网企业100强")
    is_little_giant: bool = Field(description="专精特新“小巨人”")
    is_above_scale: bool = Field(description="规模以上")
    coverage_state: str = Field(description="覆盖状态（由数据算出）：org 组织覆盖；work 仅工作覆盖；blank 空白点")
    coverage_state_label: str
    has_own_party_org: bool = Field(description="有本单位单独组建的党组织")
    should_establish: bool = Field(description="应建未建")
    edge_thinning: bool = Field(description="边际递减")

    @staticmethod
    def resolve_category_label(obj: Organization) -> str:
        return obj.get_category_display()

    @staticmethod
    def resolve_industry(obj: Organization) -> str:
        return obj.industry.code

    @staticmethod
    def resolve_industry_name(obj: Organization) -> str:
        return obj.industry.name

    @staticmethod
    def resolve_region(obj: Organization) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Organization) -> str:
        return obj.region.full_name

    @staticmethod
    def resolve_zone(obj: Organization) -> int | None:
        return obj.zone_id

    @staticmethod
    def resolve_zone_name(obj: Organization) -> str | None:
        return obj.zone.name if obj.zone_id else None

    @staticmethod
    def resolve_registration_status_label(obj: Organization) -> str:
        return obj.get_registration_status_display()

    @staticmethod
    def resolve_coverage_state_label(obj: Organization) -> str:
        return obj.get_coverage_state_display()


class OrganizationDetail(OrganizationOut):
    parent: OrganizationRef | None = Field(description="上级单位；不在您数据范围内的上级单位不显示")

    @staticmethod
    def resolve_parent(obj: Organization, context) -> Organization | None:
        return selectors.visible_parent(obj, user=context["request"].auth)


class OrganizationList(Schema):
    items: list[OrganizationOut]
    count: int = Field(description="符合条件的总条数")


COVERAGE_CHOICES = [(key, label) for key, (label, _) in selectors.COVERAGE_LISTS.items()]
FLAG_CHOICES = [
    ("is_top500_private", "民营企业500强"),
    ("is_top100_internet", "互联网企业100强"),
    ("is_little_giant", "专精特新“小巨人”"),
    ("is_above_scale", "规模以上"),
]


@router.get("", response=responses({200: OrganizationList}), summary="两新组织名录（按数据权限，与名录页相同的筛选）")
def list_organizations(
    request,
    q: QueryText("单位名称（包含）或统一社会信用代码", "顺丰") = "",
    region: QueryText("所在地区代码（含下级）", "360102") = "",
    industry: QueryText("行业代码", "6020") = "",
    category: Choice(OrgCategory.choices, "单位类别") = "",
    coverage: Choice(COVERAGE_CHOICES, "覆盖情况") = "",
    flag: Choice(FLAG_CHOICES, "标识") = "",
    status: Choice(RegistrationStatus.choices, "登记状态") = "",
    zone: QueryText("园区/楼宇编号") = "",
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    """The same filters as the registry page (`?q=&region=&industry=&category=&coverage=&flag=&status=&zone=`),
    ordered by region and name."""
    if not request.auth.can("orgs.view"):
        raise Http404
    found = selectors.organization_list(
        user=request.auth,
        q=q,
        region=region,
        industry=normalize_code(industry),
        category=category,
        coverage=coverage,
        flag=flag,
        status=status,
        zone=zone,
    ).order_by("region_id", "name", "pk")
    return list_response(organization_rows(found[offset : offset + limit]), found.count())


# The columns a list row shows (OrganizationOut), read with .values(): no model instances, no resolvers per row.
ROW_COLUMNS = (
    "id",
    "credit_code",
    *(name for name in REGISTRY_FIELDS if name not in ("industry", "region")),
    *("industry__code", "industry__name", "region_id", "region__full_name", "zone_id", "zone__name"),
    *FLAG_FIELDS,
    *("coverage_state", "has_own_party_org", "should_establish", "edge_thinning"),
)
CATEGORY_LABELS = {value: str(label) for value, label in OrgCategory.choices}
STATUS_LABELS = {value: str(label) for value, label in RegistrationStatus.choices}
COVERAGE_LABELS = {value: str(label) for value, label in CoverageState.choices}


def organization_rows(organizations) -> list[dict]:
    """OrganizationOut of each organization as a plain dict, the same values the schema's resolvers give."""
    return [
        {
            "id": row["id"],
            "credit_code": row["credit_code"],
            "name": row["name"],
            "kind": row["kind"],
            "category": row["category"],
            "category_label": CATEGORY_LABELS.get(row["category"], row["category"]),
            "industry": row["industry__code"],
            "industry_name": row["industry__name"],
            "region": row["region_id"],
            "region_name": row["region__full_name"],
            "zone": row["zone_id"],
            "zone_name": row["zone__name"],
            "address": row["address"],
            "legal_representative": row["legal_representative"],
            "employees": row["employees"],
            "formal_members": row["formal_members"],
            "probationary_members": row["probationary_members"],
            "established_on": row["established_on"],
            "registration_status": row["registration_status"],
            "registration_status_label": STATUS_LABELS.get(row["registration_status"], row["registration_status"]),
            "is_top500_private": row["is_top500_private"],
            "is_top100_internet": row["is_top100_internet"],
            "is_little_giant": row["is_little_giant"],
            "is_above_scale": row["is_above_scale"],
            "coverage_state": row["coverage_state"],
            "coverage_state_label": COVERAGE_LABELS.get(row["coverage_state"], row["coverage_state"]),
            "has_own_party_org": row["has_own_party_org"],
            "should_establish": row["should_establish"],
            "edge_thinning": row["edge_thinning"],
        }
        for row in organizations.values(*ROW_COLUMNS)
    ]


@router.get("/{org_id}", response=responses({200: OrganizationDetail}), summary="单个两新组织")
def get_organization(request, org_id: int):
    return selectors.access_organization(org_id, user=request.auth)


# ---------------------------------------------------------------------------------------------- writing


class OrganizationFields(Schema):
    """What the registry form takes; codes instead of the pickers' choices."""

    model_config = ConfigDict(extra="forbid")

    address: str = Field("", max_length=300, pattern=TEXT_VALUE, description="详细地址")
    legal_representative: str = Field("", max_length=50, pattern=TEXT_VALUE, description="法定代表人")
    employees: int = Field(0, ge=0, le=MAX_COUNT, description="从业人员数")
    formal_members: int = Field(0, ge=0, le=MAX_COUNT, description="正式党员数（正式 + 预备不能多于从业人员数）")
    probationary_members: int = Field(0, ge=0, le=MAX_COUNT, description="预备党员数")
    established_on: Day | None = Field(None, description="成立日期，不能晚于今天")
    registration_status: Literal[tuple(RegistrationStatus.values)] = Field(
        RegistrationStatus.ACTIVE, description=f"登记状态：{choices_text(RegistrationStatus.choices)}"
    )
    zone: int | None = Field(None, description="所在园区/楼宇编号；园区党组织只能填本园区")
    parent: str | None = Field(None, max_length=18, pattern=TEXT_VALUE, description="上级单位的统一社会信用代码（须在您的数据范围内）")
    is_top500_private: bool = Field(False, description="民营企业500强")
    is_top100_internet: bool = Field(False, description="互联网企业100强")
    is_little_giant: bool = Field(False, description="专精特新“小巨人”")
    is_above_scale: bool = Field(False, description="规模以上")


class OrganizationIn(OrganizationFields):
    credit_code: str = Field(max_length=18, pattern=TEXT_VALUE, description="统一社会信用代码（18 位，全角字符按半角读）")
    name: str = Field(min_length=1, max_length=200, pattern=TEXT_VALUE, description="单位名称")
    category: Literal[tuple(OrgCategory.values)] = Field(description=f"单位类别：{choices_text(OrgCategory.choices)}")
    industry: str = Field(max_length=16, pattern=TEXT_VALUE, description="所属行业代码；行业党委只能填本行业", examples=["6020"])
    region: str = Field(
        max_length=12,
        pattern=TEXT_VALUE,
        description="所在地区的区划代码，至少到区县（最好到社区/村），须在您的数据范围内",
        examples=["360102002001"],
    )


class OrganizationPatch(Schema):
    """Only the fields given change; `null` clears an optional one (园区、上级单位、成立日期)."""

    model_config = ConfigDict(extra="forbid")

    credit_code: str = Field(None, max_length=18, pattern=TEXT_VALUE, description="统一社会信用代码")
    name: str = Field(None, min_length=1, max_length=200, pattern=TEXT_VALUE, description="单位名称")
    category: Literal[tuple(OrgCategory.values)] = Field(None, description="单位类别")
    industry: str = Field(None, max_length=16, pattern=TEXT_VALUE, description="所属行业代码")
    region: str = Field(None, max_length=12, pattern=TEXT_VALUE, description="所在地区的区划代码")
    zone: int | None = Field(None, description="所在园区/楼宇编号；null 为不在园区")
    address: str = Field(None, max_length=300, pattern=TEXT_VALUE, description="详细地址")
    legal_representative: str = Field(None, max_length=50, pattern=TEXT_VALUE, description="法定代表人")
    employees: int = Field(None, ge=0, le=MAX_COUNT, description="从业人员数")
    formal_members: int = Field(None, ge=0, le=MAX_COUNT, description="正式党员数")
    probationary_members: int = Field(None, ge=0, le=MAX_COUNT, description="预备党员数")
    established_on: Day | None = Field(None, description="成立日期")
    registration_status: Literal[tuple(RegistrationStatus.values)] = Field(None, description="登记状态")
    status_reason: str = Field(None, max_length=200, pattern=TEXT_VALUE, description="登记状态改为注销、吊销或迁出时必填：原因")
    parent: str | None = Field(None, max_length=18, pattern=TEXT_VALUE, description="上级单位的统一社会信用代码；null 为无上级单位")
    is_top500_private: bool = Field(None, description="民营企业500强")
    is_top100_internet: bool = Field(None, description="互联网企业100强")
    is_little_giant: bool = Field(None, description="专精特新“小巨人”")
    is_above_scale: bool = Field(None, description="规模以上")


def _resolvers(form) -> dict:
    return {
        "credit_code": lambda code: half_width(code).strip(),
        "region": lambda code: form_value(form, "region", code),
        "industry": lambda code: in_queryset(form, "industry", normalize_code(code), key="code", label="行业代码"),
        "zone": lambda pk: in_queryset(form, "zone", pk, key="pk", label="园区/楼宇编号"),
        "parent": lambda code: form_value(form, "parent", code or ""),
    }


@router.post("", response=responses({201: OrganizationDetail}, refusals=(403,)), summary="新增两新组织")
def create_organization(request, payload: OrganizationIn):
    """As the registry's 新增 page: region, industry, zone and parent must lie in your scope (an industry committee
    registers only its industry, a zone committee only its zone); the credit code must be new to the registry."""
    user = request.auth
    require(user, "orgs.manage")
    form = OrganizationForm(user=user)
    fields = resolved(form, payload.dict(), _resolvers(form))
    org = services.organization_create(actor=user, **fields)
    return Status(201, org)


@router.patch("/{org_id}", response=responses({200: OrganizationDetail}, refusals=(403,)), summary="修改两新组织")
def update_organization(request, org_id: int, payload: OrganizationPatch):
    """As the registry's 编辑 page, for the fields given. Changing 登记状态 to 注销、吊销 or 迁出 needs
    `status_reason`. A parent outside your scope is kept and cannot be changed here."""
    user = request.auth
    org = selectors.access_organization(org_id, user=user, for_write=True)
    changes = payload.dict(exclude_unset=True)
    if "parent" in changes and org.parent_id and selectors.visible_parent(org, user=user) is None:
        raise ValidationError({"parent": "上级单位不在您的管辖范围内，不能修改"})
    form = OrganizationForm(user=user)
    fields = resolved(form, changes, _resolvers(form))
    return services.organization_update(actor=user, organization=org, **fields)
