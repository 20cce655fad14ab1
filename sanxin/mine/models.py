"""The member's own calendar subscription: a secret address the phone's calendar fetches without a session.

Only the token's SHA-256 is kept; the address is shown once, when it is made, and a reset replaces the hash, so the
old address answers 404 from then on."""

from django.conf import settings
from django.db import models

from sanxin.core.models import BaseModel


class CalendarFeed(BaseModel):
    user = models.OneToOneField(settings.AUTH_USER_MODEL, verbose_name="本人账号", on_delete=models.CASCADE, related_name="calendar_feed")
    token_hash = models.CharField("订阅令牌摘要", max_length=64, unique=True)

    class Meta:
        verbose_name = "会议日历订阅"

    def __str__(self):
        return f"{self.user_id} 的会议日历"
