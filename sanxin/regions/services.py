"""Writes on zones (园区/楼宇/商圈/市场). Each runs in a transaction and is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from sanxin.core.audit import audit_changes, audit_record
from sanxin.core.guards import require
from sanxin.core.scope import region_in_scope
from sanxin.regions.models import Region, RegionLevel, Zone

ZONE_LEVELS = (RegionLevel.COUNTY, RegionLevel.TOWNSHIP)


def _require(actor) -> None:
    if actor is None or not actor.can("zones.manage"):
        raise PermissionError("无权执行此操作")


def _check_zone(actor, zone: Zone) -> None:
    """A zone lies in a county or township (domain.md) inside the actor's territory, with a name unique there."""
    region: Region = zone.region
    if region.level not in ZONE_LEVELS:
        raise ValidationError({"region": f"园区/楼宇/商圈应位于区县或乡镇/街道，“{region.full_name}”是{region.get_level_display()}"})
    if not region_in_scope(actor, region.code):
        raise ValidationError({"region": f"“{region.full_name}”不在您的管辖范围内"})
    if Zone.objects.filter(region=region, name=zone.name).exclude(pk=zone.pk).exists():
        raise ValidationError({"name": f"“{region.name}”已有名为“{zone.name}”的园区/楼宇/商圈"})


def _snapshot(zone: Zone) -> dict:
    return {"name": zone.name, "kind": zone.kind, "region": zone.region_id, "address": zone.address}


@transaction.atomic
def zone_create(*, actor, name: str, kind: str, region: Region, address: str = "") -> Zone:
    require(actor, "zones.manage")
    _require(actor)
    zone = Zone(name=name.strip(), kind=kind, region=region, address=address.strip())
    zone.full_clean(validate_unique=False, validate_constraints=False)
    _check_zone(actor, zone)
    zone.save()
    audit_record(actor=actor, action="zone_create", obj=zone, detail={"new": _snapshot(zone)})
    return zone


@transaction.atomic
def zone_update(*, actor, zone: Zone, **changes) -> Zone:
    """The caller has fetched `zone` inside the actor's scope; the new values must stay inside it."""
    require(actor, "zones.manage")
    _require(actor)
    before = _snapshot(zone)
    for field, value in changes.items():
        setattr(zone, field, value.strip() if isinstance(value, str) else value)
    zone.full_clean(validate_unique=False, validate_constraints=False)
    _check_zone(actor, zone)
    zone.save()
    audit_changes(actor=actor, action="zone_update", obj=zone, before=before, after=_snapshot(zone))
    return zone
