"""Writes of workers and platforms. Every write checks its actor, runs in a transaction and is audited with old and
new values, always masked: an audit event names a worker as "从业人员 #id" with the name and phone masked, so
erasing a worker (by themselves, or the retention purge) leaves nothing personal in the append-only trail.

Erasure tells the apps above through the event "workers.erased" (sanxin.core.events; payload `worker`, the record
about to be deleted, and `user_id`, its account or None): each app anonymises or deletes its own rows of the worker
in the same transaction, before the record goes.
"""

from __future__ import annotations

import io
import json
from datetime import datetime, timedelta

import xlsxwriter
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanxin.accounts.models import Unit, UnitKind
from sanxin.accounts.services import worker_account_create, worker_account_delete
from sanxin.core.audit import audit_changes, audit_record, changes
from sanxin.core.declare import worker_data
from sanxin.core.events import publish
from sanxin.core.fields import blind_index_for
from sanxin.core.geo import position_errors
from sanxin.core.guards import Refused, require
from sanxin.core.masking import mask_name, mask_phone
from sanxin.core.scope import region_in_scope
from sanxin.core.text import control_character, control_character_reason
from sanxin.core.validators import validate_mobile
from sanxin.regions.models import Region
from sanxin.workers.models import (
    EMPLOYER_NAME_MAX,
    NAME_MAX,
    WORK_AREA_MAX,
    ConsentText,
    Occupation,
    Platform,
    PlatformKind,
    Worker,
    WorkerSource,
)
from sanxin.workers.otp import codes_purge
from sanxin.workers.selectors import current_consent

WORKER_ERASED = "workers.erased"
DUPLICATE_PHONE = "该手机号码已登记为从业人员，不能重复登记"
PLATFORM_NAME_MAX = Platform._meta.get_field("name").max_length
EXPORT_FORMATS = {"xlsx": "Excel 表格（.xlsx）", "json": "JSON 数据（.json）"}


def label(worker: Worker) -> str:
    """How the audit trail names a worker: never by name."""
    return f"从业人员 #{worker.pk}"


def snapshot(worker: Worker) -> dict:
    return {
        "name": mask_name(worker.name),
        "phone": mask_phone(worker.phone),
        "occupation": worker.occupation,
        "platforms": sorted(worker.platforms.values_list("pk", flat=True)) if worker.pk else [],
        "region": worker.region_id,
        "work_area": "（已填写）" if worker.work_area else "",
        "employer": worker.employer_id,
        "employer_name": worker.employer_name,
        "member": worker.member_id,
    }


def _audit(*, actor, action: str, worker: Worker, before: dict | None = None, after: dict | None = None, **detail):
    if before is None:
        return audit_record(
            actor=actor, action=action, obj=worker, object_repr=label(worker), detail={**detail, **({"new": after} if after else {})}
        )
    changed = changes(before, after or {})
    if not changed:
        return None
    return audit_record(actor=actor, action=action, obj=worker, object_repr=label(worker), detail={"changes": changed, **detail})


# The rules, the same for the phone pages, the staff form, the import and the API.


def _text_error(value: str, limit: int, label_text: str, *, required: bool = False) -> str | None:
    if required and not value:
        return f"请填写{label_text}"
    if len(value) > limit:
        return f"{label_text}最多 {limit} 个字（现有 {len(value)} 个）"
    found = control_character(value)
    if found:
        return control_character_reason(found)
    return None


