"""Writes on Party members: every rule checked here, with a Chinese reason; personal data never audited in full."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from stdnum.cn import ric

from sanxin.core.audit import audit_changes, audit_record
from sanxin.core.events import publish
from sanxin.core.fields import blind_index_for
from sanxin.core.guards import require
from sanxin.core.masking import mask_id_number, mask_phone
from sanxin.core.scope import chosen_outside_scope, scoped
from sanxin.core.validators import validate_id_number, validate_mobile
from sanxin.core.workflow import timeline_event, transition
from sanxin.members.models import Development, DevelopmentStage, Education, Gender, Member, MemberStatus, RelationMode
from sanxin.members.selectors import manageable_party_orgs
from sanxin.members.workflow import DEVELOPMENT
from sanxin.party.models import PartyOrganization

FIELDS = [
    "name",
    "gender",
    "birth_date",
    "ethnicity",
    "education",
    "id_number",
    "phone",
    "joined_on",
    "status",
    "party_organization",
    "relation_mode",
    "occupation",
    "employer",
    "user",
]
RELATIONS = ("party_organization", "employer", "user")
ADULT_AGE = 18


def age_on(birth: date, day: date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def member_errors(fields: dict, *, today: date | None = None) -> tuple[dict[str, str], dict]:
    """(errors by field, the cleaned values): the rules of a member record, the same for the form, the API and imports."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    cleaned = dict(fields)
    cleaned["name"] = (fields.get("name") or "").strip()
    if not cleaned["name"]:
        errors["name"] = "姓名不能为空"
    if fields.get("gender") not in Gender.values:
        errors["gender"] = "性别应为 男 或 女"
    cleaned["education"] = fields.get("education") or ""
    if cleaned["education"] not in ["", *Education.values]:
        errors["education"] = "学历不在可选范围内"
    cleaned["ethnicity"] = (fields.get("ethnicity") or "").strip() or "汉族"
    birth = fields.get("birth_date")
    number = ""
    try:
        number = validate_id_number(fields.get("id_number") or "", today=today)
    except ValidationError as error:
        errors["id_number"] = error.messages[0]
    cleaned["id_number"] = number
    if number:
        id_birth = ric.get_birth_date(number)
        if birth is None:
            cleaned["birth_date"] = birth = id_birth
        elif birth != id_birth:
            errors["birth_date"] = f"出生日期与身份证号码中的出生日期（{id_birth.isoformat()}）不一致"
        id_gender = Gender.MALE if int(number[16]) % 2 else Gender.FEMALE
        if fields.get("gender") in Gender.values and fields["gender"] != id_gender and "gender" not in errors:
            errors["gender"] = f"性别与身份证号码不一致（身份证号码显示为{id_gender.label}）"
    if birth is None and "birth_date" not in errors:
        errors["birth_date"] = "出生日期不能为空"
    elif birth is not None and "birth_date" not in errors and age_on(birth, today) < ADULT_AGE:
        errors["birth_date"] = f"党员应年满 {ADULT_AGE} 周岁，按出生日期现年 {age_on(birth, today)} 岁"
    joined = fields.get("joined_on")
    if joined is None:
        errors["joined_on"] = "入党日期不能为空"
    elif joined > today:
        errors["joined_on"] = "入党日期不能晚于今天"
    elif birth is not None and age_on(birth, joined) < ADULT_AGE and "birth_date" not in errors:
        errors["joined_on"] = f"入党时应年满 {ADULT_AGE} 周岁"
    phone = fields.get("phone") or ""
    cleaned["phone"] = ""
    if phone:
        try:
            cleaned["phone"] = validate_mobile(phone)
        except ValidationError as error:
            errors["phone"] = error.messages[0]
    if fields.get("status") not in MemberStatus.values:
        errors["status"] = "党员状态应为 预备党员 或 正式党员"
    if fields.get("relation_mode", RelationMode.LOCAL) not in RelationMode.values:
        errors["relation_mode"] = "组织关系情况不在可选范围内"
    if fields.get("party_organization") is None:
        errors["party_organization"] = "请选择所在党组织"
    cleaned["occupation"] = (fields.get("occupation") or "").strip()
    return errors, cleaned


