"""Password rules of security.md item 2 beyond Django's own validators."""

import re

from django.contrib.auth import password_validation
from django.contrib.auth.hashers import check_password
from django.core.exceptions import ValidationError

CLASSES = [
    (re.compile(r"[a-z]"), "小写字母"),
    (re.compile(r"[A-Z]"), "大写字母"),
    (re.compile(r"\d"), "数字"),
    (re.compile(r"[^a-zA-Z\d]"), "符号"),
]


class CharacterClassValidator:
    def __init__(self, min_classes: int = 3):
        self.min_classes = min_classes

    def validate(self, password, user=None):
        present = sum(1 for pattern, _ in CLASSES if pattern.search(password))
        if present < self.min_classes:
            raise ValidationError(f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类", code="password_classes")

    def get_help_text(self):
        return f"密码须包含大写字母、小写字母、数字、符号中的至少 {self.min_classes} 类。"


class PasswordHistoryValidator:
    """Refuses the current password and the previous ones (five in all)."""

    def __init__(self, history: int = 5):
        self.history = history

    def validate(self, password, user=None):
        if user is None or not getattr(user, "pk", None):
            return
        # The history holds every password set, the current one included.
        hashes = list(user.password_history.values_list("password", flat=True)[: self.history]) or [user.password]
        for encoded in hashes:
            if encoded and check_password(password, encoded):
                raise ValidationError(f"新密码不能与最近 {self.history} 次使用过的密码相同", code="password_reused")

    def get_help_text(self):
        return f"不能与最近 {self.history} 次使用过的密码相同。"


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    # Django 5.2's Chinese catalog lacks this message's current wording; say it ourselves.
    def get_error_message(self):
        return f"密码太短，至少需要 {self.min_length} 个字符"

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"
