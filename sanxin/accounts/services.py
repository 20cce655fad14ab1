"""Writes on units, users and roles. Each runs in a transaction and is audited."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from sanxin.accounts.models import ApiToken, PasswordHistory, Unit, UnitKind, User, UserRole
from sanxin.core.audit import audit_changes, audit_record
from sanxin.core.fields import blind_index_for
from sanxin.core.guards import require
from sanxin.core.masking import mask_phone
from sanxin.core.recheck import LOCKED_MESSAGE, Recheck, RecheckLockedOut, password_recheck
from sanxin.core.roles import ADMIN_ROLES, Role
from sanxin.core.scope import region_in_scope, user_scope
from sanxin.core.validators import validate_mobile


def validate_role_combination(roles) -> None:
    roles = set(roles)
    unknown = roles - set(Role.values)
    if unknown:
        raise ValidationError(f"未知角色：{'、'.join(sorted(unknown))}")
    admin = roles & ADMIN_ROLES
    if admin and len(roles) > 1:
        names = "、".join(Role(r).label for r in sorted(roles))
        raise ValidationError(f"三员分立：系统管理员、安全管理员、审计管理员不能兼任，也不能与其他角色合用（当前：{names}）")


def validate_role_set(roles, *, unit: Unit | None) -> None:
    """The one check of the roles a user ends up with, wherever roles or units change."""
    roles = set(roles)
    validate_role_combination(roles)
    admin = roles & ADMIN_ROLES
    if admin and (unit is None or unit.kind != UnitKind.SYSTEM):
        label = Role(next(iter(admin))).label
        raise ValidationError(f"三员分立：{label}只能属于系统运维单位（当前单位：{unit.name if unit else '无'}）")


def _confirm_password(user: User, password: str, *, action: str, obj, field: str, message: str, outcome: str = "denied") -> None:
    """A failed re-check is audited outside any transaction of ours, so the refusal stays on record, and
    counts toward the login lockout; at the limit the session ends (RecheckLockedOut)."""
    checked = password_recheck(user, password, action=action, obj=obj, outcome=outcome)
    if checked is Recheck.LOCKED:
        raise RecheckLockedOut(LOCKED_MESSAGE)
    if checked is not Recheck.PASSED:
        raise ValidationError({field: message})


def _require(actor, capability: str) -> None:
    require(actor, capability, person=True)  # accounts are changed by a person, never silently by the system


def _check_unit_in_actor_scope(actor, unit: Unit) -> None:
    scope = user_scope(actor)
    if scope.nationwide:
        return
    if unit.region_id is None or not region_in_scope(actor, unit.region_id):
        raise ValidationError("所选单位不在您的管辖范围内")


def _check_unit_hierarchy(unit: Unit) -> None:
    """A unit's territory lies inside its parent's and holds its children's; no unit is its own ancestor."""
    parent = unit.parent
    if parent is not None:
        if unit.pk and _is_self_or_below(parent, unit):
            raise ValidationError({"parent": "上级单位不能是本单位或其下级单位"})
        if parent.region_id and not (unit.region_id or "").startswith(parent.region_id):
            raise ValidationError(
                {"parent": f"管辖区划（{unit.region_id or '全国'}）不在上级单位“{parent.name}”的管辖区划（{parent.region_id}）之内"}
            )
    if unit.pk and unit.region_id:
        child = unit.children.exclude(region__code__under=unit.region_id).first()
        if child is not None:
            raise ValidationError({"region": f"下级单位“{child.name}”的管辖区划（{child.region_id or '全国'}）不在新的管辖区划之内"})
    # The administrators' unit stays a system unit (validate_role_set, seen from the unit's side).
    if unit.pk and unit.kind != UnitKind.SYSTEM and UserRole.objects.filter(user__unit=unit, role__in=ADMIN_ROLES).exists():
        raise ValidationError({"kind": "三员分立：该单位有系统、安全或审计管理员账号，只能是系统运维单位"})


def _is_self_or_below(candidate: Unit, unit: Unit) -> bool:
    seen = set()
    while candidate is not None and candidate.pk not in seen:
        if candidate.pk == unit.pk:
            return True
        seen.add(candidate.pk)
        candidate = candidate.parent
    return False


def _unit_snapshot(unit: Unit) -> dict:
    return {
        "name": unit.name,
        "kind": unit.kind,
        "region": unit.region_id,
        "zone": unit.zone_id,
        "parent": unit.parent_id,
        "industries": sorted(unit.industries.values_list("code", flat=True)) if unit.pk else [],
        "is_active": unit.is_active,
    }