# 失联 is marked and recovered only through sanxin.members.mobility (member_mark_lost, member_recover): the date, the
# reason and the mode to go back to are kept there. The form, the API and the import cannot set it or leave it.
LOST_BY_FORM = "不能在党员信息中直接设为失联，请在该党员的“流动情况”页“标记失联”（须填写失联日期和原因）"
RECOVER_BY_FORM = "该党员已标记为失联，不能在党员信息中直接更改组织关系情况，请先在其“流动情况”页“恢复联系”"


def lost_mode_error(old_mode: str | None, new_mode: str | None) -> str | None:
    """The reason a change of relation mode by the member form, API or import is refused, if it is: into 失联 or
    out of it (old_mode None: a new member)."""
    if new_mode == RelationMode.LOST and old_mode != RelationMode.LOST:
        return LOST_BY_FORM
    if old_mode == RelationMode.LOST and new_mode != RelationMode.LOST:
        return RECOVER_BY_FORM
    return None


def _check(actor, cleaned: dict, *, member: Member | None = None) -> None:
    errors: dict[str, str] = {}
    party_org = cleaned["party_organization"]
    moved = member is None or party_org.pk != member.party_organization_id
    if actor is not None and moved and not manageable_party_orgs(actor).filter(pk=party_org.pk).exists():
        errors["party_organization"] = "所选党组织不在您的管辖范围内"
    if chosen_outside_scope(actor, cleaned.get("employer"), member.employer_id if member else None):
        errors["employer"] = "工作单位不在您的管辖范围内"
    clash = Member.objects.filter(id_number_index=blind_index_for("id_number", cleaned["id_number"]))
    if member is not None:
        clash = clash.exclude(pk=member.pk)
    if clash.exists():
        errors["id_number"] = "该身份证号码的党员已经登记，不能重复登记"
    if errors:
        raise ValidationError(errors)


def snapshot(member: Member) -> dict:
    """The audited values: relations by id, personal numbers masked (security.md item 13)."""
    data = {}
    for name in FIELDS:
        value = getattr(member, f"{name}_id") if name in RELATIONS else getattr(member, name)
        if name == "id_number":
            value = mask_id_number(value)
        elif name == "phone":
            value = mask_phone(value)
        data[name] = value.isoformat() if isinstance(value, date) else value
    return data


def _validated(actor, fields: dict, *, member: Member | None = None) -> dict:
    errors, cleaned = member_errors(fields)
    if errors:
        raise ValidationError(errors)
    _check(actor, cleaned, member=member)
    return cleaned


def membership_changed(*party_organization_ids) -> None:
    """Tell the apps above (life keeps the registers of coming meetings) who belongs to these Party organizations
    changed: a member joined, left, or was marked lost or found again."""
    ids = frozenset(pk for pk in party_organization_ids if pk)
    if ids:
        publish("members.changed", party_organizations=ids)


@transaction.atomic
def member_create(*, actor, **fields) -> Member:
    require(actor, "members.manage")
    fields.setdefault("relation_mode", RelationMode.LOCAL)
    if reason := lost_mode_error(None, fields["relation_mode"]):
        raise ValidationError({"relation_mode": reason})
    cleaned = _validated(actor, fields)
    member = Member(**{k: v for k, v in cleaned.items() if k in FIELDS})
    member.save()
    timeline_event(
        member, actor=actor, transition="member_create", label="登记党员", old="", new=member.status, new_label=member.get_status_display()
    )
    audit_record(actor=actor, action="member_create", obj=member, detail={"new": snapshot(member)})
    membership_changed(member.party_organization_id)
    return member


