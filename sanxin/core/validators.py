"""Validators for Chinese identifiers, with Chinese messages that say what is wrong."""

from __future__ import annotations

import re
from datetime import date

from django.core.exceptions import ValidationError
from stdnum import exceptions as stdnum_exc
from stdnum import numdb
from stdnum.cn import ric, uscc

from sanxin.core.text import half_width

MOBILE_RE = re.compile(r"^1[3-9]\d{9}$")
# GB 32100: 8 digits, 10 characters of this alphabet (no I, O, S, V, Z). A code already written this way is
# checked here in one pass (imports check a million); anything else goes to stdnum, which also says what is wrong.
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
USCC_VALUE = {character: value for value, character in enumerate(USCC_ALPHABET)}
USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
CLEAN_USCC = re.compile(r"[0-9]{8}[0-9A-HJ-NP-RTUW-Y]{10}")


def normalize_credit_code(value: str) -> str:
    """The code as stored: half-width (full-width ９１Ａ… as typed by an input method), upper case, no spaces or dashes."""
    if not value:
        return ""
    code = half_width(value).strip().upper()
    return code if code.isascii() and code.isalnum() else uscc.compact(code)  # stdnum cleans only untidy input


def validate_credit_code(value: str) -> str:
    """统一社会信用代码 (GB 32100): 18 characters with a check character.

    Full-width input is read as half-width first; a message quotes the code as checked (half-width)."""
    if value and CLEAN_USCC.fullmatch(value) and _uscc_check_character(value) == value[17]:
        return value
    value = half_width(value or "").strip()
    try:
        return uscc.validate(normalize_credit_code(value))
    except stdnum_exc.InvalidLength:
        raise ValidationError(f"统一社会信用代码“{value}”应为 18 位", code="credit_code_length") from None
    except stdnum_exc.InvalidChecksum:
        raise ValidationError(f"统一社会信用代码“{value}”校验位不正确", code="credit_code_checksum") from None
    except stdnum_exc.ValidationError:
        raise ValidationError(f"统一社会信用代码“{value}”格式不正确", code="credit_code_format") from None


def _uscc_check_character(code: str) -> str:
    total = sum(USCC_VALUE[character] * weight for character, weight in zip(code, USCC_WEIGHTS, strict=False))
    return USCC_ALPHABET[-total % 31]


def _area_code_known(number: str) -> bool:
    """The first six digits name a county-level area that exists or existed. Not python-stdnum's stricter check
    that the area existed in the birth year: a number is issued (and since 1999 upgraded to 18 digits) where the
    person is registered, so a member born in 1978 in 东湖区 carries 360102, an area code of 1983."""
    return any(props for _part, props in numdb.get("cn/loc").info(number[:6]))


def validate_id_number(value: str, *, today: date | None = None) -> str:
    """Resident ID number (GB 11643): 18 characters, check digit, a known area code, a real birth date not in
    the future."""
    number = ric.compact(half_width(value or ""))
    if len(number) != 18:
        raise ValidationError("身份证号码应为 18 位", code="id_length")
    if not number[:-1].isdigit() or not number[:-1].isascii() or number[-1] not in "0123456789X":
        raise ValidationError("身份证号码格式不正确", code="id_format")
    if number[-1] != ric.calc_check_digit(number):
        raise ValidationError("身份证号码校验位不正确", code="id_checksum")
    try:
        birth = ric.get_birth_date(number)
    except stdnum_exc.ValidationError:
        raise ValidationError("身份证号码中的出生日期无效", code="id_component") from None
    if not _area_code_known(number):
        raise ValidationError("身份证号码中的地区码无效", code="id_component")
    if birth > (today or date.today()):
        raise ValidationError("身份证号码中的出生日期晚于今天", code="id_birth_future")
    return number


def normalize_mobile(value: str) -> str:
    return half_width(value or "").strip().replace(" ", "").replace("-", "").removeprefix("+86")


def validate_mobile(value: str) -> str:
    """Mainland mobile number: 11 digits starting 13–19."""
    number = normalize_mobile(value)
    if not MOBILE_RE.fullmatch(number):
        raise ValidationError(f"手机号码“{value}”不是有效的 11 位大陆手机号", code="mobile")
    return number