def worker_errors(fields: dict, *, worker: Worker | None = None) -> tuple[dict[str, str], dict]:
    """(errors by field, cleaned values) of the fields given; a field left out is not checked."""
    errors: dict[str, str] = {}
    cleaned: dict = {}
    if "name" in fields:
        cleaned["name"] = str(fields["name"] or "").strip()
        if error := _text_error(cleaned["name"], NAME_MAX, "姓名", required=True):
            errors["name"] = error
    if "phone" in fields:
        try:
            cleaned["phone"] = validate_mobile(str(fields["phone"] or ""))
        except ValidationError:
            errors["phone"] = "手机号码须是 11 位大陆手机号（以 13–19 开头）"
        else:
            taken = Worker.objects.filter(phone_index=blind_index_for("phone", cleaned["phone"]))
            if worker is not None:
                taken = taken.exclude(pk=worker.pk)
            if taken.exists():
                errors["phone"] = DUPLICATE_PHONE
    if "occupation" in fields:
        cleaned["occupation"] = fields["occupation"]
        if cleaned["occupation"] not in Occupation.values:
            errors["occupation"] = "职业应为：" + "、".join(str(label) for _, label in Occupation.choices)
    if "region" in fields:
        region = fields["region"]
        if isinstance(region, str):
            region = Region.objects.filter(code=region).first() if region else None
        if region is None:
            errors["region"] = "请选择工作区域（街道或社区）"
        elif len(region.code) < 9:
            errors["region"] = f"工作区域须选到街道（乡镇）或社区（村），“{region.name}”范围过大"
        cleaned["region"] = region
    for key, limit, text in (("work_area", WORK_AREA_MAX, "工作区域说明"), ("employer_name", EMPLOYER_NAME_MAX, "所在站点/加盟商名称")):
        if key in fields:
            cleaned[key] = str(fields[key] or "").strip()
            if error := _text_error(cleaned[key], limit, text):
                errors[key] = error
    if "platforms" in fields:
        cleaned["platforms"] = list(fields["platforms"] or [])
    if "employer" in fields:
        cleaned["employer"] = fields["employer"]
    if "member" in fields:
        cleaned["member"] = fields["member"]
        linked = Worker.objects.filter(member=cleaned["member"]) if cleaned["member"] is not None else Worker.objects.none()
        if worker is not None:
            linked = linked.exclude(pk=worker.pk)
        if linked.exists():
            errors["member"] = "该党员已关联其他从业人员"
    return errors, cleaned


def _validated(fields: dict, *, worker: Worker | None = None) -> dict:
    errors, cleaned = worker_errors(fields, worker=worker)
    if errors:
        raise ValidationError(errors)
    return cleaned


def _save(worker: Worker, cleaned: dict) -> Worker:
    for key, value in cleaned.items():
        if key != "platforms":
            setattr(worker, key, value)
    try:
        with transaction.atomic():
            worker.save()
    except IntegrityError:
        raise ValidationError({"phone": DUPLICATE_PHONE}) from None
    if "platforms" in cleaned:
        worker.platforms.set(cleaned["platforms"])
    return worker


# The worker themselves.


@transaction.atomic
def worker_register(
    *, phone: str, name: str, occupation: str, region, platforms=(), employer_name: str = "", work_area: str = ""
) -> Worker:
    """A worker registers after proving their phone by a one-time code (the caller checked it): their record and
    their account (no unit, no password, the role WORKER). Consent follows on its own page."""
    cleaned = _validated(
        {
            "phone": phone,
            "name": name,
            "occupation": occupation,
            "region": region,
            "platforms": platforms,
            "employer_name": employer_name,
            "work_area": work_area,
        }
    )
    worker = Worker(source=WorkerSource.SELF, last_active_at=timezone.now())
    worker.user = worker_account_create(masked_name=mask_name(cleaned["name"]))
    _save(worker, cleaned)
    _audit(actor=worker.user, action="worker_register", worker=worker, after=snapshot(worker))
    return worker


@transaction.atomic
def worker_claim_account(*, worker: Worker) -> Worker:
    """A worker entered by staff or an import logs in by phone for the first time: their account is opened."""
    if worker.user_id:
        return worker
    worker.user = worker_account_create(masked_name=mask_name(worker.name))
    worker.last_active_at = timezone.now()
    worker.save(update_fields=["user", "last_active_at", "updated_at"])
    _audit(actor=worker.user, action="worker_claim_account", worker=worker)
    return worker


def worker_touch(*, worker: Worker) -> None:
    """The worker used the service (a login): the retention purge counts from here."""
    user = worker.user
    if user is not None and not user.is_active:
        # Disabled as an idle account (accounts_disable_inactive); proving the phone again opens it.
        user.is_active = True
        user.save(update_fields=["is_active"])
        _audit(actor=None, action="worker_account_reopen", worker=worker)
    Worker.objects.filter(pk=worker.pk).update(last_active_at=timezone.now())


