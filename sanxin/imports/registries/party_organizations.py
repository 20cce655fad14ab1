"""The Party organization import: upsert by (所在地区代码, 党组织名称); sets the covered organizations."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from django.utils import timezone

from sanxin.core.scope import region_in_scope, scoped, user_scope
from sanxin.core.validators import normalize_credit_code
from sanxin.imports.spec import Counts, ImportColumn, RowError, parse_date
from sanxin.orgs.models import Organization
from sanxin.party.models import EstablishmentForm, PartyOrganization, PartyOrgLevel, PartyOrgStatus
from sanxin.party.services import next_election_due, party_org_errors
from sanxin.regions.models import Industry, Region

COLUMNS = [
    ImportColumn("党组织名称", "name", True, "全称，同一地区内不重复", "中共南昌顺达快递有限公司支部委员会", width=34),
    ImportColumn("层级", "level", True, "从下拉列表选择", "党支部", choices=lambda: [label for _, label in PartyOrgLevel.choices]),
    ImportColumn("上级党组织名称", "parent", False, "须已在名录中或在本文件中", "", width=30),
    ImportColumn(
        "组建方式",
        "establishment_form",
        True,
        "从下拉列表选择",
        "单独组建",
        choices=lambda: [label for _, label in EstablishmentForm.choices],
    ),
    ImportColumn("所在地区代码", "region", True, "须在您的管辖范围内", "360102002001", width=16),
    ImportColumn(
        "所属行业", "industry", False, "从下拉列表选择", "快递", choices=lambda: list(Industry.objects.values_list("name", flat=True))
    ),
    ImportColumn("书记", "secretary", False, "", "胡国华"),
    ImportColumn("成立日期", "founded_on", False, "如 2020-07-01", "2020-07-01"),
    ImportColumn("任期（年）", "term_years", False, "3 或 5，空白视为 3", "3"),
    ImportColumn("上次换届日期", "last_election_on", False, "如 2023-07-01", ""),
    ImportColumn(
        "状态", "status", False, "正常、已撤销；空白视为正常", "正常", choices=lambda: [label for _, label in PartyOrgStatus.choices]
    ),
    ImportColumn("覆盖单位统一社会信用代码", "covered", False, "多个用逗号或分号分隔；须在您管辖的组织名录中", "", width=40),
]
HEADER_OF = {c.key: c.header for c in COLUMNS}
FIELDS = ["level", "establishment_form", "industry_id", "secretary", "founded_on", "term_years", "last_election_on", "status"]


def _cell(row: list[str], index: int) -> str:
    return row[index].strip() if index < len(row) else ""


@dataclass
class ParsedRow:
    row: int
    region_id: str
    name: str
    values: dict
    parent_name: str
    covered_ids: list[int]


def validate(rows: list[list[str]], *, user, progress=None) -> tuple[list[ParsedRow], list[RowError]]:
    today = timezone.localdate()
    levels = {label: value for value, label in PartyOrgLevel.choices}
    forms = {label: value for value, label in EstablishmentForm.choices}
    statuses = {label: value for value, label in PartyOrgStatus.choices}
    industries = {i.name: i for i in Industry.objects.all()}
    regions = {r.code: r for r in Region.objects.filter(code__in={_cell(row, 4) for row in rows})}
    all_codes = {normalize_credit_code(c) for row in rows for c in re.split(r"[,，;；\s]+", _cell(row, 11)) if c.strip()}
    orgs = Organization.objects.filter(credit_code__in=all_codes)
    if user is not None:
        orgs = scoped(orgs, user)
    org_ids = dict(orgs.values_list("credit_code", "id"))
    keys = Counter((_cell(row, 4), _cell(row, 0)) for row in rows)
    scope = user_scope(user) if user is not None else None
    valid, errors = [], []
    for index, raw in enumerate(rows, start=2):
        cells = (raw + [""] * len(COLUMNS))[: len(COLUMNS)]
        text = {c.key: cells[i].strip() for i, c in enumerate(COLUMNS)}
        found: list[RowError] = []

        def fail(key, reason, _found=found, _row=index, _text=text):
            _found.append(RowError(_row, HEADER_OF[key], _text[key], reason))

        for column in COLUMNS:
            if column.required and not text[column.key]:
                fail(column.key, f"“{column.header}”不能为空")
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
        elif region is not None and scope is not None and not scope.nationwide and not region_in_scope(user, region.code):
            fail("region", "所在地区不在您的管辖范围内")
        fields["industry"] = industries.get(text["industry"]) if text["industry"] else None
        if text["industry"] and fields["industry"] is None:
            fail("industry", "所属行业不在行业字典中")
        for key in ("founded_on", "last_election_on"):
            fields[key] = None
            if text[key]:
                try:
                    fields[key] = parse_date(text[key])
                except ValueError as exc:
                    fail(key, str(exc))
        fields["term_years"] = int(text["term_years"]) if text["term_years"].isdigit() else (3 if not text["term_years"] else None)
        fields["status"] = statuses.get(text["status"] or "正常")
        if fields["status"] is None:
            fail("status", "状态应为 正常 或 已撤销")
        covered = [normalize_credit_code(c) for c in re.split(r"[,，;；\s]+", text["covered"]) if c.strip()]
        missing = [c for c in covered if c not in org_ids]
        if missing:
            fail("covered", f"不在您管辖的组织名录中：{'、'.join(missing)}")
        if keys[(text["region"], text["name"])] > 1:
            fail("name", "同一地区的党组织名称在本文件中重复出现")
        for key, reason in party_org_errors(dict(fields), today=today).items():
            if key in HEADER_OF and not any(e.column == HEADER_OF[key] for e in found):
                fail(key, reason)
        if found:
            errors.extend(found)
            continue
        values = {
            "level": fields["level"],
            "establishment_form": fields["establishment_form"],
            "industry_id": fields["industry"].pk if fields["industry"] else None,
            "secretary": text["secretary"][:50],
            "founded_on": fields["founded_on"],
            "term_years": fields["term_years"],
            "last_election_on": fields["last_election_on"],
            "status": fields["status"],
        }
        valid.append(ParsedRow(index, region.code, text["name"], values, text["parent"], [org_ids[c] for c in covered]))
    known = {r.name for r in valid} | set(
        PartyOrganization.objects.filter(name__in={r.parent_name for r in valid}).values_list("name", flat=True)
    )
    for parsed in list(valid):
        if parsed.parent_name and parsed.parent_name not in known:
            errors.append(RowError(parsed.row, HEADER_OF["parent"], parsed.parent_name, "上级党组织不在名录中，也不在本文件中"))
            valid.remove(parsed)
    return valid, errors


def write(valid: list[ParsedRow]) -> Counts:
    counts = Counts()
    affected: set[int] = set()
    saved: dict[tuple[str, str], PartyOrganization] = {}
    for parsed in valid:
        existing = PartyOrganization.objects.filter(region_id=parsed.region_id, name=parsed.name).first()
        due = next_election_due(
            founded_on=parsed.values["founded_on"],
            last_election_on=parsed.values["last_election_on"],
            term_years=parsed.values["term_years"],
        )
        values = {**parsed.values, "next_election_due": due}
        if existing is None:
            party_org = PartyOrganization.objects.create(region_id=parsed.region_id, name=parsed.name, **values)
            counts.created += 1
            changed = True
        else:
            party_org = existing
            changed = any(getattr(existing, k) != v for k, v in values.items())
            for key, value in values.items():
                setattr(existing, key, value)
            if changed:
                existing.save()
        before = set(party_org.covered_organizations.values_list("id", flat=True))
        if before != set(parsed.covered_ids):
            party_org.covered_organizations.set(parsed.covered_ids)
            affected |= before | set(parsed.covered_ids)
            changed = True
        if existing is not None:
            if changed:
                counts.updated += 1
            else:
                counts.unchanged += 1
        saved[(parsed.region_id, parsed.name)] = party_org
    for parsed in valid:
        party_org = saved[(parsed.region_id, parsed.name)]
        parent = None
        if parsed.parent_name:
            parent = (
                next((p for (_, n), p in saved.items() if n == parsed.parent_name), None)
                or PartyOrganization.objects.filter(name=parsed.parent_name).first()
            )
        if party_org.parent_id != (parent.pk if parent else None):
            PartyOrganization.objects.filter(pk=party_org.pk).update(parent=parent)
    counts.touched_ids = sorted(affected)
    return counts
