"""The member import: upsert by the ID number's blind index; every row checked by the service's own rules
(sanxin.members.services.member_errors) and written through its services, so each member is audited."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils import timezone
from stdnum.cn import ric

from sanxin.core.fields import blind_index_for
from sanxin.core.scope import scoped
from sanxin.core.text import half_width
from sanxin.core.validators import normalize_credit_code
from sanxin.imports.readers import NumberedRow
from sanxin.imports.spec import (
    Counts,
    ImportColumn,
    ImportConflict,
    ImportScope,
    ImportSpec,
    RowCheck,
    RowError,
    chunked,
    lookup_text,
    parse_date,
)
from sanxin.members.models import Education, Gender, Member, MemberStatus, RelationMode
from sanxin.members.selectors import manageable_party_orgs
from sanxin.members.services import lost_mode_error, member_create, member_errors, member_update
from sanxin.orgs.models import Organization


def _max(name: str) -> int:
    return Member._meta.get_field(name).max_length


def _labels(choices) -> list[str]:
    return [str(label) for _, label in choices]


COLUMNS = [
    ImportColumn("姓名", "name", True, "", "张三", max_length=_max("name")),
    ImportColumn("性别", "gender", True, "男 或 女，须与身份证号码一致", "男", choices=lambda: _labels(Gender.choices)),
    ImportColumn("公民身份号码", "id_number", True, "18 位，校验位须正确；已登记的按此更新", "", width=22, fold=True),
    ImportColumn("出生日期", "birth_date", False, "空白则按身份证号码", "", fold=True),
    ImportColumn("民族", "ethnicity", False, "空白视为汉族", "汉族", max_length=_max("ethnicity")),
    ImportColumn("学历", "education", False, "从下拉列表选择", "大学本科", choices=lambda: _labels(Education.choices)),
    ImportColumn("手机号码", "phone", False, "11 位大陆手机号", "", width=14, fold=True),
    ImportColumn("入党日期", "joined_on", True, "如 2015-07-01", "2015-07-01", fold=True),
    ImportColumn("党员状态", "status", True, "预备党员 或 正式党员", "正式党员", choices=lambda: _labels(MemberStatus.choices)),
    ImportColumn("所在党组织名称", "party_organization", True, "须是您可维护的党组织", "", width=34),
    ImportColumn("党组织所在地区代码", "party_region", True, "所在党组织的所在地区代码", "360102002", width=16, fold=True),
    ImportColumn(
        "组织关系情况", "relation_mode", False, "空白视为组织关系在本组织", "", width=28, choices=lambda: _labels(RelationMode.choices)
    ),
    ImportColumn("职业", "occupation", False, "", "快递员", max_length=_max("occupation")),
    ImportColumn("工作单位统一社会信用代码", "employer", False, "须在您管辖的组织名录中", "", width=24, fold=True),
]
HEADER_OF = {c.key: c.header for c in COLUMNS}
OUTSIDE_SCOPE = "该身份证号码的党员已由您管辖范围以外的党组织登记，无权修改"


@dataclass
class ParsedRow:
    row: int
    index: str  # the ID number's blind index
    fields: dict


def _choice(choices, text: str):
    return {str(label): value for value, label in choices}.get(text)


def _writable(indexes: set[str], user) -> tuple[dict[str, int], set[str]]:
    """(blind index → stored member id, the indexes of those the user may change)."""
    stored, writable = {}, set()
    for chunk in chunked(indexes):
        records = Member.objects.filter(id_number_index__in=chunk)
        stored |= dict(records.values_list("id_number_index", "pk"))
        writable |= set(records.values_list("id_number_index", flat=True) if user is None else _own(records, user))
    return stored, writable


def _lost(indexes: set[str]) -> set[str]:
    """The blind indexes of the stored members marked 失联."""
    lost = set()
    for chunk in chunked(indexes):
        records = Member.objects.filter(id_number_index__in=chunk, relation_mode=RelationMode.LOST)
        lost |= set(records.values_list("id_number_index", flat=True))
    return lost


def _own(records, user):
    return scoped(records, user, own_place_only=True).values_list("id_number_index", flat=True)


def validate(rows: list[NumberedRow], *, user, progress=None) -> tuple[list[ParsedRow], list[RowError]]:
    today = timezone.localdate()
    names = {lookup_text(cells, 9, fold=False) for _, cells in rows} - {""}
    party_orgs = {}
    for chunk in chunked(names):
        party_orgs |= {(p.region_id, p.name): p for p in manageable_party_orgs(user).filter(name__in=chunk)}
    codes = {normalize_credit_code(cells[13]) for _, cells in rows if len(cells) > 13 and cells[13].strip()}
    employers = Organization.objects.filter(credit_code__in=codes)
    employers = {o.credit_code: o for o in (scoped(employers, user) if user is not None else employers)}
    indexes: dict[int, str] = {}
    for number, cells in rows:
        text = ric.compact(half_width(cells[2])) if len(cells) > 2 else ""
        indexes[number] = blind_index_for("id_number", text) if text else ""
    repeated = Counter(i for i in indexes.values() if i)
    stored, writable = _writable(set(repeated), user)
    lost = _lost(set(stored))
    valid, errors = [], []
    for position, (number, raw) in enumerate(rows, start=1):
        check = RowCheck(number, raw, COLUMNS)
        text, fail = check.text, check.fail
        if progress and position % 5000 == 0:
            progress(position)
        fields = {
            "name": text["name"],
            "gender": _choice(Gender.choices, text["gender"]) or text["gender"],
            "id_number": text["id_number"],
            "ethnicity": text["ethnicity"],
            "education": _choice(Education.choices, text["education"]) if text["education"] else "",
            "phone": text["phone"],
            "status": _choice(MemberStatus.choices, text["status"]) or text["status"],
            "relation_mode": _choice(RelationMode.choices, text["relation_mode"]) if text["relation_mode"] else RelationMode.LOCAL,
            "occupation": text["occupation"],
            "party_organization": party_orgs.get((text["party_region"], text["party_organization"])),
            "employer": None,
        }
        if fields["education"] is None:
            fail("education", "学历不在可选范围内")
        index = indexes[number]
        if fields["relation_mode"] is None:
            fail("relation_mode", "组织关系情况应为：" + "、".join(_labels(RelationMode.choices)))
        elif index in lost and not text["relation_mode"]:
            fields["relation_mode"] = RelationMode.LOST  # blank keeps a lost member as they are
        elif reason := lost_mode_error(RelationMode.LOST if index in lost else None, fields["relation_mode"]):
            fail("relation_mode", reason)
        for key in ("birth_date", "joined_on"):
            fields[key] = None
            if text[key]:
                try:
                    fields[key] = parse_date(text[key])
                except ValueError as exc:
                    fail(key, str(exc))
        if text["party_organization"] and fields["party_organization"] is None:
            fail("party_organization", "该地区没有这个党组织，或不在您的管辖范围内")
        if text["employer"]:
            fields["employer"] = employers.get(normalize_credit_code(text["employer"]))
            if fields["employer"] is None:
                fail("employer", "工作单位不在您管辖的组织名录中")
        if index and repeated[index] > 1:
            fail("id_number", "同一身份证号码在本文件中重复出现")
        if index in stored and index not in writable:
            fail("id_number", OUTSIDE_SCOPE)
        rule_errors, cleaned = member_errors({k: v for k, v in fields.items() if k not in check.bad}, today=today)
        check.fail_each(rule_errors)
        if check.errors:
            errors.extend(check.errors)
            continue
        valid.append(ParsedRow(number, blind_index_for("id_number", cleaned["id_number"]), cleaned))
    errors.sort(key=lambda e: e.row)
    return valid, errors


def write(valid: list[ParsedRow], *, scope: ImportScope | None = None, progress=None) -> Counts:
    """Each row through member_create or member_update, as the importing user: the scope and every rule checked again
    inside the write's transaction, each change audited with masked values."""
    user = scope.user if scope is not None else None
    counts = Counts()
    stored, writable = _writable({r.index for r in valid}, user)
    if any(r.index in stored and r.index not in writable for r in valid):
        raise ImportConflict("校验之后名册有变动：有党员已由您管辖范围以外的党组织登记。未导入任何数据，请重新导入")
    existing = {m.id_number_index: m for chunk in chunked(stored) for m in Member.objects.filter(id_number_index__in=chunk)}
    for position, parsed in enumerate(valid, start=1):
        if progress and position % 1000 == 0:
            progress(position)
        member = existing.get(parsed.index)
        try:
            if member is None:
                member_create(actor=user, **parsed.fields)
                counts.created += 1
                continue
            changes = {k: v for k, v in parsed.fields.items() if k != "user" and getattr(member, k) != v}
            if changes:
                member_update(actor=user, member=member, **changes)
                counts.updated += 1
            else:
                counts.unchanged += 1
        except ValidationError as error:
            raise ImportConflict.refused_at_write(parsed.row, error) from None
    return counts


MEMBERS = ImportSpec(
    key="members",
    label="党员名册",
    columns=COLUMNS,
    validate=validate,
    write=write,
    capability="members.manage",
    list_url_name="members:member_list",
    tables=(Member._meta.db_table,),
)
