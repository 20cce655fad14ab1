"""Writes of appeals: raising one (exactly once per client key), joining one ("我也遇到了"), every state change
through the workflow table, the routing table, the daily escalation, and the anonymisation when a worker is
erased. Every rule is checked here with a Chinese reason; every write is audited with its old and new values."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from sanxin.appeals import deadlines
from sanxin.appeals.models import (
    CLOCK_RUNNING,
    FIRM_CATEGORIES,
    MAX_PHOTOS,
    PLACE_MAX,
    TEXT_MAX,
    WORKER_CATEGORIES,
    Appeal,
    AppealKind,
    AppealPhoto,
    AppealStatus,
    AppealSupporter,
    Rating,
    RoutingRule,
)
from sanxin.appeals.selectors import HANDLING_KINDS, route_unit
from sanxin.appeals.workflow import WORKFLOW, unit_people
from sanxin.core.audit import audit_changes, audit_record
from sanxin.core.geo import position_errors
from sanxin.core.guards import Refused, require
from sanxin.core.notifications import Message, notify
from sanxin.core.offline import create_once, parse_client_key
from sanxin.core.photos import photo_path, store_photo
from sanxin.core.scope import region_in_scope
from sanxin.core.text import control_character, control_character_reason, half_width
from sanxin.core.workflow import timeline_event, transition
from sanxin.regions.models import Region
from sanxin.workers.models import Worker


def appeal_errors(fields: dict) -> dict[str, str]:
    errors: dict[str, str] = {}
    kind = fields.get("kind") or AppealKind.WORKER
    if kind not in AppealKind.values:
        errors["kind"] = "诉求类型应为 从业人员诉求 或 助企服务"
    category = fields.get("category") or ""
    allowed = FIRM_CATEGORIES if kind == AppealKind.FIRM else WORKER_CATEGORIES
    if category not in allowed:
        errors["category"] = "请选择诉求类别" if not category else "诉求类别与诉求类型不符"
    text = (fields.get("text") or "").strip()
    if not text:
        errors["text"] = "请填写诉求内容"
    elif len(text) > TEXT_MAX:
        errors["text"] = f"诉求内容最多 {TEXT_MAX} 个字（现有 {len(text)} 个）"
    place = (fields.get("place") or "").strip()
    if not place:
        errors["place"] = "请填写发生地点"
    elif len(place) > PLACE_MAX:
        errors["place"] = f"发生地点最多 {PLACE_MAX} 个字（现有 {len(place)} 个）"
    for name in ("text", "place"):
        found = control_character(str(fields.get(name) or "").replace("\r", "").replace("\n", "").replace("\t", ""))
        if found and name not in errors:
            errors[name] = control_character_reason(found)
    if kind == AppealKind.FIRM and not (fields.get("firm_name") or "").strip():
        errors["firm_name"] = "助企服务请填写企业名称"
    return errors


def _check_photos(photos) -> list:
    photos = [p for p in (photos or []) if p]
    if len(photos) > MAX_PHOTOS:
        raise ValidationError({"photos": f"最多上传 {MAX_PHOTOS} 张照片"})
    return photos


@transaction.atomic
def appeal_create(
    *,
    actor,
    category: str,
    text: str,
    place: str,
    region: Region | str,
    worker: Worker | None = None,
    kind: str = AppealKind.WORKER,
    firm_name: str = "",
    platform=None,
    shielded: bool | None = None,
    longitude=None,
    latitude=None,
    photos=None,
    client_key=None,
    now=None,
) -> Appeal:
    """A worker raises an appeal (actor: their own account; `worker` is theirs), or staff raise one on a worker's
    or a firm's behalf in their own area. Routed at once by the routing table; the shield is on by default when
    it is about a platform. The same client key from the same worker again returns the appeal it made (exactly
    once, for a phone that sent it offline and again)."""
    if actor is None:
        raise Refused("系统不能代为提出诉求")
    own = Worker.objects.filter(user=actor).first() if actor.can("appeals.raise") else None
    if own is not None:
        worker = own
        raised_by = None
        if kind != AppealKind.WORKER:
            raise ValidationError({"kind": "从业人员本人只能提出从业人员诉求"})
    else:
        require(actor, "appeals.handle", person=True)
        raised_by = actor
    key = parse_client_key(client_key) if worker is not None else None

    # Exactly once per client key (sanxin.core.offline): a repeat answers the appeal made, before any check.
    def create() -> Appeal:
        region_code = region.pk if isinstance(region, Region) else half_width(str(region or "")).strip()
        fields = {"kind": kind, "category": category, "text": text, "place": place, "firm_name": firm_name}
        errors = appeal_errors(fields)
        region_obj = Region.objects.filter(pk=region_code).first() if region_code.isascii() and region_code.isdigit() else None
        if region_obj is None:
            errors["region"] = "请选择诉求发生地所在的区划（街道或社区）"
        elif raised_by is not None and not region_in_scope(actor, region_obj.code):
            errors["region"] = "所选区划不在本单位管辖范围内"
        if errors:
            raise ValidationError(errors)
        position, lon, lat = position_errors(longitude, latitude, required=False)
        if position:
            raise ValidationError(position)
        checked_photos = _check_photos(photos)
        unit = route_unit(region_obj.code, category)
        if unit is None:
            raise ValidationError({"region": "该区划暂无承办诉求的单位，请联系上级党委社会工作部设置诉求分派规则"})
        moment = now or timezone.now()
        accept_due = deadlines.accept_due(moment)
        appeal = Appeal(
            worker=worker,
            raised_by=raised_by,
            kind=kind,
            firm_name=(firm_name or "").strip()[:100],
            category=category,
            text=text.strip(),
            place=place.strip(),
            region=region_obj,
            longitude=lon,
            latitude=lat,
            platform=platform,
            shielded=(platform is not None) if shielded is None else bool(shielded and platform is not None),
            unit=unit,
            submitted_at=moment,
            accept_due_at=accept_due,
            due_at=accept_due,
            client_key=key,
        )
        appeal.save()
        for upload in checked_photos:
            stored = store_photo(upload, Appeal.UPLOAD_FOLDER)
            AppealPhoto.objects.create(
                appeal=appeal, stored_name=stored.stored_name, width=stored.width, height=stored.height, size=stored.size
            )
        audit_record(
            actor=actor,
            action="appeal_create",
            obj=appeal,
            detail={
                "new": {
                    "category": category,
                    "region": region_obj.code,
                    "unit": unit.pk,
                    "platform": platform.pk if platform else None,
                    "shielded": appeal.shielded,
                    "photos": len(checked_photos),
                    "on_behalf": raised_by is not None,
                }
            },
        )
        timeline_event(
            appeal,
            actor=actor,
            transition="create",
            label="提交诉求",
            old="",
            new=appeal.status,
            new_label=appeal.get_status_display(),
            note=f"分派至{unit.name}",
        )
        notify(
            unit_people(unit),
            Message(f"新诉求{appeal.number}待受理", body=f"{appeal.get_category_display()}，{appeal.place}", link=f"/appeals/{appeal.pk}/"),
        )
        return appeal

    appeal, _ = create_once(Appeal, owner={"worker": worker}, client_key=key, create=create)
    return appeal


@transaction.atomic
def appeal_support(*, actor, appeal: Appeal) -> AppealSupporter:
    """ "我也遇到了": the worker joins an open appeal (counted once), no new appeal."""
    require(actor, "appeals.raise", person=True)
    worker = Worker.objects.filter(user=actor).first()
    if worker is None:
        raise Refused("只有从业人员本人可以附议诉求")
    appeal = Appeal.objects.select_for_update().get(pk=appeal.pk)
    if appeal.status not in (*CLOCK_RUNNING, AppealStatus.WAITING):
        raise ValidationError("该诉求已办结或退回，不能再附议")
    if appeal.worker_id == worker.pk:
        raise ValidationError("这是您本人提出的诉求")
    existing = AppealSupporter.objects.filter(appeal=appeal, worker=worker).first()
    if existing is not None:
        return existing
    supporter = AppealSupporter.objects.create(appeal=appeal, worker=worker)
    audit_record(actor=actor, action="appeal_support", obj=appeal, detail={"new": {"supporter": worker.pk}})
    timeline_event(
        appeal,
        actor=actor,
        transition="support",
        label="我也遇到了（附议）",
        old=appeal.status,
        new=appeal.status,
        new_label=appeal.get_status_display(),
    )
    return supporter


# The workflow's steps, one service each (the audit action is the service's name).


def appeal_accept(*, actor, appeal: Appeal, now=None) -> Appeal:
    return transition(WORKFLOW, appeal, "accept", actor=actor, action="appeal_accept", now=now)


def appeal_start(*, actor, appeal: Appeal, now=None) -> Appeal:
    return transition(WORKFLOW, appeal, "start", actor=actor, action="appeal_start", now=now)


def appeal_ask(*, actor, appeal: Appeal, question: str = "", now=None) -> Appeal:
    """Ask the worker something: the clock pauses until the answer."""
    if len((question or "").strip()) > 500:
        raise ValidationError({"note": "问题最多 500 个字"})
    return transition(WORKFLOW, appeal, "ask", actor=actor, action="appeal_ask", note=question, now=now)


def appeal_answer(*, actor, appeal: Appeal, answer: str = "", now=None) -> Appeal:
    """The worker answers: the clock resumes, the deadline moved on by the working days the pause took."""
    return transition(WORKFLOW, appeal, "answer", actor=actor, action="appeal_answer", answer=answer, now=now)


def appeal_resolve(*, actor, appeal: Appeal, reply: str = "", now=None) -> Appeal:
    return transition(WORKFLOW, appeal, "resolve", actor=actor, action="appeal_resolve", reply=reply, now=now)


@transaction.atomic
def appeal_rate(*, actor, appeal: Appeal, rating: str = "", now=None) -> Appeal:
    """The worker rates the resolution; satisfied or basically satisfied closes it, so does a second "not
    satisfied" (after the one reopening). A first "not satisfied" leaves it rated: the worker may reopen it."""
    rated = transition(WORKFLOW, appeal, "rate", actor=actor, action="appeal_rate", rating=rating, now=now)
    if rated.rating != Rating.UNSATISFIED or rated.reopened:
        rated = transition(WORKFLOW, rated, "close", actor=None, action="appeal_close", now=now)
    return rated


