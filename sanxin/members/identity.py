"""亮身份报到: a Party member working in the field declares their membership to a Party organization.

Submitted by the person themselves (a member or worker account, on a phone page) or entered by staff for someone;
the receiving Party organization's side (staff of its place, its secretary) confirms it — attaching the person as a
mobile member attending here (the Member record created or updated through sanxin.members.services, and an inflow
registration through sanxin.members.mobility), or recording the decision that a relation transfer is to be started
(the transfer itself is the relation-transfer feature's) — or declines it with a reason. The states go through
sanxin.core.workflow (IDENTITY below); the ID number and the phone are encrypted with a blind index and shown masked.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.db.models.functions import Substr
from django.urls import reverse
from django.utils import timezone
from stdnum.cn import ric

from sanxin.accounts.models import User
from sanxin.core.audit import audit_record
from sanxin.core.fields import blind_index_for
from sanxin.core.guards import require
from sanxin.core.masking import mask_id_number, mask_phone
from sanxin.core.notifications import Message, notify
from sanxin.core.offline import create_once, parse_client_key
from sanxin.core.roles import Role
from sanxin.core.scope import REGION_CODE_LENGTHS, access, scoped, user_scope
from sanxin.core.validators import validate_id_number, validate_mobile
from sanxin.core.workflow import Transition, Workflow, timeline_event, transition
from sanxin.members.mobility import member_timeline_event, mobile_inflow_register
from sanxin.members.models import (
    Gender,
    IdentityDecision,
    IdentityReport,
    IdentityReportStatus,
    Member,
    MemberStatus,
    RelationMode,
)
from sanxin.members.selectors import manageable_party_orgs
from sanxin.members.services import ADULT_AGE, age_on, member_create, member_update
from sanxin.party.models import PartyOrganization, PartyOrgStatus
from sanxin.regions.models import Region

# ---------------------------------------------------------------------------------------------------- workflow


def _receiving_side(report: IdentityReport, *, actor=None, **_) -> str | None:
    """Only the receiving Party organization's side decides: staff of its place, or its secretary."""
    if actor is not None and not manageable_party_orgs(actor).filter(pk=report.party_organization_id).exists():
        return f"“{report.party_organization.name}”不在您的管辖范围内，不能处理向它的报到"
    return None


def _a_decision(report: IdentityReport, *, decision=None, **_) -> str | None:
    if decision not in IdentityDecision.values:
        return "请选择确认方式：作为流动党员在此参加组织生活，或确认后启动组织关系转接"
    return None


def _attachable(report: IdentityReport, *, decision=None, **_) -> str | None:
    """Attaching as a mobile member writes the Member record here. One registered in another Party organization is not
    moved by a report (its relation is there: a relation transfer, or an outflow registered by that side); one marked
    lost here is recovered first."""
    if decision != IdentityDecision.MOBILE:
        return None
    member = Member.objects.filter(id_number_index=report.id_number_index).first()
    if member is None:
        return None
    if member.party_organization_id != report.party_organization_id:
        return "该党员已在平台上的其他党组织登记，不能直接作为流动党员接收：请选择“确认，待启动组织关系转接”，或请其所在党组织登记流出"
    if member.relation_mode == RelationMode.LOST:
        return f"“{member.name}”在本党组织标记为失联，请先在其“流动情况”页恢复联系，再确认报到"
    return None


def _tell_the_reporter(report: IdentityReport, *, actor):
    if report.reporter_id is None:
        return None
    outcome = "已确认" if report.status == IdentityReportStatus.CONFIRMED else "未予确认"
    body = report.get_decision_display() if report.decision else ""
    body = f"{body}：{report.decision_note}" if body and report.decision_note else body or report.decision_note
    message = Message(f"您向“{report.party_organization.name}”的亮身份报到{outcome}", body, reverse("members:identity_mine"))
    return [report.reporter], message


def _decide(report: IdentityReport, *, actor, note: str, decision=None, **_) -> None:
    report.decision = decision or ""
    report.decision_note = note[:500]
    report.decided_at = timezone.now()
    report.decided_by = actor


