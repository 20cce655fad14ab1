"""Service stations (服务阵地) for new employment groups, their check-ins (服务人次) and the places staff pin as demand
of the 15-minute service circle (sanxin.stations.circle).

A station is seen by the units of its region (a community or street) and above; a check-in by whoever sees its
station, and by the worker who made it; a staff-pinned demand point by the units of its region and above.
Coordinates are never invented: a station has the ones staff entered (demo stations say so in `note`).
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models

from sanxin.core.geo import LAT_MAX, LAT_MIN, LON_MAX, LON_MIN
from sanxin.core.models import BaseModel

NAME_MAX = 100
ADDRESS_MAX = 200
OPERATOR_MAX = 100
HOURS_MAX = 100
NOTE_MAX = 500

# Inside China's bounding box (the same box as a worker's pinned work area).


class StationType(models.TextChoices):
    PARTY_CENTER = "party_center", "党群服务中心"
    COURIER_POST = "courier_post", "小哥驿站"
    RED_HOME = "red_home", "红色之家"
    OUTDOOR = "outdoor", "户外劳动者服务站"
    DRIVER_HOME = "driver_home", "司机之家"
    RED_CUBE = "red_cube", "楼宇红立方"
    OTHER = "other", "其他"


# The colours of the station types on the map and in tags.
TYPE_COLOURS = {
    "party_center": "#c8102e",
    "courier_post": "#e67e22",
    "red_home": "#8e44ad",
    "outdoor": "#2e86c1",
    "driver_home": "#16a085",
    "red_cube": "#d4ac0d",
    "other": "#7f8c8d",
}

AMENITIES = (
    ("water", "饮水"),
    ("meals", "热饭"),
    ("toilet", "卫生间"),
    ("rest", "休息"),
    ("charging", "充电"),
    ("first_aid", "急救药箱"),
    ("books", "书报"),
    ("repair", "维修工具"),
    ("air_conditioning", "空调"),
    ("wifi", "WiFi"),
    ("umbrella", "雨具"),
    ("microwave", "微波炉"),
)
AMENITY_LABELS = dict(AMENITIES)

# The 六有 checklist of a station.
CHECKLIST = (
    ("place", "有场所"),
    ("facilities", "有设施"),
    ("sign", "有标志"),
    ("flag", "有党旗"),
    ("books", "有书报"),
    ("rules", "有制度"),
)
CHECKLIST_LABELS = dict(CHECKLIST)


def new_checkin_code() -> str:
    """The unguessable token of a station's printed code (128 random bits)."""
    return secrets.token_urlsafe(16)


def in_china(prefix: str = "") -> models.Q:
    return models.Q(
        **{
            f"{prefix}longitude__gte": LON_MIN,
            f"{prefix}longitude__lte": LON_MAX,
            f"{prefix}latitude__gte": LAT_MIN,
            f"{prefix}latitude__lte": LAT_MAX,
        }
    )


class Station(BaseModel):
    UPLOAD_FOLDER = "station-photos"

    name = models.CharField("名称", max_length=NAME_MAX)
    type = models.CharField("类型", max_length=16, choices=StationType.choices)
    operator_name = models.CharField("运营单位", max_length=OPERATOR_MAX, blank=True)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="运营单位（组织名录）", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    region = models.ForeignKey("regions.Region", verbose_name="所在地区", on_delete=models.PROTECT, related_name="+")
    address = models.CharField("详细地址", max_length=ADDRESS_MAX)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6)
    opening_hours = models.CharField("开放时间", max_length=HOURS_MAX, blank=True)
    open_24h = models.BooleanField("24小时开放", default=False)
    amenities = models.JSONField("服务设施", default=list, blank=True)  # codes of AMENITIES
    checklist = models.JSONField("六有", default=dict, blank=True)  # code of CHECKLIST → ticked
    checklist_complete = models.BooleanField("六有齐全", default=False, db_index=True)  # kept by the services
    is_open = models.BooleanField("在运营", default=True)
    checkin_code = models.CharField("签到码", max_length=32, unique=True, default=new_checkin_code, editable=False)
    note = models.CharField("备注", max_length=NOTE_MAX, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="创建人", null=True, on_delete=models.SET_NULL, related_name="+")

    scope_region_field = "region__code"

    class Meta:
        ordering = ["region_id", "name", "pk"]
        verbose_name = "服务阵地"
        constraints = [
            models.UniqueConstraint(fields=["region", "name"], name="station_region_name"),
            models.CheckConstraint(condition=in_china(), name="station_position_in_china"),
        ]
        indexes = [
            models.Index(fields=["region", "type"], name="station_region_type"),
            # Stations near a point are looked for in a box around it (selectors.stations_near).
            models.Index(fields=["latitude", "longitude"], name="station_position"),
        ]

    def __str__(self):
        return self.name

    @property
    def amenity_labels(self) -> list[str]:
        return [AMENITY_LABELS[code] for code in self.amenities if code in AMENITY_LABELS]

    @property
    def checklist_done(self) -> int:
        return sum(1 for code, _ in CHECKLIST if self.checklist.get(code))

    @property
    def colour(self) -> str:
        return TYPE_COLOURS.get(self.type, "#7f8c8d")