@transaction.atomic
def unit_create(*, actor, name: str, kind: str, region=None, parent=None, industries=(), zone=None) -> Unit:
    _require(actor, "units.manage")
    unit = Unit(name=name.strip(), kind=kind, region=region, parent=parent, zone=zone)
    unit.full_clean()
    _check_unit_in_actor_scope(actor, unit)
    _check_unit_hierarchy(unit)
    unit.save()
    unit.industries.set(industries)
    audit_record(actor=actor, action="unit_create", obj=unit, detail={"new": _unit_snapshot(unit)})
    return unit


@transaction.atomic
def unit_update(*, actor, unit: Unit, **changes) -> Unit:
    _require(actor, "units.manage")
    before = _unit_snapshot(unit)
    industries = changes.pop("industries", None)
    for field, value in changes.items():
        setattr(unit, field, value)
    unit.full_clean()
    _check_unit_in_actor_scope(actor, unit)
    _check_unit_hierarchy(unit)
    unit.save()
    if industries is not None:
        unit.industries.set(industries)
    audit_changes(actor=actor, action="unit_update", obj=unit, before=before, after=_unit_snapshot(unit))
    return unit


def _record_password(user: User) -> None:
    PasswordHistory.objects.create(user=user, password=user.password)
    stale = user.password_history.values_list("id", flat=True)[5:]
    PasswordHistory.objects.filter(id__in=list(stale)).delete()


def _normalize_phone(phone: str) -> str:
    if not phone:
        return ""
    phone = validate_mobile(phone)
    if User.objects.filter(phone_index=blind_index_for("phone", phone)).exists():
        raise ValidationError({"phone": "该手机号码已被其他账号使用"})
    return phone


@transaction.atomic
def user_create(
    *,
    actor,
    username: str,
    full_name: str,
    unit: Unit,
    password: str,
    phone: str = "",
    must_change_password: bool = True,
    is_demo: bool = False,
) -> User:
    """Creates an account without roles: only the security administrator grants roles."""
    if actor is not None:
        _require(actor, "users.manage")
        _check_unit_in_actor_scope(actor, unit)
    username = username.strip()
    if User.objects.filter(username__iexact=username).exists():
        raise ValidationError({"username": f"账号“{username}”已存在"})
    user = User(username=username, full_name=full_name.strip(), unit=unit, must_change_password=must_change_password, is_demo=is_demo)
    user.phone = _normalize_phone(phone)
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.password_changed_at = timezone.now()
    user.save()
    _record_password(user)
    audit_record(
        actor=actor,
        action="user_create",
        obj=user,
        detail={"new": {"username": user.username, "full_name": user.full_name, "unit": unit.pk, "phone": mask_phone(user.phone)}},
    )
    return user


@transaction.atomic
def user_update(
    *, actor, user: User, full_name: str | None = None, unit: Unit | None = None, phone: str | None = None, is_active: bool | None = None
) -> User:
    _require(actor, "users.manage")
    before = {"full_name": user.full_name, "unit": user.unit_id, "phone": mask_phone(user.phone), "is_active": user.is_active}
    if full_name is not None:
        user.full_name = full_name.strip()
    if unit is not None:
        _check_unit_in_actor_scope(actor, unit)
        validate_role_set(user.role_codes, unit=unit)
        user.unit = unit
    if phone is not None and phone != user.phone:
        user.phone = ""
        user.save(update_fields=["phone", "phone_index"])
        user.phone = _normalize_phone(phone)
    if is_active is not None:
        user.is_active = is_active
    user.save()
    after = {"full_name": user.full_name, "unit": user.unit_id, "phone": mask_phone(user.phone), "is_active": user.is_active}
    audit_changes(actor=actor, action="user_update", obj=user, before=before, after=after)
    return user


def user_phone_unmask(*, actor, user: User) -> str:
    """The full phone number; every viewing is audited (security.md items 12, 22)."""
    _require(actor, "user_phone_unmask")
    audit_record(actor=actor, action="user_phone_unmask", obj=user, detail={"field": "phone", "masked": mask_phone(user.phone)})
    return user.phone


