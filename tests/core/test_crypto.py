"""National cryptography (security.md item 21): known-answer tests for SM3 and SM4, SM4-GCM, HMAC-SM3, keys."""

import base64
import os
import stat

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.core.exceptions import ImproperlyConfigured

from sanxin.core import crypto
from sanxin.core.crypto import DecryptionError

# -- SM3 (GB/T 32905-2016, appendix A) ------------------------------------------


@pytest.mark.parametrize(
    ("message", "digest"),
    [
        (b"abc", "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"),
        (b"abcd" * 16, "debe9ff92275b8a138604889c18e5a4d6fdb70e5387e5765293dcba39c0c5732"),
    ],
)
def test_sm3_known_answers(message, digest):
    assert crypto.sm3(message).hex() == digest


# -- SM4 (GB/T 32907-2016, appendix A) ------------------------------------------

SM4_KEY = bytes.fromhex("0123456789abcdeffedcba9876543210")


def test_sm4_block_cipher_known_answer():
    encryptor = Cipher(algorithms.SM4(SM4_KEY), modes.ECB()).encryptor()
    assert (encryptor.update(SM4_KEY) + encryptor.finalize()).hex() == "681edf34d206965e86b3e94f536e4246"
    decryptor = Cipher(algorithms.SM4(SM4_KEY), modes.ECB()).decryptor()
    assert decryptor.update(bytes.fromhex("681edf34d206965e86b3e94f536e4246")) + decryptor.finalize() == SM4_KEY


# -- SM4-GCM (RFC 8998, appendix A.1) -------------------------------------------

GCM_NONCE = bytes.fromhex("00001234567800000000ABCD")
GCM_AAD = bytes.fromhex("FEEDFACEDEADBEEFFEEDFACEDEADBEEFABADDAD2")
GCM_PLAINTEXT = bytes.fromhex(
    "AAAAAAAAAAAAAAAABBBBBBBBBBBBBBBBCCCCCCCCCCCCCCCCDDDDDDDDDDDDDDDDEEEEEEEEEEEEEEEEFFFFFFFFFFFFFFFFEEEEEEEEEEEEEEEEAAAAAAAAAAAAAAAA"
)
GCM_CIPHERTEXT = bytes.fromhex(
    "17F399F08C67D5EE19D0DC9969C4BB7D5FD46FD3756489069157B282BB200735D82710CA5C22F0CCFA7CBF93D496AC15A56834CBCF98C397B4024A2691233B8D"
)
GCM_TAG = bytes.fromhex("83DE3541E4C2B58177E065A9BF7B62EC")


def test_sm4_gcm_known_answer():
    ciphertext, tag = crypto.sm4_gcm_encrypt(SM4_KEY, GCM_PLAINTEXT, GCM_NONCE, GCM_AAD)
    assert ciphertext == GCM_CIPHERTEXT
    assert tag == GCM_TAG
    assert crypto.sm4_gcm_decrypt(SM4_KEY, GCM_CIPHERTEXT, GCM_NONCE, GCM_TAG, GCM_AAD) == GCM_PLAINTEXT


def _flip(data: bytes, index: int) -> bytes:
    return data[:index] + bytes([data[index] ^ 0x01]) + data[index + 1 :]


@pytest.mark.parametrize(
    ("ciphertext", "tag", "aad", "nonce"),
    [
        pytest.param(_flip(GCM_CIPHERTEXT, 0), GCM_TAG, GCM_AAD, GCM_NONCE, id="ciphertext-first-byte"),
        pytest.param(_flip(GCM_CIPHERTEXT, 63), GCM_TAG, GCM_AAD, GCM_NONCE, id="ciphertext-last-byte"),
        pytest.param(GCM_CIPHERTEXT[:-16], GCM_TAG, GCM_AAD, GCM_NONCE, id="ciphertext-truncated"),
        pytest.param(GCM_CIPHERTEXT, _flip(GCM_TAG, 15), GCM_AAD, GCM_NONCE, id="tag"),
        pytest.param(GCM_CIPHERTEXT, GCM_TAG, _flip(GCM_AAD, 0), GCM_NONCE, id="associated-data"),
        pytest.param(GCM_CIPHERTEXT, GCM_TAG, b"", GCM_NONCE, id="associated-data-missing"),
        pytest.param(GCM_CIPHERTEXT, GCM_TAG, GCM_AAD, _flip(GCM_NONCE, 11), id="nonce"),
    ],
)
def test_sm4_gcm_tampering_is_detected(ciphertext, tag, aad, nonce):
    with pytest.raises(DecryptionError, match="密文校验失败"):
        crypto.sm4_gcm_decrypt(SM4_KEY, ciphertext, nonce, tag, aad)


