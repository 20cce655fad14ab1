"""Writes of study materials: every rule checked here with a Chinese reason, every write audited with its old and
new values. Marking done writes one row per member and material (a database constraint); nothing measures time."""

from __future__ import annotations

import secrets
from datetime import date
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanxin.core.audit import audit_changes, audit_record
from sanxin.core.guards import require
from sanxin.core.scope import region_in_scope, user_scope
from sanxin.core.text import control_character, control_character_reason
from sanxin.core.uploads import upload_folder
from sanxin.core.workflow import timeline_event, transition
from sanxin.members.models import Member, RelationMode
from sanxin.party.models import PartyOrganization, PartyOrgLevel
from sanxin.study.models import (
    BODY_MAX,
    LINK_MAX,
    TITLE_MAX,
    MaterialKind,
    MaterialStatus,
    StudyCompletion,
    StudyMaterial,
    StudyShare,
)
from sanxin.study.selectors import shareable_party_orgs
from sanxin.study.workflow import WORKFLOW

FIELDS = ["title", "kind", "body", "link"]
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
STORED_NAME_LENGTH = 36  # 32 hex digits and ".pdf"
MAX_SHARE_ORGS = 5000


def snapshot(material: StudyMaterial) -> dict:
    data = {name: getattr(material, name) for name in FIELDS}
    data["attachment"] = material.attachment_name
    return data


def material_errors(fields: dict) -> dict[str, str]:
    """The rules of a material, the same for the form and the API."""
    errors: dict[str, str] = {}
    title = (fields.get("title") or "").strip()
    if not title:
        errors["title"] = "标题不能为空"
    elif len(title) > TITLE_MAX:
        errors["title"] = f"标题最多 {TITLE_MAX} 个字（现有 {len(title)} 个）"
    if fields.get("kind") not in MaterialKind.values:
        errors["kind"] = "类型应为 文件、文章、视频链接 或 其他"
    body = fields.get("body") or ""
    if len(body) > BODY_MAX:
        errors["body"] = f"正文最多 {BODY_MAX} 个字（现有 {len(body)} 个）"
    link = (fields.get("link") or "").strip()
    if link:
        if len(link) > LINK_MAX:
            errors["link"] = f"链接最多 {LINK_MAX} 个字符"
        else:
            try:
                URLValidator(schemes=["http", "https"])(link)
            except ValidationError:
                errors["link"] = "链接须是以 http:// 或 https:// 开头的网址"
    if fields.get("kind") == MaterialKind.VIDEO and not link and "link" not in errors:
        errors["link"] = "视频链接类的学习资料须填写链接"
    for name in ("title", "body", "link"):
        found = control_character(str(fields.get(name) or "").replace("\r", "").replace("\n", "").replace("\t", ""))
        if found and name not in errors:
            errors[name] = control_character_reason(found)
    return errors


def _validated(fields: dict) -> dict:
    errors = material_errors(fields)
    if errors:
        raise ValidationError(errors)
    cleaned = dict(fields)
    cleaned["title"] = fields["title"].strip()
    cleaned["link"] = (fields.get("link") or "").strip()
    cleaned["body"] = (fields.get("body") or "").strip()
    return cleaned


def _publisher_region(actor) -> str:
    scope = user_scope(actor)
    if actor is None or scope.empty or scope.nationwide or not actor.unit_id:
        raise ValidationError("只有地区、行业、街道社区或园区党组织的工作人员可以发布学习资料")
    return scope.region_prefix


def _own(actor, material: StudyMaterial) -> None:
    if actor is not None and not region_in_scope(actor, material.region_id):
        raise ValidationError(f"学习资料“{material.title}”不是本单位范围内发布的，不能修改")


# The attachment: a PDF, at most MAX_ATTACHMENT_BYTES, its type read from the content, stored under a random name.


def read_pdf(upload) -> bytes:
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"attachment": f"附件超过 {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB，请压缩后再上传"})
    data = upload.read(MAX_ATTACHMENT_BYTES + 1)
    if not data:
        raise ValidationError({"attachment": "附件为空文件"})
    if len(data) > MAX_ATTACHMENT_BYTES:
        raise ValidationError({"attachment": f"附件超过 {MAX_ATTACHMENT_BYTES // (1024 * 1024)} MB，请压缩后再上传"})
    if not data.startswith(b"%PDF-") or b"%%EOF" not in data[-2048:]:
        raise ValidationError({"attachment": "附件只支持 PDF 文件（按文件内容识别，不看扩展名）"})
    return data


