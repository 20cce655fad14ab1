from django.db.models import Count, Q

from sanxin.accounts.models import Unit, User
from sanxin.core.listing import parse_id
from sanxin.core.scope import access, scoped


def unit_list(*, user, q: str = "", kind: str = "", region: str = ""):
    units = scoped(Unit.objects.select_related("region", "parent", "zone"), user).annotate(user_count=Count("users"))
    if q:
        units = units.filter(name__icontains=q)
    if kind:
        units = units.filter(kind=kind)
    if region:
        units = units.filter(region__code__under=region)
    return units


def access_unit(pk, *, user, for_write: bool = False) -> Unit:
    return access(
        Unit.objects.select_related("region", "parent", "zone"), pk, user, capability="units.manage" if for_write else "units.view"
    )


def user_list(*, user, q: str = "", unit: str = "", role: str = "", region: str = ""):
    users = scoped(User.objects.select_related("unit", "unit__region").prefetch_related("roles"), user)
    if q:
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q))
    if unit:
        unit_id = parse_id(unit)
        users = users.filter(unit_id=unit_id) if unit_id else users.none()
    if role:
        users = users.filter(roles__role=role)
    if region:
        users = users.filter(unit__region__code__under=region)
    return users.distinct()


def unit_colleagues(*, user):
    """The active people of the user's own unit: all that staff who do not manage accounts may see of accounts."""
    if not user.unit_id:
        return User.objects.none()
    return User.objects.filter(unit_id=user.unit_id, is_active=True).prefetch_related("roles").order_by("full_name", "username")


def access_user(pk, *, user, for_write: bool = False, capability: str | None = None) -> User:
    capability = capability or ("users.manage" if for_write else "users.view")
    return access(User.objects.select_related("unit", "unit__region"), pk, user, capability=capability)