IDENTITY = Workflow(
    IdentityReport,
    [
        Transition(
            "confirm",
            "确认报到",
            frozenset({IdentityReportStatus.SUBMITTED}),
            IdentityReportStatus.CONFIRMED,
            "members.manage",
            guards=(_receiving_side, _a_decision, _attachable),
            apply=_decide,
            notify=_tell_the_reporter,
        ),
        Transition(
            "decline",
            "不予确认",
            frozenset({IdentityReportStatus.SUBMITTED}),
            IdentityReportStatus.DECLINED,
            "members.manage",
            guards=(_receiving_side,),
            note_required="请填写不予确认的原因",
            apply=_decide,
            notify=_tell_the_reporter,
        ),
    ],
    state_field="status",
)

# ------------------------------------------------------------------------------------------------------ writes

FIELDS = (
    "name",
    "id_number",
    "phone",
    "joined_on",
    "member_status",
    "home_organization",
    "occupation",
    "employer_name",
    "party_organization",
)


def report_errors(fields: dict, *, today: date | None = None) -> tuple[dict[str, str], dict]:
    """(errors by field, the cleaned values) of a report: the same for the phone page, the staff form and the API."""
    today = today or timezone.localdate()
    errors: dict[str, str] = {}
    cleaned = {name: fields.get(name) for name in FIELDS}
    for name in ("name", "home_organization", "occupation", "employer_name"):
        cleaned[name] = (fields.get(name) or "").strip()
    if not cleaned["name"]:
        errors["name"] = "姓名不能为空"
    number = ""
    try:
        number = validate_id_number(fields.get("id_number") or "", today=today)
    except ValidationError as error:
        errors["id_number"] = error.messages[0]
    cleaned["id_number"] = number
    try:
        cleaned["phone"] = validate_mobile(fields.get("phone") or "")
    except ValidationError as error:
        errors["phone"] = error.messages[0] if fields.get("phone") else "请填写手机号码，以便党组织与您联系"
    joined = fields.get("joined_on")
    if not isinstance(joined, date):
        errors["joined_on"] = "请填写入党日期"
    elif joined > today:
        errors["joined_on"] = "入党日期不能晚于今天"
    elif number and age_on(ric.get_birth_date(number), joined) < ADULT_AGE:
        errors["joined_on"] = f"入党时应年满 {ADULT_AGE} 周岁，请核对入党日期和身份证号码"
    if fields.get("member_status") not in MemberStatus.values:
        errors["member_status"] = "请选择党员状态：预备党员或正式党员"
    if not cleaned["home_organization"]:
        errors["home_organization"] = "请填写现组织关系所在党组织的名称或所在地"
    if not cleaned["occupation"]:
        errors["occupation"] = "请填写职业，如快递员、外卖骑手"
    org = fields.get("party_organization")
    if org is None:
        errors["party_organization"] = "请搜索并选择要报到的党组织"
    elif org.status != PartyOrgStatus.ACTIVE:
        errors["party_organization"] = f"“{org.name}”已{org.get_status_display()}，不能向其报到"
    return errors, cleaned


def _duplicates(cleaned: dict, errors: dict) -> None:
    org = cleaned["party_organization"]
    index = blind_index_for("id_number", cleaned["id_number"])
    open_one = IdentityReport.objects.filter(id_number_index=index, party_organization=org, status=IdentityReportStatus.SUBMITTED).first()
    if open_one is not None:
        errors["id_number"] = (
            f"该身份证号码已于 {timezone.localtime(open_one.created_at):%Y-%m-%d} 向“{org.name}”报到，正在等待确认，不能重复报到"
        )
        return
    member = Member.objects.filter(id_number_index=index, party_organization=org).first()
    if member is not None and member.relation_mode in (RelationMode.LOCAL, RelationMode.MOBILE):
        errors["id_number"] = f"该党员已在“{org.name}”登记（{member.get_relation_mode_display()}），无需报到"