def attachment_path(stored_name: str) -> Path | None:
    if (
        len(stored_name) != STORED_NAME_LENGTH
        or not stored_name.endswith(".pdf")
        or not all(c in "0123456789abcdef" for c in stored_name[:32])
    ):
        return None
    return upload_folder(StudyMaterial.UPLOAD_FOLDER) / stored_name


def _store_pdf(data: bytes) -> str:
    stored = secrets.token_hex(16) + ".pdf"
    (upload_folder(StudyMaterial.UPLOAD_FOLDER) / stored).write_bytes(data)
    return stored


def _attach(material: StudyMaterial, upload) -> str | None:
    """Put the uploaded PDF on the material; the stored name it replaces (to delete after the commit)."""
    data = read_pdf(upload)
    old = material.attachment_stored or None
    material.attachment_stored = _store_pdf(data)
    material.attachment_name = Path(upload.name or "附件.pdf").name[:100]
    material.attachment_size = len(data)
    return old


def _delete_later(stored: str | None) -> None:
    if stored and (path := attachment_path(stored)) is not None:
        transaction.on_commit(lambda: path.unlink(missing_ok=True))


@transaction.atomic
def material_create(*, actor, attachment=None, **fields) -> StudyMaterial:
    """A draft material of the actor's unit, at the unit's region."""
    require(actor, "study.manage", person=True)
    fields.setdefault("kind", MaterialKind.ARTICLE)
    cleaned = _validated(fields)
    region = _publisher_region(actor)
    material = StudyMaterial(**{k: cleaned[k] for k in FIELDS}, region_id=region, unit_id=actor.unit_id, created_by=actor)
    if attachment is not None:
        _attach(material, attachment)
    material.save()
    audit_record(actor=actor, action="material_create", obj=material, detail={"new": snapshot(material)})
    timeline_event(
        material, actor=actor, transition="create", label="新建", old="", new=material.status, new_label=material.get_status_display()
    )
    return material


@transaction.atomic
def material_update(*, actor, material: StudyMaterial, attachment=None, remove_attachment: bool = False, **changes) -> StudyMaterial:
    """Change a draft or published material; a withdrawn one stays as it was."""
    require(actor, "study.manage", person=True)
    material = StudyMaterial.objects.select_for_update().get(pk=material.pk)
    _own(actor, material)
    if material.status == MaterialStatus.WITHDRAWN:
        raise ValidationError(f"学习资料“{material.title}”已撤回，不能修改")
    before = snapshot(material)
    cleaned = _validated({f: getattr(material, f) for f in FIELDS} | {k: v for k, v in changes.items() if k in FIELDS})
    for name in FIELDS:
        setattr(material, name, cleaned[name])
    replaced = None
    if attachment is not None:
        replaced = _attach(material, attachment)
    elif remove_attachment and material.attachment_stored:
        replaced = material.attachment_stored
        material.attachment_stored, material.attachment_name, material.attachment_size = "", "", 0
    if material.status == MaterialStatus.PUBLISHED and not (material.body or material.link or material.attachment_stored):
        raise ValidationError("已发布的学习资料须保留正文、链接或附件之一")
    material.save()
    _delete_later(replaced)
    audit_changes(actor=actor, action="material_update", obj=material, before=before, after=snapshot(material))
    return material


def material_publish(*, actor, material: StudyMaterial) -> StudyMaterial:
    return transition(WORKFLOW, material, "publish", actor=actor, action="material_publish")


def material_withdraw(*, actor, material: StudyMaterial, note: str = "") -> StudyMaterial:
    """Withdrawn: members still see it, marked 已撤回, and can no longer mark it done."""
    return transition(WORKFLOW, material, "withdraw", actor=actor, action="material_withdraw", note=note)