def _own(actor) -> Worker:
    require(actor, "workers.self", person=True)
    worker = Worker.objects.select_for_update().filter(user=actor).first()
    if worker is None:
        raise Refused("您的账号没有从业人员信息")
    return worker


@transaction.atomic
def worker_consent_accept(*, actor, version: str, accept: bool, accept_sensitive: bool) -> Worker:
    """The worker accepts the current consent text and, separately, the processing of sensitive data (security.md 23)."""
    worker = _own(actor)
    current = current_consent()
    if current is None:
        raise ValidationError("尚未发布告知同意书，请稍后再试")
    if version != current.version:
        raise ValidationError({"version": f"告知同意书已更新为 {current.version} 版，请阅读新版本后再同意"})
    errors = {}
    if not accept:
        errors["accept"] = "请阅读并勾选同意《个人信息处理告知同意书》"
    if not accept_sensitive:
        errors["accept_sensitive"] = "请阅读并勾选同意敏感个人信息的处理"
    if errors:
        raise ValidationError(errors)
    before = {"consent_version": worker.consent_version}
    now = timezone.now()
    worker.consent_version, worker.consented_at, worker.sensitive_consented_at = current.version, now, now
    worker.save(update_fields=["consent_version", "consented_at", "sensitive_consented_at", "updated_at"])
    audit_record(
        actor=actor,
        action="worker_consent_accept",
        obj=worker,
        object_repr=label(worker),
        detail={"old": before, "new": {"consent_version": current.version}, "sensitive": True, "at": now.isoformat()},
    )
    return worker


SELF_FIELDS = ("name", "occupation", "platforms", "region", "work_area", "employer_name")


@transaction.atomic
def worker_update_self(*, actor, **fields) -> Worker:
    """The worker corrects their own data (the phone is their login: a new number registers anew)."""
    worker = _own(actor)
    unknown = set(fields) - set(SELF_FIELDS)
    if unknown:
        raise ValidationError(f"不能修改：{'、'.join(sorted(unknown))}")
    cleaned = _validated(fields, worker=worker)
    before = snapshot(worker)
    _save(worker, cleaned)
    if "name" in cleaned and worker.user_id:
        worker.user.full_name = mask_name(worker.name)
        worker.user.save(update_fields=["full_name"])
    _audit(actor=actor, action="worker_update_self", worker=worker, before=before, after=snapshot(worker))
    return worker


@transaction.atomic
def worker_pin_work_area(*, actor, longitude, latitude) -> Worker:
    """The worker pins where they work (usually the phone's position, with their consent to tell it): a demand point of
    the 15-minute circle. Both blank clears it. The audit says that it changed, not where: a position is personal."""
    worker = _own(actor)
    errors, lon, lat = position_errors(longitude, latitude, required=False)
    if errors:
        raise ValidationError(errors)
    had = worker.work_longitude is not None
    worker.work_longitude, worker.work_latitude = lon, lat
    worker.save(update_fields=["work_longitude", "work_latitude", "updated_at"])
    _audit(actor=actor, action="worker_pin_work_area", worker=worker, pinned={"old": had, "new": lon is not None})
    return worker


@transaction.atomic
def worker_unmask_self(*, actor) -> str:
    worker = _own(actor)
    _audit(actor=actor, action="worker_unmask_self", worker=worker, field="phone")
    return worker.phone


def _export_rows(worker: Worker) -> list[tuple[str, str]]:
    def when(moment):
        return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M") if moment else ""

    return [
        ("姓名", worker.name),
        ("手机号码", worker.phone),
        ("职业", worker.get_occupation_display()),
        ("所属平台", "、".join(worker.platforms.values_list("name", flat=True))),
        ("工作区域", worker.region.full_name),
        ("工作区域说明", worker.work_area),
        ("所在站点/加盟商", worker.employer.name if worker.employer_id else worker.employer_name),
        ("来源", worker.get_source_display()),
        ("同意书版本", worker.consent_version),
        ("同意时间", when(worker.consented_at)),
        ("敏感个人信息单独同意时间", when(worker.sensitive_consented_at)),
        ("登记时间", when(worker.created_at)),
        ("最近使用时间", when(worker.last_active_at)),
        # What the other apps hold of the worker (SanxinApp.worker_data): points, reports, honours …
        *worker_data(worker),
    ]


