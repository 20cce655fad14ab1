"""Writes of care activities, sign-ups and check-ins: each checks the actor, gives a Chinese reason naming the
field, and audits under its own name. Sign-up and check-in lock the activity row (select_for_update), so two taps
at the same moment fill one place and the last place is given once."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from sanxin.care.models import (
    CAPACITY_MAX,
    DESCRIPTION_MAX,
    PLACE_MAX,
    TITLE_MAX,
    WALK_INS_MAX,
    ActivityStatus,
    CareActivity,
    CareSignup,
    CareType,
    SignupStatus,
)
from sanxin.care.workflow import WORKFLOW
from sanxin.core.audit import audit_changes, audit_record
from sanxin.core.events import publish
from sanxin.core.guards import Refused, require
from sanxin.core.scope import region_in_scope, scoped
from sanxin.core.text import control_character, control_character_reason, half_width
from sanxin.core.workflow import timeline_event, transition
from sanxin.regions.models import Region, RegionLevel
from sanxin.stations.models import Station
from sanxin.workers.models import Occupation, Worker

TEXTS = {
    "title": ("活动名称", TITLE_MAX, True),
    "place": ("活动地点", PLACE_MAX, False),
    "description": ("活动内容", DESCRIPTION_MAX, False),
}
MOMENTS = {
    "starts_at": "开始时间",
    "ends_at": "结束时间",
    "signup_opens_at": "报名开始时间",
    "signup_closes_at": "报名截止时间",
}
FIELDS = [
    "title",
    "type",
    "region",
    "station",
    "place",
    "starts_at",
    "ends_at",
    "capacity",
    "signup_opens_at",
    "signup_closes_at",
    "signup_required",
    "occupations",
    "description",
]
EDITABLE = (ActivityStatus.DRAFT, ActivityStatus.PUBLISHED)


def fmt(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


def _moment(value, label: str, errors: dict, name: str) -> datetime | None:
    if isinstance(value, datetime):
        return value if timezone.is_aware(value) else timezone.make_aware(value)
    text = half_width(str(value or "")).strip().replace("/", "-")
    if not text:
        errors[name] = f"请填写{label}"
        return None
    try:
        parsed = parse_datetime(text if len(text) > 10 else "")
    except ValueError:
        parsed = None
    if parsed is None:
        errors[name] = f"{label}应为日期和时间，如 2026-12-20 14:00"
        return None
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)


def _whole(value, label: str, low: int, high: int, errors: dict, name: str) -> int | None:
    text = half_width(str(value if value is not None else "")).strip()
    if not text:
        errors[name] = f"请填写{label}"
        return None
    if not text.isdecimal() or len(text) > 9 or not low <= int(text) <= high:
        errors[name] = f"{label}应为 {low}～{high} 的整数"
        return None
    return int(text)


def _region(value) -> Region | None:
    if isinstance(value, Region):
        return value
    code = half_width(str(value or "")).strip()
    return Region.objects.filter(code=code).first() if code.isdigit() and len(code) <= 12 else None


def activity_errors(fields: dict, *, actor=None) -> tuple[dict[str, str], dict]:
    """The rules of an activity, the same for the form and the API: (errors by field, cleaned fields)."""
    errors: dict[str, str] = {}
    cleaned: dict = {}
    for name, (label, limit, required) in TEXTS.items():
        text = str(fields.get(name) or "").strip()
        if required and not text:
            errors[name] = f"请填写{label}"
        elif len(text) > limit:
            errors[name] = f"{label}最多 {limit} 个字（现有 {len(text)} 个）"
        elif found := control_character(text):
            errors[name] = f"{label}{control_character_reason(found)}"
        cleaned[name] = text
    if fields.get("type") not in CareType.values:
        errors["type"] = "活动类型应为：" + "、".join(str(label) for _, label in CareType.choices)
    cleaned["type"] = fields.get("type")
    region = _region(fields.get("region"))
    if region is None:
        errors["region"] = "所在地区代码不存在，请填写区县（6 位）、街道（9 位）或社区（12 位）区划代码"
    elif region.level < RegionLevel.COUNTY:
        errors["region"] = "关爱活动的所在地区须是区县、街道（乡镇）或社区（村）"
    elif actor is not None and not region_in_scope(actor, region.code):
        errors["region"] = "所在地区不在本单位管辖范围内"
    cleaned["region"] = region
    station = fields.get("station")
    if station not in (None, ""):
        if not isinstance(station, Station):
            text = half_width(str(station)).strip()
            station = Station.objects.filter(pk=int(text)).first() if text.isdecimal() and len(text) < 12 else None
        if station is None or (actor is not None and not scoped(Station.objects.filter(pk=station.pk), actor).exists()):
            errors["station"] = "所选服务阵地不存在或不在本单位管辖范围内"
            station = None
    cleaned["station"] = station or None
    if not cleaned["place"] and station is not None:
        cleaned["place"] = f"{station.name}（{station.address}）"[:PLACE_MAX]
    if not cleaned["place"] and "place" not in errors:
        errors["place"] = "请填写活动地点，或选择服务阵地"
    for name, label in MOMENTS.items():
        cleaned[name] = _moment(fields.get(name), label, errors, name)
    starts, ends = cleaned["starts_at"], cleaned["ends_at"]
    opens, closes = cleaned["signup_opens_at"], cleaned["signup_closes_at"]
    if starts and ends and ends <= starts:
        errors["ends_at"] = "结束时间应晚于开始时间"
    if opens and closes and closes <= opens:
        errors["signup_closes_at"] = "报名截止时间应晚于报名开始时间"
    if closes and ends and closes > ends:
        errors["signup_closes_at"] = "报名截止时间不能晚于活动结束时间"
    cleaned["capacity"] = _whole(fields.get("capacity"), "名额", 1, CAPACITY_MAX, errors, "capacity")
    occupations = fields.get("occupations") or []
    if isinstance(occupations, str):
        occupations = [occupations]
    unknown = [o for o in occupations if o not in Occupation.values]
    if unknown:
        errors["occupations"] = "面向人群应为：" + "、".join(str(label) for _, label in Occupation.choices)
    cleaned["occupations"] = [code for code in Occupation.values if code in occupations]
    cleaned["signup_required"] = bool(fields.get("signup_required", True))
    return errors, cleaned


def snapshot(activity: CareActivity) -> dict:
    return {
        "title": activity.title,
        "type": activity.type,
        "region": activity.region_id,
        "station": activity.station_id,
        "place": activity.place,
        "starts_at": fmt(activity.starts_at),
        "ends_at": fmt(activity.ends_at),
        "capacity": activity.capacity,
        "signup_opens_at": fmt(activity.signup_opens_at),
        "signup_closes_at": fmt(activity.signup_closes_at),
        "signup_required": activity.signup_required,
        "occupations": list(activity.occupations),
        "description": activity.description,
    }


def _validated(fields: dict, *, actor) -> dict:
    errors, cleaned = activity_errors(fields, actor=actor)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _write_guard(actor, activity: CareActivity) -> None:
    if actor is not None and not region_in_scope(actor, activity.region_id):
        raise Refused("该关爱活动不在本单位管辖范围内")


@transaction.atomic
def care_activity_create(*, actor, **fields) -> CareActivity:
    """A new activity (a draft) of the actor's unit in a region the actor keeps."""
    require(actor, "care.manage", person=True)
    if not actor.unit_id:
        raise Refused("没有所属单位的账号不能组织关爱活动")
    cleaned = _validated(fields, actor=actor)
    activity = CareActivity.objects.create(**cleaned, unit=actor.unit, created_by=actor)
    timeline_event(activity, actor=actor, transition="create", label="新建", old="", new=activity.status, new_label="草稿")
    audit_record(actor=actor, action="care_activity_create", obj=activity, detail={"new": snapshot(activity)})
    return activity


