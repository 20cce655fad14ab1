"""Writes of stations, their 六有 photos, check-ins and staff-pinned demand points: each checks the actor's
capability, gives a Chinese reason naming the field, and audits the old and new values under its own name."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanxin.core.audit import audit_changes, audit_record
from sanxin.core.geo import position_errors
from sanxin.core.guards import Refused, require
from sanxin.core.offline import parse_client_key
from sanxin.core.photos import photo_path, store_photo
from sanxin.core.scope import region_in_scope
from sanxin.core.text import control_character, control_character_reason, half_width
from sanxin.regions.models import Region, RegionLevel
from sanxin.stations.models import (
    ADDRESS_MAX,
    AMENITY_LABELS,
    CHECKLIST,
    CHECKLIST_LABELS,
    HOURS_MAX,
    NAME_MAX,
    NOTE_MAX,
    OPERATOR_MAX,
    CheckIn,
    DemandPoint,
    Station,
    StationPhoto,
    StationType,
    new_checkin_code,
)

FIELDS = [
    "name",
    "type",
    "operator_name",
    "organization",
    "region",
    "address",
    "longitude",
    "latitude",
    "opening_hours",
    "open_24h",
    "amenities",
    "checklist",
    "is_open",
    "note",
]
TEXTS = {
    "name": ("名称", NAME_MAX, True),
    "operator_name": ("运营单位", OPERATOR_MAX, False),
    "address": ("详细地址", ADDRESS_MAX, True),
    "opening_hours": ("开放时间", HOURS_MAX, False),
    "note": ("备注", NOTE_MAX, False),
}
MAX_PHOTOS_PER_ITEM = 6
STATION_REGION_LEVELS = (RegionLevel.TOWNSHIP, RegionLevel.COMMUNITY)


def _region(value) -> Region | None:
    if isinstance(value, Region):
        return value
    code = half_width(str(value or "")).strip()
    return Region.objects.filter(code=code).first() if code.isdigit() else None


def station_errors(fields: dict, *, actor=None) -> tuple[dict[str, str], dict]:
    """The rules of a station, the same for the form, the API and the import: (errors by field, cleaned fields)."""
    errors: dict[str, str] = {}
    cleaned: dict = {}
    for name, (label, limit, required) in TEXTS.items():
        text = str(fields.get(name) or "").strip()
        if required and not text:
            errors[name] = f"请填写{label}"
        elif len(text) > limit:
            errors[name] = f"{label}最多 {limit} 个字（现有 {len(text)} 个）"
        elif found := control_character(text):
            errors[name] = control_character_reason(found)
        cleaned[name] = text
    if fields.get("type") not in StationType.values:
        errors["type"] = "类型应为：" + "、".join(str(label) for _, label in StationType.choices)
    cleaned["type"] = fields.get("type")
    region = _region(fields.get("region"))
    if region is None:
        errors["region"] = "所在地区代码不存在，请填写街道（乡镇）或社区（村）的 9 位或 12 位区划代码"
    elif region.level not in STATION_REGION_LEVELS:
        errors["region"] = "服务阵地的所在地区须是街道（乡镇）或社区（村）"
    elif actor is not None and not region_in_scope(actor, region.code):
        errors["region"] = "所在地区不在本单位管辖范围内"
    cleaned["region"] = region
    position, cleaned["longitude"], cleaned["latitude"] = position_errors(fields.get("longitude"), fields.get("latitude"))
    errors |= position
    amenities = list(fields.get("amenities") or [])
    unknown = [a for a in amenities if a not in AMENITY_LABELS]
    if unknown:
        errors["amenities"] = "服务设施不在可选范围内：" + "、".join(str(a)[:20] for a in unknown[:5])
    cleaned["amenities"] = [code for code in AMENITY_LABELS if code in amenities]  # the catalogue's order, once each
    ticked = fields.get("checklist") or []
    ticked = [code for code, on in ticked.items() if on] if isinstance(ticked, dict) else list(ticked)
    unknown = [c for c in ticked if c not in CHECKLIST_LABELS]
    if unknown:
        errors["checklist"] = "六有项目应为：" + "、".join(CHECKLIST_LABELS.values())
    cleaned["checklist"] = {code: code in ticked for code, _ in CHECKLIST}
    cleaned["open_24h"] = bool(fields.get("open_24h"))
    cleaned["is_open"] = bool(fields.get("is_open", True))
    if not cleaned["open_24h"] and not cleaned["opening_hours"] and "opening_hours" not in errors:
        errors["opening_hours"] = "请填写开放时间（如 08:00-20:00），或勾选 24 小时开放"
    cleaned["organization"] = fields.get("organization")
    return errors, cleaned


def snapshot(station: Station) -> dict:
    return {
        "name": station.name,
        "type": station.type,
        "operator_name": station.operator_name,
        "organization": station.organization_id,
        "region": station.region_id,
        "address": station.address,
        "longitude": str(station.longitude),
        "latitude": str(station.latitude),
        "opening_hours": station.opening_hours,
        "open_24h": station.open_24h,
        "amenities": list(station.amenities),
        "checklist": dict(station.checklist),
        "is_open": station.is_open,
        "note": station.note,
    }


def _validated(fields: dict, *, actor) -> dict:
    errors, cleaned = station_errors(fields, actor=actor)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _name_taken(region: Region, name: str, exclude: int | None = None) -> bool:
    return Station.objects.filter(region=region, name=name).exclude(pk=exclude).exists()


@transaction.atomic
def station_create(*, actor, **fields) -> Station:
    """A new station at a street or community the actor keeps, with its own unguessable check-in code."""
    require(actor, "stations.manage")
    cleaned = _validated(fields, actor=actor)
    if _name_taken(cleaned["region"], cleaned["name"]):
        raise ValidationError({"name": f"{cleaned['region'].name}已有名为“{cleaned['name']}”的服务阵地"})
    station = Station(**cleaned, created_by=actor)
    station.checklist_complete = all(station.checklist.values())
    station.save()
    audit_record(actor=actor, action="station_create", obj=station, detail={"new": snapshot(station)})
    return station


@transaction.atomic
def station_update(*, actor, station: Station, **changes) -> Station:
    require(actor, "stations.manage")
    station = Station.objects.select_for_update().get(pk=station.pk)
    if actor is not None and not region_in_scope(actor, station.region_id):
        raise Refused("该服务阵地不在本单位管辖范围内")
    before = snapshot(station)
    current = {name: getattr(station, name) for name in FIELDS}
    current["checklist"] = dict(station.checklist)
    cleaned = _validated(current | {k: v for k, v in changes.items() if k in FIELDS}, actor=actor)
    if _name_taken(cleaned["region"], cleaned["name"], exclude=station.pk):
        raise ValidationError({"name": f"{cleaned['region'].name}已有名为“{cleaned['name']}”的服务阵地"})
    for name, value in cleaned.items():
        setattr(station, name, value)
    station.checklist_complete = all(station.checklist.values())
    station.save()
    audit_changes(actor=actor, action="station_update", obj=station, before=before, after=snapshot(station))
    return station


@transaction.atomic
def station_code_renew(*, actor, station: Station) -> Station:
    """A new check-in code (the printed one was copied or damaged): the old code stops working."""
    require(actor, "stations.manage")
    station = Station.objects.select_for_update().get(pk=station.pk)
    station.checkin_code = new_checkin_code()
    station.save(update_fields=["checkin_code", "updated_at"])
    audit_record(actor=actor, action="station_code_renew", obj=station)
    return station


@transaction.atomic
def station_photo_add(*, actor, station: Station, item: str, upload) -> StationPhoto:
    """A photo of one 六有 item: checked and re-encoded by sanxin.core.photos (no EXIF, random name)."""
    require(actor, "stations.manage")
    if item not in CHECKLIST_LABELS:
        raise ValidationError({"item": "请选择六有项目"})
    if upload is None:
        raise ValidationError({"photo": "请选择照片"})
    if StationPhoto.objects.filter(station=station, item=item).count() >= MAX_PHOTOS_PER_ITEM:
        raise ValidationError({"photo": f"每个六有项目最多 {MAX_PHOTOS_PER_ITEM} 张照片，请先删除旧照片"})
    try:
        stored = store_photo(upload, Station.UPLOAD_FOLDER)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from None
    photo = StationPhoto.objects.create(
        station=station,
        item=item,
        stored_name=stored.stored_name,
        width=stored.width,
        height=stored.height,
        size=stored.size,
        uploaded_by=actor,
    )
    audit_record(actor=actor, action="station_photo_add", obj=station, detail={"item": item, "photo": photo.pk})
    return photo


@transaction.atomic
def station_photo_delete(*, actor, photo: StationPhoto) -> None:
    require(actor, "stations.manage")
    station, item, stored = photo.station, photo.item, photo.stored_name
    photo.delete()
    path = photo_path(Station.UPLOAD_FOLDER, stored)
    transaction.on_commit(lambda: path.unlink(missing_ok=True))
    audit_record(actor=actor, action="station_photo_delete", obj=station, detail={"item": item})


def checkin_create(
    *, actor, worker, station: Station, longitude=None, latitude=None, client_key=None, at: datetime | None = None
) -> tuple[CheckIn, bool]:
    """The worker checks in at the station: (the check-in, whether it is new). A second tap the same day, or the
    same client_key sent again by an offline phone, writes nothing and returns the check-in already counted."""
    require(actor, "stations.checkin", person=True)
    if worker.user_id != actor.pk:
        raise Refused("只能为本人签到")
    if not Station.objects.filter(pk=station.pk, is_open=True).exists():
        raise ValidationError("该服务阵地暂停服务，不能签到")
    key = parse_client_key(client_key)
    lon = lat = None
    if longitude not in (None, "") or latitude not in (None, ""):
        errors, lon, lat = position_errors(longitude, latitude)
        if errors:
            lon = lat = None  # a position the phone got wrong is dropped, never guessed; the check-in still counts
    at = at or timezone.now()
    day = timezone.localdate(at)
    if key is not None and (same := CheckIn.objects.filter(worker=worker, client_key=key).first()):
        return same, False
    if existing := CheckIn.objects.filter(worker=worker, station=station, day=day).first():
        return existing, False
    try:
        with transaction.atomic():
            checkin = CheckIn.objects.create(
                worker=worker, station=station, checked_at=at, day=day, longitude=lon, latitude=lat, client_key=key
            )
            audit_record(actor=actor, action="checkin_create", obj=checkin, detail={"station": station.pk})
    except IntegrityError:  # the same tap arriving twice at once: the other one counted
        same = CheckIn.objects.filter(worker=worker, client_key=key).first() if key else None
        return same or CheckIn.objects.get(worker=worker, station=station, day=day), False
    return checkin, True


@transaction.atomic
def demand_point_create(*, actor, name: str, region, longitude, latitude, weight=1, note: str = "") -> DemandPoint:
    """A place staff pin where workers gather (a demand point of the 15-minute circle)."""
    require(actor, "stations.manage")
    errors: dict[str, str] = {}
    name = str(name or "").strip()
    if not name:
        errors["name"] = "请填写名称"
    elif len(name) > NAME_MAX:
        errors["name"] = f"名称最多 {NAME_MAX} 个字"
    elif found := control_character(name):
        errors["name"] = control_character_reason(found)
    note = str(note or "").strip()
    if len(note) > NOTE_MAX:
        errors["note"] = f"备注最多 {NOTE_MAX} 个字"
    place = _region(region)
    if place is None or place.level < RegionLevel.COUNTY:
        errors["region"] = "请选择区县、街道或社区"
    elif actor is not None and not region_in_scope(actor, place.code):
        errors["region"] = "所在地区不在本单位管辖范围内"
    position, lon, lat = position_errors(longitude, latitude)
    errors |= position
    try:
        weight = int(half_width(str(weight)).strip())
    except ValueError:
        weight = 0
    if not 1 <= weight <= 100000:
        errors["weight"] = "权重应为 1～100000 的整数"
    if errors:
        raise ValidationError(errors)
    point = DemandPoint.objects.create(name=name, region=place, longitude=lon, latitude=lat, weight=weight, note=note, created_by=actor)
    audit_record(
        actor=actor,
        action="demand_point_create",
        obj=point,
        detail={"new": {"name": name, "region": place.code, "longitude": str(lon), "latitude": str(lat), "weight": weight}},
    )
    return point


@transaction.atomic
def demand_point_delete(*, actor, point: DemandPoint) -> None:
    require(actor, "stations.manage")
    if actor is not None and not region_in_scope(actor, point.region_id):
        raise Refused("该需求点不在本单位管辖范围内")
    audit_record(actor=actor, action="demand_point_delete", obj=point, detail={"old": {"name": point.name}})
    point.delete()
