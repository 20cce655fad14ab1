"""The worker import: upsert by the phone's blind index; every row checked by the service's own rules
(sanxin.workers.services.worker_errors) and written through worker_create / worker_update, so each worker is audited
with masked values."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from sanxin.core.fields import blind_index_for
from sanxin.core.scope import region_in_scope, scoped
from sanxin.core.validators import normalize_credit_code, normalize_mobile
from sanxin.imports.readers import NumberedRow
from sanxin.imports.spec import Counts, ImportColumn, ImportConflict, ImportScope, ImportSpec, RowCheck, RowError, chunked, lookup_text
from sanxin.orgs.models import Organization
from sanxin.regions.models import Region
from sanxin.workers.models import Occupation, Platform, Worker, WorkerSource
from sanxin.workers.services import DUPLICATE_PHONE, worker_create, worker_errors, worker_update


def _max(name: str) -> int:
    return Worker._meta.get_field(name).max_length


def _labels(choices) -> list[str]:
    return [str(label) for _, label in choices]


COLUMNS = [
    ImportColumn("姓名", "name", True, "", "张三", max_length=_max("name")),
    ImportColumn("手机号码", "phone", True, "11 位大陆手机号；已登记的按此更新", "", width=14, fold=True),
    ImportColumn("职业", "occupation", True, "从下拉列表选择", "外卖骑手", choices=lambda: _labels(Occupation.choices)),
    ImportColumn("所属平台", "platforms", False, "平台名录中的名称，多个用“、”分隔", "美团外卖、饿了么", width=24, max_length=500),
    ImportColumn(
        "工作区域代码", "region", True, "街道（9 位）或社区（12 位）区划代码，须在您的管辖范围内", "360102002", width=16, fold=True
    ),
    ImportColumn("工作区域说明", "work_area", False, "", "八一广场周边", width=24, max_length=_max("work_area")),
    ImportColumn("所在站点统一社会信用代码", "employer", False, "须在您管辖的组织名录中", "", width=24, fold=True),
]
OUTSIDE_SCOPE = "该手机号码的从业人员已由您管辖范围以外的单位登记，无权修改"
SEPARATOR = re.compile(r"[、,，;；/\s]+")


@dataclass
class ParsedRow:
    row: int
    index: str  # the phone's blind index
    fields: dict


def _writable(indexes: set[str], user) -> tuple[dict[str, int], set[str]]:
    stored, writable = {}, set()
    for chunk in chunked(indexes):
        records = Worker.objects.filter(phone_index__in=chunk)
        stored |= dict(records.values_list("phone_index", "pk"))
        mine = records if user is None else scoped(records, user, own_place_only=True)
        writable |= set(mine.values_list("phone_index", flat=True))
    return stored, writable


def validate(rows: list[NumberedRow], *, user, progress=None) -> tuple[list[ParsedRow], list[RowError]]:
    platforms = {p.name: p for p in Platform.objects.all()}
    codes = {lookup_text(cells, 4) for _, cells in rows} - {""}
    regions = {}
    for chunk in chunked(codes):
        regions |= {r.code: r for r in Region.objects.filter(code__in=chunk)}
    credit = {normalize_credit_code(lookup_text(cells, 6)) for _, cells in rows} - {""}
    employers = Organization.objects.filter(credit_code__in=credit)
    employers = {o.credit_code: o for o in (scoped(employers, user) if user is not None else employers)}
    indexes: dict[int, str] = {}
    for number, cells in rows:
        phone = normalize_mobile(lookup_text(cells, 1))
        indexes[number] = blind_index_for("phone", phone) if phone else ""
    repeated = Counter(i for i in indexes.values() if i)
    stored, writable = _writable(set(repeated), user)
    occupations = {str(label): value for value, label in Occupation.choices}
    valid, errors = [], []
    for position, (number, raw) in enumerate(rows, start=1):
        if progress and position % 5000 == 0:
            progress(position)
        check = RowCheck(number, raw, COLUMNS)
        text = check.text
        fields = {
            "name": text["name"],
            "phone": text["phone"],
            "occupation": occupations.get(text["occupation"], text["occupation"]),
            "work_area": text["work_area"],
            "region": regions.get(text["region"]),
            "platforms": [],
            "employer": None,
        }
        names = [n for n in SEPARATOR.split(text["platforms"]) if n]
        unknown = [n for n in names if n not in platforms]
        if unknown:
            check.fail("platforms", f"平台名录中没有：{'、'.join(unknown)}")
        fields["platforms"] = [platforms[n] for n in dict.fromkeys(names) if n in platforms]
        if text["region"] and fields["region"] is None:
            check.fail("region", "没有这个区划代码")
        elif fields["region"] is not None and user is not None and not region_in_scope(user, fields["region"].code):
            check.fail("region", "工作区域不在您的管辖范围内")
        if text["employer"]:
            fields["employer"] = employers.get(normalize_credit_code(text["employer"]))
            if fields["employer"] is None:
                check.fail("employer", "所在站点不在您管辖的组织名录中")
        index = indexes[number]
        if index and repeated[index] > 1:
            check.fail("phone", "同一手机号码在本文件中重复出现")
        if index in stored and index not in writable:
            check.fail("phone", OUTSIDE_SCOPE)
        given = {k: v for k, v in fields.items() if k not in check.bad and k not in ("platforms", "employer")}
        if fields["region"] is None:
            given.pop("region", None)
        rule_errors, cleaned = worker_errors(given, worker=Worker(pk=stored[index]) if index in stored else None)
        rule_errors = {k: v for k, v in rule_errors.items() if not (k == "phone" and v == DUPLICATE_PHONE)}
        check.fail_each(rule_errors)
        if check.errors:
            errors.extend(check.errors)
            continue
        cleaned["platforms"], cleaned["employer"] = fields["platforms"], fields["employer"]
        valid.append(ParsedRow(number, index, cleaned))
    errors.sort(key=lambda e: e.row)
    return valid, errors


def write(valid: list[ParsedRow], *, scope: ImportScope | None = None, progress=None) -> Counts:
    user = scope.user if scope is not None else None
    counts = Counts()
    stored, writable = _writable({r.index for r in valid}, user)
    if any(r.index in stored and r.index not in writable for r in valid):
        raise ImportConflict("校验之后名册有变动：有从业人员已由您管辖范围以外的单位登记。未导入任何数据，请重新导入")
    existing = {w.phone_index: w for chunk in chunked(stored) for w in Worker.objects.filter(phone_index__in=chunk)}
    for position, parsed in enumerate(valid, start=1):
        if progress and position % 1000 == 0:
            progress(position)
        worker = existing.get(parsed.index)
        try:
            if worker is None:
                worker = worker_create(actor=user, source=WorkerSource.IMPORT, **parsed.fields)
                counts.created += 1
            else:
                changes = {k: v for k, v in parsed.fields.items() if k != "platforms" and getattr(worker, k) != v}
                if {p.pk for p in parsed.fields["platforms"]} != set(worker.platforms.values_list("pk", flat=True)):
                    changes["platforms"] = parsed.fields["platforms"]
                if changes:
                    worker_update(actor=user, worker=worker, **changes)
                    counts.updated += 1
                else:
                    counts.unchanged += 1
            counts.touched_ids.append(worker.pk)
        except ValidationError as error:
            raise ImportConflict.refused_at_write(parsed.row, error) from None
    return counts


WORKERS = ImportSpec(
    key="workers",
    label="新就业群体从业人员",
    columns=COLUMNS,
    validate=validate,
    write=write,
    capability="workers.manage",
    list_url_name="workers:worker_list",
    tables=(Worker._meta.db_table,),
)