@transaction.atomic
def activity_update(*, actor, activity: CareActivity, **changes) -> CareActivity:
    require(actor, "care.manage", person=True)
    activity = CareActivity.objects.select_for_update().get(pk=activity.pk)
    _write_guard(actor, activity)
    if activity.status not in EDITABLE:
        raise ValidationError(f"活动{activity.get_status_display()}，不能修改")
    before = snapshot(activity)
    current = {name: getattr(activity, name) for name in FIELDS}
    cleaned = _validated(current | {k: v for k, v in changes.items() if k in FIELDS}, actor=actor)
    taken = activity.signups.filter(status=SignupStatus.SIGNED_UP).count()
    if cleaned["capacity"] < taken:
        raise ValidationError({"capacity": f"已有 {taken} 人报名，名额不能少于 {taken}"})
    for name, value in cleaned.items():
        setattr(activity, name, value)
    activity.save()
    audit_changes(actor=actor, action="care_activity_update", obj=activity, before=before, after=snapshot(activity))
    return activity


def activity_publish(*, actor, activity: CareActivity, now=None) -> CareActivity:
    _write_guard(actor, activity)
    return transition(WORKFLOW, activity, "publish", actor=actor, action="care_activity_publish", now=now)


def activity_close(*, actor, activity: CareActivity, now=None) -> CareActivity:
    _write_guard(actor, activity)
    return transition(WORKFLOW, activity, "close", actor=actor, action="care_activity_close", now=now)


