"""Party organizations over the API: the list page's filters, one Party organization, new and edited ones.

Reads go through sanxin.party.selectors, writes through sanxin.party.services, as the pages do; codes and ids
in a request are looked up by the page form's own fields, bound to the caller.
"""

from __future__ import annotations

from typing import Literal

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Router, Schema, Status
from pydantic import ConfigDict

from sanxin.core.api_schemas import TEXT_VALUE, Day, Limit, Offset, QueryText, list_response, responses
from sanxin.core.guards import require
from sanxin.core.text import normalize_code
from sanxin.orgs.api import Choice, OrganizationRef, choices_text, form_value, in_queryset, resolved
from sanxin.party import selectors, services
from sanxin.party.forms import PartyOrganizationForm
from sanxin.party.models import EstablishmentForm, PartyOrganization, PartyOrgLevel, PartyOrgStatus, SpecialKind

router = Router(tags=["党组织"])


class PartyOrgRef(Schema):
    id: int
    name: str


class PartyOrgOut(Schema):
    id: int
    name: str = Field(description="党组织名称")
    level: str = Field(description=f"层级：{choices_text(PartyOrgLevel.choices)}")
    level_label: str
    parent: PartyOrgRef | None = Field(description="上级党组织；不在您数据范围内的上级不显示")
    establishment_form: str = Field(description=f"组建方式：{choices_text(EstablishmentForm.choices)}")
    establishment_form_label: str
    special_kinds: list[str] = Field(description=f"特殊类型：{choices_text(SpecialKind.choices)}")
    region: str = Field(description="所在地区（区划代码）")
    region_name: str
    industry: str | None = Field(description="所属行业代码")
    industry_name: str | None
    zone: int | None = Field(description="所在园区/楼宇编号")
    secretary: str = Field(description="书记")
    founded_on: Day | None = Field(description="成立日期")
    term_years: int = Field(description="任期（年）：3 或 5")
    last_election_on: Day | None = Field(description="上次换届日期")
    next_election_due: Day | None = Field(description="应换届日期（由成立或上次换届日期和任期算出）")
    status: str = Field(description=f"状态：{choices_text(PartyOrgStatus.choices)}")
    covered_count: int = Field(description="覆盖的组织数（只计您数据范围内的组织）")

    @staticmethod
    def resolve_level_label(obj: PartyOrganization) -> str:
        return obj.get_level_display()

    @staticmethod
    def resolve_parent(obj: PartyOrganization) -> PartyOrganization | None:
        return obj.parent if obj.parent_visible else None

    @staticmethod
    def resolve_establishment_form_label(obj: PartyOrganization) -> str:
        return obj.get_establishment_form_display()

    @staticmethod
    def resolve_region(obj: PartyOrganization) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: PartyOrganization) -> str:
        return obj.region.full_name

    @staticmethod
    def resolve_industry(obj: PartyOrganization) -> str | None:
        return obj.industry.code if obj.industry_id else None

    @staticmethod
    def resolve_industry_name(obj: PartyOrganization) -> str | None:
        return obj.industry.name if obj.industry_id else None

    @staticmethod
    def resolve_zone(obj: PartyOrganization) -> int | None:
        return obj.zone_id


class PartyOrgDetail(PartyOrgOut):
    covered: list[OrganizationRef] = Field(description="覆盖的组织（只列您数据范围内的）")

    @staticmethod
    def resolve_covered(obj: PartyOrganization, context) -> list:
        return list(selectors.covered_seen(obj, user=context["request"].auth).order_by("credit_code"))


class PartyOrgList(Schema):
    items: list[PartyOrgOut]
    count: int = Field(description="符合条件的总条数")


ELECTION_CHOICES = [("overdue", "已超期未换届"), ("soon", f"{selectors.ELECTION_REMINDER_DAYS} 天内到期")]