def test_sm4_gcm_wrong_key_is_detected():
    with pytest.raises(DecryptionError):
        crypto.sm4_gcm_decrypt(_flip(SM4_KEY, 0), GCM_CIPHERTEXT, GCM_NONCE, GCM_TAG, GCM_AAD)


# -- HMAC-SM3 ---------------------------------------------------------------------


def _reference_hmac_sm3(key: bytes, data: bytes) -> bytes:
    """RFC 2104 spelled out over SM3 (64-byte blocks), independent of the library's HMAC."""
    if len(key) > 64:
        key = crypto.sm3(key)
    key = key.ljust(64, b"\0")
    inner = crypto.sm3(bytes(b ^ 0x36 for b in key) + data)
    return crypto.sm3(bytes(b ^ 0x5C for b in key) + inner)


@pytest.mark.parametrize("key", [b"k", b"sanxin-key-0123456789abcdef", bytes(range(100))], ids=["short", "medium", "longer-than-block"])
def test_hmac_sm3_matches_rfc2104_construction(key):
    data = "党建 13812345678".encode()
    assert crypto.hmac_sm3(key, data) == _reference_hmac_sm3(key, data)


def test_hmac_sm3_is_deterministic_and_key_and_data_dependent():
    mac = crypto.hmac_sm3(b"key-one", b"message")
    assert len(mac) == 32
    assert crypto.hmac_sm3(b"key-one", b"message") == mac
    assert crypto.hmac_sm3(b"key-two", b"message") != mac
    assert crypto.hmac_sm3(b"key-one", b"messagf") != mac
    # A MAC is not the bare hash of the message.
    assert mac != crypto.sm3(b"message")


# -- field encryption -------------------------------------------------------------


def _blob(token: str) -> bytes:
    return base64.b64decode(token[len(crypto.CIPHERTEXT_PREFIX) :])


@pytest.mark.parametrize("plaintext", ["13812345678", "360102199001011237", "张三反映：平台拖欠骑手工资 ¥1,200。", ""])
def test_encrypt_text_round_trip(plaintext):
    token = crypto.encrypt_text(plaintext, context="accounts.User.phone")
    assert token.startswith(crypto.CIPHERTEXT_PREFIX)
    if plaintext:
        assert plaintext not in token
    assert crypto.decrypt_text(token, context="accounts.User.phone") == plaintext


def test_encrypt_text_uses_a_fresh_nonce():
    first = crypto.encrypt_text("13812345678", context="accounts.User.phone")
    second = crypto.encrypt_text("13812345678", context="accounts.User.phone")
    assert first != second
    assert _blob(first)[: crypto.NONCE_BYTES] != _blob(second)[: crypto.NONCE_BYTES]
    assert crypto.decrypt_text(first, context="accounts.User.phone") == crypto.decrypt_text(second, context="accounts.User.phone")


def test_decrypt_text_with_wrong_context_fails():
    token = crypto.encrypt_text("13812345678", context="accounts.User.phone")
    with pytest.raises(DecryptionError, match="密文校验失败"):
        crypto.decrypt_text(token, context="workers.Worker.phone")


def _tamper_token(token: str, index: int) -> str:
    return crypto.CIPHERTEXT_PREFIX + base64.b64encode(_flip(_blob(token), index)).decode()


@pytest.mark.parametrize(
    "index", [0, crypto.NONCE_BYTES, crypto.NONCE_BYTES + 5, -crypto.TAG_BYTES, -1], ids=["nonce", "ct-0", "ct-5", "tag-0", "tag-last"]
)
def test_tampered_token_fails(index):
    token = crypto.encrypt_text("13812345678", context="accounts.User.phone")
    with pytest.raises(DecryptionError, match="密文校验失败"):
        crypto.decrypt_text(_tamper_token(token, index), context="accounts.User.phone")


@pytest.mark.parametrize(
    "make_bad",
    [
        pytest.param(lambda t: t[len(crypto.CIPHERTEXT_PREFIX) :], id="prefix-missing"),
        pytest.param(lambda t: t[:-3] + "!!!", id="not-base64"),
        pytest.param(lambda t: t[:-1], id="bad-padding"),
        pytest.param(lambda t: t[:24], id="truncated"),
        pytest.param(lambda t: crypto.CIPHERTEXT_PREFIX, id="empty-body"),
    ],
)
def test_malformed_token_fails_with_decryption_error(make_bad):
    """A damaged column must give DecryptionError, not a stray binascii/ValueError."""
    token = crypto.encrypt_text("13812345678", context="accounts.User.phone")
    with pytest.raises(DecryptionError):
        crypto.decrypt_text(make_bad(token), context="accounts.User.phone")