def _as_object(rows: list[tuple[str, str]]) -> dict:
    """Label → text; a label the rows repeat (积分记录, 荣誉 …) → the list of its texts, none lost."""
    found: dict[str, list[str]] = {}
    for key, value in rows:
        found.setdefault(key, []).append(value)
    return {key: values[0] if len(values) == 1 else values for key, values in found.items()}


def worker_export_self(*, actor, fmt: str = "xlsx") -> tuple[bytes, str, str]:
    """A copy of the worker's own data (content, file name, content type); audited."""
    if fmt not in EXPORT_FORMATS:
        raise ValidationError({"fmt": "导出格式应为 xlsx 或 json"})
    with transaction.atomic():
        worker = _own(actor)
        rows = _export_rows(worker)
        _audit(actor=actor, action="worker_export_self", worker=worker, fmt=fmt)
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    if fmt == "json":
        content = json.dumps(_as_object(rows), ensure_ascii=False, indent=2).encode()
        return content, f"我的数据-{stamp}.json", "application/json"
    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False})
    sheet = book.add_worksheet("我的数据")
    bold = book.add_format({"bold": True})
    sheet.set_column(0, 0, 26)
    sheet.set_column(1, 1, 40)
    for n, (key, value) in enumerate(rows):
        sheet.write_string(n, 0, key, bold)
        sheet.write_string(n, 1, str(value or ""))
    book.close()
    return buffer.getvalue(), f"我的数据-{stamp}.xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@transaction.atomic
def worker_erase(*, actor, worker: Worker, reason: str) -> None:
    """The record and its account go; the apps above anonymise their rows of it first (event "workers.erased")."""
    worker_id, user = worker.pk, worker.user
    publish(WORKER_ERASED, worker=worker, user_id=user.pk if user else None)
    audit_record(
        actor=actor,
        actor_name="" if actor is not None else "system",
        action="worker_erase",
        object_type="workers.worker",
        object_id=str(worker_id),
        object_repr=f"从业人员 #{worker_id}",
        detail={"reason": reason},
    )
    worker.delete()
    if user is not None:
        worker_account_delete(user=user)


def worker_delete_self(*, actor) -> None:
    """The worker deletes their record and account (security.md 23); this request's session ends with it."""
    with transaction.atomic():
        worker = _own(actor)
        worker_erase(actor=actor, worker=worker, reason="本人删除")


def retention_days() -> int:
    return int(getattr(settings, "SANXIN_WORKER_RETENTION_DAYS", 730))


