"""The identity shield (security.md 24): what a platform's own Party committee sees of an appeal about its
platform. Never the worker's phone; never the worker's name when the shield is on; inside every text shown to
them (the appeal, the reply, the question, the timeline's notes) the worker's name, any 11-digit mobile number
and any resident ID number are masked."""

from __future__ import annotations

import re

from sanxin.core.masking import mask_id_number, mask_phone
from sanxin.core.roles import Role

HIDDEN = "（已隐藏）"
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])(\d{17}[\dXx]|\d{15})(?![0-9A-Za-z])")


def platform_viewer(user) -> bool:
    """A platform's own staff looking (no territory of their own): they get the shielded view."""
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.has_role(Role.PLATFORM_STAFF))


def mask_text(text: str, *, names: tuple[str, ...] = ()) -> str:
    if not text:
        return text or ""
    text = ID_NUMBER.sub(lambda m: mask_id_number(m.group(0)), text)
    text = MOBILE.sub(lambda m: mask_phone(m.group(0)), text)
    for name in names:
        if name and len(name) >= 2:
            text = text.replace(name, name[0] + "*" * (len(name) - 1))
    return text


class AppealView:
    """An appeal as one viewer may see it: the pages, the export and the API all read through this."""

    def __init__(self, appeal, user):
        self.appeal = appeal
        self.shielded = platform_viewer(user)
        worker = appeal.worker
        self._names = (worker.name,) if worker is not None and worker.name else ()

    def text_of(self, value: str) -> str:
        return mask_text(value, names=self._names) if self.shielded else (value or "")

    @property
    def text(self) -> str:
        return self.text_of(self.appeal.text)

    @property
    def reply(self) -> str:
        return self.text_of(self.appeal.reply)

    @property
    def question(self) -> str:
        return self.text_of(self.appeal.question)

    @property
    def worker_name(self) -> str:
        appeal = self.appeal
        if appeal.worker_id is None:
            return appeal.firm_name or "（已注销）"
        if self.shielded and appeal.shielded:
            return HIDDEN
        return appeal.worker.name

    @property
    def worker_phone(self) -> str:
        """Masked for staff (security.md 22); never for the platform's staff."""
        if self.shielded or self.appeal.worker_id is None:
            return ""
        return mask_phone(self.appeal.worker.phone)

    def actor_name(self, event) -> str:
        """The timeline's actor: the worker's own steps read 诉求人 to the platform's staff."""
        worker = self.appeal.worker
        if self.shielded and worker is not None and (event.actor_id is not None and event.actor_id == worker.user_id):
            return "诉求人"
        if self.shielded:
            return mask_text(event.actor_name, names=self._names)
        return event.actor_name

    def note(self, event) -> str:
        return self.text_of(event.note)
