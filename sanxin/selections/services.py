"""Writes of selections: a campaign and its steps (through the workflow table), nominations (one per worker and
campaign, only in the window, only of the targeted occupation inside the region, only by a unit whose area holds
the worker or by the worker themself), the review, objections during the publicity and their handling, the award
(an Honour per awardee and the "workers.merited" event) and its revocation ("workers.merit_withdrawn"). Every
rule is checked here with a Chinese reason; every write is audited."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from sanxin.core.audit import audit_record
from sanxin.core.events import publish
from sanxin.core.guards import Refused, require
from sanxin.core.scope import region_in_scope, scoped
from sanxin.core.text import control_character, control_character_reason, half_width
from sanxin.core.workflow import timeline_event, transition
from sanxin.regions.models import Region
from sanxin.selections.models import (
    DEEDS_MAX,
    DESCRIPTION_MAX,
    KIND_OCCUPATION,
    NOTE_MAX,
    PLACES_MAX,
    POINTS_MAX,
    PUBLICITY_DAYS_MAX,
    TITLE_MAX,
    Campaign,
    CampaignKind,
    CampaignStatus,
    Honour,
    Nomination,
    NominationStatus,
    NominatorKind,
    Objection,
    ObjectionStatus,
)
from sanxin.selections.workflow import CAMPAIGN_WORKFLOW, MANAGE, NOMINATION_WORKFLOW, may_manage
from sanxin.workers.models import Occupation, Worker

NOMINATE = "selections.nominate"


def text_error(value, label: str, maximum: int, *, required: bool = True) -> str | None:
    """The Chinese reason a free text is refused (empty, too long, a control character), or None."""
    text = str(value or "").strip()
    if not text:
        return f"请填写{label}" if required else None
    if len(text) > maximum:
        return f"{label}最多 {maximum} 个字（现有 {len(text)} 个）"
    found = control_character(text.replace("\r", "").replace("\n", "").replace("\t", ""))
    if found:
        return f"{label}{control_character_reason(found)}"
    return None


def _int(value, label: str, low: int, high: int, errors: dict, field: str) -> int | None:
    text = half_width(str(value if value is not None else "")).strip()
    if not text.isascii() or not text.lstrip("-").isdigit() or len(text) > 9:
        errors[field] = f"{label}应为 {low} 到 {high} 之间的整数"
        return None
    number = int(text)
    if not low <= number <= high:
        errors[field] = f"{label}应为 {low} 到 {high} 之间的整数"
        return None
    return number


def _today(now) -> date:
    return timezone.localdate(now or timezone.now())


@transaction.atomic
def campaign_create(
    *,
    actor,
    kind: str,
    region,
    places,
    nominate_from: date | None,
    nominate_until: date | None,
    title: str = "",
    occupation: str = "",
    publicity_days=5,
    award_points=0,
    honour_title: str = "",
    description: str = "",
) -> Campaign:
    """A campaign of the actor's unit (a city or county), for its own region or one inside it, as a draft."""
    require(actor, MANAGE, person=True)
    if not actor.unit_id or not actor.unit.region_id:
        raise Refused("本账号没有所属地区，不能组织评选")
    errors: dict[str, str] = {}
    if kind not in CampaignKind.values:
        errors["kind"] = "请选择评选类型"
    preset = CampaignKind(kind).label if kind in CampaignKind.values and kind != CampaignKind.OTHER else ""
    title = (title or "").strip() or preset
    if reason := text_error(title, "评选名称", TITLE_MAX):
        errors["title"] = reason
    occupation = occupation or KIND_OCCUPATION.get(kind, "")
    if occupation not in Occupation.values:
        errors["occupation"] = "请选择面向的职业"
    elif kind in KIND_OCCUPATION and occupation != KIND_OCCUPATION[kind]:
        errors["occupation"] = f"{preset}应面向{Occupation(KIND_OCCUPATION[kind]).label}"
    code = region.pk if isinstance(region, Region) else half_width(str(region or "")).strip()
    region_obj = Region.objects.filter(pk=code).first() if code.isascii() and code.isdigit() else None
    if region_obj is None:
        errors["region"] = "请选择评选范围（区划）"
    elif not region_in_scope(actor, region_obj.code):
        errors["region"] = "评选范围不在本单位管辖范围内"
    places = _int(places, "名额", 1, PLACES_MAX, errors, "places")
    days = _int(publicity_days, "公示期", 1, PUBLICITY_DAYS_MAX, errors, "publicity_days")
    points = _int(award_points, "表彰积分", 0, POINTS_MAX, errors, "award_points")
    if not isinstance(nominate_from, date):
        errors["nominate_from"] = "请填写推荐开始日期，如 2026-12-01"
    if not isinstance(nominate_until, date):
        errors["nominate_until"] = "请填写推荐截止日期，如 2026-12-31"
    elif isinstance(nominate_from, date) and nominate_until < nominate_from:
        errors["nominate_until"] = "推荐截止日期不能早于开始日期"
    honour_title = (honour_title or "").strip() or title
    if reason := text_error(honour_title, "荣誉称号", TITLE_MAX):
        errors["honour_title"] = reason
    if reason := text_error(description, "评选说明", DESCRIPTION_MAX, required=False):
        errors["description"] = reason
    if errors:
        raise ValidationError(errors)
    campaign = Campaign.objects.create(
        title=title,
        kind=kind,
        occupation=occupation,
        region=region_obj,
        unit=actor.unit,
        places=places,
        nominate_from=nominate_from,
        nominate_until=nominate_until,
        publicity_days=days,
        award_points=points,
        honour_title=honour_title,
        description=(description or "").strip(),
        created_by=actor,
    )
    audit_record(
        actor=actor,
        action="campaign_create",
        obj=campaign,
        detail={
            "new": {
                "title": title,
                "kind": kind,
                "occupation": occupation,
                "region": region_obj.code,
                "places": places,
                "window": [str(nominate_from), str(nominate_until)],
                "publicity_days": days,
                "award_points": points,
            }
        },
    )
    timeline_event(campaign, actor=actor, transition="create", label="创建评选", old="", new=campaign.status, new_label="草稿")
    return campaign


