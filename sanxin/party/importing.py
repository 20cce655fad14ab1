"""The Party organization import: upsert by (所在地区代码, 党组织名称); sets the covered organizations."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

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
    chunked,
    find_cycles,
    lookup_text,
    parse_count,
    parse_date,
)
from sanxin.orgs.models import Organization
from sanxin.party.models import EstablishmentForm, PartyOrganization, PartyOrgLevel, PartyOrgStatus
from sanxin.party.services import next_election_due, party_org_errors
from sanxin.regions.jurisdiction import place_outside_scope
from sanxin.regions.models import Industry, Region

NAME_MAX = PartyOrganization._meta.get_field("name").max_length
COLUMNS = [
    ImportColumn("党组织名称", "name", True, "全称，同一地区内不重复", "中共南昌顺达快递有限公司支部委员会", width=34, max_length=NAME_MAX),
    ImportColumn("层级", "level", True, "从下拉列表选择", "党支部", choices=lambda: [label for _, label in PartyOrgLevel.choices]),
    ImportColumn("上级党组织名称", "parent", False, "须已在名录中或在本文件中", "", width=30, max_length=NAME_MAX),
    ImportColumn(
        "组建方式",
        "establishment_form",
        True,
        "从下拉列表选择",
        "单独组建",
        choices=lambda: [label for _, label in EstablishmentForm.choices],
    ),
    ImportColumn("所在地区代码", "region", True, "须在您的管辖范围内", "360102002001", width=16, fold=True),
    ImportColumn(
        "所属行业", "industry", False, "从下拉列表选择", "快递", choices=lambda: list(Industry.objects.values_list("name", flat=True))
    ),
    ImportColumn("书记", "secretary", False, "", "胡国华", max_length=PartyOrganization._meta.get_field("secretary").max_length),
    ImportColumn("成立日期", "founded_on", False, "如 2020-07-01", "2020-07-01", fold=True),
    ImportColumn("任期（年）", "term_years", False, "3 或 5，空白视为 3", "3", fold=True),
    ImportColumn("上次换届日期", "last_election_on", False, "如 2023-07-01", "", fold=True),
    ImportColumn(
        "状态", "status", False, "正常、已撤销；空白视为正常", "正常", choices=lambda: [label for _, label in PartyOrgStatus.choices]
    ),
    ImportColumn("覆盖单位统一社会信用代码", "covered", False, "多个用逗号或分号分隔；须在您管辖的组织名录中", "", width=40, fold=True),
]
HEADER_OF = {c.key: c.header for c in COLUMNS}
FIELDS = ["level", "establishment_form", "industry_id", "secretary", "founded_on", "term_years", "last_election_on", "status"]


UNRESTRICTED = ImportScope()
OUTSIDE_SCOPE = "该地区的同名党组织已在名录中，但不在您的管辖范围内，无权修改"
Key = tuple[str, str]  # (region code, name): the natural key


def _cell(row: list[str], index: int) -> str:
    return lookup_text(row, index, fold=COLUMNS[index].fold)


def _codes(text: str) -> list[str]:
    return [normalize_credit_code(c) for c in re.split(r"[,，;；\s]+", text) if c.strip()]


@dataclass
class ParsedRow:
    row: int
    region_id: str
    name: str
    values: dict
    parent_name: str
    covered_ids: list[int]
    parent_key: Key | None = None


def _stored_keys(scope: ImportScope, names: set[str]) -> tuple[set[Key], set[Key]]:
    """(keys of stored Party organizations with these names, those of them inside the scope)."""
    stored, inside = set(), set()
    for chunk in chunked(names):
        records = PartyOrganization.objects.filter(name__in=chunk)
        stored |= set(records.values_list("region_id", "name"))
        inside |= set(scope.inside(records).values_list("region_id", "name"))
    return stored, inside


def validate(rows: list[NumberedRow], *, user, progress=None) -> tuple[list[ParsedRow], list[RowError]]:
    today = timezone.localdate()
    levels = {label: value for value, label in PartyOrgLevel.choices}
    forms = {label: value for value, label in EstablishmentForm.choices}
    statuses = {label: value for value, label in PartyOrgStatus.choices}
    industries = {i.name: i for i in Industry.objects.all()}
    regions = {r.code: r for r in Region.objects.filter(code__in={_cell(cells, 4) for _, cells in rows})}
    scope = ImportScope.of(user)
    all_codes = {c for _, cells in rows for c in _codes(_cell(cells, 11))}
    org_ids = dict(scope.inside(Organization.objects.filter(credit_code__in=all_codes)).values_list("credit_code", "id"))
    keys = Counter((_cell(cells, 4), _cell(cells, 0)) for _, cells in rows)
    stored, inside = _stored_keys(scope, {name for _, name in keys})
    valid, errors = [], []
    for position, (number, raw) in enumerate(rows, start=1):
        # Codes, numbers and dates read half-width; a control character or an over-long text is the column's only error.
        check = RowCheck(number, raw, COLUMNS)
        text, fail = check.text, check.fail
        if progress and position % 5000 == 0:
            progress(position)
        fields = {
            "name": text["name"],
            "special_kinds": [],
            "level": levels.get(text["level"], text["level"] or None),
            "establishment_form": forms.get(text["establishment_form"], text["establishment_form"] or None),
        }
        region = regions.get(text["region"])
        fields["region"] = region
        if text["region"] and region is None:
            fail("region", "所在地区代码不存在")
        fields["industry"] = industries.get(text["industry"]) if text["industry"] else None
        if text["industry"] and fields["industry"] is None:
            fail("industry", "所属行业不在行业字典中")
        # New rows of a zone committee join its zone (ImportScope.zone_id); updated rows keep theirs.
        place = place_outside_scope(user, region=region, industry=fields["industry"], zone=scope.zone_id)
        check.fail_each(place)
        if region is not None and "region" not in place and (text["region"], text["name"]) in stored - inside:
            fail("name", OUTSIDE_SCOPE)  # only inside the user's regions: elsewhere a name reveals nothing
        for key in ("founded_on", "last_election_on"):
            fields[key] = None
            if text[key]:
                try:
                    fields[key] = parse_date(text[key])
                except ValueError as exc:
                    fail(key, str(exc))
        try:
            fields["term_years"] = parse_count(text["term_years"]) if text["term_years"] else 3
        except ValueError:
            fields["term_years"] = None  # reported by the domain rule: 3 or 5 years
        fields["status"] = statuses.get(text["status"] or "正常")
        if fields["status"] is None:
            fail("status", "状态应为 正常 或 已撤销")
        covered = _codes(text["covered"])
        missing = [c for c in covered if c not in org_ids]
        if missing:
            fail("covered", f"不在您管辖的组织名录中：{'、'.join(missing)}")
        if keys[(text["region"], text["name"])] > 1:
            fail("name", "同一地区的党组织名称在本文件中重复出现")
        check.fail_each(party_org_errors(dict(fields), today=today))
        if check.errors:
            errors.extend(check.errors)
            continue
        values = {
            "level": fields["level"],
            "establishment_form": fields["establishment_form"],
            "industry_id": fields["industry"].pk if fields["industry"] else None,
            "secretary": text["secretary"],
            "founded_on": fields["founded_on"],
            "term_years": fields["term_years"],
            "last_election_on": fields["last_election_on"],
            "status": fields["status"],
        }
        valid.append(ParsedRow(number, region.code, text["name"], values, text["parent"], [org_ids[c] for c in covered]))
    _check_parents(valid, errors, scope)
    errors.sort(key=lambda e: e.row)
    return valid, errors


def _check_parents(valid: list[ParsedRow], errors: list[RowError], scope: ImportScope) -> None:
    """A parent is found by name in the row's region or a region above it (the nearest wins), among the
    file's valid rows and the stored Party organizations inside the scope; no chain may loop."""
    _, inside = _stored_keys(scope, {r.parent_name for r in valid if r.parent_name})
    reason = "上级党组织不在本地区或上级地区的名录中，也不在本文件中"
    if scope.restricted:
        reason = "上级党组织不在您管辖的本地区或上级地区的名录中，也不在本文件中"
    while True:  # a row refused here may be the parent of another
        candidates: dict[str, list[Key]] = {}
        for region_id, name in inside | {(r.region_id, r.name) for r in valid}:
            candidates.setdefault(name, []).append((region_id, name))
        refused = []
        for parsed in valid:
            if not parsed.parent_name:
                continue
            own = (parsed.region_id, parsed.name)
            above = [k for k in candidates.get(parsed.parent_name, []) if k != own and parsed.region_id.startswith(k[0])]
            parsed.parent_key = max(above, key=lambda k: len(k[0])) if above else None
            if parsed.parent_key is None:
                refused.append(parsed)
        if not refused:
            break
        for parsed in refused:
            errors.append(RowError(parsed.row, HEADER_OF["parent"], parsed.parent_name, reason))
        gone = {id(parsed) for parsed in refused}
        valid[:] = [r for r in valid if id(r) not in gone]  # one pass: list.remove is quadratic
    looping = find_cycles({(r.region_id, r.name): r.parent_key for r in valid}, _stored_parents)
    for parsed in [r for r in valid if (r.region_id, r.name) in looping]:
        reason = "上级党组织关系形成循环（本组织成了自己的上级），请检查"
        errors.append(RowError(parsed.row, HEADER_OF["parent"], parsed.parent_name, reason))
    valid[:] = [r for r in valid if (r.region_id, r.name) not in looping]


