"""Backup and restore (security.md items 21, 27).

Data is made through the services, `backup` runs here, then the file is restored "elsewhere": `migrate` and
`restore` run as separate processes against a fresh database (a temp file on SQLite, a new database on
PostgreSQL), as on a replacement machine. Every table is compared row for row, with SQL that shows each
stored value exactly (SQLite `quote()`, PostgreSQL's row text), independently of the backup module. The file's
encryption is read here by its documented layout, without the backup module, too.
"""

from __future__ import annotations

import errno
import gzip
import io
import json
import os
import shutil
import sqlite3
import struct
import subprocess
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from unittest import mock
from urllib.parse import quote

import psycopg
import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.contrib.sessions.backends.db import SessionStore
from django.core.management import CommandError, call_command
from django.db import connection
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanxin.accounts.models import ApiToken, UnitKind
from sanxin.accounts.services import unit_create, user_create
from sanxin.accounts.tokens import api_token_create
from sanxin.core import backup, crypto
from sanxin.core.models import AuditEvent
from sanxin.party.services import party_org_create
from sanxin.regions.models import Region
from tests.conftest import PASSWORD
from tests.orgs_factories import make_org

ROOT = Path(__file__).resolve().parents[2]
PHONE = "13912345678"
FULL_NAME = "手机号测试员"
LEGAL_REPRESENTATIVE = "欧阳法定代表"
SECRETARY = "司马支部书记"
RECOVERY_CODE = "k7mq2xzd"
# Their rows differ by design: the restore appends its own audit event (and moves the chain head); sessions are not backed up.
AUDIT_TABLES = {"core_auditevent", "core_auditchainhead"}
NOT_COPIED = {"django_migrations", "django_session"}


# -- reading a database independently of the backup module --------------------------------------------------


def fetch(cur, sql: str) -> list[tuple]:
    cur.execute(sql)
    return cur.fetchall()