@router.get("", response=responses({200: PartyOrgList}), summary="党组织名录（按数据权限，与名录页相同的筛选）")
def list_party_orgs(
    request,
    q: QueryText("党组织名称（包含）或书记姓名", "快递") = "",
    region: QueryText("所在地区代码（含下级）", "360102") = "",
    level: Choice(PartyOrgLevel.choices, "层级") = "",
    form: Choice(EstablishmentForm.choices, "组建方式") = "",
    special: Choice(SpecialKind.choices, "特殊类型") = "",
    election: Choice(ELECTION_CHOICES, "换届提醒") = "",
    status: Choice(PartyOrgStatus.choices, "状态") = "",
    offset: Offset = 0,
    limit: Limit(200) = 50,
):
    """The same filters as the list page (`?q=&region=&level=&form=&special=&election=&status=`), ordered by region
    and name. A Party organization covering an organization of your scope is listed even when it sits elsewhere."""
    if not request.auth.can("party.view"):
        raise Http404
    found = selectors.party_org_list(
        user=request.auth, q=q, region=normalize_code(region), level=level, form=form, special=special, election=election, status=status
    ).order_by("region_id", "name", "pk")
    return list_response(party_org_rows(found[offset : offset + limit]), found.count())


# The columns a list row shows (PartyOrgOut), read with .values() beside the selector's scope-bound annotations.
ROW_COLUMNS = (
    "id",
    "name",
    "level",
    "parent_id",
    "parent__name",
    "parent_visible",
    "establishment_form",
    "special_kinds",
    "region_id",
    "region__full_name",
    "industry__code",
    "industry__name",
    "zone_id",
    "secretary",
    "founded_on",
    "term_years",
    "last_election_on",
    "next_election_due",
    "status",
    "covered_count",
)
LEVEL_LABELS = {value: str(label) for value, label in PartyOrgLevel.choices}
FORM_LABELS = {value: str(label) for value, label in EstablishmentForm.choices}


def party_org_rows(party_orgs) -> list[dict]:
    """PartyOrgOut of each Party organization as a plain dict, the same values the schema's resolvers give."""
    return [
        {
            "id": row["id"],
            "name": row["name"],
            "level": row["level"],
            "level_label": LEVEL_LABELS.get(row["level"], row["level"]),
            "parent": {"id": row["parent_id"], "name": row["parent__name"]} if row["parent_id"] and row["parent_visible"] else None,
            "establishment_form": row["establishment_form"],
            "establishment_form_label": FORM_LABELS.get(row["establishment_form"], row["establishment_form"]),
            "special_kinds": row["special_kinds"],
            "region": row["region_id"],
            "region_name": row["region__full_name"],
            "industry": row["industry__code"],
            "industry_name": row["industry__name"],
            "zone": row["zone_id"],
            "secretary": row["secretary"],
            "founded_on": row["founded_on"],
            "term_years": row["term_years"],
            "last_election_on": row["last_election_on"],
            "next_election_due": row["next_election_due"],
            "status": row["status"],
            "covered_count": row["covered_count"],
        }
        for row in party_orgs.values(*ROW_COLUMNS)
    ]


def _annotated(party_org: PartyOrganization, user) -> PartyOrganization:
    """The Party organization with the counts and names that stop at the user's scope, as the list shows them."""
    return selectors.with_visible_relations(
        PartyOrganization.objects.select_related("region", "parent", "industry").filter(pk=party_org.pk), user=user
    ).get()


@router.get("/{party_org_id}", response=responses({200: PartyOrgDetail}), summary="单个党组织")
def get_party_org(request, party_org_id: int):
    return _annotated(selectors.access_party_org(party_org_id, user=request.auth), request.auth)


Level = Literal[tuple(PartyOrgLevel.values)]
Form = Literal[tuple(EstablishmentForm.values)]
Special = Literal[tuple(SpecialKind.values)]
Status_ = Literal[tuple(PartyOrgStatus.values)]


class PartyOrgIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: str = Field(min_length=1, max_length=200, pattern=TEXT_VALUE, description="党组织名称（同一地区内不能重名）")
    level: Level = Field(description=f"层级：{choices_text(PartyOrgLevel.choices)}")
    parent: int | None = Field(None, description="上级党组织编号（须在您的数据范围内）")
    establishment_form: Form = Field(description=f"组建方式：{choices_text(EstablishmentForm.choices)}")
    special_kinds: list[Special] = Field([], max_length=len(SpecialKind.values), description="特殊类型，可多选")
    region: str = Field(max_length=12, pattern=TEXT_VALUE, description="所在地区的区划代码，须在您的数据范围内", examples=["360102002"])
    industry: str | None = Field(None, max_length=16, pattern=TEXT_VALUE, description="所属行业代码；行业党委必填本行业")
    zone: int | None = Field(None, description="所在园区/楼宇编号；园区党组织必填本园区")
    secretary: str = Field("", max_length=50, pattern=TEXT_VALUE, description="书记")
    founded_on: Day | None = Field(None, description="成立日期，不能晚于今天")
    term_years: Literal[3, 5] = Field(3, description="任期（年）：3 或 5")
    last_election_on: Day | None = Field(None, description="上次换届日期，不能早于成立日期")
    status: Status_ = Field(PartyOrgStatus.ACTIVE, description=f"状态：{choices_text(PartyOrgStatus.choices)}")
    covered_codes: list[str] = Field(
        [], max_length=1000, description="覆盖的两新组织的统一社会信用代码（须在您的数据范围内）；联合党支部可覆盖多家"
    )