def user_set_roles(*, actor, user: User, roles, actor_password: str) -> User:
    """Only the security administrator grants roles, after entering their password again."""
    _require(actor, "roles.grant")
    _confirm_password(
        actor, actor_password, action="user_set_roles", obj=user, field="actor_password", message="密码复核失败，请重新输入您的登录密码"
    )
    if user.pk == actor.pk:
        audit_record(actor=actor, action="user_set_roles", obj=user, outcome="denied", detail={"reason": "不能修改自己的角色"})
        raise ValidationError("不能修改自己的角色")
    return _set_roles(actor=actor, user=user, roles=set(roles))


@transaction.atomic
def _set_roles(*, actor, user: User, roles: set[str]) -> User:
    validate_role_set(roles, unit=user.unit)
    before = set(user.role_codes)
    UserRole.objects.filter(user=user).exclude(role__in=roles).delete()
    for role in roles - before:
        UserRole.objects.create(user=user, role=role, granted_by=actor)
    user._role_codes = None
    if roles != before:
        audit_record(actor=actor, action="user_set_roles", obj=user, detail={"old": sorted(before), "new": sorted(roles)})
    return user


@transaction.atomic
def grant_initial_roles(*, user: User, roles) -> None:
    """Bootstrap only (demo seeding, first administrators from the shell): no acting user exists yet."""
    roles = set(roles)
    validate_role_set(set(user.role_codes) | roles, unit=user.unit)
    for role in roles:
        UserRole.objects.get_or_create(user=user, role=role)
    user._role_codes = None
    audit_record(action="grant_initial_roles", obj=user, detail={"new": sorted(roles)}, actor_name="system")


def password_change(*, user: User, old_password: str, new_password: str) -> User:
    _confirm_password(
        user, old_password, action="password_change", obj=user, field="old_password", message="原密码不正确", outcome="failure"
    )
    return _set_password(user=user, new_password=new_password)


@transaction.atomic
def _set_password(*, user: User, new_password: str) -> User:
    password_validation.validate_password(new_password, user)
    user.set_password(new_password)
    user.password_changed_at = timezone.now()
    user.must_change_password = False
    user.save(update_fields=["password", "password_changed_at", "must_change_password"])
    _record_password(user)
    audit_record(actor=user, action="password_change", obj=user)
    return user


@transaction.atomic
def accounts_disable_inactive(*, now=None) -> int:
    """Disable accounts unused for 90 days (security.md item 9). An account used only through an API token (a
    hotline system's) is in use while its token is. Workers' accounts are not disabled here: they prove the phone
    with a one-time code at every login, and the workers' retention purge erases those unused too long."""
    now = now or timezone.now()
    cutoff = now - settings.SANXIN_ACCOUNT_INACTIVE_AFTER
    never_used_since = Q(last_login__lt=cutoff) | Q(last_login__isnull=True, date_joined__lt=cutoff)
    token_in_use = ApiToken.objects.filter(user=OuterRef("pk"), revoked_at__isnull=True, last_used_at__gte=cutoff)
    stale = User.objects.filter(never_used_since, is_active=True).exclude(Exists(token_in_use)).exclude(roles__role=Role.WORKER)
    ids = list(stale.values_list("id", flat=True))
    for user in User.objects.filter(id__in=ids):
        user.is_active = False
        user.save(update_fields=["is_active"])
        audit_record(action="accounts_disable_inactive", obj=user, actor_name="system", detail={"cutoff": cutoff.isoformat()})
    return len(ids)


# Workers' own accounts (sanxin.workers): no unit, no password (they log in by phone and one-time code), the one
# role WORKER. The account holds no name or phone in clear: its username is random and its name masked, so the
# audit events that name it (logins) keep nothing personal once the worker is erased.


@transaction.atomic
def worker_account_create(*, masked_name: str) -> User:
    while True:
        username = f"w{secrets.token_hex(6)}"
        if not User.objects.filter(username=username).exists():
            break
    user = User(username=username, full_name=masked_name[:50], unit=None, must_change_password=False)
    user.set_unusable_password()
    user.save()
    UserRole.objects.create(user=user, role=Role.WORKER)
    user._role_codes = None
    audit_record(action="worker_account_create", obj=user, actor_name="system", detail={"roles": [Role.WORKER]})
    return user


@transaction.atomic
def worker_account_delete(*, user: User) -> None:
    """The account of an erased worker: its sessions end with it (the session's user no longer exists)."""
    if set(user.role_codes) - {Role.WORKER}:
        raise ValidationError("该账号还有其他角色，不能作为从业人员账号删除")
    audit_record(action="worker_account_delete", object_type="accounts.user", object_id=str(user.pk), object_repr=user.username)
    user.delete()
