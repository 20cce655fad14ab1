"""三率 per unit and per region, within the viewer's scope, with numerator and denominator."""

from sanxin.accounts.models import Unit, UnitKind
from sanxin.appeals import figures, services
from sanxin.appeals.models import Appeal
from tests.appeals.conftest import at, raise_appeal


def test_rates_per_unit_and_region_ranked(personas, platform):
    street = personas["township"]
    worker = personas["worker"]
    Unit.objects.create(name="豫章街道党工委", kind=UnitKind.TOWNSHIP_COMMITTEE, region_id="360102004")
    on_time = raise_appeal(worker, platform=platform, now=at(2026, 11, 2, 9, 0))
    services.appeal_accept(actor=street, appeal=on_time, now=at(2026, 11, 2, 10, 0))
    on_time = services.appeal_resolve(actor=street, appeal=Appeal.objects.get(pk=on_time.pk), reply="好", now=at(2026, 11, 3, 10, 0))
    services.appeal_rate(actor=worker, appeal=on_time, rating="basic")
    late = raise_appeal(worker, platform=platform, now=at(2026, 11, 2, 9, 0))
    services.appeal_accept(actor=street, appeal=late, now=at(2026, 11, 5, 10, 0))  # due 3 November
    elsewhere = raise_appeal(worker, region="360102004001", now=at(2026, 11, 2, 9, 0))
    services.appeal_return(actor=personas["county"], appeal=elsewhere, reason="不属于受理范围")

    now = at(2026, 11, 20, 9, 0)
    rows = {r.name: r for r in figures.by_unit(personas["county"], now=now)}
    street_row = rows["滕王阁街道党工委"]
    assert street_row.received == 2
    assert (street_row.response.numerator, street_row.response.denominator) == (1, 2)
    assert (street_row.resolution.numerator, street_row.resolution.denominator) == (1, 2)
    assert (street_row.satisfaction.numerator, street_row.satisfaction.denominator) == (1, 1)
    assert street_row.response.text == "50.0%" and street_row.list_query == f"unit={on_time.unit_id}"
    other = rows["豫章街道党工委"]
    assert other.resolution.denominator == 0 and other.resolution.text == "—"  # returned: not counted

    regions = figures.by_region(personas["county"], now=now)
    assert [r.key for r in regions] == ["360102002", "360102004"]  # the county sees its streets
    assert figures.by_region(personas["city"], now=now)[0].key == "360102"
    assert figures.totals(personas["county"], now=now).received == 3


def test_rates_only_within_scope(personas, platform):
    raise_appeal(personas["worker"], platform=platform)
    assert figures.by_unit(personas["other_county"]) == []
    assert figures.by_unit(personas["platform"]) == []  # no rates for a platform's committee
    assert figures.by_unit(personas["worker"]) == []
