"""The one scope (数据权限, 条块) mechanism every app uses.

A staff user's scope comes from their unit: a region subtree (code prefix),
optionally narrowed to industries and to one zone. A model says which of its
fields carry region, industry and zone:

    scope_region_field = "region__code"   # required: a path to the region code
    scope_industry_field = "industry_id"  # optional
    scope_zone_field = "zone_id"          # optional
    scope_reaches_down = True             # optional: also seen by units inside its region (a campaign, a comparison)
    scope_seen_through = "covered_organizations"  # optional: also seen where a related object is seen (a path may
                                                  # cross a relation: "party_organization__covered_organizations")

Whatever concerns an organization in a unit's scope is visible to that unit: a joint Party branch of
the street is seen by the community whose firm it covers. Seeing is not owning: writes ask for
`own_place_only=True`, which ignores `scope_seen_through`.

`scoped(qs, user)` cuts a queryset to the scope; anything unknown is denied. A user
without territory (an instructor, a member) sees only rows a model ties to them through
its `scope_personal(user) -> Q` static method, or through a condition an app above it
registers (`add_personal_scope`: the instructors app shows an instructor the organizations
they are assigned to).
`access(qs, pk, user)` returns one object or raises Http404, never 403.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q, QuerySet
from django.http import Http404


@dataclass(frozen=True)
class Scope:
    nationwide: bool = False
    region_prefix: str | None = None
    industry_ids: frozenset[int] = frozenset()
    zone_id: int | None = None

    @property
    def empty(self) -> bool:
        return not self.nationwide and not self.region_prefix

    @property
    def label(self) -> str:
        return "全国" if self.nationwide else (self.region_prefix or "无")


NO_SCOPE = Scope()


def user_scope(user) -> Scope:
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return NO_SCOPE
    cached = getattr(user, "_sanxin_scope", None)
    if cached is not None:
        return cached
    scope = NO_SCOPE
    unit = user.unit if user.unit_id else None
    if unit is not None and unit.is_active and user.has_territorial_scope:
        if unit.kind == "system":
            scope = Scope(nationwide=True)
        elif unit.region_id:
            scope = Scope(
                region_prefix=unit.region_id,
                industry_ids=frozenset(unit.industries.values_list("id", flat=True)),
                zone_id=unit.zone_id,
            )
    user._sanxin_scope = scope
    return scope


def scope_filter(model, scope: Scope, *, own_place_only: bool = False) -> Q | None:
    """The Q that keeps only rows inside `scope`; None means nothing is visible."""
    if scope.empty:
        return None
    if scope.nationwide:
        return Q()
    region_field = getattr(model, "scope_region_field", None)  # a path ending in the region code
    if region_field is None:
        return None
    condition = Q(**{f"{region_field}__under": scope.region_prefix})
    if getattr(model, "scope_reaches_down", False):
        # A county's census campaign covers the streets and communities of the county: they see it too.
        condition |= Q(**{f"{region_field}__in": region_ancestor_codes(scope.region_prefix)})
    industry_field = getattr(model, "scope_industry_field", None)
    if scope.industry_ids and industry_field:
        condition &= Q(**{f"{industry_field}__in": sorted(scope.industry_ids)})
    zone_field = getattr(model, "scope_zone_field", None)
    if scope.zone_id and zone_field:
        condition &= Q(**{zone_field: scope.zone_id})
    through = None if own_place_only else getattr(model, "scope_seen_through", None)
    if through:
        related = _related_model(model, through)
        related_condition = scope_filter(related, scope, own_place_only=True)
        if related_condition is not None:
            seen = model.objects.filter(**{f"{through}__in": related.objects.filter(related_condition)})
            condition |= Q(pk__in=seen.values("pk"))
    return condition


def _related_model(model, path: str):
    """The model at the end of a relation path: "covered_organizations", "party_organization__covered_organizations"."""
    for name in path.split("__"):
        model = model._meta.get_field(name).related_model
    return model


REGION_CODE_LENGTHS = (2, 4, 6, 9, 12)


def region_ancestor_codes(code: str) -> list[str]:
    """The codes of the regions above `code` (the code is the path): 360102002 → 36, 3601, 360102."""
    return [code[:n] for n in REGION_CODE_LENGTHS if n < len(code)]


_personal_scopes: dict[type, list[Callable]] = {}


def add_personal_scope(model, condition: Callable) -> None:
    """Let users without territory see the rows of `model` that `condition(user) -> Q` ties to them."""
    conditions = _personal_scopes.setdefault(model, [])
    if condition not in conditions:
        conditions.append(condition)


def _personal_condition(model, user) -> Q | None:
    conditions = list(_personal_scopes.get(model, []))
    if getattr(model, "scope_personal", None) is not None:
        conditions.insert(0, model.scope_personal)
    if not conditions or not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    combined = Q(pk__in=[])
    for condition in conditions:
        combined |= condition(user)
    return combined


def scoped(queryset: QuerySet, user, *, own_place_only: bool = False) -> QuerySet:
    condition = scope_filter(queryset.model, user_scope(user), own_place_only=own_place_only)
    if condition is None:
        # No territory: a model may still show a person what is tied to them (an instructor's assignments).
        personal = _personal_condition(queryset.model, user)
        if personal is not None:
            return queryset.filter(pk__in=queryset.model.objects.filter(personal).values("pk"))
        return queryset.none()
    return queryset.filter(condition)


def access(queryset: QuerySet, pk, user, *, capability: str | None = None, own_place_only: bool = False):
    """One object inside the user's scope (and capability), else 404."""
    if capability is not None and not user.can(capability):
        raise Http404
    try:
        return scoped(queryset, user, own_place_only=own_place_only).get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def may_access(access_fn, pk, *, user, **kwargs) -> bool:
    """Whether an app's `access_<entity>` would hand over the object (say `for_write=True`): for a page that offers
    an action only to whoever may take it, asking the one access function rather than repeating its rule."""
    try:
        access_fn(pk, user=user, **kwargs)
    except Http404:
        return False
    return True


def region_in_scope(user, region_code: str) -> bool:
    scope = user_scope(user)
    return scope.nationwide or bool(scope.region_prefix and region_code.startswith(scope.region_prefix))


def chosen_outside_scope(user, chosen, previous_pk=None) -> bool:
    """A related object `user` picked anew (a parent, say) must be one they can see; one kept from before may lie outside."""
    if user is None or chosen is None or chosen.pk == previous_pk:
        return False
    return not scoped(type(chosen).objects.filter(pk=chosen.pk), user).exists()