def workers_retention_purge(*, now: datetime | None = None) -> int:
    """The daily job: workers not seen for SANXIN_WORKER_RETENTION_DAYS are erased as a worker erases themselves;
    one-time codes older than a day are deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=retention_days())
    stale = Worker.objects.filter(last_active_at__lt=cutoff) | Worker.objects.filter(last_active_at__isnull=True, created_at__lt=cutoff)
    erased = 0
    for worker_id in list(stale.values_list("pk", flat=True)):
        with transaction.atomic():
            worker = Worker.objects.select_for_update().filter(pk=worker_id).first()
            if worker is not None:
                worker_erase(actor=None, worker=worker, reason=f"超过 {retention_days()} 天未使用，按保存期限删除")
                erased += 1
    codes_purge(now=now)
    return erased


# Staff.


@transaction.atomic
def worker_create(
    *,
    actor,
    name: str,
    phone: str,
    occupation: str,
    region,
    platforms=(),
    work_area: str = "",
    employer=None,
    employer_name: str = "",
    member=None,
    source: str = WorkerSource.STAFF,
) -> Worker:
    require(actor, "workers.manage")
    fields = {
        "member": member,
        "name": name,
        "phone": phone,
        "occupation": occupation,
        "region": region,
        "platforms": platforms,
        "work_area": work_area,
        "employer": employer,
        "employer_name": employer_name,
    }
    cleaned = _validated(fields)
    if actor is not None and not region_in_scope(actor, cleaned["region"].code):
        raise ValidationError({"region": "工作区域不在您的管辖范围内"})
    worker = _save(Worker(source=source), cleaned)
    _audit(actor=actor, action="worker_create", worker=worker, after=snapshot(worker), source=source)
    return worker


@transaction.atomic
def worker_update(*, actor, worker: Worker, **fields) -> Worker:
    require(actor, "workers.manage")
    if actor is not None and not region_in_scope(actor, worker.region_id):
        raise ValidationError("该从业人员不在您的管辖范围内，不能修改")
    cleaned = _validated(fields, worker=worker)
    if actor is not None and "region" in cleaned and not region_in_scope(actor, cleaned["region"].code):
        raise ValidationError({"region": "工作区域不在您的管辖范围内"})
    before = snapshot(worker)
    _save(worker, cleaned)
    _audit(actor=actor, action="worker_update", worker=worker, before=before, after=snapshot(worker))
    return worker


def worker_unmask(*, actor, worker: Worker) -> str:
    """The full phone for staff allowed to see it; every viewing is audited (security.md 12, 22)."""
    require(actor, "workers.unmask", person=True)
    _audit(actor=actor, action="worker_unmask", worker=worker, field="phone", phone=mask_phone(worker.phone))
    return worker.phone


# Platforms: one registry for the whole country, kept by whoever holds workers.platforms.


def platform_errors(fields: dict, *, platform: Platform | None = None) -> tuple[dict[str, str], dict]:
    errors: dict[str, str] = {}
    cleaned = dict(fields)
    if "name" in fields:
        cleaned["name"] = str(fields["name"] or "").strip()
        if error := _text_error(cleaned["name"], PLATFORM_NAME_MAX, "平台名称", required=True):
            errors["name"] = error
        else:
            same = Platform.objects.filter(name=cleaned["name"])
            if platform is not None:
                same = same.exclude(pk=platform.pk)
            if same.exists():
                errors["name"] = f"平台“{cleaned['name']}”已存在"
    if "kind" in fields and fields["kind"] not in PlatformKind.values:
        errors["kind"] = "平台类型应为：" + "、".join(str(label) for _, label in PlatformKind.choices)
    unit = fields.get("unit")
    if unit is not None and (not isinstance(unit, Unit) or unit.kind != UnitKind.PLATFORM):
        errors["unit"] = "账号单位须是“平台企业党组织”类型的单位"
    return errors, cleaned


def _platform_snapshot(platform: Platform) -> dict:
    return {"name": platform.name, "kind": platform.kind, "unit": platform.unit_id, "organization": platform.organization_id}


@transaction.atomic
def platform_create(*, actor, name: str, kind: str, unit=None, organization=None) -> Platform:
    require(actor, "workers.platforms")
    errors, cleaned = platform_errors({"name": name, "kind": kind, "unit": unit, "organization": organization})
    if errors:
        raise ValidationError(errors)
    platform = Platform.objects.create(**cleaned)
    audit_record(actor=actor, action="platform_create", obj=platform, detail={"new": _platform_snapshot(platform)})
    return platform


@transaction.atomic
def platform_update(*, actor, platform: Platform, **fields) -> Platform:
    require(actor, "workers.platforms")
    errors, cleaned = platform_errors(fields, platform=platform)
    if errors:
        raise ValidationError(errors)
    before = _platform_snapshot(platform)
    for key, value in cleaned.items():
        setattr(platform, key, value)
    platform.save()
    audit_changes(actor=actor, action="platform_update", obj=platform, before=before, after=_platform_snapshot(platform))
    return platform


def consent_publish(*, actor, version: str, body: str, sensitive_body: str) -> ConsentText:
    """A new version of the consent (asks every worker again at their next visit); the system only (a migration,
    the operator's shell): the text is a legal document, not a page form."""
    if actor is not None:
        raise Refused("告知同意书由系统发布")
    with transaction.atomic():
        if ConsentText.objects.filter(version=version).exists():
            raise ValidationError({"version": f"版本 {version} 已存在"})
        text = ConsentText.objects.create(version=version, body=body, sensitive_body=sensitive_body, published_at=timezone.now())
        audit_record(action="consent_publish", obj=text, actor_name="system", detail={"version": version})
    return text