def _create(actor, cleaned: dict, *, by_staff: bool, client_key=None) -> IdentityReport:
    try:
        with transaction.atomic():  # two submissions at once: the database's partial unique constraint decides
            report = IdentityReport.objects.create(
                **{name: cleaned[name] for name in FIELDS},
                by_staff=by_staff,
                reporter=None if by_staff else actor,
                client_key=client_key,
            )
    except IntegrityError:
        if client_key is not None and IdentityReport.objects.filter(reporter=actor, client_key=client_key).exists():
            raise  # the same submission arrived twice at once: create_once answers the first one
        org = cleaned["party_organization"]
        raise ValidationError({"id_number": f"该身份证号码已向“{org.name}”报到，正在等待确认，不能重复报到"}) from None
    _report_submitted_event(report, actor=actor)
    detail = {
        "name": report.name,
        "id_number": mask_id_number(report.id_number),
        "phone": mask_phone(report.phone),
        "joined_on": report.joined_on.isoformat(),
        "member_status": report.member_status,
        "home_organization": report.home_organization,
        "occupation": report.occupation,
        "employer_name": report.employer_name,
        "party_organization": report.party_organization_id,
        "by_staff": by_staff,
    }
    audit_record(actor=actor, action="identity_report_submit", obj=report, detail={"new": detail})
    secretaries = User.objects.filter(
        member_record__party_organization=report.party_organization, roles__role=Role.PARTY_SECRETARY, is_active=True
    ).distinct()
    link = reverse("members:identity_detail", args=[report.pk])
    notify(secretaries, Message(f"{report.name}向“{report.party_organization.name}”亮身份报到，请确认", report.occupation, link))
    return report


def _report_submitted_event(report: IdentityReport, *, actor) -> None:
    """The report's first timeline event: who submitted it (the later ones come from the workflow)."""
    label = "工作人员代为登记报到" if report.by_staff else "本人提交报到"
    timeline_event(report, actor=actor, transition="submit", label=label, old="", new=report.status, new_label=report.get_status_display())


@transaction.atomic
def identity_report_submit(*, actor, by_staff: bool = False, client_key=None, **fields) -> IdentityReport:
    """A report: by the person themselves (members.report_identity), or entered by staff (members.manage) for a
    Party organization they keep. The person's own report is created once per client_key (the phone's key for
    the submission, sanxin.core.offline): the same key again answers the report it created."""
    require(actor, "members.manage" if by_staff else "members.report_identity", person=True)
    key = None if by_staff else parse_client_key(client_key)

    def create() -> IdentityReport:
        errors, cleaned = report_errors(fields)
        if errors:
            raise ValidationError(errors)
        if by_staff and not manageable_party_orgs(actor).filter(pk=cleaned["party_organization"].pk).exists():
            errors["party_organization"] = "所选党组织不在您的管辖范围内：工作人员只能为本人管辖的党组织代为登记报到"
        _duplicates(cleaned, errors)
        if errors:
            raise ValidationError(errors)
        return _create(actor, cleaned, by_staff=by_staff, client_key=key)

    report, _ = create_once(IdentityReport, owner={"reporter": actor}, client_key=key, create=create)
    return report


@transaction.atomic
def identity_report_confirm(*, actor, report: IdentityReport, decision: str, note: str = "") -> IdentityReport:
    """确认报到. 流动党员: the Member record is created here (or updated, when registered here already) with the
    relation mode 流动党员, and an inflow registration records where the relation is. 转接: only the decision is
    recorded; the relation transfer is started from the relation-transfer feature."""
    report = transition(IDENTITY, report, "confirm", actor=actor, action="identity_report_confirm", note=note, decision=decision)
    if decision == IdentityDecision.MOBILE:
        member = _attach(actor, report)
        report.member = member
        report.save(update_fields=["member", "updated_at"])
        here = "组织关系已在本党组织" if member.relation_mode == RelationMode.LOCAL else "作为流动党员在此参加组织生活"
        member_timeline_event(
            member,
            actor=actor,
            transition="identity_report_confirm",
            label="亮身份报到确认",
            old=member.relation_mode,
            new=member.relation_mode,
            note=f"向“{report.party_organization.name}”报到，{here}",
        )
    return report


