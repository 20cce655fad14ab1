"""Personal data at rest and on screen (security.md items 21-22): SM4-GCM columns, HMAC-SM3 blind index, masking."""

import re
import sqlite3
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from sanxin.accounts.models import Unit, UnitKind, User
from sanxin.accounts.services import user_create
from sanxin.core import crypto
from sanxin.core.fields import blind_index_for
from sanxin.core.masking import mask_id_number, mask_name, mask_phone
from sanxin.core.models import AuditEvent
from tests.conftest import PASSWORD

PHONE = "13812345678"


@pytest.fixture
def unit(db):
    # A system unit needs no region, so this also works after a transactional flush.
    return Unit.objects.create(name="个人信息测试单位", kind=UnitKind.SYSTEM)


def make_user(unit, username="phone_owner", phone=PHONE):
    return user_create(actor=None, username=username, full_name="王小明", unit=unit, password=PASSWORD, phone=phone)


def raw_phone_columns(user_id):
    with connection.cursor() as cur:
        cur.execute("SELECT phone, phone_index FROM accounts_user WHERE id = %s", [user_id])
        return cur.fetchone()


def test_phone_column_holds_ciphertext_only(unit):
    user = make_user(unit)
    phone_column, index_column = raw_phone_columns(user.pk)

    assert PHONE not in phone_column and PHONE not in index_column
    assert "5678" not in phone_column and "5678" not in index_column
    assert "1381234" not in phone_column
    # It really is our SM4-GCM ciphertext of the phone, bound to this field...
    assert phone_column.startswith(crypto.CIPHERTEXT_PREFIX)
    assert crypto.decrypt_text(phone_column, context="accounts.User.phone") == PHONE
    # ...and the index is the HMAC-SM3 blind index, not a plain hash of the number.
    assert re.fullmatch(r"[0-9a-f]{64}", index_column)
    assert index_column == blind_index_for("phone", PHONE)
    assert index_column != crypto.sm3(PHONE.encode()).hex()


def test_orm_reads_back_plaintext(unit):
    user = make_user(unit, phone="+86 138-1234-5678")
    assert User.objects.get(pk=user.pk).phone == PHONE


def test_audit_trail_holds_only_the_masked_phone(unit):
    user = make_user(unit)
    event = AuditEvent.objects.get(action="user_create", object_id=str(user.pk))
    assert event.detail["new"]["phone"] == "138****5678"
    with connection.cursor() as cur:
        cur.execute("SELECT detail FROM core_auditevent")
        stored = " ".join(str(row[0]) for row in cur.fetchall())
    assert PHONE not in stored


@pytest.mark.parametrize("spelling", [PHONE, "138 1234 5678", "+86 13812345678", "138-1234-5678"])
def test_lookup_by_blind_index(unit, spelling):
    user = make_user(unit)
    make_user(unit, username="someone_else", phone="13900001111")
    assert User.objects.get(phone_index=blind_index_for("phone", spelling)) == user
    assert not User.objects.filter(phone_index=blind_index_for("phone", "13812345679")).exists()


def test_same_phone_refused_via_blind_index(unit):
    make_user(unit)
    with pytest.raises(ValidationError) as caught:
        make_user(unit, username="copycat", phone="+86 138 1234 5678")
    assert caught.value.message_dict == {"phone": ["该手机号码已被其他账号使用"]}
    assert not User.objects.filter(username="copycat").exists()


def test_blind_index_is_unique_in_the_database(unit):
    """Even a write that skips the service cannot store the same phone twice."""
    make_user(unit)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="bypass", unit=unit, phone=" 138 1234 5678 ")


def test_users_without_phone_do_not_collide(unit):
    first = make_user(unit, username="nophone1", phone="")
    second = make_user(unit, username="nophone2", phone="")
    assert raw_phone_columns(first.pk) == ("", None)
    assert raw_phone_columns(second.pk) == ("", None)


def test_changing_the_phone_moves_the_blind_index(unit):
    user = make_user(unit)
    user.phone = "13900002222"
    user.save()
    assert User.objects.get(phone_index=blind_index_for("phone", "13900002222")) == user
    assert not User.objects.filter(phone_index=blind_index_for("phone", PHONE)).exists()


@pytest.mark.parametrize("lookup", [{"phone": PHONE}, {"phone__contains": "5678"}, {"phone__startswith": "138"}, {"phone__in": [PHONE]}])
def test_filtering_on_the_encrypted_column_raises(unit, lookup):
    make_user(unit)
    with pytest.raises(TypeError, match="不能直接查询"):
        User.objects.filter(**lookup)


def test_tampered_ciphertext_is_not_silently_read(unit):
    user = make_user(unit)
    # A ciphertext made for another field: its bound context (associated data) does not match this column.
    forged = crypto.encrypt_text(PHONE, context="accounts.User.full_name")
    with connection.cursor() as cur:
        cur.execute("UPDATE accounts_user SET phone = %s WHERE id = %s", [forged, user.pk])
    with pytest.raises(crypto.DecryptionError):
        User.objects.get(pk=user.pk)


# -- the database file itself (SQLite only) -------------------------------------------