def campaign_open(*, actor, campaign: Campaign, now=None) -> Campaign:
    return transition(CAMPAIGN_WORKFLOW, campaign, "open", actor=actor, action="campaign_open", now=now)


def campaign_review(*, actor, campaign: Campaign, now=None) -> Campaign:
    return transition(CAMPAIGN_WORKFLOW, campaign, "review", actor=actor, action="campaign_review", now=now)


def campaign_publish(*, actor, campaign: Campaign, now=None) -> Campaign:
    """Start the publicity: the approved are on the public notice for the campaign's working days."""
    return transition(CAMPAIGN_WORKFLOW, campaign, "publish", actor=actor, action="campaign_publish", now=now)


def campaign_cancel(*, actor, campaign: Campaign, reason: str = "", now=None) -> Campaign:
    if reason_error := text_error(reason, "取消原因", NOTE_MAX, required=False):
        raise ValidationError({"note": reason_error})
    return transition(CAMPAIGN_WORKFLOW, campaign, "cancel", actor=actor, action="campaign_cancel", note=reason, now=now)


@transaction.atomic
def campaign_award(*, actor, campaign: Campaign, now=None) -> Campaign:
    """After the publicity, with no objection pending: every approved nominee gets the honour on their record and
    the campaign's points (published as "workers.merited", kind "selection_award", once per nomination)."""
    awarded = transition(CAMPAIGN_WORKFLOW, campaign, "award", actor=actor, action="campaign_award", now=now)
    for nomination in awarded.nominations.filter(status=NominationStatus.APPROVED).select_related("worker"):
        honour = Honour.objects.create(
            worker=nomination.worker,
            region=nomination.region,
            title=awarded.honour_title,
            campaign=awarded,
            nomination=nomination,
            awarded_on=awarded.awarded_on,
            points=awarded.award_points,
        )
        audit_record(
            actor=actor,
            action="campaign_award.honour",
            obj=honour,
            detail={"new": {"worker": nomination.worker_id, "title": honour.title, "points": honour.points}},
        )
        publish(
            "workers.merited",
            worker=nomination.worker,
            source=f"selection_award:{nomination.pk}",
            kind="selection_award",
            region_code=nomination.region_id,
            reason=f"荣获“{honour.title}”（{awarded.unit.name}）",
            quantity=1,
            points=awarded.award_points,
            actor=actor,
        )
    return awarded


