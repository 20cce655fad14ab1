from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.utils import timezone

from sanxin.core.declare import role_capabilities
from sanxin.core.fields import BlindIndexField, EncryptedField
from sanxin.core.models import BaseModel
from sanxin.core.roles import TERRITORIAL_ROLES, Role


class UnitKind(models.TextChoices):
    SOCIAL_WORK_DEPT = "social_work", "党委社会工作部"
    LIANGXIN_COMMITTEE = "liangxin", "两新工委"
    INDUSTRY_COMMITTEE = "industry", "行业党委"
    TOWNSHIP_COMMITTEE = "township", "街道/乡镇党（工）委"
    COMMUNITY = "community", "社区/村党组织"
    ZONE_COMMITTEE = "zone", "园区/楼宇/商圈党组织"
    PARTY_ORGANIZATION = "party_org", "基层党组织"
    PLATFORM = "platform", "平台企业党组织"
    SYSTEM = "system", "系统运维"


class Unit(BaseModel):
    """The office a staff user works for; it carries the data scope (条块)."""

    name = models.CharField("单位名称", max_length=100, unique=True)
    kind = models.CharField("单位类型", max_length=16, choices=UnitKind.choices)
    parent = models.ForeignKey("self", verbose_name="上级单位", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    region = models.ForeignKey(
        "regions.Region",
        verbose_name="管辖区划",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="units",
        help_text="数据权限为该区划及其下级；系统运维单位可为空（全国）",
    )
    industries = models.ManyToManyField("regions.Industry", verbose_name="限定行业", blank=True, related_name="units")
    zone = models.ForeignKey(
        "regions.Zone", verbose_name="限定园区/楼宇", null=True, blank=True, on_delete=models.PROTECT, related_name="units"
    )
    is_active = models.BooleanField("启用", default=True)

    scope_region_field = "region__code"

    class Meta:
        ordering = ["region_id", "name"]
        verbose_name = "单位"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind="system") | models.Q(region__isnull=False), name="unit_region_required_unless_system"
            ),
        ]

    def __str__(self):
        return self.name


class SanxinUserManager(UserManager):
    pass


class User(AbstractUser):
    unit = models.ForeignKey(Unit, verbose_name="所属单位", null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    full_name = models.CharField("姓名", max_length=50, blank=True)
    phone = EncryptedField("手机号码", kind="phone", index_field="phone_index", blank=True, default="")
    phone_index = BlindIndexField(unique=True)
    must_change_password = models.BooleanField("首次登录须改密码", default=True)
    password_changed_at = models.DateTimeField("密码修改时间", null=True, blank=True)
    is_demo = models.BooleanField("演示账号", default=False)

    objects = SanxinUserManager()

    scope_region_field = "unit__region__code"

    class Meta:
        ordering = ["username"]
        verbose_name = "用户"

    def __str__(self):
        return self.full_name or self.username

    @property
    def display_name(self) -> str:
        return self.full_name or self.username

    @property
    def role_codes(self) -> frozenset[str]:
        cached = getattr(self, "_role_codes", None)
        if cached is None:
            cached = frozenset(self.roles.values_list("role", flat=True)) if self.pk else frozenset()
            self._role_codes = cached
        return cached

    @property
    def has_territorial_scope(self) -> bool:
        return bool(self.role_codes & TERRITORIAL_ROLES)

    def has_role(self, role: str) -> bool:
        return role in self.role_codes

    def can(self, capability: str) -> bool:
        """Whether the user's roles bring `capability`, as the apps declare it (sanxin.core.declare)."""
        return self.is_active and capability in role_capabilities(self.role_codes)

    @property
    def role_labels(self) -> list[str]:
        return [Role(code).label for code in sorted(self.role_codes)]

    def password_expired(self, max_age) -> bool:
        return self.password_changed_at is None or timezone.now() - self.password_changed_at > max_age


class UserRole(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField("角色", max_length=32, choices=Role.choices)
    granted_at = models.DateTimeField("授予时间", auto_now_add=True)
    granted_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "用户角色"
        constraints = [models.UniqueConstraint(fields=["user", "role"], name="user_role_unique")]

    def __str__(self):
        return self.get_role_display()


class PasswordHistory(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="password_history")
    password = models.CharField(max_length=255)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.user_id}@{self.created_at:%Y-%m-%d}"


class ApiToken(BaseModel):
    """A bearer token for the API; only its SM3 digest is stored, the raw token is shown once."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField("名称", max_length=64)
    digest = models.CharField(max_length=64, unique=True)
    expires_at = models.DateTimeField("过期时间")
    last_used_at = models.DateTimeField("最近使用", null=True, blank=True)
    revoked_at = models.DateTimeField("撤销时间", null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "接口令牌"

    def __str__(self):
        return self.name

    @property
    def status(self) -> str:
        if self.revoked_at:
            return "已撤销"
        return "已过期" if self.expires_at <= timezone.now() else "有效"