class StationPhoto(BaseModel):
    """A photo of one 六有 item of a station, re-encoded without EXIF (sanxin.core.photos), served after a scope check."""

    station = models.ForeignKey(Station, verbose_name="服务阵地", on_delete=models.CASCADE, related_name="photos")
    item = models.CharField("六有项目", max_length=16, choices=CHECKLIST)
    stored_name = models.CharField("存储文件名", max_length=40, unique=True)
    width = models.PositiveIntegerField("宽")
    height = models.PositiveIntegerField("高")
    size = models.PositiveIntegerField("字节数")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="上传人", null=True, on_delete=models.SET_NULL, related_name="+")

    scope_region_field = "station__region__code"

    class Meta:
        ordering = ["station_id", "item", "pk"]
        verbose_name = "六有照片"

    def __str__(self):
        return f"{self.station_id} {self.item}"


class CheckIn(BaseModel):
    """A worker checked in at a station: at most one a day per worker and station (a database constraint), sent
    once however often the phone retries (client_key)."""

    worker = models.ForeignKey("workers.Worker", verbose_name="从业人员", on_delete=models.CASCADE, related_name="checkins")
    station = models.ForeignKey(Station, verbose_name="服务阵地", on_delete=models.CASCADE, related_name="checkins")
    checked_at = models.DateTimeField("签到时间")
    day = models.DateField("签到日期")
    # Where the phone said it was, only if the worker let the browser tell (a demand point of the circle).
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    client_key = models.UUIDField("客户端编号", null=True, blank=True)

    scope_region_field = "station__region__code"

    class Meta:
        ordering = ["-checked_at", "-pk"]
        verbose_name = "签到"
        constraints = [
            models.UniqueConstraint(fields=["worker", "station", "day"], name="checkin_once_a_day"),
            models.UniqueConstraint(
                fields=["worker", "client_key"], condition=models.Q(client_key__isnull=False), name="checkin_client_key_once"
            ),
            models.CheckConstraint(
                condition=(models.Q(longitude__isnull=True) & models.Q(latitude__isnull=True)) | in_china(),
                name="checkin_position_in_china",
            ),
        ]
        indexes = [models.Index(fields=["station", "day"], name="checkin_station_day")]

    def __str__(self):
        return f"{self.worker_id}@{self.station_id} {self.day}"

    @staticmethod
    def scope_personal(user) -> models.Q:
        """Without territory: a worker sees their own check-ins."""
        return models.Q(worker__user=user)


class DemandSource(models.TextChoices):
    STAFF = "staff", "工作人员标注"


class DemandPoint(BaseModel):
    """A place staff pin where workers gather or wait (a mall's pick-up point, a logistics park): demand of the circle."""

    name = models.CharField("名称", max_length=NAME_MAX)
    region = models.ForeignKey("regions.Region", verbose_name="所在地区", on_delete=models.PROTECT, related_name="+")
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6)
    weight = models.PositiveIntegerField("权重（约聚集人数）", default=1)
    source = models.CharField("来源", max_length=16, choices=DemandSource.choices, default=DemandSource.STAFF)
    note = models.CharField("备注", max_length=NOTE_MAX, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name="标注人", null=True, on_delete=models.SET_NULL, related_name="+")

    scope_region_field = "region__code"

    class Meta:
        ordering = ["region_id", "name", "pk"]
        verbose_name = "需求点"
        constraints = [
            models.CheckConstraint(condition=in_china(), name="demand_point_position_in_china"),
            models.CheckConstraint(condition=models.Q(weight__gte=1, weight__lte=100000), name="demand_point_weight_range"),
        ]

    def __str__(self):
        return self.name
