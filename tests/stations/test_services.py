"""Station and demand point rules, each broken once and refused in Chinese naming the field."""

import io
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction
from PIL import Image

from sanxin.core.audit import AuditEvent
from sanxin.core.guards import Refused
from sanxin.core.photos import MAX_PHOTO_BYTES
from sanxin.regions.models import Region
from sanxin.stations import services
from sanxin.stations.models import Station, StationPhoto
from tests.stations.conftest import make_station

pytestmark = pytest.mark.usefixtures("chinese")


def jpeg(size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="JPEG")
    return SimpleUploadedFile("flag.jpg", buffer.getvalue(), content_type="image/jpeg")


def test_create_keeps_fields_code_and_audit(station):
    assert station.region_id == "360102002001"
    assert station.amenities == ["water", "toilet", "charging"]
    assert station.checklist == {"place": True, "facilities": True, "sign": True, "flag": False, "books": False, "rules": False}
    assert not station.checklist_complete
    assert len(station.checkin_code) >= 20
    assert AuditEvent.objects.filter(action="station_create", object_id=str(station.pk)).exists()


def test_checklist_complete_kept_by_update(personas, station):
    services.station_update(actor=personas["county"], station=station, checklist=["place", "facilities", "sign", "flag", "books", "rules"])
    station.refresh_from_db()
    assert station.checklist_complete
    event = AuditEvent.objects.filter(action="station_update").latest("pk")
    assert "checklist" in str(event.detail)


@pytest.mark.parametrize(
    ("longitude", "latitude", "field"),
    [
        ("0", "28.6", "longitude"),
        ("151.2", "-33.8", "longitude"),
        ("115.9", "60", "latitude"),
        ("东经115", "28.6", "longitude"),
        ("", "28.6", "longitude"),
    ],
)
def test_coordinates_outside_china_are_refused(personas, longitude, latitude, field):
    with pytest.raises(ValidationError) as error:
        make_station(personas["county"], longitude=longitude, latitude=latitude)
    assert field in error.value.error_dict
    assert not Station.objects.exists()


def test_full_width_coordinates_are_folded(personas):
    station = make_station(personas["county"], longitude="１１５．８９２１５１", latitude="２８．６７６４９３")
    assert str(station.longitude) == "115.892151"


def test_database_refuses_a_position_outside_china(personas, station):
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.filter(pk=station.pk).update(latitude=-10)


def test_region_must_be_a_street_or_community_in_scope(personas):
    with pytest.raises(ValidationError) as error:
        make_station(personas["county"], region="360102")
    assert "街道" in error.value.error_dict["region"][0].message
    with pytest.raises(ValidationError) as error:
        make_station(personas["county"], region="360103001")
    assert "管辖范围" in error.value.error_dict["region"][0].message


def test_name_unique_in_region_and_lengths(personas, station):
    with pytest.raises(ValidationError) as error:
        make_station(personas["county"])
    assert "已有名为" in error.value.error_dict["name"][0].message
    with pytest.raises(ValidationError) as error:
        make_station(personas["county"], name="驿" * 101)
    assert "最多 100 个字" in error.value.error_dict["name"][0].message


def test_hours_or_24h_required_and_unknown_amenity(personas):
    with pytest.raises(ValidationError) as error:
        make_station(personas["county"], opening_hours="", amenities=["sauna"])
    assert set(error.value.error_dict) == {"opening_hours", "amenities"}
    station = make_station(personas["county"], opening_hours="", open_24h=True)
    assert station.open_24h


def test_only_territory_staff_manage(personas, station):
    for name in ("industry", "worker", "member"):
        with pytest.raises(Refused):
            make_station(personas[name], name=f"{name}驿站")
    with pytest.raises(Refused):
        services.station_update(actor=personas["other_county"], station=station, name="改名")


def test_photo_is_reencoded_and_audited(personas, station):
    photo = services.station_photo_add(actor=personas["county"], station=station, item="flag", upload=jpeg())
    assert photo.stored_name.endswith(".jpg") and photo.width == 40
    assert AuditEvent.objects.filter(action="station_photo_add").exists()


def test_photo_not_an_image_is_refused(personas, station):
    fake = SimpleUploadedFile("flag.jpg", b"MZ\x90\x00 not a picture", content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        services.station_photo_add(actor=personas["county"], station=station, item="flag", upload=fake)
    assert "不是可识别的图片" in error.value.error_dict["photo"][0].message
    assert not StationPhoto.objects.exists()


def test_photo_too_large_is_refused(personas, station):
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (MAX_PHOTO_BYTES + 10), content_type="image/jpeg")
    with pytest.raises(ValidationError) as error:
        services.station_photo_add(actor=personas["county"], station=station, item="flag", upload=big)
    assert "超过 10 MB" in error.value.error_dict["photo"][0].message


def test_photo_unknown_item_is_refused(personas, station):
    with pytest.raises(ValidationError):
        services.station_photo_add(actor=personas["county"], station=station, item="pool", upload=jpeg())


def test_code_renew_changes_the_code(personas, station):
    old = station.checkin_code
    assert services.station_code_renew(actor=personas["county"], station=station).checkin_code != old


def test_checkin_once_a_day(personas, station, worker):
    user = personas["worker"]
    first, created = services.checkin_create(actor=user, worker=worker, station=station)
    again, created_again = services.checkin_create(actor=user, worker=worker, station=station)
    assert created and not created_again and again.pk == first.pk
    assert station.checkins.count() == 1


def test_checkin_same_client_key_twice_is_one_row(personas, station, worker):
    key = uuid.uuid4()
    user = personas["worker"]
    one, _ = services.checkin_create(actor=user, worker=worker, station=station, client_key=str(key))
    two, created = services.checkin_create(actor=user, worker=worker, station=station, client_key=str(key))
    assert one.pk == two.pk and not created
    assert station.checkins.filter(client_key=key).count() == 1


def test_checkin_keeps_a_position_only_inside_china(personas, station, worker):
    checkin, _ = services.checkin_create(actor=personas["worker"], worker=worker, station=station, longitude="2.35", latitude="48.85")
    assert checkin.longitude is None and checkin.latitude is None


def test_checkin_refused_for_staff_and_for_a_closed_station(personas, station, worker):
    with pytest.raises(Refused):
        services.checkin_create(actor=personas["county"], worker=worker, station=station)
    services.station_update(actor=personas["county"], station=station, is_open=False)
    with pytest.raises(ValidationError):
        services.checkin_create(actor=personas["worker"], worker=worker, station=station)


def test_a_malformed_client_key_is_no_key(personas, station, worker):
    """As every offline form (sanxin.core.offline): the check-in counts, without a key to recognise a repeat by."""
    checkin, created = services.checkin_create(actor=personas["worker"], worker=worker, station=station, client_key="not-a-uuid")
    assert created and checkin.client_key is None


def test_demand_point_rules(personas):
    county = personas["county"]
    point = services.demand_point_create(
        actor=county, name="万达广场取餐点", region="360102002", longitude="115.9", latitude="28.68", weight="２０"
    )
    assert point.weight == 20
    with pytest.raises(ValidationError) as error:
        services.demand_point_create(actor=county, name="", region="360103", longitude="200", latitude="28", weight="0")
    assert set(error.value.error_dict) == {"name", "region", "longitude", "weight"}
    with pytest.raises(Refused):
        services.demand_point_delete(actor=personas["other_county"], point=point)


def test_region_rows_exist(db):
    assert Region.objects.filter(code="360103001").exists()
