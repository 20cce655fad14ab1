"""Telling people: the workflows (and anything else) hand a message to the configured backends after their
transaction commits. The default backend is the in-app message centre (Notification rows, the bell in the top
bar); others (SMS, mail, a government messaging app) plug in through SANXIN_NOTIFICATION_BACKENDS."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.db import transaction
from django.utils.module_loading import import_string

from sanxin.core.models import Notification


@dataclass(frozen=True)
class Message:
    title: str
    body: str = ""
    link: str = ""


class InAppBackend:
    """The message centre: one Notification per recipient."""

    def send(self, recipients: list, message: Message) -> None:
        Notification.objects.bulk_create(
            Notification(recipient=user, title=message.title[:200], body=message.body[:1000], link=message.link[:300])
            for user in recipients
        )


@cache
def backends() -> list:
    paths = getattr(settings, "SANXIN_NOTIFICATION_BACKENDS", ["sanxin.core.notifications.InAppBackend"])
    return [import_string(path)() for path in paths]


def notify(recipients: Iterable, message: Message) -> None:
    """Send `message` to `recipients` once the current transaction commits (never for a write rolled back)."""
    people = [user for user in dict.fromkeys(recipients) if user is not None and user.is_active]
    if not people:
        return

    def send():
        for backend in backends():
            backend.send(people, message)

    transaction.on_commit(send)


def unread_count(user) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()
