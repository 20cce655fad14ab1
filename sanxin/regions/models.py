from django.db import models

from sanxin.core.models import BaseModel
from sanxin.core.scope import REGION_CODE_LENGTHS, region_ancestor_codes

# Code length per level: the 12-digit code is a materialized path, a subtree is a prefix.
LEVEL_CODE_LENGTH = dict(enumerate(REGION_CODE_LENGTHS, start=1))
CODE_LENGTH_LEVEL = {length: level for level, length in LEVEL_CODE_LENGTH.items()}


class RegionLevel(models.IntegerChoices):
    PROVINCE = 1, "省"
    CITY = 2, "市"
    COUNTY = 3, "区县"
    TOWNSHIP = 4, "乡镇/街道"
    COMMUNITY = 5, "社区/村"


class Region(models.Model):
    code = models.CharField("区划代码", max_length=12, primary_key=True)
    name = models.CharField("名称", max_length=64)
    level = models.PositiveSmallIntegerField("级别", choices=RegionLevel.choices, db_index=True)
    parent = models.ForeignKey("self", verbose_name="上级", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    full_name = models.CharField("全称", max_length=200)
    longitude = models.DecimalField("经度", max_digits=9, decimal_places=6, null=True, blank=True)
    latitude = models.DecimalField("纬度", max_digits=9, decimal_places=6, null=True, blank=True)

    scope_region_field = "code"

    class Meta:
        ordering = ["code"]
        verbose_name = "行政区划"
        indexes = [models.Index(fields=["name"]), models.Index(fields=["parent", "code"])]

    def __str__(self):
        return self.name

    @property
    def ancestor_codes(self) -> list[str]:
        return region_ancestor_codes(self.code)


class ZoneKind(models.TextChoices):
    PARK = "park", "园区"
    BUILDING = "building", "楼宇"
    BUSINESS_DISTRICT = "district", "商圈"
    MARKET = "market", "市场"


class Zone(BaseModel):
    """A park, building, business district or market with its own committee; not a division."""

    name = models.CharField("名称", max_length=100)
    kind = models.CharField("类型", max_length=16, choices=ZoneKind.choices)
    region = models.ForeignKey(Region, verbose_name="所在区划", on_delete=models.PROTECT, related_name="zones")
    address = models.CharField("地址", max_length=200, blank=True)

    scope_region_field = "region__code"
    scope_zone_field = "id"

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = "园区/楼宇/商圈"
        constraints = [models.UniqueConstraint(fields=["region", "name"], name="zone_unique_name_in_region")]

    def __str__(self):
        return self.name


class Industry(models.Model):
    code = models.CharField("行业代码", max_length=16, unique=True)
    name = models.CharField("行业名称", max_length=64, unique=True)
    sort = models.PositiveSmallIntegerField("排序", default=0)

    class Meta:
        ordering = ["sort", "code"]
        verbose_name = "行业"

    def __str__(self):
        return self.name