@transaction.atomic
def material_share(
    *,
    actor,
    material: StudyMaterial,
    region: str = "",
    level: str = "",
    party_orgs: list[PartyOrganization] | None = None,
    due_on: date | None = None,
) -> tuple[int, int]:
    """Share a published material to Party organizations of the actor's own place: every active one of a region
    subtree (optionally of one level), or the ones chosen. Sharing again to an organization changes nothing (nor
    its due date). Returns (newly shared, already shared)."""
    require(actor, "study.manage", person=True)
    material = StudyMaterial.objects.select_for_update().get(pk=material.pk)
    _own(actor, material)
    if material.status != MaterialStatus.PUBLISHED:
        raise ValidationError(f"学习资料“{material.title}”{material.get_status_display()}，发布后才能分享")
    if due_on is not None and due_on < timezone.localdate():
        raise ValidationError({"due_on": f"学习截止日期（{due_on:%Y-%m-%d}）不能早于今天"})
    if level and level not in PartyOrgLevel.values:
        raise ValidationError({"level": "党组织类型不在可选范围内"})
    allowed = shareable_party_orgs(actor)
    if party_orgs:
        ids = {p.pk for p in party_orgs}
        inside = set(allowed.filter(pk__in=ids).values_list("pk", flat=True))
        outside = sorted(ids - inside)
        if outside:
            numbers = "、".join(str(pk) for pk in outside[:5])
            raise ValidationError({"party_orgs": f"有 {len(outside)} 个所选党组织不在您的管辖范围内或已撤销（编号 {numbers}），未分享"})
        targets = sorted(inside)
    else:
        region = (region or "").strip()
        if not region:
            raise ValidationError({"region": "请选择地区，或勾选要分享的党组织"})
        if not region.isdigit() or not region_in_scope(actor, region):
            raise ValidationError({"region": "所选地区不在您的管辖范围内"})
        chosen = allowed.filter(region__code__under=region)
        if level:
            chosen = chosen.filter(level=level)
        targets = list(chosen.values_list("pk", flat=True)[: MAX_SHARE_ORGS + 1])
        if len(targets) > MAX_SHARE_ORGS:
            raise ValidationError({"region": f"一次最多分享给 {MAX_SHARE_ORGS} 个党组织，请缩小地区范围"})
    if not targets:
        raise ValidationError("所选范围内没有状态正常的党组织")
    existing = set(
        StudyShare.objects.filter(material=material, party_organization_id__in=targets).values_list("party_organization_id", flat=True)
    )
    new = [pk for pk in targets if pk not in existing]
    StudyShare.objects.bulk_create(
        [StudyShare(material=material, party_organization_id=pk, due_on=due_on, shared_by=actor) for pk in new], ignore_conflicts=True
    )
    if new:
        audit_record(
            actor=actor,
            action="material_share",
            obj=material,
            detail={"new": {"party_organizations": new[:200], "count": len(new), "due_on": due_on.isoformat() if due_on else None}},
        )
    return len(new), len(existing)


@transaction.atomic
def material_mark_done(*, actor, material: StudyMaterial, now=None) -> StudyCompletion:
    """A member marks a material shared to their Party organization done: only a published one, only once."""
    require(actor, "study.learn", person=True)
    member = Member.objects.select_related("party_organization").filter(user=actor).first()
    if member is None:
        raise ValidationError("您的账号未关联党员信息，不能标记学习；请联系所在党组织书记")
    if member.relation_mode == RelationMode.LOST:
        raise ValidationError("您的党员信息标记为失联，请先联系所在党组织书记恢复联系")
    material = StudyMaterial.objects.select_for_update().get(pk=material.pk)
    if not StudyShare.objects.filter(material=material, party_organization_id=member.party_organization_id).exists():
        raise ValidationError(f"学习资料“{material.title}”未分享给您所在的党组织，不能标记")
    if material.status != MaterialStatus.PUBLISHED:
        raise ValidationError(f"学习资料“{material.title}”{material.get_status_display()}，不能标记学完")
    found = StudyCompletion.objects.filter(material=material, member=member).first()
    if found is not None:
        raise ValidationError(f"您已于 {timezone.localtime(found.done_at):%Y-%m-%d %H:%M} 标记学完，无需重复标记")
    try:
        with transaction.atomic():
            done = StudyCompletion.objects.create(
                material=material, member=member, party_organization_id=member.party_organization_id, done_at=now or timezone.now()
            )
    except IntegrityError:
        raise ValidationError("您已标记学完，无需重复标记") from None
    audit_record(
        actor=actor, action="material_mark_done", obj=material, detail={"member": member.pk, "old": None, "new": done.done_at.isoformat()}
    )
    return done