def test_derived_keys_and_blind_indexes_are_separated_by_purpose():
    assert crypto.derived_key("sm4-data") != crypto.derived_key("audit-chain")
    assert crypto.blind_index("13812345678", purpose="phone") == crypto.blind_index("13812345678", purpose="phone")
    assert crypto.blind_index("13812345678", purpose="phone") != crypto.blind_index("13812345678", purpose="id_number")
    assert crypto.blind_index("13812345678", purpose="phone") != crypto.blind_index("13812345679", purpose="phone")


# -- keys from the environment or a key file -----------------------------------------


@pytest.fixture
def fresh_keys(settings):
    """Settings overridden per test; the key caches are cleared before and after so no other test sees these keys."""
    crypto.reset_key_cache()
    yield settings
    crypto.reset_key_cache()


def test_key_from_key_file(fresh_keys, tmp_path):
    env_token = crypto.encrypt_text("13812345678", context="t")  # made with the environment key
    crypto.reset_key_cache()

    key_file = tmp_path / "keys" / "sanxin.key"
    fresh_keys.SANXIN_MASTER_KEY = ""
    fresh_keys.SANXIN_KEY_FILE = str(key_file)
    assert crypto.write_key_file(key_file) is True
    assert stat.S_IMODE(os.stat(key_file).st_mode) == 0o600
    master = bytes.fromhex(key_file.read_text().strip())
    assert len(master) == 32

    assert crypto.derived_key("sm4-data", 16) == crypto.hmac_sm3(master, b"sanxin:sm4-data")[:16]
    token = crypto.encrypt_text("13812345678", context="t")
    assert crypto.decrypt_text(token, context="t") == "13812345678"
    # A different master secret: ciphertext made under the environment key does not open.
    with pytest.raises(DecryptionError):
        crypto.decrypt_text(env_token, context="t")

    # An existing key file is never overwritten.
    assert crypto.write_key_file(key_file) is False
    assert bytes.fromhex(key_file.read_text().strip()) == master


def test_environment_key_takes_precedence_over_key_file(fresh_keys, tmp_path):
    key_file = tmp_path / "sanxin.key"
    crypto.write_key_file(key_file)
    fresh_keys.SANXIN_MASTER_KEY = "ab" * 32
    fresh_keys.SANXIN_KEY_FILE = str(key_file)
    assert crypto.derived_key("x") == crypto.hmac_sm3(bytes.fromhex("ab" * 32), b"sanxin:x")[:32]


def test_missing_key_file_is_refused_in_chinese(fresh_keys, tmp_path):
    missing = tmp_path / "absent.key"
    fresh_keys.SANXIN_MASTER_KEY = ""
    fresh_keys.SANXIN_KEY_FILE = str(missing)
    with pytest.raises(ImproperlyConfigured, match="未找到个人信息加密密钥") as caught:
        crypto.encrypt_text("13812345678", context="t")
    assert str(missing) in str(caught.value)


@pytest.mark.parametrize(
    ("source", "raw", "message"),
    [
        ("env", "00" * 16, "至少 32 字节"),
        ("file", "00" * 31, "至少 32 字节"),
        ("file", "", "至少 32 字节"),
        ("env", "zz" * 32, "十六进制"),
        ("file", "not a hex key at all, really not", "十六进制"),
    ],
)
def test_short_or_malformed_key_refused(fresh_keys, tmp_path, source, raw, message):
    key_file = tmp_path / "sanxin.key"
    key_file.write_text(raw + "\n")
    fresh_keys.SANXIN_MASTER_KEY = raw if source == "env" else ""
    fresh_keys.SANXIN_KEY_FILE = str(key_file)
    with pytest.raises(ImproperlyConfigured, match=message):
        crypto.derived_key("sm4-data", 16)


def test_key_cache_is_restored_after_override(settings):
    """Guards the fixture above: with the test settings restored, the environment key is in use again."""
    assert crypto.derived_key("x") == crypto.hmac_sm3(bytes.fromhex(settings.SANXIN_MASTER_KEY), b"sanxin:x")[:32]