def appeal_reopen(*, actor, appeal: Appeal, now=None) -> Appeal:
    return transition(WORKFLOW, appeal, "reopen", actor=actor, action="appeal_reopen", now=now)


def appeal_close(*, actor=None, appeal: Appeal, now=None) -> Appeal:
    return transition(WORKFLOW, appeal, "close", actor=actor, action="appeal_close", now=now)


def appeal_transfer(*, actor, appeal: Appeal, unit=None, reason: str = "", now=None) -> Appeal:
    return transition(WORKFLOW, appeal, "transfer", actor=actor, action="appeal_transfer", note=reason, unit=unit, now=now)


def appeal_return(*, actor, appeal: Appeal, reason: str = "", now=None) -> Appeal:
    return transition(WORKFLOW, appeal, "return", actor=actor, action="appeal_return", note=reason, now=now)


def appeal_escalate(*, actor, appeal: Appeal, reason: str = "", now=None) -> Appeal:
    """Move an overdue appeal to the unit above (by region code); the system's daily job, or staff by hand."""
    name = "escalate" if actor is None else "escalate_manual"
    return transition(WORKFLOW, appeal, name, actor=actor, action="appeal_escalate", note=reason, now=now)


def appeals_escalate_overdue(now=None) -> dict:
    """The daily job: every overdue appeal whose clock runs moves up one level, with the reason recorded.
    Idempotent: an escalated appeal has a fresh deadline, so a second run the same day moves nothing."""
    moment = now or timezone.now()
    moved = skipped = 0
    for pk in list(Appeal.objects.filter(status__in=CLOCK_RUNNING, due_at__lt=moment).values_list("pk", flat=True)[:10000]):
        appeal = Appeal.objects.select_related("unit").get(pk=pk)
        stage = "受理" if appeal.status == AppealStatus.SUBMITTED else "办结"
        reason = f"超过{stage}时限（{timezone.localtime(appeal.due_at):%Y-%m-%d %H:%M}），由{appeal.unit.name}升级至上级单位"
        try:
            appeal_escalate(actor=None, appeal=appeal, reason=reason, now=moment)
            moved += 1
        except ValidationError:
            skipped += 1  # at the top already, or answered meanwhile
    return {"escalated": moved, "skipped": skipped}