def _attach(actor, report: IdentityReport) -> Member:
    """The Member here: created (流动党员), or — registered here already (the guards let nothing else through) —
    attending as a mobile member from now on, unless their relation is here already (组织关系在本组织: only linked)."""
    member = Member.objects.filter(id_number_index=report.id_number_index).first()
    number = report.id_number
    if member is None:
        member = member_create(
            actor=actor,
            name=report.name,
            gender=Gender.MALE if int(number[16]) % 2 else Gender.FEMALE,
            birth_date=ric.get_birth_date(number),
            id_number=number,
            phone=report.phone,
            joined_on=report.joined_on,
            status=report.member_status,
            party_organization=report.party_organization,
            relation_mode=RelationMode.MOBILE,
            occupation=report.occupation,
        )
    elif member.relation_mode == RelationMode.LOCAL:
        return member
    elif member.phone != report.phone or member.occupation != report.occupation:
        member = member_update(actor=actor, member=member, phone=report.phone, occupation=report.occupation)
    # The inflow registration keeps the period and sets the relation mode to 流动党员 (through member_update).
    mobile_inflow_register(
        actor=actor,
        member=member,
        home_organization=report.home_organization,
        starts_on=timezone.localdate(),
        note=f"亮身份报到确认（报到编号 {report.pk}）",
    )
    return Member.objects.get(pk=member.pk)


def identity_report_decline(*, actor, report: IdentityReport, reason: str) -> IdentityReport:
    return transition(IDENTITY, report, "decline", actor=actor, action="identity_report_decline", note=reason)


# ------------------------------------------------------------------------------------------------------- reads


def identity_report_list(*, user, q: str = "", status: str = "", party_org: str | int = "", mine: bool = False):
    reports = scoped(IdentityReport.objects.select_related("party_organization", "party_organization__region"), user)
    if mine:
        reports = reports.filter(reporter=user)
    if q:
        reports = reports.filter(name__icontains=q)
    if status:
        reports = reports.filter(status=status)
    if party_org not in ("", None):
        try:
            reports = reports.filter(party_organization_id=int(party_org))
        except (TypeError, ValueError):
            reports = reports.none()
    return reports


def access_identity_report(pk, *, user, for_write: bool = False) -> IdentityReport:
    """One report inside the user's scope (the receiving side, or its reporter), else 404; decisions only where the
    receiving Party organization sits, or by its secretary."""
    return access(
        IdentityReport.objects.select_related("party_organization", "party_organization__region", "member", "decided_by"),
        pk,
        user,
        capability="members.manage" if for_write else "members.view",
        own_place_only=for_write,
    )


def report_targets(q: str, *, limit: int = 20):
    """The Party organizations one may report to, by name: every active one on the platform (a member reports where
    they work, wherever that is); only names and places are shown."""
    q = (q or "").strip()
    if len(q) < 2:
        return PartyOrganization.objects.none()
    found = PartyOrganization.objects.select_related("region").filter(status=PartyOrgStatus.ACTIVE)
    for word in q.split()[:5]:  # every word in the name: “滕王阁 联合党支部”
        found = found.filter(name__icontains=word)
    return found.order_by("name", "pk")[:limit]


def report_target(pk) -> PartyOrganization | None:
    try:
        return PartyOrganization.objects.select_related("region").filter(status=PartyOrgStatus.ACTIVE, pk=int(pk)).first()
    except (TypeError, ValueError):
        return None


@dataclass(frozen=True)
class Period:
    key: str  # 2026-11 or 2026-Q4
    label: str
    starts: date
    ends: date  # exclusive


