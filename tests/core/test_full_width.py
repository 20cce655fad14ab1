"""Full-width input (a Chinese input method's ９１３６…, Ａ, －, the ideographic space) reads as half-width wherever a code,
a number or a date is expected: one function, sanxin.core.text.half_width, used by imports, validators, forms, the
region picker and the regions API. Names keep their full-width brackets."""

import pytest
from django.core.exceptions import ValidationError

from sanxin.core.text import half_width, normalize_code
from sanxin.core.validators import normalize_credit_code, validate_credit_code, validate_mobile
from sanxin.regions.selectors import region_search

FULL = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}


def full(text: str) -> str:
    return text.translate(FULL)


def test_half_width_folds_ascii_forms_and_the_ideographic_space_only():
    assert half_width("９１３６０１０２ＭＡ３５Ｌ５ＸＫ４Ｂ") == "91360102MA35L5XK4B"
    assert half_width("ａｂｃ－１，２００．５\u3000") == "abc-1,200.5 "
    assert half_width("顺丰速运（南昌）有限公司①㈱") == "顺丰速运(南昌)有限公司①㈱"  # only where a code is read
    assert normalize_code("\u3000３６０１０２\u3000") == "360102"


def test_credit_codes_typed_full_width():
    assert normalize_credit_code(full("91110000600037341l")) == "91110000600037341L"
    assert validate_credit_code(full("91110000600037341L")) == "91110000600037341L"
    with pytest.raises(ValidationError) as caught:
        validate_credit_code(full("91110000600037341"))
    assert caught.value.messages == ["统一社会信用代码“91110000600037341”应为 18 位"]  # the code as checked, half-width
    assert validate_mobile(full("13800138000")) == "13800138000"


def test_the_organization_form_reads_full_width_codes_and_counts(personas):
    from sanxin.orgs.forms import OrganizationForm

    data = {
        "credit_code": full("91110000600037341L"),
        "name": "全角（测试）有限公司",
        "category": "private",
        "industry": "",
        "region": full("360102002001"),
        "employees": "３０",
        "formal_members": "３",
        "probationary_members": "０",
        "registration_status": "active",
    }
    form = OrganizationForm(data, user=personas["county"])
    form.is_valid()
    cleaned = form.cleaned_data
    assert (cleaned["credit_code"], cleaned["region"].code, cleaned["employees"], cleaned["formal_members"]) == (
        "91110000600037341L",
        "360102002001",
        30,
        3,
    )
    assert cleaned["name"] == "全角（测试）有限公司"
    negative = OrganizationForm({**data, "employees": "－５"}, user=personas["county"])
    assert not negative.is_valid() and "employees" in negative.errors  # −5 is refused as −5, not as "not a number"


def test_the_party_form_reads_a_full_width_region(personas):
    from sanxin.party.forms import PartyOrganizationForm

    form = PartyOrganizationForm({"region": full("360102002")}, user=personas["county"])
    form.is_valid()
    assert form.cleaned_data["region"].code == "360102002"


def test_the_region_search_and_the_api_read_full_width_codes(personas, client_for):
    assert [r.code for r in region_search(user=personas["county"], q=full("360102002001"))] == ["360102002001"]
    client = client_for("county")
    assert [r["code"] for r in client.get("/api/v1/regions", {"q": full("360102002001")}).json()["items"]] == ["360102002001"]
    assert client.get(f"/api/v1/regions/{full('360102')}").json()["code"] == "360102"
    children = client.get("/api/v1/regions", {"parent": full("360102002")}).json()["items"]
    assert children and all(r["code"].startswith("360102002") for r in children)
