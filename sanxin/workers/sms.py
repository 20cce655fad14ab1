"""Sending the one-time login code by SMS: the backend is a setting (a dotted path), so a deployment plugs in its
operator's gateway without touching the login (security.md 6).

    SANXIN_SMS_BACKEND = "sanxin.workers.sms.ConsoleBackend"   # default: the code goes to the server log
    SANXIN_SMS_BACKEND = "sanxin.workers.sms.MemoryBackend"    # tests: messages kept in MemoryBackend.outbox

A backend is a class with `send(phone, text)`; it raises SmsError when the message could not be sent.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string

from sanxin.core.masking import mask_phone

DEFAULT_BACKEND = "sanxin.workers.sms.ConsoleBackend"
logger = logging.getLogger("sanxin.sms")


class SmsError(Exception):
    """The message could not be sent (the gateway refused it or did not answer)."""


class ConsoleBackend:
    """No gateway: the message is written to the server log. In the demo (SANXIN_DEMO) the login page also shows
    the code, labelled 演示环境, so the demo worker can log in without a phone."""

    @property
    def shows_code_in_page(self) -> bool:
        return bool(getattr(settings, "SANXIN_DEMO", False))

    def send(self, phone: str, text: str) -> None:
        logger.warning("短信（控制台后端，未实际发送）→ %s：%s", mask_phone(phone), text)


@dataclass
class SentMessage:
    phone: str
    text: str


class MemoryBackend:
    """Keeps every message in `outbox` (tests read the code from there)."""

    outbox: list[SentMessage] = []
    shows_code_in_page = False

    def send(self, phone: str, text: str) -> None:
        MemoryBackend.outbox.append(SentMessage(phone, text))


def sms_backend():
    return import_string(getattr(settings, "SANXIN_SMS_BACKEND", DEFAULT_BACKEND))()
