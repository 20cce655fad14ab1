"""Reporting, the duplicate rule, the workflow and its refusals, the points events, joining and erasure."""

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from sanxin.accounts.models import Unit
from sanxin.core.audit import AuditEvent
from sanxin.core.events import publish
from sanxin.core.workflow import timeline
from sanxin.hazards import selectors, services
from sanxin.hazards.models import HazardReport, HazardStatus, HazardSupporter
from sanxin.regions.models import Region
from tests.hazards.conftest import LAT, LON, LON_50M, LON_300M, report

pytestmark = pytest.mark.django_db


def jpeg(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, format="JPEG")
    return buffer.getvalue()


def test_a_report_goes_to_the_community_unit_with_a_timeline(personas):
    made = report(personas["worker"])
    assert made.unit.name == "民巷社区党委" and made.status == HazardStatus.SUBMITTED
    assert made.reporter.user == personas["worker"]
    assert [e.label for e in timeline(made)] == ["上报隐患"]
    assert AuditEvent.objects.filter(action="hazard_create").exists()


def test_the_region_defaults_from_the_position_then_the_workers_own(personas):
    # The platform knows the centre of 民巷社区's neighbour: a position beside it lands there.
    neighbour = Region.objects.filter(parent_id="360102002", level=5).exclude(code="360102002001").first()
    Region.objects.filter(pk=neighbour.pk).update(longitude=Decimal("115.950000"), latitude=Decimal("28.700000"))
    near = report(personas["worker"], region="", longitude="115.950300", latitude="28.700100")
    assert near.region_id == neighbour.code
    # No centre known near the position: the worker's own registered community.
    far = report(personas["worker"], region="", longitude="116.500000", latitude="29.500000")
    assert far.region_id == "360102002001"
    unplaced = report(personas["worker"], region="", longitude="", latitude="")
    assert unplaced.region_id == "360102002001"


@pytest.mark.parametrize(
    ("fields", "field", "says"),
    [
        ({"category": ""}, "category", "请选择隐患类别"),
        ({"category": "bogus"}, "category", "不在可选范围"),
        ({"text": " "}, "text", "请填写情况描述"),
        ({"text": "堵" * 1001}, "text", "最多 1000 个字"),
        ({"text": "消防\x00通道"}, "text", "NUL"),
        ({"place": "北门\x1b"}, "place", "ESC"),
        ({"longitude": "200", "latitude": "28.68"}, "longitude", "中国境内"),
        ({"longitude": "１１５．９", "latitude": "99"}, "latitude", "中国境内"),
        ({"longitude": "115.9", "latitude": ""}, "latitude", "请填写纬度"),
        ({"longitude": "1e400", "latitude": "28"}, "longitude", "中国境内"),
        ({"region": "999999999999"}, "region", "请选择隐患所在的社区"),
        ({"region": "36"}, "region", "请选择隐患所在的社区"),
    ],
)
def test_bad_input_is_refused_in_chinese(personas, fields, field, says):
    with pytest.raises(ValidationError) as refused:
        report(personas["worker"], **fields)
    assert says in " ".join(refused.value.message_dict[field])
    assert not HazardReport.objects.exists()


def test_full_width_digits_in_the_position_are_read(personas):
    made = report(personas["worker"], longitude="１１５．９００００", latitude="２８．６８")
    assert made.longitude == Decimal("115.900000")