@transaction.atomic
def honour_revoke(*, actor, honour: Honour, reason: str = "") -> Honour:
    """Take an honour back (found unworthy later): kept on the record as revoked; the points are reversed."""
    require(actor, MANAGE, person=True)
    honour = Honour.objects.select_for_update().select_related("campaign").get(pk=honour.pk)
    if not may_manage(actor, honour.campaign):
        raise Refused("本单位不能撤销该荣誉")
    if honour.revoked_at is not None:
        raise ValidationError("该荣誉已撤销")
    if reason_error := text_error(reason, "撤销原因", NOTE_MAX):
        raise ValidationError({"note": reason_error})
    honour.revoked_at = timezone.now()
    honour.revoke_reason = reason.strip()
    honour.save(update_fields=["revoked_at", "revoke_reason", "updated_at"])
    change = {"old": {"revoked": False}, "new": {"revoked": True, "reason": honour.revoke_reason}}
    audit_record(actor=actor, action="honour_revoke", obj=honour, detail=change)
    publish(
        "workers.merit_withdrawn",
        source=f"selection_award:{honour.nomination_id}",
        reason=f"撤销荣誉“{honour.title}”：{honour.revoke_reason}",
        actor=actor,
    )
    return honour


# Nominations.


@transaction.atomic
def nomination_create(*, actor, campaign: Campaign, worker: Worker, deeds: str = "", now=None) -> Nomination:
    """A unit inside the campaign's region nominates a worker of its own area, or the worker nominates themself
    (自荐): once per worker and campaign, only while the campaign takes nominations and inside its window, only a
    worker of the targeted occupation working inside the campaign's region."""
    if actor is None:
        raise Refused("系统不能代为推荐")
    own = Worker.objects.filter(user=actor).first() if actor.can("selections.self_nominate") else None
    if own is not None:
        if worker is None or worker.pk != own.pk:
            raise Refused("从业人员只能推荐本人（自荐）")
        kind, unit = NominatorKind.SELF, None
    else:
        require(actor, NOMINATE, person=True)
        if not scoped(Campaign.objects.filter(pk=campaign.pk), actor).exists():
            raise Refused("该评选不在本单位范围内")
        if worker is None or not scoped(Worker.objects.filter(pk=worker.pk), actor).exists():
            raise ValidationError({"worker": "该从业人员不在本单位管辖范围内，不能推荐"})
        kind, unit = NominatorKind.UNIT, actor.unit
    campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)  # one at a time per campaign: no double
    today = _today(now)
    if campaign.status != CampaignStatus.NOMINATING:
        raise ValidationError(f"评选“{campaign.title}”当前为“{campaign.get_status_display()}”，不接受推荐")
    if not campaign.nominate_from <= today <= campaign.nominate_until:
        raise ValidationError(
            f"推荐时间为 {campaign.nominate_from:%Y-%m-%d} 至 {campaign.nominate_until:%Y-%m-%d}，今天（{today:%Y-%m-%d}）不在推荐时间内"
        )
    if worker.occupation != campaign.occupation:
        raise ValidationError(
            {"worker": f"“{campaign.title}”面向{campaign.get_occupation_display()}，{worker.name}是{worker.get_occupation_display()}"}
        )
    if not worker.region_id.startswith(campaign.region_id):
        raise ValidationError({"worker": f"{worker.name}的工作区域不在评选范围（{campaign.region.name}）内"})
    if reason := text_error(deeds, "主要事迹", DEEDS_MAX):
        raise ValidationError({"deeds": reason})
    if Nomination.objects.filter(campaign=campaign, worker=worker).exists():
        raise ValidationError({"worker": f"{worker.name}已被推荐参加本次评选，每人只能推荐一次"})
    try:
        with transaction.atomic():
            nomination = Nomination.objects.create(
                campaign=campaign,
                worker=worker,
                region_id=worker.region_id,
                deeds=deeds.strip(),
                nominator_kind=kind,
                nominating_unit=unit,
                nominated_by=actor,
                platform_name="、".join(worker.platforms.values_list("name", flat=True))[:200],
            )
    except IntegrityError:
        raise ValidationError({"worker": f"{worker.name}已被推荐参加本次评选，每人只能推荐一次"}) from None
    audit_record(
        actor=actor,
        action="nomination_create",
        obj=nomination,
        detail={"new": {"campaign": campaign.pk, "worker": worker.pk, "kind": kind, "unit": unit.pk if unit else None}},
    )
    timeline_event(
        nomination,
        actor=actor,
        transition="create",
        label="自荐" if kind == NominatorKind.SELF else f"{unit.name}推荐",
        old="",
        new=nomination.status,
        new_label=nomination.get_status_display(),
    )
    return nomination


@transaction.atomic
def nomination_approve(*, actor, nomination: Nomination) -> Nomination:
    """Within the places: the campaign's row is locked first, so two approvals at once count one after the other."""
    Campaign.objects.select_for_update().filter(pk=nomination.campaign_id).first()
    return transition(NOMINATION_WORKFLOW, nomination, "approve", actor=actor, action="nomination_approve")