def parse_period(text: str, *, today: date | None = None) -> Period:
    """A month (2026-11) or a quarter (2026-Q4); anything else is this month."""
    today = today or timezone.localdate()
    text = (text or "").strip().upper()
    try:
        year_text, part = text.split("-", 1)
        year = int(year_text)
        if not 2000 <= year <= 2100:
            raise ValueError
        if part.startswith("Q"):
            quarter = int(part[1:])
            if not 1 <= quarter <= 4:
                raise ValueError
            starts = date(year, 3 * quarter - 2, 1)
            ends = date(year + 1, 1, 1) if quarter == 4 else date(year, 3 * quarter + 1, 1)
            return Period(f"{year}-Q{quarter}", f"{year} 年第{'一二三四'[quarter - 1]}季度", starts, ends)
        month = int(part)
        if not 1 <= month <= 12:
            raise ValueError
    except ValueError:
        year, month = today.year, today.month
    starts = date(year, month, 1)
    ends = date(year + 1, 1, 1) if month == 12 else date(year, month + 1, 1)
    return Period(f"{year}-{month:02d}", f"{year} 年 {month} 月", starts, ends)


def period_choices(*, today: date | None = None) -> list[tuple[str, str]]:
    """The last 12 months and the last 4 quarters, for the period picker."""
    today = today or timezone.localdate()
    months, year, month = [], today.year, today.month
    for _ in range(12):
        months.append(parse_period(f"{year}-{month:02d}"))
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
    quarters, year, quarter = [], today.year, (today.month - 1) // 3 + 1
    for _ in range(4):
        quarters.append(parse_period(f"{year}-Q{quarter}"))
        year, quarter = (year - 1, 4) if quarter == 1 else (year, quarter - 1)
    return [(p.key, p.label) for p in months + quarters]


def _child_length(user) -> int | None:
    scope = user_scope(user)
    if scope.nationwide:
        return 2
    if scope.region_prefix:
        longer = [n for n in REGION_CODE_LENGTHS if n > len(scope.region_prefix)]
        return longer[0] if longer else len(scope.region_prefix)
    return None


def identity_counts_by_region(*, user, period: Period) -> list[dict]:
    """Reports submitted, confirmed and declined in the period, per region one level under the viewer's (by the
    receiving Party organization's place); one row per region that has any, with a total row last. Users without
    territory get one row per place of the reports they see."""
    reports = scoped(IdentityReport.objects.all(), user)
    length = _child_length(user) or 12
    code = Substr("party_organization__region__code", 1, length)
    tz = timezone.get_current_timezone()
    starts = datetime.combine(period.starts, time.min, tzinfo=tz)
    ends = datetime.combine(period.ends, time.min, tzinfo=tz)
    decided = Q(decided_at__gte=starts, decided_at__lt=ends)
    rows = (
        reports.filter(Q(created_at__gte=starts, created_at__lt=ends) | decided)
        .annotate(area=code)
        .order_by()
        .values("area")
        .annotate(
            submitted=Count("pk", filter=Q(created_at__gte=starts, created_at__lt=ends)),
            confirmed=Count("pk", filter=decided & Q(status=IdentityReportStatus.CONFIRMED)),
            declined=Count("pk", filter=decided & Q(status=IdentityReportStatus.DECLINED)),
        )
        .order_by("area")
    )
    rows = list(rows)
    names = dict(Region.objects.filter(code__in=[r["area"] for r in rows]).values_list("code", "name"))
    table = [
        {"code": r["area"], "name": names.get(r["area"], r["area"]), **{k: r[k] for k in ("submitted", "confirmed", "declined")}}
        for r in rows
    ]
    total = {k: sum(r[k] for r in table) for k in ("submitted", "confirmed", "declined")}
    return [*table, {"code": "", "name": "合计", **total}]


def identity_status_counts(reports) -> list[tuple[str, str, int]]:
    counts = dict(reports.order_by().values_list("status").annotate(n=Count("pk")))
    return [(value, label, counts.get(value, 0)) for value, label in IdentityReportStatus.choices]
