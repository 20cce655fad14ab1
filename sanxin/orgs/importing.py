"""The organization registry import: the columns of domain.md, in that order; upsert by credit code."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone

from sanxin.core.events import publish
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
    Staged,
    chunked,
    find_cycles,
    lookup_text,
    parse_count,
    parse_date,
)
from sanxin.orgs import importing_fast
from sanxin.orgs.importing_pg import write_with_copy
from sanxin.orgs.models import REGISTRY_COLUMNS, Organization, OrgCategory, RegistrationStatus, kind_of
from sanxin.orgs.services import organization_errors
from sanxin.orgs.writes import organizations_save
from sanxin.regions.jurisdiction import place_outside_scope
from sanxin.regions.models import Industry, Region


def _max_length(field: str) -> int:
    return Organization._meta.get_field(field).max_length


COLUMNS = [
    ImportColumn("统一社会信用代码", "credit_code", True, "18 位，按 GB 32100 校验", "91360102MA35L5XK4B", width=22, fold=True),
    ImportColumn("单位名称", "name", True, "营业执照上的全称", "南昌顺达快递有限公司", width=30, max_length=_max_length("name")),
    ImportColumn("单位类别", "category", True, "从下拉列表选择", "私营企业", choices=lambda: [label for _, label in OrgCategory.choices]),
    ImportColumn(
        "所属行业", "industry", True, "从下拉列表选择", "快递", choices=lambda: list(Industry.objects.values_list("name", flat=True))
    ),
    ImportColumn(
        "所在地区代码", "region", True, "12 位社区/村代码（至少到 6 位区县代码），须在您的管辖范围内", "360102002001", width=16, fold=True
    ),
    ImportColumn("详细地址", "address", False, "", "南昌市东湖区民巷 18 号", width=30, max_length=_max_length("address")),
    ImportColumn("法定代表人", "legal_representative", False, "", "王建华", max_length=_max_length("legal_representative")),
    ImportColumn("从业人员数", "employees", False, "整数，空白视为 0", "60", fold=True),
    ImportColumn("正式党员数", "formal_members", False, "整数，空白视为 0；正式 + 预备不得多于从业人员数", "3", fold=True),
    ImportColumn("预备党员数", "probationary_members", False, "整数，空白视为 0", "1", fold=True),
    ImportColumn("成立日期", "established_on", False, "如 2020-05-01，不得晚于今天", "2020-05-01", fold=True),
    ImportColumn(
        "登记状态",
        "registration_status",
        False,
        "存续、注销、吊销、迁出；空白视为存续",
        "存续",
        choices=lambda: [label for _, label in RegistrationStatus.choices],
    ),
    ImportColumn(
        "上级单位统一社会信用代码",
        "parent",
        False,
        "集团→分支机构、平台→加盟商/站点；上级须已在名录中或在本文件中",
        "",
        width=22,
        fold=True,
    ),
]
HEADER_OF = {c.key: c.header for c in COLUMNS}
UNRESTRICTED = ImportScope()


CLEAN_CODE = re.compile(r"[0-9A-Z]{18}")
# What Excel shows (and writes to CSV) for an 18-digit code typed into a number cell: 9.13601E+17 (or 9E+17):
# one digit, maybe a decimal point and more digits, "E+" and the exponent. A credit code has neither the point
# nor the plus sign, so a real code with an E in it (9136082103156E0393) is never taken for a number.
EXCEL_NUMBER = re.compile(r"[1-9](\.[0-9]+)?E\+[0-9]{1,3}", re.IGNORECASE)
COUNTS = ("employees", "formal_members", "probationary_members")
OUTSIDE_SCOPE = "该统一社会信用代码的组织已在名录中，但不在您的管辖范围内，无权修改"


def credit_code_key(text: str) -> str:
    """The code as stored; a clean 18-character code is already that (the standard's compaction is slow)."""
    return text if CLEAN_CODE.fullmatch(text) else normalize_credit_code(text)


@dataclass
class ParsedRow:
    row: int
    credit_code: str
    values: dict  # REGISTRY_COLUMNS → value
    parent_code: str


def validate(rows: list[NumberedRow], *, user, progress=None) -> tuple[list[ParsedRow], list[RowError]]:
    """Every row checked; returns the valid rows and the errors (row, column, value, reason)."""
    today = timezone.localdate()
    categories = {label: value for value, label in OrgCategory.choices} | {value: value for value in OrgCategory.values}
    statuses = {label: value for value, label in RegistrationStatus.choices}
    industries = {i.name: i for i in Industry.objects.all()} | {i.code: i for i in Industry.objects.all()}
    codes = {code for _, cells in rows if (code := lookup_text(cells, 4))}
    regions = {r.code: r for chunk in chunked(codes) for r in Region.objects.filter(code__in=chunk)}
    scope = ImportScope.of(user)
    valid: list[ParsedRow] = []
    errors: list[RowError] = []
    keys = Counter(credit_code_key(code) for _, cells in rows if (code := lookup_text(cells, 0)))
    taken = scope.outside(Organization.objects.all(), "credit_code", keys)
    for position, (number, raw) in enumerate(rows, start=1):
        # Codes, counts and dates read half-width; a control character or an over-long text is the column's only error.
        check = RowCheck(number, raw, COLUMNS)
        text, fail = check.text, check.fail
        if progress and position % 5000 == 0:
            progress(position)
        fields: dict = {"credit_code": credit_code_key(text["credit_code"]), "name": text["name"]}
        if EXCEL_NUMBER.fullmatch(text["credit_code"]):
            fail("credit_code", "统一社会信用代码被 Excel 存成了数字（科学计数法），后几位已经丢失；请把该列设为“文本”格式后重新填写")
        elif fields["credit_code"] in taken:
            fail("credit_code", OUTSIDE_SCOPE)
        if text["category"]:
            fields["category"] = categories.get(text["category"])
            if fields["category"] is None:
                fail("category", "单位类别不在可选范围内，请从下拉列表选择")
        if text["industry"]:
            fields["industry"] = industries.get(text["industry"])
            if fields["industry"] is None:
                fail("industry", "所属行业不在行业字典中，请从下拉列表选择")
        if text["region"]:
            fields["region"] = regions.get(text["region"])
            if fields["region"] is None:
                fail("region", "所在地区代码不存在")
        # New rows of a zone committee join its zone (ImportScope.zone_id); updated rows keep theirs.
        place = place_outside_scope(user, region=fields.get("region"), industry=fields.get("industry"), zone=scope.zone_id)
        check.fail_each(place)
        unread = set()  # counts that could not be read: no rule between counts is judged on them
        for key in COUNTS:
            try:
                fields[key] = parse_count(text[key])
            except ValueError as exc:
                fail(key, str(exc))
                fields[key] = 0
                unread.add(key)
        if text["established_on"]:
            try:
                fields["established_on"] = parse_date(text["established_on"])
            except ValueError as exc:
                fail("established_on", str(exc))
        status = text["registration_status"] or "存续"
        fields["registration_status"] = statuses.get(status)
        if fields["registration_status"] is None:
            fail("registration_status", "登记状态应为 存续、注销、吊销 或 迁出")
        if text["credit_code"] and keys[fields["credit_code"]] > 1:
            fail("credit_code", "统一社会信用代码在本文件中重复出现")
        parent_code = credit_code_key(text["parent"]) if text["parent"] else ""
        if parent_code and parent_code == fields["credit_code"]:
            fail("parent", "上级单位不能是本单位")
        # The domain rules too, so one pass shows every problem of the row; a column already reported is not repeated,
        # and the members-versus-employees rule is not judged on a count that could not be read.
        rules = organization_errors(dict(fields), today=today)
        if unread:
            rules.pop("formal_members", None)
        check.fail_each(rules)
        if check.errors:
            errors.extend(check.errors)
            continue
        values = {
            "name": fields["name"],
            "kind": kind_of(fields["category"]),
            "category": fields["category"],
            "industry_id": fields["industry"].pk,
            "region_id": fields["region"].code,
            "address": text["address"],
            "legal_representative": text["legal_representative"],
            "employees": fields["employees"],
            "formal_members": fields["formal_members"],
            "probationary_members": fields["probationary_members"],
            "established_on": fields.get("established_on"),
            "registration_status": fields["registration_status"],
        }
        valid.append(ParsedRow(number, fields["credit_code"], values, parent_code))
    _check_parents(valid, errors, scope)
    errors.sort(key=lambda e: e.row)
    return valid, errors


def _check_parents(valid: list[ParsedRow], errors: list[RowError], scope: ImportScope) -> None:
    """A parent code must be in the registry (within the scope) or among the file's valid rows; no chain may loop."""
    wanted = {r.parent_code for r in valid if r.parent_code}
    stored = {
        code
        for chunk in chunked(wanted)
        for code in scope.inside(Organization.objects.filter(credit_code__in=chunk)).values_list("credit_code", flat=True)
    }
    reason = "上级单位不在您管辖的名录中，也不在本文件中" if scope.restricted else "上级单位不在名录中，也不在本文件中"
    while True:  # a row refused here may be the parent of another
        known = stored | {r.credit_code for r in valid}
        refused = [r for r in valid if r.parent_code and r.parent_code not in known]
        if not refused:
            break
        for parsed in refused:
            errors.append(RowError(parsed.row, HEADER_OF["parent"], parsed.parent_code, reason))
        valid[:] = [r for r in valid if not r.parent_code or r.parent_code in known]  # one pass: list.remove is quadratic
    looping = find_cycles({r.credit_code: r.parent_code or None for r in valid}, _stored_parents)
    for parsed in [r for r in valid if r.credit_code in looping]:
        errors.append(RowError(parsed.row, HEADER_OF["parent"], parsed.parent_code, "上级单位关系形成循环（本单位成了自己的上级），请检查"))
    valid[:] = [r for r in valid if r.credit_code not in looping]


def _stored_parents(codes: set[str]) -> dict[str, str | None]:
    return {
        code: parent
        for chunk in chunked(codes)
        for code, parent in Organization.objects.filter(credit_code__in=chunk).values_list("credit_code", "parent__credit_code")
    }


def stage(path, filename: str, *, user, progress=None) -> Staged | None:
    """A large CSV file on PostgreSQL copied and checked in the database (sanxin.orgs.importing_fast), or None."""
    return importing_fast.stage(path, filename, user=user, columns=COLUMNS, stored_parents=_stored_parents, progress=progress)


TAKEN_MEANWHILE = "校验之后名录有变动：有统一社会信用代码已由您管辖范围以外的单位登记。未导入任何数据，请重新导入"


def write(valid: list[ParsedRow] | Staged, *, scope: ImportScope = UNRESTRICTED, progress=None) -> Counts:
    """Upsert by credit code: new rows created, changed rows updated, identical rows left alone.

    `valid` is the valid rows, or a file staged and checked in the database (stage)."""
    if isinstance(valid, Staged):
        if importing_fast.taken_outside(valid, scope):
            raise ImportConflict(TAKEN_MEANWHILE)
        counts = write_with_copy(None, zone_id=scope.zone_id, progress=progress, source=valid.table)
    else:
        # Checked again inside the write's transaction: someone may have registered a code elsewhere since the check.
        if scope.outside(Organization.objects.all(), "credit_code", [r.credit_code for r in valid]):
            raise ImportConflict(TAKEN_MEANWHILE)
        if connection.vendor != "postgresql":
            return _write_orm(valid, zone_id=scope.zone_id)
        counts = write_with_copy(valid, zone_id=scope.zone_id, progress=progress)
    # The new rows' coverage fields are right as inserted; the counts of the regions they joined follow here.
    if counts.regions:
        publish("organizations.changed", ids=[], regions=counts.regions)
    return counts


def _write_orm(valid: list[ParsedRow], *, zone_id: int | None) -> Counts:
    counts = Counts()
    codes = [r.credit_code for r in valid]
    existing = {o.credit_code: o for chunk in chunked(codes) for o in Organization.objects.filter(credit_code__in=chunk)}
    parent_codes = {
        code: parent
        for chunk in chunked(codes)
        for code, parent in Organization.objects.filter(credit_code__in=chunk).values_list("credit_code", "parent__credit_code")
    }
    now = timezone.now()
    to_create, to_update, relink, touched = [], [], [], set()
    for parsed in valid:
        current = existing.get(parsed.credit_code)
        parent_changed = (parent_codes.get(parsed.credit_code) or "") != parsed.parent_code
        if current is None:
            to_create.append(Organization(credit_code=parsed.credit_code, zone_id=zone_id, **parsed.values))
            if parsed.parent_code:
                relink.append(parsed)
            continue
        fields_changed = any(getattr(current, k) != v for k, v in parsed.values.items())
        if fields_changed:
            for key, value in parsed.values.items():
                setattr(current, key, value)
            current.updated_at = now
            to_update.append(current)
        if parent_changed:
            relink.append(parsed)
            if current.parent_id:
                touched.add(current.parent_id)  # the branch it loses changes its coverage
        if fields_changed or parent_changed:
            counts.updated += 1
            touched.add(current.pk)
        else:
            counts.unchanged += 1
    created = organizations_save(created=to_create, updated=to_update, fields=REGISTRY_COLUMNS)
    counts.created = len(to_create)
    link_parents(relink)
    new_codes = [o.credit_code for o in created]
    for chunk in chunked(new_codes):
        touched |= set(Organization.objects.filter(credit_code__in=chunk).values_list("id", flat=True))
    counts.touched_ids = sorted(touched)
    return counts


def link_parents(rows: list[ParsedRow]) -> None:
    """Point these rows at their parents (by credit code), once every row of the file exists."""
    wanted = {r.parent_code for r in rows if r.parent_code}
    ids = dict(Organization.objects.filter(credit_code__in=wanted).values_list("credit_code", "id"))
    for parsed in rows:
        Organization.objects.filter(credit_code=parsed.credit_code).update(parent_id=ids.get(parsed.parent_code))


def _coverage_follows(ids: list[int], total: int) -> None:
    publish("organizations.changed", ids=ids)


ORGANIZATIONS = ImportSpec(
    key="organizations",
    label="两新组织名录",
    columns=COLUMNS,
    validate=validate,
    write=write,
    after_write=_coverage_follows,
    capability="orgs.manage",
    list_url_name="orgs:organization_list",
    tables=(Organization._meta.db_table,),
    stage=stage,
)