@transaction.atomic
def member_update(*, actor, member: Member, **changes) -> Member:
    require(actor, "members.manage")
    before = snapshot(member)
    old_status, old_mode, old_org = member.status, member.relation_mode, member.party_organization_id
    if "relation_mode" in changes and (reason := lost_mode_error(old_mode, changes["relation_mode"])):
        raise ValidationError({"relation_mode": reason})
    merged = {f: getattr(member, f) for f in FIELDS} | changes
    cleaned = _validated(actor, merged, member=member)
    for key in changes:
        if key in FIELDS:
            setattr(member, key, cleaned[key])
    if "id_number" in changes:
        member.id_number = cleaned["id_number"]
    member.save()
    if member.status != old_status:
        label = member.get_status_display()
        timeline_event(
            member, actor=actor, transition="member_status", label="党员状态变更", old=old_status, new=member.status, new_label=label
        )
    if member.relation_mode != old_mode:
        label = member.get_relation_mode_display()
        timeline_event(
            member,
            actor=actor,
            transition="member_relation_mode",
            label="组织关系情况变更",
            old=old_mode,
            new=member.relation_mode,
            new_label=label,
        )
    if member.party_organization_id != old_org:
        timeline_event(
            member,
            actor=actor,
            transition="member_party_organization",
            label="所在党组织变更",
            old=str(old_org),
            new=str(member.party_organization_id),
            new_label=member.party_organization.name[:64],
        )
    audit_changes(actor=actor, action="member_update", obj=member, before=before, after=snapshot(member))
    if member.party_organization_id != old_org or member.relation_mode != old_mode:
        membership_changed(old_org, member.party_organization_id)
    return member


def member_unmask(*, actor, member: Member) -> dict[str, str]:
    """The full ID number and phone, for those allowed to see them; every viewing is audited (security.md items 12, 22)."""
    require(actor, "members.unmask", person=True)
    audit_record(
        actor=actor,
        action="member_unmask",
        obj=member,
        detail={"fields": ["id_number", "phone"], "id_number": mask_id_number(member.id_number), "phone": mask_phone(member.phone)},
    )
    return {"id_number": member.id_number, "phone": member.phone}


# Member development (发展党员): the application registered here, every later step a transition of
# sanxin.members.workflow.DEVELOPMENT; the Member record is written through member_create / member_update.


