"""Where something sits — region, industry, zone — against a user's jurisdiction (条块): the checks every
registry's form, import and comparison share."""

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from sanxin.core.scope import user_scope
from sanxin.regions.models import Industry, Zone


def scope_industries(user):
    """The industries a user works on: those of a narrowed scope, else all."""
    scope = user_scope(user)
    return Industry.objects.filter(id__in=scope.industry_ids) if scope.industry_ids else Industry.objects.all()


INDUSTRIES_CACHE_KEY = "regions:industries"


def industries_cached() -> list[Industry]:
    """The industry reference list (loaded by a migration, edited by no page): read once, kept in the cache
    for ten minutes and dropped when an industry is saved or deleted here."""
    return cache.get_or_set(INDUSTRIES_CACHE_KEY, lambda: list(Industry.objects.all()), 600)


@receiver(post_save, sender=Industry)
@receiver(post_delete, sender=Industry)
def _industries_changed(**kwargs):
    cache.delete(INDUSTRIES_CACHE_KEY)


def scope_industry_choices(user) -> list[Industry]:
    """scope_industries() for a filter's drop-down, from the cached list: no query on a list page."""
    allowed = set(user_scope(user).industry_ids)
    industries = industries_cached()
    return [i for i in industries if i.pk in allowed] if allowed else industries


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
