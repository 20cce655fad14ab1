"""National cryptography (SM3, SM4) for personal data and the audit chain.

Keys are derived from one master secret that comes from the environment
(`SANXIN_MASTER_KEY`, hex) or a key file, never from the code.
"""

from __future__ import annotations

import base64
import binascii
import functools
import os
import secrets
from pathlib import Path

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives import hashes, hmac
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

CIPHERTEXT_PREFIX = "sm4gcm1:"
NONCE_BYTES = 12
TAG_BYTES = 16


class DecryptionError(Exception):
    pass


def sm3(data: bytes) -> bytes:
    digest = hashes.Hash(hashes.SM3())
    digest.update(data)
    return digest.finalize()


def hmac_sm3(key: bytes, data: bytes) -> bytes:
    mac = hmac.HMAC(key, hashes.SM3())
    mac.update(data)
    return mac.finalize()


def sm4_gcm_encrypt(key: bytes, plaintext: bytes, nonce: bytes, associated_data: bytes = b"") -> tuple[bytes, bytes]:
    encryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce)).encryptor()
    if associated_data:
        encryptor.authenticate_additional_data(associated_data)
    ciphertext = encryptor.update(plaintext) + encryptor.finalize()
    return ciphertext, encryptor.tag


def sm4_gcm_decrypt(key: bytes, ciphertext: bytes, nonce: bytes, tag: bytes, associated_data: bytes = b"") -> bytes:
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    if associated_data:
        decryptor.authenticate_additional_data(associated_data)
    try:
        return decryptor.update(ciphertext) + decryptor.finalize()
    except InvalidTag as exc:
        raise DecryptionError("密文校验失败：数据被篡改或密钥不符") from exc


def generate_master_key() -> str:
    return secrets.token_hex(32)


def write_key_file(path: str | os.PathLike) -> bool:
    """Create a key file with a fresh master secret unless one exists. Returns True if written."""
    path = Path(path)
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as handle:
        handle.write(generate_master_key() + "\n")
    return True


@functools.cache
def _master_key() -> bytes:
    raw = settings.SANXIN_MASTER_KEY
    if not raw:
        key_file = Path(settings.SANXIN_KEY_FILE)
        if not key_file.exists():
            raise ImproperlyConfigured(f"未找到个人信息加密密钥：请设置 SANXIN_MASTER_KEY 或创建密钥文件 {key_file}")
        raw = key_file.read_text().strip()
    try:
        key = bytes.fromhex(raw)
    except ValueError as exc:
        raise ImproperlyConfigured("个人信息加密密钥必须是十六进制字符串") from exc
    if len(key) < 32:
        raise ImproperlyConfigured("个人信息加密密钥至少 32 字节（64 个十六进制字符）")
    return key


@functools.cache
def derived_key(purpose: str, length: int = 32) -> bytes:
    """A sub-key per purpose, so the cipher, the blind indexes and the audit chain never share a key."""
    return hmac_sm3(_master_key(), b"sanxin:" + purpose.encode())[:length]


def reset_key_cache() -> None:
    _master_key.cache_clear()
    derived_key.cache_clear()


def encrypt_text(plaintext: str, *, context: str) -> str:
    """SM4-GCM with a random nonce; the context (model.field) is bound as associated data."""
    nonce = os.urandom(NONCE_BYTES)
    ciphertext, tag = sm4_gcm_encrypt(derived_key("sm4-data", 16), plaintext.encode(), nonce, context.encode())
    return CIPHERTEXT_PREFIX + base64.b64encode(nonce + ciphertext + tag).decode()


def decrypt_text(token: str, *, context: str) -> str:
    if not token.startswith(CIPHERTEXT_PREFIX):
        raise DecryptionError("不是本系统的密文格式")
    try:
        blob = base64.b64decode(token[len(CIPHERTEXT_PREFIX) :], validate=True)
    except binascii.Error as exc:
        raise DecryptionError("密文格式损坏：不是有效的 Base64 编码") from exc
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise DecryptionError("密文格式损坏：长度不足")
    nonce, body = blob[:NONCE_BYTES], blob[NONCE_BYTES:]
    ciphertext, tag = body[:-TAG_BYTES], body[-TAG_BYTES:]
    return sm4_gcm_decrypt(derived_key("sm4-data", 16), ciphertext, nonce, tag, context.encode()).decode()


def blind_index(value: str, *, purpose: str) -> str:
    """HMAC-SM3 of the normalized value: equal values give equal indexes, nothing else leaks."""
    return hmac_sm3(derived_key(f"blind-index:{purpose}"), value.encode()).hex()