def activity_cancel(*, actor, activity: CareActivity, reason: str = "", now=None) -> CareActivity:
    _write_guard(actor, activity)
    reason = (reason or "").strip()
    if len(reason) > 500:
        raise ValidationError({"note": "取消原因最多 500 个字"})
    if found := control_character(reason):
        raise ValidationError({"note": "取消原因" + control_character_reason(found)})
    return transition(WORKFLOW, activity, "cancel", actor=actor, action="care_activity_cancel", note=reason, now=now)


ACTIONS = {"publish": activity_publish, "close": activity_close, "cancel": activity_cancel}


@transaction.atomic
def walk_ins_set(*, actor, activity: CareActivity, count, now=None) -> CareActivity:
    """The number of people served on the spot without signing up (counted, not named)."""
    require(actor, "care.manage", person=True)
    activity = CareActivity.objects.select_for_update().get(pk=activity.pk)
    _write_guard(actor, activity)
    if activity.status not in (ActivityStatus.PUBLISHED, ActivityStatus.CLOSED):
        raise ValidationError(f"活动{activity.get_status_display()}，不能登记现场服务人数")
    if (now or timezone.now()) < activity.starts_at:
        raise ValidationError("活动还没有开始，不能登记现场服务人数")
    errors: dict = {}
    value = _whole(count, "现场未报名服务人数", 0, WALK_INS_MAX, errors, "walk_ins")
    if errors:
        raise ValidationError(errors)
    before = activity.walk_ins
    activity.walk_ins = value
    activity.save(update_fields=["walk_ins", "updated_at"])
    audit_changes(actor=actor, action="care_walk_ins_set", obj=activity, before={"walk_ins": before}, after={"walk_ins": value})
    return activity


# The worker's sign-up and check-in.


def _own(actor, worker: Worker) -> None:
    require(actor, "care.join", person=True)
    if worker.user_id != actor.pk:
        raise Refused("只能为本人报名或签到")


def care_signup_create(*, actor, worker: Worker, activity: CareActivity, now=None) -> tuple[CareSignup, bool]:
    """Sign the worker up: (the sign-up, whether it is new). A second tap returns the sign-up already made; the
    activity row is locked, so the last place goes to one of two taps at the same moment."""
    _own(actor, worker)
    now = now or timezone.now()
    with transaction.atomic():
        activity = CareActivity.objects.select_for_update().get(pk=activity.pk)
        existing = CareSignup.objects.filter(activity=activity, worker=worker).first()
        if existing is not None and existing.status == SignupStatus.SIGNED_UP:
            return existing, False
        if activity.status != ActivityStatus.PUBLISHED:
            raise ValidationError(f"活动{activity.get_status_display()}，不能报名")
        if now < activity.signup_opens_at:
            raise ValidationError(f"报名 {fmt(activity.signup_opens_at)} 开始，请到时再来")
        if now >= activity.signup_closes_at or now >= activity.starts_at:
            raise ValidationError(f"报名已于 {fmt(min(activity.signup_closes_at, activity.starts_at))} 截止")
        if activity.occupations and worker.occupation not in activity.occupations:
            labels = "、".join(str(Occupation(o).label) for o in activity.occupations)
            raise ValidationError(f"本活动面向{labels}，您的职业不在其中")
        taken = activity.signups.filter(status=SignupStatus.SIGNED_UP).count()
        if taken >= activity.capacity:
            raise ValidationError(f"名额已满（共 {activity.capacity} 个），不能报名")
        if existing is not None:
            existing.status, existing.signed_up_at, existing.cancelled_at = SignupStatus.SIGNED_UP, now, None
            existing.save(update_fields=["status", "signed_up_at", "cancelled_at", "updated_at"])
            signup = existing
        else:
            signup = CareSignup.objects.create(activity=activity, worker=worker, signed_up_at=now)
        audit_record(actor=actor, action="care_signup_create", obj=signup, detail={"activity": activity.pk})
    return signup, True


@transaction.atomic
def care_signup_cancel(*, actor, worker: Worker, activity: CareActivity, now=None) -> CareSignup:
    """The worker gives their place back, before the activity starts."""
    _own(actor, worker)
    now = now or timezone.now()
    activity = CareActivity.objects.select_for_update().get(pk=activity.pk)
    signup = CareSignup.objects.filter(activity=activity, worker=worker, status=SignupStatus.SIGNED_UP).first()
    if signup is None:
        raise ValidationError("您没有报名该活动，无需取消")
    if now >= activity.starts_at:
        raise ValidationError("活动已经开始，不能取消报名")
    signup.status, signup.cancelled_at = SignupStatus.CANCELLED, now
    signup.save(update_fields=["status", "cancelled_at", "updated_at"])
    audit_record(actor=actor, action="care_signup_cancel", obj=signup, detail={"activity": activity.pk})
    return signup