class PartyOrgPatch(Schema):
    """Only the fields given change; `null` clears an optional one. `covered_codes`, if given, replaces the covered
    organizations inside your scope; those outside it stay covered."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(None, min_length=1, max_length=200, pattern=TEXT_VALUE, description="党组织名称")
    level: Level = Field(None, description="层级")
    parent: int | None = Field(None, description="上级党组织编号；null 为无上级")
    establishment_form: Form = Field(None, description="组建方式")
    special_kinds: list[Special] = Field(None, max_length=len(SpecialKind.values), description="特殊类型")
    region: str = Field(None, max_length=12, pattern=TEXT_VALUE, description="所在地区的区划代码")
    industry: str | None = Field(None, max_length=16, pattern=TEXT_VALUE, description="所属行业代码")
    zone: int | None = Field(None, description="所在园区/楼宇编号")
    secretary: str = Field(None, max_length=50, pattern=TEXT_VALUE, description="书记")
    founded_on: Day | None = Field(None, description="成立日期")
    term_years: Literal[3, 5] = Field(None, description="任期（年）")
    last_election_on: Day | None = Field(None, description="上次换届日期")
    status: Status_ = Field(None, description="状态")
    covered_codes: list[str] = Field(None, max_length=1000, description="覆盖的两新组织的统一社会信用代码")


def _resolvers(form) -> dict:
    return {
        "parent": lambda pk: form_value(form, "parent", "" if pk is None else str(pk)),
        "region": lambda code: form_value(form, "region", code),
        "industry": lambda code: in_queryset(form, "industry", normalize_code(code) if code else None, key="code", label="行业代码"),
        "zone": lambda pk: in_queryset(form, "zone", pk, key="pk", label="园区/楼宇编号"),
        "covered_codes": lambda codes: form_value(form, "covered_codes", "\n".join(codes)),
        "special_kinds": list,
    }


def _fields(form, data: dict) -> tuple[dict, list | None]:
    fields = resolved(form, data, _resolvers(form))
    return fields, fields.pop("covered_codes", None)


@router.post("", response=responses({201: PartyOrgDetail}, refusals=(403,)), summary="新增党组织")
def create_party_org(request, payload: PartyOrgIn):
    """As the 新增党组织 page: region, industry, zone, parent and covered organizations must lie in your scope."""
    user = request.auth
    require(user, "party.manage")
    form = PartyOrganizationForm(user=user)
    fields, covered = _fields(form, payload.dict())
    party_org = services.party_org_create(actor=user, covered=covered or [], **fields)
    return Status(201, _annotated(party_org, user))


@router.patch("/{party_org_id}", response=responses({200: PartyOrgDetail}, refusals=(403,)), summary="修改党组织")
def update_party_org(request, party_org_id: int, payload: PartyOrgPatch):
    """As the edit page, for the fields given. Only the units where it sits edit it (one seen through a covered
    organization is read-only: 404); a parent outside your scope is kept and cannot be changed here."""
    user = request.auth
    party_org = selectors.access_party_org(party_org_id, user=user, for_write=True)
    changes = payload.dict(exclude_unset=True)
    if "parent" in changes and party_org.parent_id and selectors.visible_parent(party_org, user=user) is None:
        raise ValidationError({"parent": "上级党组织不在您的管辖范围内，不能修改"})
    form = PartyOrganizationForm(user=user)
    fields, covered = _fields(form, changes)
    party_org = services.party_org_update(actor=user, party_org=party_org, covered=covered, **fields)
    return _annotated(party_org, user)
