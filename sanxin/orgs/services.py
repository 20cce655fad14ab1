"""Writes on the organization registry. Each runs in a transaction, is audited and refreshes coverage."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanxin.core.audit import audit_changes, audit_record
from sanxin.core.events import publish
from sanxin.core.guards import require
from sanxin.core.scope import chosen_outside_scope
from sanxin.core.validators import validate_credit_code
from sanxin.orgs.models import DEREGISTERED, EDITABLE_FIELDS, Organization, OrgCategory, RegistrationStatus, kind_of
from sanxin.orgs.writes import organizations_save
from sanxin.regions.jurisdiction import place_outside_scope

CATEGORIES = frozenset(OrgCategory.values)  # Django rebuilds .values on every access; imports ask per row
STATUSES = frozenset(RegistrationStatus.values)


# What the form stores: its editable fields and the kind the category decides, by column name.
STORED_FIELDS = [Organization._meta.get_field(name).attname for name in [*EDITABLE_FIELDS, "kind"]]


def organization_errors(fields: dict, *, instance: Organization | None = None, today: date | None = None) -> dict[str, str]:
    """The domain rules every way in (form, import, comparison) shares; field name → Chinese reason."""
    errors: dict[str, str] = {}
    today = today or timezone.localdate()
    code = fields.get("credit_code") or ""
    try:
        fields["credit_code"] = validate_credit_code(code)
    except ValidationError as error:
        errors["credit_code"] = error.messages[0]
    if not (fields.get("name") or "").strip():
        errors["name"] = "单位名称不能为空"
    if fields.get("category") not in CATEGORIES:
        errors["category"] = "单位类别不在可选范围内"
    region = fields.get("region")
    if region is None:
        errors["region"] = "所在地区代码不存在"
    elif region.level < 3:
        errors["region"] = "所在地区至少要到区县一级（最好到社区/村）"
    if fields.get("industry") is None:
        errors["industry"] = "所属行业不在行业字典中"
    employees = fields.get("employees") or 0
    members = (fields.get("formal_members") or 0) + (fields.get("probationary_members") or 0)
    if members > employees:
        errors["formal_members"] = f"党员数（正式 + 预备 = {members}）不能多于从业人员数 {employees}"
    established = fields.get("established_on")
    if established and established > today:
        errors["established_on"] = "成立日期不能晚于今天"
    parent = fields.get("parent")
    if parent is not None and instance is not None and parent.pk == instance.pk:
        errors["parent"] = "上级单位不能是本单位"
    if fields.get("registration_status", RegistrationStatus.ACTIVE) not in STATUSES:
        errors["registration_status"] = "登记状态应为 存续、注销、吊销 或 迁出"
    return errors


def _check_in_scope(actor, fields: dict, *, before: dict | None = None) -> None:
    """The organization must sit inside the actor's scope (region, industry, zone); a new parent must be
    one the actor can see (an unchanged parent outside the scope is kept)."""
    errors = place_outside_scope(actor, region=fields["region"], industry=fields["industry"], zone=fields.get("zone"))
    if chosen_outside_scope(actor, fields.get("parent"), before and before["parent"]):
        errors["parent"] = "上级单位不在您的管辖范围内"
    if errors:
        raise ValidationError(errors)


def _snapshot(org: Organization) -> dict:
    return {f: (getattr(org, f"{f}_id") if f in ("industry", "region", "zone", "parent") else getattr(org, f)) for f in EDITABLE_FIELDS}


@transaction.atomic
def organization_create(*, actor, **fields) -> Organization:
    require(actor, "orgs.manage")
    errors = organization_errors(fields)
    if errors:
        raise ValidationError(errors)
    _check_in_scope(actor, fields)
    if Organization.objects.filter(credit_code=fields["credit_code"]).exists():
        raise ValidationError({"credit_code": f"统一社会信用代码 {fields['credit_code']} 已在名录中"})
    org = Organization(kind=kind_of(fields["category"]), **{k: v for k, v in fields.items() if k in EDITABLE_FIELDS})
    org.name = org.name.strip()
    [org] = organizations_save(created=[org], updated=[], fields=[])
    publish("organizations.changed", ids=[org.pk])
    org.refresh_from_db()
    audit_record(actor=actor, action="organization_create", obj=org, detail={"new": _snapshot(org)})
    return org


@transaction.atomic
def organization_update(*, actor, organization: Organization, status_reason: str = "", **changes) -> Organization:
    """Edits an organization. Marking it 注销/吊销/迁出 goes through `organization_deregister`,
    so it needs `status_reason` like every other way of deregistering."""
    require(actor, "orgs.manage")
    before = _snapshot(organization)
    new_status = changes.pop("registration_status", organization.registration_status)
    deregistering = new_status in DEREGISTERED and new_status != organization.registration_status
    if deregistering:
        if not (status_reason or "").strip():
            raise ValidationError({"status_reason": "登记状态改为注销、吊销或迁出时，请填写原因"})
    elif new_status != organization.registration_status:
        changes["registration_status"] = new_status
    merged = {**before, **{k: v for k, v in changes.items()}}
    for key in ("industry", "region", "zone", "parent"):
        if key not in changes:
            merged[key] = getattr(organization, key)
    errors = organization_errors(merged, instance=organization)
    if errors:
        raise ValidationError(errors)
    _check_in_scope(actor, merged, before=before)
    duplicate = Organization.objects.filter(credit_code=merged["credit_code"]).exclude(pk=organization.pk)
    if duplicate.exists():
        raise ValidationError({"credit_code": f"统一社会信用代码 {merged['credit_code']} 已被其他单位使用"})
    for key, value in changes.items():
        if key in EDITABLE_FIELDS:
            setattr(organization, key, value)
    organization.credit_code = merged["credit_code"]
    organization.kind = kind_of(organization.category)
    organizations_save(created=[], updated=[organization], fields=STORED_FIELDS)
    moved = [before["region"]] if before["region"] != organization.region_id else []  # the cell it left
    publish("organizations.changed", ids=[organization.pk], regions=moved)
    organization.refresh_from_db()
    audit_changes(actor=actor, action="organization_update", obj=organization, before=before, after=_snapshot(organization))
    if deregistering:
        organization_deregister(actor=actor, organization=organization, status=new_status, reason=status_reason)
    return organization


@transaction.atomic
def organization_deregister(*, actor, organization: Organization, status: str, reason: str) -> Organization:
    """Marks an organization 注销/吊销/迁出; it then drops out of every coverage count."""
    require(actor, "orgs.manage")
    if status not in DEREGISTERED:
        raise ValidationError({"registration_status": "只能标记为 注销、吊销 或 迁出"})
    if not reason.strip():
        raise ValidationError({"reason": "请填写原因"})
    old = organization.registration_status
    organization.registration_status = status
    organizations_save(created=[], updated=[organization], fields=["registration_status"])
    publish("organizations.changed", ids=[organization.pk])
    audit_record(
        actor=actor, action="organization_deregister", obj=organization, detail={"old": old, "new": status, "reason": reason.strip()}
    )
    return organization