def _sqlite_database_bytes(tmp_path: Path) -> bytes:
    """Everything SQLite keeps: a VACUUM INTO copy, plus for a file database the file, its WAL and journal."""
    copy = tmp_path / "copy.sqlite3"
    with connection.cursor() as cur:
        cur.execute("VACUUM INTO %s", [str(copy)])
    chunks = [copy.read_bytes()]
    name = str(connection.settings_dict["NAME"])
    if name != ":memory:" and not name.startswith("file:") and "mode=memory" not in name:
        for suffix in ("", "-wal", "-journal"):
            path = Path(name + suffix)
            if path.exists():
                chunks.append(path.read_bytes())
    return b"".join(chunks)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite file scan; on PostgreSQL the raw SQL checks above apply")
@pytest.mark.django_db(transaction=True)
def test_sqlite_file_holds_no_plaintext_phone(tmp_path):
    unit = Unit.objects.create(name="个人信息测试单位", kind=UnitKind.SYSTEM)
    user = make_user(unit, username="disk_owner")
    phone_column, _ = raw_phone_columns(user.pk)

    data = _sqlite_database_bytes(tmp_path)
    # The scan sees the committed row (so a miss below is meaningful) ...
    assert b"disk_owner" in data
    assert phone_column.encode() in data
    # ... and nowhere in the database is the phone number in clear.
    assert PHONE.encode() not in data
    assert PHONE.encode("utf-16-le") not in data
    with sqlite3.connect(tmp_path / "copy.sqlite3") as copy:
        stored = copy.execute("SELECT phone FROM accounts_user WHERE username = 'disk_owner'").fetchone()[0]
    assert stored == phone_column


# -- masking --------------------------------------------------------------------------


def test_mask_phone():
    assert mask_phone(PHONE) == "138****5678"
    assert mask_phone("") == "" and mask_phone(None) == ""


def test_mask_id_number():
    assert mask_id_number("360102199001011234") == "3601**********1234"
    assert mask_id_number("36010219900101123x") == "3601**********123x"
    assert mask_id_number("") == "" and mask_id_number(None) == ""


@pytest.mark.parametrize(
    ("function", "value"), [(mask_phone, "1381234"), (mask_phone, "123"), (mask_id_number, "36010212"), (mask_id_number, "360")]
)
def test_short_values_are_never_shown_in_full(function, value):
    masked = function(value)
    assert masked != value and len(masked) == len(value) and "*" in masked


def test_mask_name():
    assert mask_name("王小明") == "王**"
    assert mask_name("") == ""


# -- on screen: masked unless allowed, and every unmasking audited (security.md items 12, 22) -----------


@pytest.fixture
def phone_owner(personas):
    return user_create(actor=None, username="phone_owner", full_name="王小明", unit=personas["county"].unit, password=PASSWORD, phone=PHONE)


def test_user_edit_form_shows_the_masked_phone(phone_owner, client_for):
    client = client_for("sysadmin")
    page = client.get(f"/users/{phone_owner.pk}/edit/").content.decode()
    assert 'value="138****5678"' in page and PHONE not in page
    # Saving the form unchanged keeps the number; typing a new one replaces it; clearing removes it.
    data = {"full_name": "王小明", "unit": phone_owner.unit_id, "phone": "138****5678", "is_active": "on"}
    assert client.post(f"/users/{phone_owner.pk}/edit/", data).status_code == 302
    assert User.objects.get(pk=phone_owner.pk).phone == PHONE
    assert client.post(f"/users/{phone_owner.pk}/edit/", {**data, "phone": "139 0000 1111"}).status_code == 302
    assert User.objects.get(pk=phone_owner.pk).phone == "13900001111"
    assert client.post(f"/users/{phone_owner.pk}/edit/", {**data, "phone": ""}).status_code == 302
    assert User.objects.get(pk=phone_owner.pk).phone == ""


def test_user_detail_is_masked_by_default(phone_owner, client_for):
    for name in ("sysadmin", "secadmin"):
        page = client_for(name).get(f"/users/{phone_owner.pk}/").content.decode()
        assert "138****5678" in page and PHONE not in page, name
        assert ("显示完整号码" in page) == (name == "secadmin"), name
    # Staff who do not manage accounts see no user's page at all, masked or not.
    assert client_for("county").get(f"/users/{phone_owner.pk}/").status_code == 404


@pytest.mark.parametrize("name", ["sysadmin", "auditadmin", "county", "province", "member"])
def test_unmasking_refused_without_permission(phone_owner, client_for, name):
    response = client_for(name).get(f"/users/{phone_owner.pk}/phone/")
    assert response.status_code == 404 and PHONE not in response.content.decode()
    assert not AuditEvent.objects.filter(action="user_phone_unmask").exists()


def test_unmasking_is_audited(phone_owner, personas, client_for):
    response = client_for("secadmin").get(f"/users/{phone_owner.pk}/phone/")
    assert response.status_code == 200 and PHONE in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    event = AuditEvent.objects.get(action="user_phone_unmask")
    assert event.actor_id == personas["secadmin"].pk and event.object_id == str(phone_owner.pk)
    assert event.detail == {"field": "phone", "masked": "138****5678"} and PHONE not in str(event.detail)
