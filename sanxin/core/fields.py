"""Encrypted personal-data fields with a blind index for exact lookup and uniqueness.

    phone = EncryptedField(kind="phone", index_field="phone_index", blank=True)
    phone_index = BlindIndexField(unique=True)

The column holds only SM4-GCM ciphertext; `phone_index` holds HMAC-SM3 of the
normalized value, filled on save. Look up with `blind_index_for("phone", value)`.
"""

from __future__ import annotations

from django.db import models

from sanxin.core import crypto

NORMALIZERS = {
    "phone": lambda value: value.strip().replace(" ", "").replace("-", "").removeprefix("+86"),
    "id_number": lambda value: value.strip().upper(),
    "text": lambda value: value,
}


def blind_index_for(kind: str, value: str) -> str:
    return crypto.blind_index(NORMALIZERS[kind](value), purpose=kind)


class BlindIndexField(models.CharField):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("max_length", 64)
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        kwargs.setdefault("editable", False)
        kwargs.setdefault("db_index", not kwargs.get("unique", False))
        super().__init__(*args, **kwargs)


class EncryptedField(models.TextField):
    description = "SM4-GCM 加密字段"

    def __init__(self, *args, kind: str = "text", index_field: str | None = None, **kwargs):
        if kind not in NORMALIZERS:
            raise ValueError(f"unknown personal-data kind {kind!r}")
        self.kind = kind
        self.index_field = index_field
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs["kind"] = self.kind
        if self.index_field:
            kwargs["index_field"] = self.index_field
        return name, path, args, kwargs

    @property
    def crypto_context(self) -> str:
        return f"{self.model._meta.label}.{self.name}"

    def normalize(self, value: str) -> str:
        return NORMALIZERS[self.kind](value)

    def from_db_value(self, value, expression, connection):
        if value in (None, ""):
            return value
        return crypto.decrypt_text(value, context=self.crypto_context)

    def get_prep_value(self, value):
        value = super().get_prep_value(value)
        if value in (None, ""):
            return value
        return crypto.encrypt_text(self.normalize(value), context=self.crypto_context)

    def pre_save(self, model_instance, add):
        value = getattr(model_instance, self.attname)
        if self.index_field:
            index = blind_index_for(self.kind, value) if value else None
            setattr(model_instance, self.index_field, index)
        return value

    def get_lookup(self, lookup_name):
        # Ciphertext is randomized, so only emptiness can be asked of the column itself.
        if lookup_name not in {"isnull"}:
            raise TypeError(f"加密字段 {self.name} 不能直接查询，请使用盲索引字段 {self.index_field}")
        return super().get_lookup(lookup_name)