def list_tables(cur, vendor: str) -> list[str]:
    if vendor == "sqlite":
        return sorted(r[0] for r in fetch(cur, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"))
    return sorted(r[0] for r in fetch(cur, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'"))


def table_rows(cur, vendor: str, table: str) -> list[tuple]:
    """Every row as the exact stored values, sorted."""
    if vendor == "sqlite":
        columns = [r[1] for r in fetch(cur, f'PRAGMA table_info("{table}")')]
        return sorted(fetch(cur, f'SELECT {", ".join(f"quote({chr(34)}{c}{chr(34)})" for c in columns)} FROM "{table}"'))
    return sorted(fetch(cur, f'SELECT t::text FROM "{table}" AS t'))


def contents(cur, vendor: str) -> dict[str, list[tuple]]:
    return {table: table_rows(cur, vendor, table) for table in list_tables(cur, vendor)}


def next_ids(cur, vendor: str) -> dict[str, int]:
    """The id each table's sequence hands out next."""
    if vendor == "sqlite":
        return {name: seq + 1 for name, seq in fetch(cur, "SELECT name, seq FROM sqlite_sequence")}
    result = {}
    for (name,) in fetch(cur, "SELECT sequencename FROM pg_sequences WHERE schemaname = 'public'"):
        last_value, is_called = fetch(cur, f'SELECT last_value, is_called FROM "{name}"')[0]
        result[name] = last_value + 1 if is_called else last_value
    return result


def source_state() -> tuple[dict, dict]:
    with connection.cursor() as cur:
        return contents(cur, connection.vendor), next_ids(cur, connection.vendor)


# -- the machine a backup is restored on ---------------------------------------------------------------------


class Target:
    """A database that `migrate` made in another process; commands run against it as separate processes."""

    def __init__(self, url: str, *, path: Path | None = None, dsn: str = ""):
        self.url, self.path, self.dsn = url, path, dsn
        self.vendor = "sqlite" if path else "postgresql"

    def run(self, *args: str, **env: str) -> subprocess.CompletedProcess:
        environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.test_settings", "DATABASE_URL": self.url, **env}
        return subprocess.run(
            [sys.executable, "manage.py", *args], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=900, check=False
        )

    def query(self, function, *args):
        if self.path:
            db = sqlite3.connect(self.path)
            try:
                result = function(db.cursor(), *args)
                db.commit()
                return result
            finally:
                db.close()
        with psycopg.connect(self.dsn, autocommit=True) as db, db.cursor() as cur:
            return function(cur, *args)

    def contents(self) -> dict[str, list[tuple]]:
        return self.query(contents, self.vendor)

    def next_ids(self) -> dict[str, int]:
        return self.query(next_ids, self.vendor)

    def execute(self, sql: str) -> None:
        self.query(lambda cur: cur.execute(sql))


def _pg_admin():
    s = connection.settings_dict
    return psycopg.connect(
        host=s["HOST"] or "127.0.0.1",
        port=s["PORT"] or 5432,
        user=s["USER"],
        password=s["PASSWORD"] or None,
        dbname="postgres",
        autocommit=True,
    )


def _pg_target(name: str) -> Target:
    s = connection.settings_dict
    host, port, user = s["HOST"] or "127.0.0.1", s["PORT"] or 5432, s["USER"]
    password = f":{quote(s['PASSWORD'], safe='')}" if s["PASSWORD"] else ""
    url = f"postgres://{quote(user, safe='')}{password}@{host}:{port}/{name}"
    return Target(url, dsn=url.replace("postgres://", "postgresql://", 1))


@pytest.fixture(scope="session")
def migrated_template(django_db_setup, tmp_path_factory):
    """One database that `migrate` made, copied for every test that restores."""
    if connection.vendor == "sqlite":
        path = tmp_path_factory.mktemp("backup") / "migrated.sqlite3"
        template = Target(f"sqlite:///{path}", path=path)
    else:
        name = f"{connection.settings_dict['NAME']}_restore_template"
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            admin.execute(f'CREATE DATABASE "{name}"')
        template = _pg_target(name)
    result = template.run("migrate", "--no-input", "-v", "0")
    assert result.returncode == 0, result.stderr
    if template.path:
        template.query(lambda cur: cur.execute("PRAGMA wal_checkpoint(TRUNCATE)"))
    yield template
    if not template.path:
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def fresh_target(migrated_template, tmp_path):
    """A database just made by `migrate`, nothing else."""
    if migrated_template.path:
        path = tmp_path / "restored.sqlite3"
        shutil.copyfile(migrated_template.path, path)
        yield Target(f"sqlite:///{path}", path=path)
        return
    name = f"{connection.settings_dict['NAME']}_restored"
    template = migrated_template.url.rsplit("/", 1)[1]
    with _pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    yield _pg_target(name)
    with _pg_admin() as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def refused(result: subprocess.CompletedProcess, *fragments: str) -> str:
    """Exit status 1 and one Chinese line on stderr, never a traceback."""
    assert result.returncode == 1, (result.stdout, result.stderr)
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    for fragment in fragments:
        assert fragment in lines[0]
    return lines[0]


# -- the data ------------------------------------------------------------------------------------------------


def make_world(personas) -> dict:
    """A little of everything through the services: units and users (one with a phone), roles, organizations with
    a parent, Party organizations with a parent and covered organizations, an API token, a session; audit events
    come with them, and the regions (self-referencing) are loaded already."""
    sysadmin, county = personas["sysadmin"], personas["county"]
    user_create(actor=sysadmin, username="phone_owner", full_name=FULL_NAME, unit=county.unit, password=PASSWORD, phone=PHONE)
    unit_create(
        actor=sysadmin,
        name="东湖区下级单位",
        kind=UnitKind.LIANGXIN_COMMITTEE,
        region=Region.objects.get(code="360102"),
        parent=personas["city"].unit,
    )
    platform = make_org(county, name="某快递平台有限公司", legal_representative=LEGAL_REPRESENTATIVE)
    station = make_org(county, name="某快递平台东湖站点", parent=platform, formal_members=3)
    region = Region.objects.get(code="360102002")
    committee = party_org_create(
        actor=county, name="东湖区快递行业党委", level="committee", establishment_form="area", region=region, term_years=5
    )
    party_org_create(
        actor=county,
        name="某快递平台联合党支部",
        level="branch",
        establishment_form="joint",
        region=region,
        term_years=3,
        parent=committee,
        founded_on=date(2024, 7, 1),
        covered=[platform, station],
        secretary=SECRETARY,
    )
    _, raw_token = api_token_create(actor=None, user=county, name="数据同步脚本")
    # The last row of a table deleted: its id must not be handed out again after a restore.
    dropped, _ = api_token_create(actor=None, user=county, name="用过即删")
    ApiToken.objects.filter(pk=dropped.pk).delete()
    session = SessionStore()
    session["note"] = "登录会话"
    session.create()
    # A second factor: the staff persona's authenticator (conftest enrols one) and a recovery code.
    totp = TOTPDevice.objects.get(user=county, confirmed=True)
    recovery = StaticDevice.objects.create(user=county, name="恢复码", confirmed=True)
    StaticToken.objects.create(device=recovery, token=RECOVERY_CODE)
    return {"token": raw_token, "session_key": session.session_key, "totp_key": totp.key}


def run_backup(path: Path, *args: str) -> str:
    out = io.StringIO()
    call_command("backup", str(path), *args, stdout=out)
    return out.getvalue()


HEADER = 41  # "SANXINBK", version, salt (16), key check (16)
FRAME = struct.Struct(">BI")  # last-chunk flag, ciphertext length
TAG = 16


def chunks_of(data: bytes) -> tuple[bytes, list[bytes]]:
    """The plain header and the encrypted chunks (each with its frame and tag), by the layout documented in backup.py."""
    header, rest, chunks = data[:HEADER], data[HEADER:], []
    while rest:
        _, length = FRAME.unpack(rest[: FRAME.size])
        end = FRAME.size + length + TAG
        chunks.append(rest[:end])
        rest = rest[end:]
    return header, chunks


def decrypt(data: bytes) -> bytes:
    """The file's plaintext (a gzip stream), read by the documented layout with `cryptography` alone."""
    header, chunks = chunks_of(data)
    assert header[:8] == b"SANXINBK" and header[8] == 2
    salt, root = header[9:25], crypto.derived_key("backup-file")
    assert header[25:] == crypto.hmac_sm3(root, b"key-check:" + salt)[:16]
    key = crypto.hmac_sm3(root, b"sm4-key:" + salt)[:16]
    plaintext = []
    for counter, chunk in enumerate(chunks):
        last = chunk[0]
        assert last == (counter == len(chunks) - 1)
        decryptor = Cipher(algorithms.SM4(key), modes.GCM(counter.to_bytes(12, "big"), chunk[-TAG:])).decryptor()
        decryptor.authenticate_additional_data(header + counter.to_bytes(8, "big") + bytes([last]))
        plaintext.append(decryptor.update(chunk[FRAME.size : -TAG]) + decryptor.finalize())
    return b"".join(plaintext)


def lines_of(path: Path) -> list[bytes]:
    return gzip.decompress(decrypt(path.read_bytes())).splitlines(keepends=True)


def write_lines(path: Path, lines: list[bytes]) -> None:
    """A file as `backup` writes it (with this system's master key) around the given lines."""
    with path.open("wb") as raw:
        encrypted = backup.EncryptingFile(raw)
        encrypted.write(gzip.compress(b"".join(lines)))
        encrypted.finish()


# -- the tests -----------------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
def test_backup_restores_elsewhere_row_for_row(personas, fresh_target, tmp_path):
    world = make_world(personas)
    source, source_ids = source_state()
    assert source["accounts_user"] and source["regions_region"] and source["django_session"]
    file = tmp_path / "sanxin.sxbk"

    summary = run_backup(file)
    assert summary.startswith("备份完成：") and "张表" in summary and "MB" in summary
    assert oct(file.stat().st_mode & 0o777) == "0o600"
    assert AuditEvent.objects.filter(action="write_backup", object_repr=file.name).exists()

    # No plaintext personal data and no second-factor secret in the file, nor in what gzip would make of it: it is not gzip.
    raw = file.read_bytes()
    personal = [PHONE, FULL_NAME, LEGAL_REPRESENTATIVE, SECRETARY, world["totp_key"], RECOVERY_CODE]
    assert raw.startswith(b"SANXINBK\x02")
    for value in personal:
        assert value.encode() not in raw and json.dumps(value).encode() not in raw, value
    assert bytes.fromhex(world["totp_key"]) not in raw
    with pytest.raises(gzip.BadGzipFile):
        gzip.decompress(raw)
    # Decrypted with the master key, they are all there (the phone as its field's SM4 ciphertext); credentials never are.
    data = gzip.decompress(decrypt(raw))
    assert all(value.encode() in data for value in personal if value != PHONE)
    assert PHONE.encode() not in data and b"sm4gcm1:" in data
    assert world["token"].encode() not in data and world["session_key"].encode() not in data

    restored = fresh_target.run("restore", str(file))
    assert restored.returncode == 0, restored.stderr
    assert "恢复完成" in restored.stdout and "审计链校验通过" in restored.stdout

    target = fresh_target.contents()
    assert set(target) == set(source)
    for table in sorted(set(source) - AUDIT_TABLES - NOT_COPIED):
        assert target[table] == source[table], table
    assert target["django_session"] == []
    # The trail is the source's, event for event, plus the restore's own event at the end.
    assert not Counter(source["core_auditevent"]) - Counter(target["core_auditevent"])
    (added,) = Counter(target["core_auditevent"]) - Counter(source["core_auditevent"])
    assert "restore_backup" in str(added)
    assert fresh_target.run("verify_audit").returncode == 0

    # New rows get fresh ids, after every id the source ever handed out.
    target_ids = fresh_target.next_ids()
    for name, next_id in source_ids.items():
        if not any(name.startswith(table) for table in AUDIT_TABLES | NOT_COPIED):
            assert target_ids[name] == next_id, name

    # A second restore finds data and changes nothing.
    refused(fresh_target.run("restore", str(file)), "目标数据库已有数据", "accounts_user")
    assert fresh_target.contents() == target


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_damaged_or_foreign_file_and_changes_nothing(personas, fresh_target, tmp_path):
    user_create(
        actor=personas["sysadmin"], username="phone_owner", full_name="手机号测试员", unit=personas["county"].unit, password=PASSWORD
    )
    file = tmp_path / "sanxin.sxbk"
    run_backup(file)
    empty = fresh_target.contents()
    lines = lines_of(file)
    user_row = next(i for i, line in enumerate(lines) if line.startswith(b"[") and b'"phone_owner"' in line)

    # One byte changed in a row.
    changed = tmp_path / "changed.sxbk"
    write_lines(
        changed, [*lines[:user_row], lines[user_row].replace("手机号测试员".encode(), "手机号测试贝".encode()), *lines[user_row + 1 :]]
    )
    refused(fresh_target.run("restore", str(changed)), "accounts_user", "SM3")  # inside the encryption, a second check
    with pytest.raises(CommandError, match="accounts_user 的行数或 SM3 校验值不符"):
        call_command("restore", str(changed), "--check")
    checked = io.StringIO()
    call_command("restore", str(file), "--check", stdout=checked)
    assert checked.getvalue().startswith("备份文件完好")

    # A row changed and its table's SM3 recomputed, but not the seal: the seal gives it away.
    forged_lines = list(lines)
    forged_lines[user_row] = lines[user_row].replace(b'"phone_owner"', b'"intruder"')
    header = next(i for i, line in enumerate(lines) if line.startswith(b'{"table":"accounts_user"'))
    digest = hashes.Hash(hashes.SM3())
    digest.update(forged_lines[header])
    for line in forged_lines[header + 1 :]:
        if not line.startswith(b"["):
            break
        digest.update(line)
    manifest = json.loads(forged_lines[-1])
    manifest["manifest"]["tables"]["accounts_user"]["sm3"] = digest.finalize().hex()
    forged_lines[-1] = json.dumps(manifest, ensure_ascii=False, separators=(",", ":")).encode() + b"\n"
    forged = tmp_path / "forged.sxbk"
    write_lines(forged, forged_lines)
    refused(fresh_target.run("restore", str(forged)), "完整性印章", "SANXIN_MASTER_KEY")

    # A byte flipped in the file; a file cut short (a copy that stopped half way).
    raw = bytearray(file.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    (flipped := tmp_path / "flipped.sxbk").write_bytes(bytes(raw))
    refused(fresh_target.run("restore", str(flipped)), "备份文件无法解密", "校验失败")
    (cut := tmp_path / "cut.sxbk").write_bytes(file.read_bytes()[: file.stat().st_size // 2])
    refused(fresh_target.run("restore", str(cut)), "备份文件无法解密", "被截断")
    with pytest.raises(CommandError, match="不存在"):
        call_command("restore", str(tmp_path / "missing.sxbk"))

    # Another master key on the restoring machine.
    other_key = "ff" * 32
    refused(fresh_target.run("restore", str(file), SANXIN_MASTER_KEY=other_key), "备份文件无法解密", "主密钥")
    refused(fresh_target.run("restore", "--check", str(file), SANXIN_MASTER_KEY=other_key), "备份文件无法解密", "主密钥")

    # A database at another migration state.
    fresh_target.execute("INSERT INTO django_migrations (app, name, applied) VALUES ('core', '9999_later', '2026-01-01 00:00:00')")
    refused(fresh_target.run("restore", str(file)), "备份与当前数据库的迁移版本不一致", "本库已执行而备份中没有：core.9999_later")
    fresh_target.execute("DELETE FROM django_migrations WHERE name = '9999_later'")

    assert fresh_target.contents() == empty

    # A trail already broken at the source is found after every row went in; the transaction is rolled back.
    tamper_audit_trail()
    broken = tmp_path / "broken-trail.sxbk"
    run_backup(broken)
    refused(fresh_target.run("restore", str(broken)), "恢复后审计链校验失败", "SANXIN_MASTER_KEY", "--allow-audit-problems", "未做任何改动")
    assert fresh_target.contents() == empty
    # The operator may still restore it: the problem is kept and shown.
    allowed = fresh_target.run("restore", str(broken), "--allow-audit-problems")
    assert allowed.returncode == 0 and "审计链有 1 处问题" in allowed.stderr and "恢复完成" in allowed.stdout
    assert fresh_target.run("verify_audit").returncode == 1


def check_refused(path: Path, *fragments: str) -> None:
    with pytest.raises(CommandError) as refusal:
        call_command("restore", str(path), "--check")
    message = str(refusal.value)
    assert "\n" not in message and all(fragment in message for fragment in fragments), message


@pytest.mark.django_db(transaction=True)
def test_restore_refuses_chunks_moved_dropped_repeated_or_cut(personas, fresh_target, tmp_path):
    """Small chunks, so the file has many: each is authenticated with its place in the file and whether it is the last."""
    file, other = tmp_path / "sanxin.sxbk", tmp_path / "other.sxbk"
    with mock.patch.object(backup, "CHUNK", 1 << 16):
        run_backup(file)
        run_backup(other)
    data = file.read_bytes()
    header, chunks = chunks_of(data)
    assert len(chunks) >= 5 and all(FRAME.unpack(c[: FRAME.size]) == (0, 1 << 16) for c in chunks[:-1])
    assert b"".join([header, *chunks]) == data and FRAME.unpack(chunks[-1][: FRAME.size])[0] == 1
    checked = io.StringIO()
    call_command("restore", str(file), "--check", stdout=checked)
    assert checked.getvalue().startswith("备份文件完好")
    empty = fresh_target.contents()

    def variant(name: str, *parts: bytes) -> Path:
        (path := tmp_path / f"{name}.sxbk").write_bytes(b"".join(parts))
        return path

    def flag_set(chunk: bytes) -> bytes:
        return b"\x01" + chunk[1:]

    # Order, completeness and the end, refused by restore as a separate process: one line, exit 1, nothing written.
    swapped = variant("swapped", header, chunks[0], chunks[2], chunks[1], *chunks[3:])
    refused(fresh_target.run("restore", str(swapped)), "备份文件无法解密", "第 2 块校验失败")
    no_end = variant("no-end", header, *chunks[:-1])  # cut exactly between two chunks
    refused(fresh_target.run("restore", str(no_end)), "备份文件无法解密", "被截断")
    refused(fresh_target.run("restore", "--check", str(no_end)), "备份文件无法解密", "被截断")
    assert fresh_target.contents() == empty

    check_refused(variant("dropped", header, chunks[0], *chunks[2:]), "第 2 块校验失败")
    check_refused(variant("repeated", header, chunks[0], chunks[0], *chunks[1:]), "第 2 块校验失败")
    check_refused(variant("early-end", header, chunks[0], flag_set(chunks[1])), "第 2 块校验失败")
    check_refused(variant("foreign-chunk", header, chunks[0], chunks_of(other.read_bytes())[1][1], *chunks[2:]), "第 2 块校验失败")
    check_refused(variant("foreign-header", chunks_of(other.read_bytes())[0], *chunks), "第 1 块校验失败")
    check_refused(variant("last-repeated", header, *chunks, chunks[-1]), "结尾之后还有多余内容")
    check_refused(variant("trailing", data, b"\x00"), "结尾之后还有多余内容")
    check_refused(variant("cut-in-chunk", data[: len(header) + len(chunks[0]) + 100]), "被截断")
    check_refused(variant("cut-in-frame", data[: len(header) + len(chunks[0]) + 3]), "被截断")
    check_refused(variant("cut-in-header", data[:30]), "文件头被截断")
    check_refused(variant("huge-length", header, chunks[0], chunks[1][:1] + b"\xff\xff\xff\xff" + chunks[1][5:]), "第 2 块的块头无效")
    salt_flipped = bytearray(header)
    salt_flipped[12] ^= 0x01
    check_refused(variant("salt-flipped", bytes(salt_flipped), *chunks), "主密钥")
    check_refused(variant("version-3", header[:8] + b"\x03" + header[9:], *chunks), "格式版本 3 不受本程序支持")
    check_refused(variant("empty"), "备份文件是空的")
    check_refused(variant("not-a-backup", b"PK\x03\x04" + bytes(100)), "不是三新平台的备份文件")

    # Format version 1 was the bare gzip stream; there were no deployments then: it is refused by name.
    old = variant("version-1", gzip.compress(gzip.decompress(decrypt(data))))
    refused(fresh_target.run("restore", str(old)), "旧版", "未加密", "重新备份")
    assert fresh_target.contents() == empty


def tamper_audit_trail() -> None:
    """Edit the oldest audit event by hand, as a DBA could (on PostgreSQL after switching the trigger off)."""
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
        cur.execute("UPDATE core_auditevent SET object_repr = '被改动' WHERE id = (SELECT MIN(id) FROM core_auditevent)")
        if connection.vendor == "postgresql":
            cur.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")


@pytest.mark.django_db
def test_restore_refuses_a_database_with_data(fresh_target, tmp_path):
    """Only the tables that migrations fill may hold rows; anything else (here: a region, as load_regions writes) is refused."""
    non_empty = {table for table, rows in fresh_target.contents().items() if rows}
    assert non_empty == {*backup.seeded_tables(), "django_migrations"}
    fresh_target.execute("INSERT INTO regions_region (code, name, level, full_name) VALUES ('64', '宁夏回族自治区', 1, '宁夏回族自治区')")
    before = fresh_target.contents()
    migrations: dict[str, list[str]] = {}
    for app, name in fresh_target.query(fetch, "SELECT app, name FROM django_migrations"):
        migrations.setdefault(app, []).append(name)
    header = {"format": backup.FORMAT, "version": backup.VERSION, "vendor": connection.vendor, "migrations": migrations}
    file = tmp_path / "any.sxbk"
    write_lines(file, [json.dumps(header).encode() + b"\n"])
    refused(fresh_target.run("restore", str(file)), "目标数据库已有数据", "regions_region")
    assert fresh_target.contents() == before


@pytest.mark.django_db(transaction=True)
def test_backup_never_leaves_a_half_file(personas, tmp_path):
    file = tmp_path / "sanxin.sxbk"
    run_backup(file)
    first = file.read_bytes()

    with pytest.raises(CommandError, match=r"已存在.*--force"):
        run_backup(file)
    assert file.read_bytes() == first

    # A failure in the middle (a full disk, a dropped connection): the old file stays, no temporary file is left.
    real_rows = backup._rows

    def failing(cursor, table, columns):
        if table == "regions_region":
            raise OSError(errno.ENOSPC, "No space left on device")
        return real_rows(cursor, table, columns)

    with mock.patch.object(backup, "_rows", failing), pytest.raises(CommandError, match=r"^备份失败：磁盘空间不足$"):
        run_backup(file, "--force")
    assert file.read_bytes() == first and sorted(p.name for p in tmp_path.iterdir()) == [file.name]

    assert run_backup(file, "--force").startswith("备份完成")
    assert file.read_bytes() != first and sorted(p.name for p in tmp_path.iterdir()) == [file.name]
    assert file.read_bytes()[9:25] != first[9:25]  # a fresh salt, so a fresh key, for every file
