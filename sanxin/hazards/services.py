"""Writes of hazard reports: reporting one (a worker, exactly once per client key; a unit through Open311),
joining one ("我也看到了"), every state change through the workflow table, the points it earns (published as
"workers.merited" / "workers.merit_withdrawn", owned by the points app), and the anonymisation when a worker is
erased. Every rule is checked here with a Chinese reason; every write is audited."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanxin.core.audit import audit_record
from sanxin.core.events import publish
from sanxin.core.geo import position_errors
from sanxin.core.guards import Refused, require
from sanxin.core.notifications import Message, notify
from sanxin.core.offline import create_once, parse_client_key
from sanxin.core.photos import photo_path, store_photo
from sanxin.core.scope import region_in_scope
from sanxin.core.text import control_character, control_character_reason, half_width
from sanxin.core.workflow import timeline_event, transition
from sanxin.hazards.models import (
    MAX_PHOTOS,
    OPEN_STATUSES,
    PLACE_MAX,
    TEXT_MAX,
    HazardCategory,
    HazardPhoto,
    HazardReport,
    HazardSource,
    HazardStatus,
    HazardSupporter,
)
from sanxin.hazards.selectors import region_near, route_unit
from sanxin.hazards.workflow import WORKFLOW
from sanxin.regions.models import Region, RegionLevel
from sanxin.workers.models import Worker

POINTS_KIND = "hazard_valid"


def report_errors(fields: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    category = fields.get("category") or ""
    if category not in HazardCategory.values:
        errors["category"] = "请选择隐患类别" if not category else "隐患类别不在可选范围内"
    text = str(fields.get("text") or "").strip()
    if not text:
        errors["text"] = "请填写情况描述"
    elif len(text) > TEXT_MAX:
        errors["text"] = f"情况描述最多 {TEXT_MAX} 个字（现有 {len(text)} 个）"
    place = str(fields.get("place") or "").strip()
    if len(place) > PLACE_MAX:
        errors["place"] = f"地点最多 {PLACE_MAX} 个字（现有 {len(place)} 个）"
    for name in ("text", "place"):
        found = control_character(str(fields.get(name) or "").replace("\r", "").replace("\n", "").replace("\t", ""))
        if found and name not in errors:
            errors[name] = control_character_reason(found)
    return errors


def _region(value) -> Region | None:
    code = value.pk if isinstance(value, Region) else half_width(str(value or "")).strip()
    if not (code.isascii() and code.isdigit()):
        return None
    return Region.objects.filter(pk=code, level__gte=RegionLevel.TOWNSHIP).first()


def default_region(worker: Worker, longitude, latitude) -> Region | None:
    """The community a report lies in when the reporter picked none: the community whose centre is nearest the
    phone's position (within 3 km, where the platform knows centres), else the worker's own registered region."""
    return region_near(longitude, latitude) or Region.objects.filter(pk=worker.region_id).first()


def _check_photos(photos) -> list:
    photos = [p for p in (photos or []) if p]
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": f"最多上传 {MAX_PHOTOS} 张照片"})
    return photos


def _store_photos(report: HazardReport, photos) -> int:
    for upload in photos:
        try:
            stored = store_photo(upload, HazardReport.UPLOAD_FOLDER)
        except ValidationError as error:
            raise ValidationError({"photos": error.messages}) from None
        HazardPhoto.objects.create(
            report=report, stored_name=stored.stored_name, width=stored.width, height=stored.height, size=stored.size
        )
    return len(photos)


def _unit_people(unit) -> list:
    from sanxin.accounts.models import User

    return list(User.objects.filter(unit=unit, is_active=True, roles__role__in=["region_staff", "grassroots_staff"]).distinct())


def _created(report: HazardReport, *, actor, photos: int, via: str) -> None:
    audit_record(
        actor=actor,
        action="hazard_create",
        obj=report,
        detail={"new": {"category": report.category, "region": report.region_id, "unit": report.unit_id, "photos": photos, "via": via}},
    )
    timeline_event(
        report,
        actor=actor,
        transition="create",
        label="上报隐患",
        old="",
        new=report.status,
        new_label=report.get_status_display(),
        note=f"由{report.unit.name}核实处理",
    )
    notify(
        _unit_people(report.unit),
        Message(f"新随手拍{report.number}待核实", body=f"{report.get_category_display()}，{report.place}", link=f"/hazards/{report.pk}/"),
    )


def _position(longitude, latitude, *, required: bool):
    errors, lon, lat = position_errors(longitude, latitude, required=required)
    if errors:
        raise ValidationError(errors)
    return lon, lat


@transaction.atomic
def hazard_create(
    *, actor, category: str, text: str, place: str = "", region=None, longitude=None, latitude=None, photos=None, client_key=None, now=None
) -> HazardReport:
    """A worker reports a hazard (actor: their own account). The region is the community they picked, by default
    the one the position lies in (default_region); the report goes to that community's unit (route_unit). The
    same client key again answers the report it made (exactly once, for a phone that sent it offline and again)."""
    require(actor, "hazards.report", person=True)
    worker = Worker.objects.filter(user=actor).first()
    if worker is None:
        raise Refused("只有从业人员本人可以随手拍上报")
    key = parse_client_key(client_key)

    def create() -> HazardReport:
        errors = report_errors({"category": category, "text": text, "place": place})
        position, lon, lat = position_errors(longitude, latitude, required=False)
        errors |= position
        region_obj = _region(region) if region not in (None, "") else (default_region(worker, lon, lat) if not position else None)
        if region_obj is None and "longitude" not in errors and "latitude" not in errors:
            errors["region"] = "请选择隐患所在的社区（街道）"
        if errors:
            raise ValidationError(errors)
        checked = _check_photos(photos)
        unit = route_unit(region_obj.code)
        if unit is None:
            raise ValidationError({"region": "该社区暂无负责核实隐患的单位，请选择其他社区或联系街道"})
        report = HazardReport.objects.create(
            reporter=worker,
            category=category,
            text=text.strip(),
            place=(place or "").strip(),
            region=region_obj,
            longitude=lon,
            latitude=lat,
            unit=unit,
            submitted_at=now or timezone.now(),
            client_key=key,
        )
        count = _store_photos(report, checked)
        _created(report, actor=actor, photos=count, via="worker")
        return report

    report, _ = create_once(HazardReport, owner={"reporter": worker}, client_key=key, create=create)
    return report


@transaction.atomic
def hazard_join(*, actor, report: HazardReport) -> HazardSupporter:
    """ "我也看到了": the worker joins an open report (once) instead of sending the same one again."""
    require(actor, "hazards.report", person=True)
    worker = Worker.objects.filter(user=actor).first()
    if worker is None:
        raise Refused("只有从业人员本人可以附议随手拍")
    report = HazardReport.objects.select_for_update().get(pk=report.pk)
    if report.status not in OPEN_STATUSES:
        raise ValidationError("该随手拍已办结或核实为无效、重复，不能再附议")
    if report.reporter_id == worker.pk:
        raise ValidationError("这是您本人上报的随手拍")
    existing = HazardSupporter.objects.filter(report=report, worker=worker).first()
    if existing is not None:
        return existing
    supporter = HazardSupporter.objects.create(report=report, worker=worker)
    audit_record(actor=actor, action="hazard_join", obj=report, detail={"new": {"supporter": worker.pk}})
    timeline_event(
        report,
        actor=actor,
        transition="join",
        label="我也看到了（附议）",
        old=report.status,
        new=report.status,
        new_label=report.get_status_display(),
    )
    return supporter


# Points (the contract of issue 12: the points app listens; nobody imports it).


def _source(report: HazardReport) -> str:
    return f"hazard:{report.pk}"


def _merited(report: HazardReport, actor) -> None:
    if report.reporter is None:
        return  # a unit's Open311 report earns no worker anything
    publish(
        "workers.merited",
        worker=report.reporter,
        source=_source(report),
        kind=POINTS_KIND,
        region_code=report.region_id,
        reason=f"随手拍{report.number}（{report.get_category_display()}）核实有效",
        quantity=1,
        points=None,
        actor=actor,
    )


def _withdrawn(report: HazardReport, actor, reason: str) -> None:
    if report.reporter is None:
        return
    publish("workers.merit_withdrawn", source=_source(report), reason=reason, actor=actor)


# The workflow's steps, one service each (the audit action is the service's name).


def _note_checked(note: str, limit: int = 500) -> str:
    note = note or ""
    if len(note) > limit:
        raise ValidationError({"note": f"说明最多 {limit} 个字（现有 {len(note)} 个）"})
    found = control_character(note.replace("\r", "").replace("\n", "").replace("\t", ""))
    if found:
        raise ValidationError({"note": control_character_reason(found)})
    return note


@transaction.atomic
def hazard_verify_valid(*, actor, report: HazardReport, now=None) -> HazardReport:
    """Verified valid: the reporter earns points once (publish "workers.merited", kind hazard_valid). Refused
    when an earlier valid report of the same category lies within 100 m and 72 h (mark it duplicate instead)."""
    done = transition(WORKFLOW, report, "verify_valid", actor=actor, action="hazard_verify_valid", now=now)
    _merited(done, actor)
    return done


def hazard_verify_invalid(*, actor, report: HazardReport, reason: str = "", now=None) -> HazardReport:
    return transition(WORKFLOW, report, "verify_invalid", actor=actor, action="hazard_verify_invalid", note=_note_checked(reason), now=now)


def hazard_mark_duplicate(*, actor, report: HazardReport, original: HazardReport | None, note: str = "", now=None) -> HazardReport:
    note = _note_checked(note) or (f"与{original.number}重复" if original is not None else "")
    return transition(
        WORKFLOW, report, "mark_duplicate", actor=actor, action="hazard_mark_duplicate", note=note, original=original, now=now
    )


def hazard_dispatch(*, actor, report: HazardReport, unit=None, note: str = "", now=None) -> HazardReport:
    return transition(WORKFLOW, report, "dispatch", actor=actor, action="hazard_dispatch", note=_note_checked(note), unit=unit, now=now)


def hazard_resolve(*, actor, report: HazardReport, reply: str = "", now=None) -> HazardReport:
    _note_checked(reply, 1000)
    return transition(WORKFLOW, report, "resolve", actor=actor, action="hazard_resolve", reply=reply, now=now)


@transaction.atomic
def hazard_correct(*, actor, report: HazardReport, to: str, reason: str = "", original=None, now=None) -> HazardReport:
    """A verification corrected away from valid (to invalid, or duplicate of an earlier report): the points
    earned are withdrawn (publish "workers.merit_withdrawn")."""
    reason = _note_checked(reason)
    if to == HazardStatus.INVALID:
        done = transition(WORKFLOW, report, "correct_invalid", actor=actor, action="hazard_correct", note=reason, now=now)
    elif to == HazardStatus.DUPLICATE:
        done = transition(
            WORKFLOW, report, "correct_duplicate", actor=actor, action="hazard_correct", note=reason, original=original, now=now
        )
    else:
        raise ValidationError("只能更正为“核实无效”或“重复上报”")
    _withdrawn(done, actor, f"随手拍{done.number}经复核更正为{done.get_status_display()}：{reason}")
    return done


# Open311 (a unit's account posts a service request with its API token).


@transaction.atomic
def open311_create(
    *, actor, service_code: str, description: str, lat=None, long=None, address_string: str = "", address_id: str = ""
) -> HazardReport:
    """A unit's system posts a report (sanxin.hazards.open311): it lands in the unit's scope — the region named
    (address_id, a region code) or the community the position lies in (region_near) must be inside the unit's
    region, else it is refused in Chinese. Without either inside the unit's region, the unit's own region."""
    require(actor, "hazards.handle", person=True)
    unit = actor.unit
    if unit is None or not unit.region_id:
        raise Refused("本账号所在单位没有管辖区域，不能上报")
    errors = report_errors({"category": service_code, "text": description, "place": address_string})
    if "category" in errors:
        errors["service_code"] = errors.pop("category")
    if "text" in errors:
        errors["description"] = errors.pop("text")
    if "place" in errors:
        errors["address_string"] = errors.pop("place")
    lon = latitude = None
    if lat not in (None, "") or long not in (None, ""):
        position, lon, latitude = position_errors(long, lat, required=True)
        if position:
            errors["lat"] = "；".join(position.values())
    if errors:
        raise ValidationError(errors)
    if address_id:
        region = _region(address_id)
        if region is None:
            raise ValidationError({"address_id": "address_id 应为街道或社区的 9 位或 12 位区划代码"})
    elif lon is not None:
        region = region_near(lon, latitude)
        if region is None:
            region = Region.objects.filter(pk=unit.region_id).first()
    else:
        raise ValidationError({"lat": "请提供位置（lat、long）或区划代码（address_id）"})
    if not region_in_scope(actor, region.code):
        raise Refused(f"位置所在的{region.name}不在本单位（{unit.name}）管辖范围内")
    responsible = route_unit(region.code)
    if responsible is None:
        raise ValidationError({"address_id": "该区域暂无负责核实隐患的单位"})
    report = HazardReport.objects.create(
        source=HazardSource.OPEN311,
        posted_by_unit=unit,
        category=service_code,
        text=description.strip(),
        place=(address_string or "").strip(),
        region=region,
        longitude=lon,
        latitude=latitude,
        unit=responsible,
        submitted_at=timezone.now(),
    )
    _created(report, actor=actor, photos=0, via="open311")
    return report


# Erasure.


@transaction.atomic
def hazard_anonymise_for_worker(worker: Worker) -> int:
    """When a worker's data is erased: their reports stay (the hazard is real and may still be handled), without
    them: no reporter, no client key, the text replaced, the photos deleted; their joins kept without them."""
    reports = list(HazardReport.objects.select_for_update().filter(reporter=worker))
    for report in reports:
        for photo in report.photos.all():
            path = photo_path(HazardReport.UPLOAD_FOLDER, photo.stored_name)
            transaction.on_commit(lambda path=path: path.unlink(missing_ok=True))
        report.photos.all().delete()
        report.reporter = None
        report.client_key = None
        report.text = "（上报人已注销，描述已删除）"
        report.save()
        audit_record(
            actor=None,
            action="hazard_anonymise_for_worker",
            obj=report,
            actor_name="system",
            detail={"old": {"reporter": worker.pk}, "new": {"reporter": None}},
        )
    HazardSupporter.objects.filter(worker=worker).update(worker=None)
    return len(reports)


def on_worker_erased(*, worker: Worker, **payload) -> None:
    """The "workers.erased" event's handler: the worker's reports anonymised in the same transaction."""
    hazard_anonymise_for_worker(worker)
