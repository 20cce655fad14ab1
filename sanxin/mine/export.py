"""The user's own data as the platform holds it, for 我的资料 and its export (个人信息保护法: a copy of one's own
data): the member record in full, attendance, 亮身份 reports, relation transfers and mobile registrations. Only
rows tied to the user; JSON or xlsx (one sheet per part)."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from datetime import date, datetime

import xlsxwriter
from django.utils import timezone

from sanxin.core.masking import mask_id_number, mask_phone
from sanxin.life.models import Attendance
from sanxin.mine.selectors import my_identity_reports, my_member, my_mobile_registrations, my_transfers


@dataclass(frozen=True)
class Part:
    key: str
    title: str
    columns: tuple[tuple[str, str], ...]  # (key, Chinese header)
    rows: list[dict]


def _value(value):
    if isinstance(value, datetime):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else value


MEMBER_COLUMNS = (
    ("name", "姓名"),
    ("gender", "性别"),
    ("birth_date", "出生日期"),
    ("ethnicity", "民族"),
    ("education", "学历"),
    ("id_number", "公民身份号码"),
    ("phone", "手机号码"),
    ("joined_on", "入党日期"),
    ("status", "党员状态"),
    ("party_organization", "所在党组织"),
    ("relation_mode", "组织关系情况"),
    ("occupation", "职业"),
    ("employer", "工作单位"),
    ("created_at", "登记时间"),
    ("updated_at", "最近修改时间"),
)


def member_fields(member, *, unmasked: bool) -> list[tuple[str, str, str]]:
    """(key, label, shown value) of every field of the record; ID number and phone masked unless `unmasked`."""
    values = {
        "name": member.name,
        "gender": member.get_gender_display(),
        "birth_date": member.birth_date,
        "ethnicity": member.ethnicity,
        "education": member.get_education_display() if member.education else "",
        "id_number": member.id_number if unmasked else member.id_number_masked,
        "phone": member.phone if unmasked else member.phone_masked,
        "joined_on": member.joined_on,
        "status": member.get_status_display(),
        "party_organization": member.party_organization.name,
        "relation_mode": member.get_relation_mode_display(),
        "occupation": member.occupation,
        "employer": member.employer.name if member.employer_id else "",
        "created_at": member.created_at,
        "updated_at": member.updated_at,
    }
    return [(key, label, _value(values[key])) for key, label in MEMBER_COLUMNS]


def my_data(user, *, full: bool = True) -> list[Part]:
    """Every part of the user's own data: in full for the page's export (after the password), ID numbers and phones
    masked otherwise (the API)."""
    ids = (lambda v: v) if full else mask_id_number
    phones = (lambda v: v) if full else mask_phone
    member = my_member(user)
    parts = [Part("member", "党员信息", MEMBER_COLUMNS, [{k: v for k, _, v in member_fields(member, unmasked=full)}] if member else [])]
    attendances = Attendance.objects.filter(member__user=user).select_related(
        "meeting", "meeting__meeting_type", "meeting__party_organization"
    )
    parts.append(
        Part(
            "attendances",
            "出席情况",
            (
                ("meeting", "会议主题"),
                ("meeting_type", "会议类型"),
                ("party_organization", "党组织"),
                ("starts_at", "开始时间"),
                ("ends_at", "结束时间"),
                ("state", "出席情况"),
                ("leave_reason", "请假事由"),
                ("signed_in_at", "签到时间"),
            ),
            [
                {
                    "meeting": a.meeting.topic,
                    "meeting_type": a.meeting.meeting_type.name,
                    "party_organization": a.meeting.party_organization.name,
                    "starts_at": _value(a.meeting.starts_at),
                    "ends_at": _value(a.meeting.ends_at),
                    "state": a.get_state_display(),
                    "leave_reason": a.leave_reason,
                    "signed_in_at": _value(a.signed_in_at),
                }
                for a in attendances.order_by("meeting__starts_at", "pk")
            ],
        )
    )
    parts.append(
        Part(
            "identity_reports",
            "亮身份报到",
            (
                ("name", "姓名"),
                ("id_number", "公民身份号码"),
                ("phone", "手机号码"),
                ("joined_on", "入党日期"),
                ("member_status", "党员状态"),
                ("home_organization", "组织关系所在党组织"),
                ("occupation", "职业"),
                ("employer_name", "工作单位"),
                ("party_organization", "报到党组织"),
                ("status", "状态"),
                ("decision", "确认方式"),
                ("decision_note", "处理说明"),
                ("created_at", "提交时间"),
                ("decided_at", "处理时间"),
            ),
            [
                {
                    "name": r.name,
                    "id_number": ids(r.id_number),
                    "phone": phones(r.phone),
                    "joined_on": _value(r.joined_on),
                    "member_status": r.get_member_status_display(),
                    "home_organization": r.home_organization,
                    "occupation": r.occupation,
                    "employer_name": r.employer_name,
                    "party_organization": r.party_organization.name,
                    "status": r.get_status_display(),
                    "decision": r.get_decision_display() if r.decision else "",
                    "decision_note": r.decision_note,
                    "created_at": _value(r.created_at),
                    "decided_at": _value(r.decided_at),
                }
                for r in my_identity_reports(user)
            ],
        )
    )
    parts.append(
        Part(
            "transfers",
            "组织关系转接",
            (
                ("from_organization", "转出党组织"),
                ("to_organization", "接收党组织"),
                ("state", "转接状态"),
                ("letter_number", "介绍信编号"),
                ("reason", "转接原因"),
                ("initiated_on", "发起日期"),
                ("valid_until", "介绍信有效期至"),
                ("accepted_on", "接收日期"),
                ("rejected_on", "退回日期"),
                ("reject_reason", "退回原因"),
                ("completed_on", "报到完成日期"),
                ("cancelled_on", "撤销日期"),
            ),
            [
                {
                    "from_organization": t.from_organization.name,
                    "to_organization": t.to_organization.name,
                    "state": t.get_state_display(),
                    "letter_number": t.letter_number,
                    "reason": t.reason,
                    "initiated_on": _value(t.initiated_on),
                    "valid_until": _value(t.valid_until),
                    "accepted_on": _value(t.accepted_on),
                    "rejected_on": _value(t.rejected_on),
                    "reject_reason": t.reject_reason,
                    "completed_on": _value(t.completed_on),
                    "cancelled_on": _value(t.cancelled_on),
                }
                for t in my_transfers(user)
            ],
        )
    )
    parts.append(
        Part(
            "mobile_registrations",
            "流动党员登记",
            (
                ("direction", "流动方向"),
                ("destination", "流入地"),
                ("destination_organization", "流入地党组织"),
                ("home_organization", "组织关系所在党组织"),
                ("starts_on", "流动开始日期"),
                ("ends_on", "流动结束日期"),
                ("contact", "流动期间联系电话"),
                ("note", "说明"),
            ),
            [
                {
                    "direction": g.get_direction_display(),
                    "destination": g.destination,
                    "destination_organization": g.destination_organization.name if g.destination_organization_id else "",
                    "home_organization": g.home_organization,
                    "starts_on": _value(g.starts_on),
                    "ends_on": _value(g.ends_on),
                    "contact": phones(g.contact),
                    "note": g.note,
                }
                for g in my_mobile_registrations(user)
            ],
        )
    )
    return parts


def as_json(parts: list[Part]) -> bytes:
    data = {"exported_at": _value(timezone.now()), **{part.key: part.rows for part in parts}}
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def as_xlsx(parts: list[Part]) -> bytes:
    buffer = io.BytesIO()
    workbook = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    header = workbook.add_format({"bold": True, "bg_color": "#F3F4F6", "border": 1})
    for part in parts:
        sheet = workbook.add_worksheet(part.title[:31])
        for col, (_, label) in enumerate(part.columns):
            sheet.write_string(0, col, label, header)
            sheet.set_column(col, col, 18)
        for row_number, row in enumerate(part.rows, start=1):
            for col, (key, _) in enumerate(part.columns):
                sheet.write_string(row_number, col, str(row.get(key, "")))
        sheet.freeze_panes(1, 0)
    workbook.close()
    return buffer.getvalue()
