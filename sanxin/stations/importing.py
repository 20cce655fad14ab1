"""The station import: upsert by the natural key (所在地区代码, 名称); every row checked by the service's own rules
(sanxin.stations.services.station_errors) and written through station_create / station_update, so each station is
audited. `import_data stations FILE` and the import page use it."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from django.core.exceptions import ValidationError

from sanxin.core.scope import scoped
from sanxin.imports.readers import NumberedRow
from sanxin.imports.spec import Counts, ImportColumn, ImportConflict, ImportScope, ImportSpec, RowCheck, RowError
from sanxin.stations.models import (
    ADDRESS_MAX,
    AMENITIES,
    CHECKLIST,
    HOURS_MAX,
    NAME_MAX,
    NOTE_MAX,
    OPERATOR_MAX,
    Station,
    StationType,
)
from sanxin.stations.services import station_create, station_errors, station_update

YES, NO = "是", "否"
AMENITY_OF = {label: code for code, label in AMENITIES}
CHECKLIST_OF = {label: code for code, label in CHECKLIST}
TYPE_OF = {str(label): value for value, label in StationType.choices}

COLUMNS = [
    ImportColumn("名称", "name", True, "同一地区内名称相同的按此更新", "滕王阁小哥驿站", width=26, max_length=NAME_MAX),
    ImportColumn("类型", "type", True, "从下拉列表选择", "小哥驿站", choices=lambda: list(TYPE_OF)),
    ImportColumn("运营单位", "operator_name", False, "", "滕王阁街道党工委", width=24, max_length=OPERATOR_MAX),
    ImportColumn("所在地区代码", "region", True, "街道（乡镇）9 位或社区（村）12 位区划代码", "360102002001", width=16, fold=True),
    ImportColumn("详细地址", "address", True, "", "南昌市东湖区榕门路 8 号", width=32, max_length=ADDRESS_MAX),
    ImportColumn("经度", "longitude", True, "中国境内，如 115.892151", "115.892151", fold=True),
    ImportColumn("纬度", "latitude", True, "中国境内，如 28.676493", "28.676493", fold=True),
    ImportColumn("开放时间", "opening_hours", False, "如 08:00-20:00；24 小时开放可空", "08:00-20:00", max_length=HOURS_MAX),
    ImportColumn("是否24小时", "open_24h", False, "是 或 否，空白视为否", "否", choices=lambda: [YES, NO]),
    ImportColumn("设施", "amenities", False, "用顿号分隔：" + "、".join(AMENITY_OF), "饮水、卫生间、充电", width=30),
    ImportColumn("六有", "checklist", False, "已具备的项目，用顿号分隔：" + "、".join(CHECKLIST_OF), "有场所、有设施", width=30),
    ImportColumn("是否在运营", "is_open", False, "是 或 否，空白视为是", "是", choices=lambda: [YES, NO]),
    ImportColumn("备注", "note", False, "", "", max_length=NOTE_MAX),
]


@dataclass
class ParsedRow:
    row: int
    key: tuple[str, str]  # (region code, name)
    fields: dict


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace("，", "、").replace(",", "、").replace("；", "、").split("、") if part.strip()]


def _yes_no(text: str, default: bool) -> bool | None:
    if not text:
        return default
    return {YES: True, NO: False}.get(text)


def validate(rows: list[NumberedRow], *, user, progress=None) -> tuple[list[ParsedRow], list[RowError]]:
    valid, errors = [], []
    seen: Counter = Counter()
    checks = []
    for position, (number, raw) in enumerate(rows, start=1):
        if progress and position % 5000 == 0:
            progress(position)
        check = RowCheck(number, raw, COLUMNS)
        checks.append(check)
        seen[(check.text["region"], check.text["name"])] += 1
    for check in checks:
        text = check.text
        fields = {k: text[k] for k in ("name", "operator_name", "region", "address", "longitude", "latitude", "opening_hours", "note")}
        fields["type"] = TYPE_OF.get(text["type"], text["type"])
        for key, default in (("open_24h", False), ("is_open", True)):
            fields[key] = _yes_no(text[key], default)
            if fields[key] is None:
                check.fail(key, "应填“是”或“否”")
        amenities = _split(text["amenities"])
        unknown = [a for a in amenities if a not in AMENITY_OF]
        if unknown:
            check.fail("amenities", "不认识的设施：" + "、".join(unknown[:5]) + "；可选：" + "、".join(AMENITY_OF))
        fields["amenities"] = [AMENITY_OF[a] for a in amenities if a in AMENITY_OF]
        ticked = _split(text["checklist"])
        unknown = [c for c in ticked if c not in CHECKLIST_OF]
        if unknown:
            check.fail("checklist", "六有项目应为：" + "、".join(CHECKLIST_OF))
        fields["checklist"] = [CHECKLIST_OF[c] for c in ticked if c in CHECKLIST_OF]
        rule_errors, cleaned = station_errors({k: v for k, v in fields.items() if v is not None}, actor=user)
        check.fail_each(rule_errors)
        key = (text["region"], text["name"])
        if seen[key] > 1:
            check.fail("name", "同一地区的同名服务阵地在本文件中重复出现")
        if check.errors:
            errors.extend(check.errors)
            continue
        valid.append(ParsedRow(check.number, (cleaned["region"].code, cleaned["name"]), cleaned))
    errors.sort(key=lambda e: e.row)
    return valid, errors


def write(valid: list[ParsedRow], *, scope: ImportScope | None = None, progress=None) -> Counts:
    """Each row through station_create or station_update, as the importing user (rules and scope checked again)."""
    user = scope.user if scope is not None else None
    counts = Counts()
    stations = Station.objects.filter(region_id__in={r.key[0] for r in valid}, name__in={r.key[1] for r in valid})
    if user is not None:
        stations = scoped(stations, user, own_place_only=True)
    existing = {(s.region_id, s.name): s for s in stations}
    for position, parsed in enumerate(valid, start=1):
        if progress and position % 1000 == 0:
            progress(position)
        station = existing.get(parsed.key)
        fields = dict(parsed.fields)
        try:
            if station is None:
                station = station_create(actor=user, **fields)
                counts.created += 1
            else:
                before = {k: getattr(station, k) for k in fields if k != "checklist"} | {"checklist": dict(station.checklist)}
                after = dict(fields)
                after["region"] = fields["region"]
                changed = any(before[k] != after[k] for k in after if k not in ("region", "organization"))
                if changed:
                    station = station_update(actor=user, station=station, **fields)
                    counts.updated += 1
                else:
                    counts.unchanged += 1
            counts.touched_ids.append(station.pk)
        except ValidationError as error:
            raise ImportConflict.refused_at_write(parsed.row, error) from None
    return counts


STATION_SPEC = ImportSpec(
    key="stations",
    label="服务阵地",
    columns=COLUMNS,
    validate=validate,
    write=write,
    capability="stations.manage",
    list_url_name="stations:station_list",
    tables=(Station._meta.db_table,),
)