def appeals_close_rated(now=None) -> dict:
    """The daily job: a "not satisfied" rating left without reopening for 5 working days closes."""
    moment = now or timezone.now()
    closed = 0
    for appeal in Appeal.objects.filter(status=AppealStatus.RATED, rated_at__isnull=False):
        if deadlines.due_after(appeal.rated_at, 5) < moment:
            appeal_close(appeal=appeal, now=moment)
            closed += 1
    return {"closed": closed}


@transaction.atomic
def appeal_anonymise_for_worker(worker: Worker) -> int:
    """When a worker's data is erased: their appeals stay for the figures, without them (no worker, no client key,
    the text and reply replaced, photos deleted). Call before deleting the worker (the workers branch)."""
    appeals = list(Appeal.objects.select_for_update().filter(worker=worker))
    for appeal in appeals:
        for photo in appeal.photos.all():
            path = photo_path(Appeal.UPLOAD_FOLDER, photo.stored_name)
            transaction.on_commit(lambda path=path: path.unlink(missing_ok=True))
        appeal.photos.all().delete()
        appeal.worker = None
        appeal.client_key = None
        appeal.text = "（诉求人已注销，内容已删除）"
        appeal.reply = "（已删除）" if appeal.reply else ""
        appeal.save()
        audit_record(
            actor=None,
            action="appeal_anonymise_for_worker",
            obj=appeal,
            actor_name="system",
            detail={"old": {"worker": worker.pk}, "new": {"worker": None}},
        )
    AppealSupporter.objects.filter(worker=worker).update(worker=None)
    return len(appeals)


