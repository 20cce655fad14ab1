"""New employment group workers (新就业群体从业人员): couriers, riders, drivers, hosts. A worker registers
themselves by phone and one-time code (or is entered by staff or an import), gives consent to a versioned text,
and may be linked to a member record. Stations, appeals, hazard reports and points stand on this app.

A worker is seen by the units of the region where they work (their area of work, a community or street) and by
themselves. A platform's own Party committee (a unit of kind "platform") never sees workers here: it sees only
the appeals about its platform, shielded (sanxin.appeals).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from sanxin.core.fields import BlindIndexField, EncryptedField
from sanxin.core.masking import MaskedIdentity
from sanxin.core.models import BaseModel

NAME_MAX = 50
WORK_AREA_MAX = 200
EMPLOYER_NAME_MAX = 100


class Occupation(models.TextChoices):
    COURIER = "courier", "快递员"
    DELIVERY_RIDER = "delivery_rider", "外卖骑手"
    RIDE_HAILING = "ride_hailing", "网约车司机"
    TRUCK_DRIVER = "truck_driver", "货车司机"
    ONLINE_HOST = "online_host", "网络主播"
    DOMESTIC = "domestic", "家政服务员"
    OTHER = "other", "其他"


class PlatformKind(models.TextChoices):
    FOOD_DELIVERY = "food_delivery", "外卖平台"
    EXPRESS = "express", "快递企业"
    RIDE_HAILING = "ride_hailing", "网约车平台"
    FREIGHT = "freight", "货运平台"
    LIVE_STREAMING = "live_streaming", "直播平台"
    DOMESTIC = "domestic", "家政平台"
    OTHER = "other", "其他"


class Platform(BaseModel):
    """A platform or express company a worker takes orders from (美团, 饿了么, 顺丰 …). Its own Party committee,
    when it has an account, is `unit`: that unit's staff see appeals about the platform, never the worker."""

    name = models.CharField("平台名称", max_length=50, unique=True)
    kind = models.CharField("平台类型", max_length=16, choices=PlatformKind.choices)
    organization = models.ForeignKey(
        "orgs.Organization", verbose_name="平台企业", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    unit = models.ForeignKey(
        "accounts.Unit",
        verbose_name="平台企业党组织（账号单位）",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="platforms",
    )

    class Meta:
        ordering = ["name"]
        verbose_name = "平台"

    def __str__(self):
        return self.name


class WorkerSource(models.TextChoices):
    SELF = "self", "本人注册"
    STAFF = "staff", "工作人员录入"
    IMPORT = "import", "批量导入"


class ConsentText(BaseModel):
    """A version of the consent a worker reads and accepts (个人信息处理告知同意书). A newer published version asks
    every worker again at their next visit. `sensitive_body` is the separate consent for sensitive personal
    information (security.md 23)."""

    version = models.CharField("版本号", max_length=20, unique=True)
    body = models.TextField("告知同意内容")
    sensitive_body = models.TextField("敏感个人信息单独同意内容")
    published_at = models.DateTimeField("发布时间", db_index=True)

    class Meta:
        ordering = ["-published_at"]
        verbose_name = "告知同意书"

    def __str__(self):
        return f"告知同意书 {self.version}"


class Worker(MaskedIdentity, BaseModel):
    name = models.CharField("姓名", max_length=NAME_MAX)
    phone = EncryptedField("手机号码", kind="phone", index_field="phone_index")
    phone_index = BlindIndexField(db_index=False)  # unique through the constraint below
    occupation = models.CharField("职业", max_length=16, choices=Occupation.choices)
    platforms = models.ManyToManyField(Platform, verbose_name="所属平台", blank=True, related_name="workers")
    employer = models.ForeignKey(
        "orgs.Organization",
        verbose_name="所在站点/加盟商",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="gig_workers",
    )
    # What a worker registering themselves says of their site or franchisee (they cannot pick from the registry).
    employer_name = models.CharField("所在站点/加盟商名称", max_length=EMPLOYER_NAME_MAX, blank=True)
    # Area of work: the community or street where the worker mostly works; it carries the scope.
    region = models.ForeignKey("regions.Region", verbose_name="工作区域", on_delete=models.PROTECT, related_name="+")
    work_area = models.CharField("工作区域说明", max_length=WORK_AREA_MAX, blank=True)
    # A work area the worker pins on the map themselves: a demand point of the 15-minute circle.
    work_longitude = models.DecimalField("工作区域经度", max_digits=9, decimal_places=6, null=True, blank=True)
    work_latitude = models.DecimalField("工作区域纬度", max_digits=9, decimal_places=6, null=True, blank=True)
    member = models.OneToOneField(
        "members.Member", verbose_name="党员信息", null=True, blank=True, on_delete=models.SET_NULL, related_name="worker"
    )
    source = models.CharField("来源", max_length=16, choices=WorkerSource.choices, default=WorkerSource.SELF)
    consent_version = models.CharField("同意书版本", max_length=20, blank=True)
    consented_at = models.DateTimeField("同意时间", null=True, blank=True)
    sensitive_consented_at = models.DateTimeField("敏感信息单独同意时间", null=True, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, verbose_name="本人账号", null=True, blank=True, on_delete=models.SET_NULL, related_name="worker"
    )
    last_active_at = models.DateTimeField("最近使用时间", null=True, blank=True)  # for the retention purge

    scope_region_field = "region__code"

    class Meta:
        ordering = ["region_id", "name", "id"]
        verbose_name = "从业人员"
        indexes = [models.Index(fields=["region", "name"], name="worker_region_name")]
        constraints = [
            models.UniqueConstraint(fields=["phone_index"], name="worker_unique_phone"),
            models.CheckConstraint(
                condition=(models.Q(work_longitude__isnull=True) & models.Q(work_latitude__isnull=True))
                | (models.Q(work_longitude__gte=73, work_longitude__lte=136) & models.Q(work_latitude__gte=3, work_latitude__lte=54)),
                name="worker_work_position_in_china",
            ),
        ]

    def __str__(self):
        return self.name

    @staticmethod
    def scope_personal(user) -> models.Q:
        """Without territory: a worker sees their own record."""
        return models.Q(user=user)


class OneTimeCode(models.Model):
    """A login code sent to a phone (security.md 6): stored hashed, single use, valid 5 minutes, rate-limited by
    phone (its blind index) and by IP. Rows older than a day are purged daily."""

    phone_index = BlindIndexField(db_index=True)
    code_hash = models.CharField("验证码摘要", max_length=64)
    ip = models.GenericIPAddressField("请求 IP", null=True, blank=True)
    created_at = models.DateTimeField("发送时间", db_index=True)
    expires_at = models.DateTimeField("失效时间")
    used_at = models.DateTimeField("使用时间", null=True, blank=True)
    failed_attempts = models.PositiveSmallIntegerField("错误次数", default=0)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "短信验证码"
        indexes = [models.Index(fields=["ip", "created_at"], name="otp_ip_created")]

    def __str__(self):
        return f"验证码 {self.created_at:%Y-%m-%d %H:%M}"
