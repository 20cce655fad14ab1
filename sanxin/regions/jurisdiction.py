"""Where something sits — region, industry, zone — against a user's jurisdiction (条块): the checks every
registry's form, import and comparison share."""

from sanxin.core.scope import user_scope
from sanxin.regions.models import Industry, Zone


def scope_industries(user):
    """The industries a user works on: those of a narrowed scope, else all."""
    scope = user_scope(user)
    return Industry.objects.filter(id__in=scope.industry_ids) if scope.industry_ids else Industry.objects.all()


def _pk(value):
    return getattr(value, "pk", value)


def place_outside_scope(user, *, region, industry=None, zone=None) -> dict[str, str]:
    """Where an organization (or Party organization) sits — region, industry, zone — checked against
    the user's scope: field name → Chinese reason for each part outside it; empty when inside.

    Takes model instances or keys (region code, industry id, zone id). `user=None` (a system job)
    is never refused. A scope narrowed to industries or a zone needs that industry or zone set,
    or the user could no longer see what they wrote."""
    if user is None:
        return {}
    scope = user_scope(user)
    if scope.nationwide:
        return {}
    if scope.empty:
        return {"region": "您没有管辖范围，不能登记"}
    errors = {}
    region_code = _pk(region)
    if region_code and not str(region_code).startswith(scope.region_prefix):
        errors["region"] = "所在地区不在您的管辖范围内"
    if scope.industry_ids and _pk(industry) not in scope.industry_ids:
        names = "、".join(Industry.objects.filter(id__in=scope.industry_ids).values_list("name", flat=True))
        errors["industry"] = f"所属行业须为您管辖的行业（{names}）"
    if scope.zone_id and _pk(zone) != scope.zone_id:
        errors["zone"] = f"须在您管辖的园区/楼宇（{Zone.objects.get(pk=scope.zone_id).name}）内"
    return errors