def activity_by_code(code: str) -> CareActivity:
    """The activity of a printed code (typed in lower case or full width too); else 404."""
    code = half_width(str(code or "")).strip().upper()
    if not code or len(code) > 16 or not code.isascii() or not code.isalnum():
        raise Http404
    activity = CareActivity.objects.select_related("region").filter(checkin_code=code).first()
    if activity is None:
        raise Http404
    return activity


def _window(activity: CareActivity, now: datetime) -> None:
    if activity.status == ActivityStatus.CANCELLED:
        raise ValidationError("活动已取消，不能签到")
    if activity.status == ActivityStatus.DRAFT:
        raise ValidationError("活动尚未发布，不能签到")
    if activity.status == ActivityStatus.CLOSED:
        raise ValidationError("活动已结束，不能签到")
    if now < activity.starts_at:
        raise ValidationError(f"活动 {fmt(activity.starts_at)} 开始，开始后才能签到")
    if now > activity.ends_at:
        raise ValidationError(f"活动已于 {fmt(activity.ends_at)} 结束，不能签到")


def _checked_in(signup: CareSignup, activity: CareActivity, *, actor, now) -> CareSignup:
    signup.checked_in_at = now
    signup.checked_in_by = actor if actor is not None and signup.worker is not None and actor.pk != signup.worker.user_id else None
    signup.save(update_fields=["status", "cancelled_at", "checked_in_at", "checked_in_by", "updated_at"])
    audit_record(
        actor=actor, action="care_checkin", obj=signup, detail={"activity": activity.pk, "by_staff": signup.checked_in_by_id is not None}
    )
    publish(
        "workers.merited",
        worker=signup.worker,
        source=f"care_checkin:{activity.pk}:worker:{signup.worker_id}",
        kind="care_checkin",
        region_code=activity.region_id,
        reason=f"参加关爱活动“{activity.title}”",
        quantity=1,
        points=None,
        actor=actor,
    )
    return signup


def care_checkin(*, actor, worker: Worker, code: str, now=None) -> CareSignup:
    """The worker checks in with the activity's printed code: only while it is under way, only once; signed up first
    unless the activity takes people who did not."""
    _own(actor, worker)
    activity = activity_by_code(code)
    now = now or timezone.now()
    with transaction.atomic():
        activity = CareActivity.objects.select_for_update().get(pk=activity.pk)
        _window(activity, now)
        signup = CareSignup.objects.filter(activity=activity, worker=worker).first()
        if signup is not None and signup.checked_in_at is not None:
            raise ValidationError(f"您已于 {timezone.localtime(signup.checked_in_at):%H:%M} 签到，不能重复签到")
        if signup is None or signup.status != SignupStatus.SIGNED_UP:
            if activity.signup_required:
                raise ValidationError("您没有报名该活动，不能签到；请联系现场工作人员")
            if signup is None:
                signup = CareSignup.objects.create(activity=activity, worker=worker, signed_up_at=now)
            else:
                signup.status, signup.cancelled_at = SignupStatus.SIGNED_UP, None
        return _checked_in(signup, activity, actor=actor, now=now)


def checkin_by_staff(*, actor, signup: CareSignup, now=None) -> CareSignup:
    """Staff check in a signed-up worker by hand (a phone without data): from the start until the activity is
    closed, once."""
    require(actor, "care.manage", person=True)
    now = now or timezone.now()
    with transaction.atomic():
        activity = CareActivity.objects.select_for_update().get(pk=signup.activity_id)
        _write_guard(actor, activity)
        signup = CareSignup.objects.select_for_update().get(pk=signup.pk)
        if activity.status != ActivityStatus.PUBLISHED:
            raise ValidationError(f"活动{activity.get_status_display()}，不能签到")
        if now < activity.starts_at:
            raise ValidationError(f"活动 {fmt(activity.starts_at)} 开始，开始后才能签到")
        if signup.status != SignupStatus.SIGNED_UP or signup.worker is None:
            raise ValidationError("该报名已取消，不能签到")
        if signup.checked_in_at is not None:
            raise ValidationError(f"已于 {timezone.localtime(signup.checked_in_at):%H:%M} 签到，不能重复签到")
        return _checked_in(signup, activity, actor=actor, now=now)


def care_anonymise_for_worker(*, worker: Worker, **payload) -> None:
    """The "workers.erased" handler: sign-ups not checked in are deleted; check-ins stay, without the worker, as
    people served."""
    gone, _ = CareSignup.objects.filter(worker=worker, checked_in_at__isnull=True).delete()
    kept = CareSignup.objects.filter(worker=worker).update(worker=None)
    if gone or kept:
        audit_record(
            actor=None,
            action="care_anonymise_for_worker",
            object_type="workers.worker",
            object_id=str(worker.pk),
            actor_name="system",
            detail={"deleted": gone, "anonymised": kept},
        )