def on_worker_erased(*, worker: Worker, **payload) -> None:
    """The "workers.erased" event's handler (sanxin.core.events): the worker's appeals anonymised in the same
    transaction as the erasure."""
    appeal_anonymise_for_worker(worker)


# The routing table.


def _rule_snapshot(rule: RoutingRule | None) -> dict | None:
    if rule is None:
        return None
    return {"region": rule.region_id, "category": rule.category, "unit": rule.unit_id, "note": rule.note}


@transaction.atomic
def routing_rule_save(*, actor, region, category: str = "", unit=None, note: str = "", rule: RoutingRule | None = None) -> RoutingRule:
    """Add or change a rule of the actor's own area: appeals of `category` (empty: any) raised in `region` or
    below go to `unit` (an active handling unit)."""
    require(actor, "appeals.route", person=True)
    errors = {}
    region_code = region.pk if isinstance(region, Region) else half_width(str(region or "")).strip()
    if not region_code or not Region.objects.filter(pk=region_code).exists():
        errors["region"] = "请选择地区"
    elif not region_in_scope(actor, region_code):
        errors["region"] = "所选地区不在本单位管辖范围内"
    if category and category not in WORKER_CATEGORIES | FIRM_CATEGORIES:
        errors["category"] = "诉求类别不在可选范围内"
    if unit is None:
        errors["unit"] = "请选择承办单位"
    elif not unit.is_active or unit.kind not in HANDLING_KINDS:
        errors["unit"] = "所选单位不能承办诉求（须为启用的街道、社区或党委社会工作部、两新工委）"
    elif not region_in_scope(actor, unit.region_id or ""):
        errors["unit"] = "所选承办单位不在本单位管辖范围内"
    if len(note or "") > 200:
        errors["note"] = "说明最多 200 个字"
    if errors:
        raise ValidationError(errors)
    clash = RoutingRule.objects.filter(region_id=region_code, category=category or "")
    if rule is not None:
        clash = clash.exclude(pk=rule.pk)
    if clash.exists():
        raise ValidationError({"category": "该地区的此类别已有分派规则，请修改原规则"})
    before = None
    if rule is not None:
        rule = RoutingRule.objects.select_for_update().get(pk=rule.pk)
        if not region_in_scope(actor, rule.region_id):
            raise Refused("该规则不在本单位管辖范围内")
        before = _rule_snapshot(rule)
    else:
        rule = RoutingRule()
    rule.region_id, rule.category, rule.unit, rule.note = region_code, category or "", unit, (note or "").strip()
    rule.save()
    if before is None:
        audit_record(actor=actor, action="routing_rule_save", obj=rule, detail={"old": None, "new": _rule_snapshot(rule)})
    else:
        audit_changes(actor=actor, action="routing_rule_save", obj=rule, before=before, after=_rule_snapshot(rule))
    return rule


@transaction.atomic
def routing_rule_delete(*, actor, rule: RoutingRule) -> None:
    require(actor, "appeals.route", person=True)
    rule = RoutingRule.objects.select_for_update().get(pk=rule.pk)
    if not region_in_scope(actor, rule.region_id):
        raise Refused("该规则不在本单位管辖范围内")
    audit_record(actor=actor, action="routing_rule_delete", obj=rule, detail={"old": _rule_snapshot(rule), "new": None})
    rule.delete()