def test_photos_are_reencoded_and_bad_ones_refused(personas, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    made = report(personas["worker"], photos=[SimpleUploadedFile("门口.jpg", jpeg(), content_type="image/jpeg")])
    photo = made.photos.get()
    assert photo.stored_name.endswith(".jpg") and "门口" not in photo.stored_name
    with pytest.raises(ValidationError) as refused:
        report(personas["worker"], photos=[SimpleUploadedFile("x.jpg", b"<?php echo 1; ?>", content_type="image/jpeg")])
    assert "不是可识别的图片" in str(refused.value)
    big = SimpleUploadedFile("big.jpg", b"\xff\xd8" + b"0" * (10 * 1024 * 1024 + 1), content_type="image/jpeg")
    with pytest.raises(ValidationError) as refused:
        report(personas["worker"], photos=[big])
    assert "超过 10 MB" in str(refused.value)
    with pytest.raises(ValidationError) as refused:
        report(personas["worker"], photos=[SimpleUploadedFile(f"{n}.jpg", jpeg()) for n in range(5)])
    assert "最多上传 4 张" in str(refused.value)
    assert HazardReport.objects.count() == 1


def test_staff_and_strangers_cannot_report(personas):
    with pytest.raises(PermissionDenied):
        report(personas["community"])


def test_the_same_client_key_reports_once(personas):
    key = "5b0f7c5e-8a43-4f3f-9a55-3f1f0f6f2c11"
    first = report(personas["worker"], client_key=key)
    again = report(personas["worker"], client_key=key, text="再发一次")
    assert first.pk == again.pk and HazardReport.objects.count() == 1


def test_valid_earns_once_invalid_and_duplicates_earn_nothing(personas, worker, listener):
    community = personas["community"]
    first = report(personas["worker"])
    services.hazard_verify_valid(actor=community, report=first)
    assert listener == [
        (
            "merited",
            {
                "worker": worker,
                "source": f"hazard:{first.pk}",
                "kind": "hazard_valid",
                "region_code": "360102002001",
                "reason": f"随手拍{first.number}（消防通道堵塞）核实有效",
                "quantity": 1,
                "points": None,
                "actor": community,
            },
        )
    ]
    # The same fire lane the next hour, 50 m away: verifying it valid is refused, it is marked duplicate instead.
    again = report(personas["worker"], longitude=LON_50M, now=timezone.now() + timedelta(hours=1))
    with pytest.raises(ValidationError) as refused:
        services.hazard_verify_valid(actor=community, report=again)
    assert "请“标记为重复”" in refused.value.messages[0] and first.number in refused.value.messages[0]
    services.hazard_mark_duplicate(actor=community, report=again, original=first)
    again.refresh_from_db()
    assert again.status == HazardStatus.DUPLICATE and again.duplicate_of == first
    wrong = report(personas["worker"], category="posters")
    services.hazard_verify_invalid(actor=community, report=wrong, reason="照片看不出小广告")
    assert len(listener) == 1


def test_the_duplicate_rule_has_its_bounds(personas, listener):
    community = personas["community"]
    first = report(personas["worker"])
    services.hazard_verify_valid(actor=community, report=first)
    far = report(personas["worker"], longitude=LON_300M)  # 300 m: another place
    services.hazard_verify_valid(actor=community, report=far)
    other_kind = report(personas["worker"], category="street_light")  # same place, another hazard
    services.hazard_verify_valid(actor=community, report=other_kind)
    later = report(personas["worker"], now=timezone.now() + timedelta(hours=73))  # after the window
    services.hazard_verify_valid(actor=community, report=later)
    assert len(listener) == 4


def test_correcting_away_from_valid_withdraws_the_points(personas, listener):
    community = personas["community"]
    made = report(personas["worker"])
    services.hazard_verify_valid(actor=community, report=made)
    with pytest.raises(ValidationError) as refused:
        services.hazard_correct(actor=community, report=made, to=HazardStatus.INVALID, reason="")
    assert "请填写更正的原因" in str(refused.value)
    services.hazard_correct(actor=community, report=made, to=HazardStatus.INVALID, reason="现场核查为误报")
    assert listener[-1] == (
        "withdrawn",
        {"source": f"hazard:{made.pk}", "reason": f"随手拍{made.number}经复核更正为核实无效：现场核查为误报", "actor": community},
    )
    with pytest.raises(ValidationError):
        services.hazard_correct(actor=community, report=made, to=HazardStatus.RESOLVED, reason="x")


def test_dispatch_and_resolve_with_a_timeline(personas):
    community = personas["community"]
    made = services.hazard_verify_valid(actor=community, report=report(personas["worker"]))
    street = Unit.objects.get(name="滕王阁街道党工委")
    with pytest.raises(ValidationError) as refused:
        services.hazard_dispatch(actor=community, report=made, unit=street, note="请城管处理")
    assert "不在本单位管辖范围内" in str(refused.value)  # a community dispatches inside its own area
    township = personas["township"]
    with pytest.raises(ValidationError) as refused:
        services.hazard_dispatch(actor=township, report=made, unit=street, note="")
    assert "请填写派单说明" in str(refused.value)
    made = services.hazard_dispatch(actor=township, report=made, unit=street, note="请街道城管中队清理")
    with pytest.raises(ValidationError) as refused:
        services.hazard_resolve(actor=township, report=made, reply=" ")
    assert "请填写办结答复" in str(refused.value)
    made = services.hazard_resolve(actor=township, report=made, reply="已清理，消防通道畅通。")
    assert made.status == HazardStatus.RESOLVED
    assert [e.label for e in timeline(made)] == ["上报隐患", "核实有效", "派单", "办结答复"]


def test_transitions_out_of_order_are_refused(personas):
    community = personas["community"]
    made = report(personas["worker"])
    with pytest.raises(ValidationError) as refused:
        services.hazard_resolve(actor=community, report=made, reply="已处理")
    assert "当前状态为“待核实”，不能办结答复" in refused.value.messages[0]
    services.hazard_verify_invalid(actor=community, report=made, reason="不是隐患")
    with pytest.raises(ValidationError) as refused:
        services.hazard_verify_valid(actor=community, report=made)
    assert "当前状态为“核实无效”" in refused.value.messages[0]
    with pytest.raises(ValidationError):
        services.hazard_verify_invalid(actor=community, report=report(personas["worker"]), reason="")
    with pytest.raises(ValidationError) as refused:
        services.hazard_verify_invalid(actor=community, report=report(personas["worker"]), reason="太长" * 300)
    assert "最多 500 个字" in str(refused.value)


def test_marking_duplicate_needs_an_earlier_report_of_the_same_kind(personas):
    community = personas["community"]
    first = report(personas["worker"])
    second = report(personas["worker"], now=timezone.now() + timedelta(minutes=5))
    light = report(personas["worker"], category="street_light")
    for original, says in [(None, "请选择"), (second, "与自身重复"), (light, "同一隐患类别")]:
        with pytest.raises(ValidationError) as refused:
            services.hazard_mark_duplicate(actor=community, report=second, original=original)
        assert says in refused.value.messages[0]
    with pytest.raises(ValidationError) as refused:
        services.hazard_mark_duplicate(actor=community, report=first, original=second)
    assert "上报在本条之后" in refused.value.messages[0]


def test_another_countys_staff_cannot_verify(personas):
    made = report(personas["worker"])
    with pytest.raises(ValidationError) as refused:
        services.hazard_verify_valid(actor=personas["other_county"], report=made)
    assert "本单位不能办理" in refused.value.messages[0]
    with pytest.raises(PermissionDenied):
        services.hazard_verify_valid(actor=personas["worker"], report=made)
    with pytest.raises(PermissionDenied):
        services.hazard_verify_valid(actor=personas["platform"], report=made)


def test_joining_once_not_ones_own_not_a_closed_one(personas, second_rider):
    made = report(personas["worker"])
    services.hazard_join(actor=second_rider, report=made)
    services.hazard_join(actor=second_rider, report=made)
    assert HazardSupporter.objects.filter(report=made).count() == 1
    assert timeline(made)[-1].label == "我也看到了（附议）"
    with pytest.raises(ValidationError) as refused:
        services.hazard_join(actor=personas["worker"], report=made)
    assert "本人上报" in refused.value.messages[0]
    services.hazard_verify_invalid(actor=personas["community"], report=made, reason="误报")
    with pytest.raises(ValidationError) as refused:
        services.hazard_join(actor=second_rider, report=made)
    assert "不能再附议" in refused.value.messages[0]


def test_the_duplicate_offer_nearby_same_kind_open_recent(personas, second_rider):
    made = report(personas["worker"])
    report(personas["worker"], longitude=LON_300M)
    report(personas["worker"], category="road")
    old = report(personas["worker"], now=timezone.now() - timedelta(hours=80))
    found = selectors.nearby_open(category="fire_lane", longitude=LON_50M, latitude=LAT)
    assert [r.pk for r, _ in found] == [made.pk]
    assert 45 < found[0][1] < 55
    assert old.pk not in [r.pk for r, _ in selectors.nearby_open(category="fire_lane", longitude=LON, latitude=LAT)]


def test_erasure_keeps_the_report_without_the_worker(personas, worker, second_rider):
    made = report(personas["worker"])
    services.hazard_join(actor=second_rider, report=made)
    publish("workers.erased", worker=worker, user_id=personas["worker"].pk)
    made.refresh_from_db()
    assert made.reporter is None and "已注销" in made.text and made.client_key is None
    assert selectors.worker_data(worker) == []


def test_report_positions_are_demand_of_the_service_circle(personas):
    from sanxin.stations.circle import demand_sources

    report(personas["worker"])
    source = next(s for s in demand_sources() if s.key == "hazard")
    assert [(d.longitude, d.label) for d in source.read(personas["county"])] == [(float(LON), "随手拍上报位置")]
    assert list(source.read(personas["other_county"])) == []


def test_verifying_the_later_report_first_still_earns_once(personas, listener):
    """The same hazard reported twice an hour apart, the later verified first: the earlier is then refused as
    valid and is marked a duplicate of the later one."""
    community = personas["community"]
    first = report(personas["worker"])
    second = report(personas["worker"], longitude=LON_50M, now=timezone.now() + timedelta(hours=1))
    services.hazard_verify_valid(actor=community, report=second)
    with pytest.raises(ValidationError, match="请“标记为重复”"):
        services.hazard_verify_valid(actor=community, report=first)
    second.refresh_from_db()
    services.hazard_mark_duplicate(actor=community, report=first, original=second)
    first.refresh_from_db()
    assert first.status == HazardStatus.DUPLICATE and first.duplicate_of == second
    assert len(listener) == 1


def test_a_later_report_not_yet_valid_cannot_be_the_original(personas):
    community = personas["community"]
    first = report(personas["worker"])
    second = report(personas["worker"], longitude=LON_50M, now=timezone.now() + timedelta(hours=1))
    with pytest.raises(ValidationError, match="请反过来标记"):
        services.hazard_mark_duplicate(actor=community, report=first, original=second)
