"""Chinese identifiers (security.md item 16): credit codes (GB 32100), resident ID numbers (GB 11643), mobiles."""

import random
from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from stdnum.cn import ric, uscc

from sanxin.core.validators import validate_credit_code, validate_id_number, validate_mobile


def messages_of(call, *args, **kwargs):
    with pytest.raises(ValidationError) as caught:
        call(*args, **kwargs)
    return caught.value.messages


def with_uscc_check(first17: str) -> str:
    return first17 + uscc.calc_check_digit(first17)


def with_ric_check(first17: str) -> str:
    return first17 + ric.calc_check_digit(first17 + "0")


def wrong_check(number: str, alphabet: str) -> str:
    return number[:-1] + next(c for c in alphabet if c != number[-1])


# -- 统一社会信用代码 -------------------------------------------------------------------


@pytest.mark.parametrize("code", ["91110000600037341L", with_uscc_check("91350100M000100Y4"), with_uscc_check("12100000400012345")])
def test_valid_credit_codes(code):
    assert validate_credit_code(code) == code


def test_credit_code_is_normalized():
    assert validate_credit_code(" 9111 0000-6000 3734 1l ") == "91110000600037341L"


def test_credit_code_wrong_check_character():
    bad = wrong_check("91110000600037341L", "0123456789ABCDEFGHJKLMNPQRTUWXY")
    assert messages_of(validate_credit_code, bad) == [f"统一社会信用代码“{bad}”校验位不正确"]


@pytest.mark.parametrize("code", ["91110000600037341", "91110000600037341LL", ""])
def test_credit_code_wrong_length(code):
    assert messages_of(validate_credit_code, code) == [f"统一社会信用代码“{code}”应为 18 位"]


@pytest.mark.parametrize("code", ["9111000A600037341L", "91110000600037341I"])
def test_credit_code_bad_characters(code):
    assert messages_of(validate_credit_code, code) == [f"统一社会信用代码“{code}”格式不正确"]


def test_credit_code_check_agrees_with_stdnum_on_random_codes():
    """The one-pass check of clean codes must accept exactly what stdnum accepts, and nothing else."""
    rng = random.Random(32100)
    alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"  # with the letters the standard leaves out
    accepted = 0
    for _ in range(20000):
        first17 = "".join(rng.choices("0123456789", k=8) + rng.choices(alphabet, k=9))
        check = "0" if set(first17) & set("IOSVZ") else uscc.calc_check_digit(first17)
        for code in (first17 + rng.choice(alphabet), first17 + check):
            expected = uscc.validate(code) if uscc.is_valid(code) else None
            try:
                got = validate_credit_code(code)
            except ValidationError:
                got = None
            assert got == expected, code
            accepted += got is not None
    assert accepted > 5000  # the valid codes were really tried, not only rejected ones


# -- 居民身份证号码 ---------------------------------------------------------------------

VALID_ID = with_ric_check("36010219900101123")  # ends in X
VALID_ID_DIGIT = with_ric_check("36010219851231002")


def test_valid_id_numbers():
    assert VALID_ID.endswith("X")
    assert validate_id_number(VALID_ID) == VALID_ID
    assert validate_id_number(VALID_ID.lower()) == VALID_ID
    assert validate_id_number(VALID_ID_DIGIT) == VALID_ID_DIGIT


@pytest.mark.parametrize("number", [VALID_ID, VALID_ID_DIGIT])
def test_id_number_wrong_checksum(number):
    assert messages_of(validate_id_number, wrong_check(number, "0123456789X")) == ["身份证号码校验位不正确"]


def test_id_number_birth_date_in_the_future():
    tomorrow = date.today() + timedelta(days=1)
    future = with_ric_check(f"360102{tomorrow:%Y%m%d}123")
    messages = messages_of(validate_id_number, future)
    assert len(messages) == 1 and "出生日期晚于今天" in messages[0]


def test_id_number_birth_date_checked_against_given_today():
    born = with_ric_check("36010220100601123")
    assert validate_id_number(born, today=date(2010, 6, 1)) == born
    assert "出生日期晚于今天" in messages_of(validate_id_number, born, today=date(2010, 5, 31))[0]


@pytest.mark.parametrize("first17", ["36010219900230123", "36010219901301123", "36010219900100123"])
def test_id_number_invalid_birth_date(first17):
    assert messages_of(validate_id_number, with_ric_check(first17)) == ["身份证号码中的出生日期无效"]


def test_id_number_unknown_region():
    assert messages_of(validate_id_number, with_ric_check("99999919900101123")) == ["身份证号码中的地区码无效"]


def test_id_number_of_a_member_born_before_the_area_code_existed():
    # 360102 (东湖区) dates from 1983; a number issued later to someone born in 1978 carries it.
    born_1978 = with_ric_check("36010219780501123")
    assert validate_id_number(born_1978) == born_1978


@pytest.mark.parametrize("number", ["36010219900101123", "3601021990010112345", "", "360102900101123"])
def test_id_number_wrong_length(number):
    assert messages_of(validate_id_number, number) == ["身份证号码应为 18 位"]


def test_id_number_letters_refused():
    assert messages_of(validate_id_number, "3601021990O101123X") == ["身份证号码格式不正确"]


# -- 手机号码 ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "normalized"),
    [
        ("13812345678", "13812345678"),
        ("+8613812345678", "13812345678"),
        ("+86 138 1234 5678", "13812345678"),
        (" 138-1234-5678 ", "13812345678"),
        ("19912345678", "19912345678"),
    ],
)
def test_valid_mobiles(value, normalized):
    assert validate_mobile(value) == normalized


@pytest.mark.parametrize("value", ["12345678901", "1381234567", "138123456789", "23812345678", "1381234567a", "+85213812345678", ""])
def test_invalid_mobiles(value):
    assert messages_of(validate_mobile, value) == [f"手机号码“{value}”不是有效的 11 位大陆手机号"]