def _stored_parents(keys: set[Key]) -> dict[Key, Key | None]:
    records = PartyOrganization.objects.filter(name__in={name for _, name in keys})
    rows = records.values_list("region_id", "name", "parent__region_id", "parent__name")
    return {(r, n): ((pr, pn) if pn is not None else None) for r, n, pr, pn in rows if (r, n) in keys}


def write(valid: list[ParsedRow], *, scope: ImportScope = UNRESTRICTED, progress=None) -> Counts:
    counts = Counts()
    affected: set[int] = set()
    names = {r.name for r in valid} | {r.parent_key[1] for r in valid if r.parent_key}
    stored = {(p.region_id, p.name): p for chunk in chunked(names) for p in PartyOrganization.objects.filter(name__in=chunk)}
    # Checked again inside the write's transaction: the registry may have changed since the check.
    _, inside = _stored_keys(scope, {r.name for r in valid})
    if any((r.region_id, r.name) in stored and (r.region_id, r.name) not in inside for r in valid):
        raise ImportConflict("校验之后名录有变动：有党组织已由您管辖范围以外的单位登记。未导入任何数据，请重新导入")
    saved: dict[Key, PartyOrganization] = {}
    changed: set[Key] = set()
    for parsed in valid:
        key = (parsed.region_id, parsed.name)
        existing = stored.get(key)
        due = next_election_due(
            founded_on=parsed.values["founded_on"],
            last_election_on=parsed.values["last_election_on"],
            term_years=parsed.values["term_years"],
        )
        values = {**parsed.values, "next_election_due": due}
        if existing is None:
            party_org = PartyOrganization.objects.create(region_id=parsed.region_id, name=parsed.name, zone_id=scope.zone_id, **values)
            counts.created += 1
        else:
            party_org = existing
            if any(getattr(existing, k) != v for k, v in values.items()):
                for name, value in values.items():
                    setattr(existing, name, value)
                existing.save()
                changed.add(key)
        before = set(party_org.covered_organizations.values_list("id", flat=True))
        # The file speaks for the organizations the importer can see; covered ones outside the scope stay, as on the form.
        hidden = before - set(scope.inside(Organization.objects.filter(id__in=before)).values_list("id", flat=True))
        after = set(parsed.covered_ids) | hidden
        if before != after:
            party_org.covered_organizations.set(after)
            affected |= before | after
            changed.add(key)
        saved[key] = party_org
    # Parents once every row of the file exists.
    for parsed in valid:
        key = (parsed.region_id, parsed.name)
        parent = (saved.get(parsed.parent_key) or stored.get(parsed.parent_key)) if parsed.parent_key else None
        parent_id = parent.pk if parent is not None else None
        if saved[key].parent_id != parent_id:
            PartyOrganization.objects.filter(pk=saved[key].pk).update(parent_id=parent_id)
            changed.add(key)
    counts.updated = len({k for k in changed if k in stored})
    counts.unchanged = len(valid) - counts.created - counts.updated
    counts.touched_ids = sorted(affected)
    return counts


def _coverage_follows(ids: list[int], total: int) -> None:
    publish("organizations.changed", ids=ids)


PARTY_ORGANIZATIONS = ImportSpec(
    key="party_organizations",
    label="党组织名录",
    columns=COLUMNS,
    validate=validate,
    write=write,
    after_write=_coverage_follows,
    capability="party.manage",
    list_url_name="party:party_org_list",
    tables=(PartyOrganization._meta.db_table, PartyOrganization.covered_organizations.through._meta.db_table),
)