def development_errors(fields: dict, *, today: date | None = None) -> tuple[dict[str, str], dict]:
    """(errors by field, the cleaned values) of a new application; the age rule: 18 on the application date."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    cleaned = dict(fields)
    cleaned["name"] = (fields.get("name") or "").strip()
    if not cleaned["name"]:
        errors["name"] = "姓名不能为空"
    number = ""
    try:
        number = validate_id_number(fields.get("id_number") or "", today=today)
    except ValidationError as error:
        errors["id_number"] = error.messages[0]
    cleaned["id_number"] = number
    applied = fields.get("applied_on")
    if applied is None:
        errors["applied_on"] = "递交入党申请日期不能为空"
    elif applied > today:
        errors["applied_on"] = "递交入党申请日期不能晚于今天"
    if number:
        cleaned["birth_date"] = birth = ric.get_birth_date(number)
        if applied is not None and "applied_on" not in errors and age_on(birth, applied) < ADULT_AGE:
            errors["applied_on"] = f"递交入党申请时应年满 {ADULT_AGE} 周岁，按身份证号码当时为 {age_on(birth, applied)} 岁"
    if fields.get("party_organization") is None:
        errors["party_organization"] = "请选择培养党组织"
    return errors, cleaned


@transaction.atomic
def development_create(
    *, actor, name: str, id_number: str, party_organization, applied_on: date, recommending_organization=None
) -> Development:
    require(actor, "members.manage")
    errors, cleaned = development_errors(
        {"name": name, "id_number": id_number, "party_organization": party_organization, "applied_on": applied_on}
    )
    if errors:
        raise ValidationError(errors)
    if actor is not None and not manageable_party_orgs(actor).filter(pk=party_organization.pk).exists():
        errors["party_organization"] = "所选党组织不在您的管辖范围内"
    if recommending_organization is not None:
        if recommending_organization.pk == party_organization.pk:
            errors["recommending_organization"] = "推荐党组织与培养党组织相同，无需填写"
        elif actor is not None and not scoped(PartyOrganization.objects.filter(pk=recommending_organization.pk), actor).exists():
            errors["recommending_organization"] = "推荐党组织不在您的数据范围内"
    index = blind_index_for("id_number", cleaned["id_number"])
    if Member.objects.filter(id_number_index=index).exists():
        errors["id_number"] = "该身份证号码的人员已是党员"
    elif Development.objects.filter(id_number_index=index).exists():
        errors["id_number"] = "该身份证号码的人员已在发展中，不能重复登记"
    if errors:
        raise ValidationError(errors)
    development = Development.objects.create(
        name=cleaned["name"],
        id_number=cleaned["id_number"],
        birth_date=cleaned["birth_date"],
        party_organization=party_organization,
        recommending_organization=recommending_organization,
        applied_on=applied_on,
        stage=DevelopmentStage.APPLICANT,
    )
    label = development.get_stage_display()
    timeline_event(
        development, actor=actor, transition="development_create", label="登记入党申请", old="", new=development.stage, new_label=label
    )
    detail = {
        "name": development.name,
        "id_number": mask_id_number(development.id_number),
        "party_organization": party_organization.pk,
        "recommending_organization": recommending_organization.pk if recommending_organization else None,
        "applied_on": applied_on.isoformat(),
    }
    audit_record(actor=actor, action="development_create", obj=development, detail={"new": detail})
    return development


def development_make_activist(*, actor, development: Development, on: date, note: str = "") -> Development:
    return transition(DEVELOPMENT, development, "activist", actor=actor, action="development_make_activist", note=note, on=on)


def development_make_candidate(*, actor, development: Development, on: date, note: str = "") -> Development:
    return transition(DEVELOPMENT, development, "candidate", actor=actor, action="development_make_candidate", note=note, on=on)


@transaction.atomic
def development_admit(
    *,
    actor,
    development: Development,
    on: date,
    introducers: tuple,
    publicity_starts_on: date | None,
    publicity_ends_on: date | None,
    note: str = "",
) -> Development:
    """接收为预备党员: the rules checked by the workflow, then the member registered (预备) in the recommending Party
    organization when there is one (the 青年人才党支部 hands the new member back), else in the cultivating one."""
    development = transition(
        DEVELOPMENT,
        development,
        "admit",
        actor=actor,
        action="development_admit",
        note=note,
        on=on,
        introducers=tuple(introducers),
        publicity_starts_on=publicity_starts_on,
        publicity_ends_on=publicity_ends_on,
    )
    number = development.id_number
    member = member_create(
        actor=actor,
        name=development.name,
        gender=Gender.MALE if int(number[16]) % 2 else Gender.FEMALE,
        birth_date=development.birth_date,
        id_number=number,
        joined_on=on,
        status=MemberStatus.PROBATIONARY,
        party_organization=development.recommending_organization or development.party_organization,
        relation_mode=RelationMode.LOCAL,
    )
    development.member = member
    development.save(update_fields=["member", "updated_at"])
    return development


@transaction.atomic
def development_make_full(*, actor, development: Development, on: date, note: str = "") -> Development:
    """转为正式党员 after a year of probation; the member's status becomes 正式 through member_update."""
    development = transition(DEVELOPMENT, development, "full", actor=actor, action="development_make_full", note=note, on=on)
    if development.member_id:
        member_update(actor=actor, member=Member.objects.get(pk=development.member_id), status=MemberStatus.FULL)
    return development