def nomination_reject(*, actor, nomination: Nomination, reason: str = "") -> Nomination:
    if reason_error := text_error(reason, "不予通过的理由", NOTE_MAX, required=False):
        raise ValidationError({"note": reason_error})
    return transition(NOMINATION_WORKFLOW, nomination, "reject", actor=actor, action="nomination_reject", note=reason)


# Objections during the publicity.


@transaction.atomic
def objection_raise(*, actor, nomination: Nomination, reason: str = "", now=None) -> Objection:
    """Anyone logged in (staff or a worker) objects to a nominee on the public notice, with a reason, during the
    publicity period; one pending objection per person and nominee."""
    if actor is None or not getattr(actor, "is_authenticated", False):
        raise Refused("请登录后再提出异议")
    nomination = Nomination.objects.select_for_update().select_related("campaign").get(pk=nomination.pk)
    campaign = nomination.campaign
    today = _today(now)
    if campaign.status != CampaignStatus.PUBLICITY or campaign.publicity_until is None:
        raise ValidationError(f"评选“{campaign.title}”不在公示期，不能提出异议")
    if not (campaign.publicity_from or today) <= today <= campaign.publicity_until:
        raise ValidationError(f"公示期为 {campaign.publicity_from:%Y-%m-%d} 至 {campaign.publicity_until:%Y-%m-%d}，已不能提出异议")
    if nomination.status != NominationStatus.APPROVED:
        raise ValidationError("该推荐不在公示名单中")
    if reason_error := text_error(reason, "异议理由", NOTE_MAX):
        raise ValidationError({"reason": reason_error})
    if Objection.objects.filter(nomination=nomination, raised_by=actor, status=ObjectionStatus.PENDING).exists():
        raise ValidationError("您对该公示对象的异议正在处理，请勿重复提出")
    objection = Objection.objects.create(nomination=nomination, raised_by=actor, reason=reason.strip())
    audit_record(actor=actor, action="objection_raise", obj=objection, detail={"new": {"nomination": nomination.pk}})
    timeline_event(
        nomination,
        actor=actor,
        transition="object",
        label="收到公示异议",
        old=nomination.status,
        new=nomination.status,
        new_label=nomination.get_status_display(),
    )
    return objection


@transaction.atomic
def objection_handle(*, actor, objection: Objection, upheld: bool, note: str = "") -> Objection:
    """The organiser decides: upheld withdraws the nomination from the notice; dismissed keeps it."""
    require(actor, MANAGE, person=True)
    objection = Objection.objects.select_for_update().select_related("nomination__campaign").get(pk=objection.pk)
    nomination = objection.nomination
    if not may_manage(actor, nomination.campaign):
        raise Refused("本单位不能处理该异议")
    if objection.status != ObjectionStatus.PENDING:
        raise ValidationError("该异议已处理")
    if nomination.campaign.status != CampaignStatus.PUBLICITY:
        raise ValidationError("评选已不在公示期，不能处理异议")
    if reason := text_error(note, "处理意见", NOTE_MAX):
        raise ValidationError({"note": reason})
    if upheld and nomination.status == NominationStatus.APPROVED:
        transition(NOMINATION_WORKFLOW, nomination, "withdraw", actor=actor, action="nomination_withdraw", note=note)
    objection.status = ObjectionStatus.UPHELD if upheld else ObjectionStatus.DISMISSED
    objection.handling_note = note.strip()
    objection.handled_by = actor
    objection.handled_at = timezone.now()
    objection.save()
    audit_record(
        actor=actor,
        action="objection_handle",
        obj=objection,
        detail={"old": {"status": ObjectionStatus.PENDING}, "new": {"status": objection.status, "note": objection.handling_note}},
    )
    if not upheld:
        timeline_event(
            nomination,
            actor=actor,
            transition="objection_dismissed",
            label="异议不成立",
            old=nomination.status,
            new=nomination.status,
            new_label=nomination.get_status_display(),
            note=note,
        )
    return objection


# Erasure.


@transaction.atomic
def selections_erase_worker(worker: Worker) -> int:
    """When a worker's data is erased: their nominations, objections to them and honours go (the campaign keeps its
    counts in the audit log)."""
    honours = Honour.objects.filter(worker=worker)
    count = honours.count()
    for honour in honours:
        audit_record(actor=None, action="selections_erase_worker", obj=honour, actor_name="system", detail={"old": {"worker": worker.pk}})
    honours.delete()
    nominations = Nomination.objects.filter(worker=worker)
    count += nominations.count()
    nominations.delete()
    return count


def on_worker_erased(*, worker: Worker, **payload) -> None:
    selections_erase_worker(worker)
