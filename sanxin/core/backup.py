"""Whole-database backup and restore (security.md items 21, 27): `manage.py backup FILE`, `manage.py restore FILE`.

The file is encrypted as a whole, so it holds no plaintext personal data (names, second-factor secrets, password
hashes): only a system with the same master key reads it. Layout (format version 2):

    header   "SANXINBK" | version (1 byte, 2) | salt (16 random bytes) | key check (16 bytes)          41 bytes, plain
    chunk    last (1 byte, 0 or 1) | n (4 bytes, big-endian) | SM4-GCM ciphertext (n bytes) | tag (16 bytes)
    ...      every chunk but the last holds CHUNK bytes of plaintext; the last one (last = 1) may be shorter or empty

The SM4 key of the file is HMAC-SM3(derived_key("backup-file"), "sm4-key:" + salt)[:16]: a fresh key per file,
under a sub-key of the master key that neither the field encryption ("sm4-data") nor the seal ("backup-seal")
uses. Chunk i (from 0) is encrypted with the nonce i as 12 big-endian bytes (unique, as the key is the file's
own) and the associated data header | i (8 bytes) | last, so a chunk moved, dropped, repeated or taken from
another file, a changed header or a file cut short (no chunk marked last) fails; so does anything after the last
chunk. The key check, HMAC-SM3(derived_key("backup-file"), "key-check:" + salt)[:16], tells a different master
key apart from a damaged file before any chunk is read. SM4 in GCM mode is done with `cryptography`, as
sanxin/core/crypto.py does for the fields. Both sides stream: memory stays at a few chunks whatever the size.
Files of format version 1 (a bare gzip stream, before there were deployments) are refused.

The plaintext, once decrypted, is a gzip'd stream of UTF-8 JSON lines:

    {"format": "sanxin-backup", "version": 2, "vendor": "postgresql", "created_at": "...", "migrations": {app: [name, ...]},
     "skipped": ["django_session"]}
    {"table": "accounts_unit", "columns": ["id", "created_at", ...]}
    [1, "2026-11-23 00:10:00.123456", ...]                      one JSON array per row, ordered by primary key
    ...                                                          (the next table, ...)
    {"manifest": {"header_sm3": hex, "tables": {table: {"rows": n, "sm3": hex}}, "sequences": {table: {column: next id}},
                  "rows": total}, "seal": hex}

Values are the columns' raw stored values, read with SQL, never through the ORM: an EncryptedField column
stays SM4-GCM ciphertext (Django's `dumpdata` would decrypt it) under the file's encryption. On PostgreSQL every
value is the column's text form (what COPY gives and takes, so restoring is exact); on SQLite it is the stored
value itself (integer, real, text, null; a blob as {"b64": ...}). A table's "sm3" is SM3 over its table line and
its row lines, byte for byte as in the stream; "header_sm3" is SM3 of the first line; "seal" is HMAC-SM3 of the
manifest (canonical JSON) under a key derived from the master key. The encryption already authenticates every
byte; the checksums and the seal are kept as a second check of the content itself.

A backup reads one snapshot (PostgreSQL: REPEATABLE READ READ ONLY; SQLite: one read transaction, WAL keeps
writers going) and streams it. A restore goes into a database that `migrate` has just made: the migration state
must match the file's and only the tables that migrations fill (seeded_tables()) may hold rows; then the whole
file is checked (decryption, counts, checksums, seal) before anything is written; then one transaction replaces
the seeded rows, loads every table (Django makes foreign keys DEFERRABLE INITIALLY DEFERRED, so table order does
not matter; they are checked at the end), continues the sequences after the source's and verifies the audit
chain. Anything wrong rolls everything back.
"""

from __future__ import annotations

import base64
import contextlib
import errno
import getpass
import gzip
import hmac
import json
import os
import struct
import tempfile
import time
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from cryptography.hazmat.primitives import hashes
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from sanxin.core import crypto, declare
from sanxin.core.audit import audit_record, verify_chain

FORMAT = "sanxin-backup"
VERSION = 2
MAGIC = b"SANXINBK"
SALT_BYTES = 16
KEY_CHECK_BYTES = 16
HEADER_BYTES = len(MAGIC) + 1 + SALT_BYTES + KEY_CHECK_BYTES
CHUNK = 1 << 20  # plaintext bytes per encrypted chunk when writing
MAX_CHUNK = 1 << 24  # the largest chunk a reader accepts: a damaged length never makes it allocate more
_FRAME = struct.Struct(">BI")  # last-chunk flag, ciphertext length
GZIP_MAGIC = b"\x1f\x8b"
# Live login sessions are bearer credentials: a backup file must not carry them. After a restore everyone logs in again.
SKIPPED_TABLES = ("django_session",)
# Tables that `migrate` fills on an empty database: Django's content types and permissions, and those of the apps'
# data migrations (SanxinApp.seeded_models). A restore replaces their rows with the backup's; any other table with a
# row makes it refuse. tests/core/test_backup.py checks this list against a fresh migrate.
DJANGO_SEEDED_TABLES = ("auth_permission", "django_content_type")


def seeded_tables() -> tuple[str, ...]:
    return (*DJANGO_SEEDED_TABLES, *declare.seeded_tables())


BATCH = 2000
WRITE_CHUNK = 1 << 20
VENDOR_NAMES = {"postgresql": "PostgreSQL", "sqlite": "SQLite"}
DAMAGED = "备份文件已损坏或不完整（解压失败），或不是三新平台的备份文件"
NOT_A_BACKUP = "不是三新平台的备份文件"
WRONG_KEY = "备份文件无法解密：本机的主密钥（SANXIN_MASTER_KEY 或 SANXIN_KEY_FILE）与做备份的系统不同，或文件头已损坏"
TRUNCATED = "备份文件无法解密：文件不完整（被截断），缺少加密数据的结尾"
OS_ERRORS = {
    errno.ENOSPC: "磁盘空间不足",
    errno.EDQUOT: "超出磁盘配额",
    errno.EACCES: "没有权限",
    errno.EPERM: "没有权限",
    errno.EROFS: "文件系统只读",
    errno.EIO: "磁盘读写错误",
}

Progress = Callable[[str, int], None]


class BackupError(Exception):
    """A refusal or failure with a one-line Chinese message for the operator."""


@dataclass
class Summary:
    tables: int = 0
    rows: int = 0
    size: int = 0
    seconds: float = 0.0
    sm3: str = ""
    audit_problems: int = 0
    created_at: str = ""
    per_table: dict[str, int] = field(default_factory=dict)


def one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def os_message(exc: OSError) -> str:
    return OS_ERRORS.get(exc.errno, one_line(exc))


def megabytes(size: int) -> str:
    return f"{size / 1_000_000:,.1f} MB"


def local_time(iso: str) -> str:
    """The backup's creation time as the operator reads it: 2026-11-22 14:05:09 in the site's time zone."""
    try:
        return f"{timezone.localtime(datetime.fromisoformat(iso)):%Y-%m-%d %H:%M:%S}"
    except (TypeError, ValueError):
        return iso or "未知"


def _sm3():
    return hashes.Hash(hashes.SM3())


def _seal(manifest: dict) -> str:
    canonical = json.dumps(manifest, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()
    return crypto.hmac_sm3(crypto.derived_key("backup-seal"), canonical).hex()


def _json_default(value):
    if isinstance(value, (bytes, memoryview)):
        return {"b64": base64.b64encode(bytes(value)).decode()}
    raise TypeError(f"不能写入备份的值类型：{type(value).__name__}")


_encode = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), default=_json_default).encode  # one encoder for every row


_decode = json.JSONDecoder().decode


def _line(value) -> bytes:
    return _encode(value).encode() + b"\n"


def _q(name: str) -> str:
    return connection.ops.quote_name(name)


def _os_user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


# -- what a backup holds -----------------------------------------------------------------------------------


def backup_tables() -> list[str]:
    """Every table of an installed model (auto-created many-to-many tables too), less the skipped ones."""
    tables = connection.introspection.django_table_names(only_existing=True, include_views=False)
    return sorted(set(tables) - set(SKIPPED_TABLES))


def applied_migrations(cursor) -> dict[str, list[str]]:
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    applied: dict[str, list[str]] = {}
    for app, name in cursor.fetchall():
        applied.setdefault(app, []).append(name)
    return applied


def _listed(items: list[str], limit: int = 10, unit: str = "项") -> str:
    shown = "、".join(items[:limit])
    return shown + (f" 等 {len(items)} {unit}" if len(items) > limit else "")


def migration_difference(in_backup: dict[str, list[str]], here: dict[str, list[str]]) -> str:
    """'' when equal, else a Chinese list of what differs."""
    backup_set = {f"{app}.{name}" for app, names in in_backup.items() for name in names}
    here_set = {f"{app}.{name}" for app, names in here.items() for name in names}
    parts = []
    if only_backup := sorted(backup_set - here_set):
        parts.append(f"备份中有而本库未执行：{_listed(only_backup)}")
    if only_here := sorted(here_set - backup_set):
        parts.append(f"本库已执行而备份中没有：{_listed(only_here)}")
    return "；".join(parts)


def _columns(cursor, table: str) -> list[str]:
    # Not introspection.get_table_description(): on SQLite it parses the CREATE statement and fails on some.
    cursor.execute(f"SELECT * FROM {_q(table)} WHERE 1 = 0")  # noqa: S608
    return [column[0] for column in cursor.description]


# -- reading one snapshot ----------------------------------------------------------------------------------


@contextlib.contextmanager
def _snapshot():
    """Every read inside sees the database as of one moment."""
    if connection.in_atomic_block:
        raise BackupError("备份须在数据库事务之外运行")
    if connection.vendor == "postgresql":
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield cursor
    elif connection.vendor == "sqlite":
        # Not transaction.atomic(): the settings make that BEGIN IMMEDIATE, which would hold off every writer for
        # the whole backup. A deferred transaction takes its WAL snapshot at the first read and blocks no one.
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
            try:
                yield cursor
            finally:
                with contextlib.suppress(DatabaseError):  # not to hide the error that ended the read
                    cursor.execute("ROLLBACK")
    else:
        raise BackupError(f"不支持的数据库类型：{connection.vendor}")


def _rows(cursor, table: str, columns: list[str]) -> Iterator[tuple]:
    pk = connection.introspection.get_primary_key_columns(cursor, table) or columns
    order = ", ".join(_q(c) for c in pk)
    if connection.vendor == "postgresql":
        # COPY's text form of each value: exact for every type, and what COPY FROM takes back.
        select = f"SELECT {', '.join(_q(c) for c in columns)} FROM {_q(table)} ORDER BY {order}"  # noqa: S608 (names from the catalogue)
        with cursor.copy(f"COPY ({select}) TO STDOUT") as copy:
            yield from copy.rows()
    else:
        # Unary + returns the stored value unchanged but without the column's declared type, so Django's
        # converters (datetime, bool, ...) stay out and the exact stored text or number comes back.
        cursor.execute(f"SELECT {', '.join('+' + _q(c) for c in columns)} FROM {_q(table)} ORDER BY {order}")  # noqa: S608
        while batch := cursor.fetchmany(BATCH):
            yield from batch


def _sequences(cursor, tables: list[str]) -> dict[str, dict[str, int]]:
    """The next id each table's sequence would give, so a restored system never hands out an id used before."""
    result: dict[str, dict[str, int]] = {}
    if connection.vendor == "postgresql":
        for table in tables:
            for sequence in connection.introspection.get_sequences(cursor, table):
                cursor.execute(f"SELECT last_value, is_called FROM {_q(sequence['name'])}")  # noqa: S608
                last_value, is_called = cursor.fetchone()
                result.setdefault(table, {})[sequence["column"]] = last_value + 1 if is_called else last_value
    else:
        cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'sqlite_sequence'")
        if cursor.fetchone():
            cursor.execute("SELECT name, seq FROM sqlite_sequence")
            known = set(tables)
            for table, seq in cursor.fetchall():
                if table in known:
                    result[table] = {"rowid": int(seq) + 1}
    return result


# -- the encryption of the file ----------------------------------------------------------------------------


def _file_keys(salt: bytes) -> tuple[bytes, bytes]:
    """The file's SM4 key and its key check, both from the salt under the master key's "backup-file" sub-key."""
    root = crypto.derived_key("backup-file")
    return crypto.hmac_sm3(root, b"sm4-key:" + salt)[:16], crypto.hmac_sm3(root, b"key-check:" + salt)[:KEY_CHECK_BYTES]


def _nonce(counter: int) -> bytes:
    return counter.to_bytes(crypto.NONCE_BYTES, "big")


def _associated(header: bytes, counter: int, last: bool) -> bytes:
    return header + counter.to_bytes(8, "big") + (b"\x01" if last else b"\x00")


class EncryptingFile:
    """A write-only file that encrypts what it is given into `raw`, a chunk at a time; `finish()` writes the last chunk."""

    def __init__(self, raw):
        self.raw, self.counter, self.buffer = raw, 0, bytearray()
        salt = os.urandom(SALT_BYTES)
        self.key, key_check = _file_keys(salt)
        self.header = MAGIC + bytes([VERSION]) + salt + key_check
        raw.write(self.header)

    def write(self, data) -> int:
        self.buffer += data
        while len(self.buffer) > CHUNK:  # more than a chunk: the last chunk always comes from finish()
            self._chunk(bytes(self.buffer[:CHUNK]), last=False)
            del self.buffer[:CHUNK]
        return len(data)

    def flush(self) -> None:
        self.raw.flush()

    def finish(self) -> None:
        self._chunk(bytes(self.buffer), last=True)
        self.buffer = bytearray()

    def _chunk(self, plaintext: bytes, *, last: bool) -> None:
        ciphertext, tag = crypto.sm4_gcm_encrypt(self.key, plaintext, _nonce(self.counter), _associated(self.header, self.counter, last))
        self.raw.write(_FRAME.pack(last, len(ciphertext)))
        self.raw.write(ciphertext)
        self.raw.write(tag)
        self.counter += 1


class DecryptingFile:
    """A read-only file of the plaintext of an encrypted backup in `raw`. The header is checked on opening; a chunk
    is decrypted and authenticated before any of its bytes are given out; the end must be the chunk marked last."""

    def __init__(self, raw):
        self.raw, self.counter, self.done = raw, 0, False
        self.plaintext, self.offset = b"", 0
        header = self._read(HEADER_BYTES)
        if not header:
            raise BackupError("备份文件是空的")
        if header.startswith(GZIP_MAGIC):
            raise BackupError("这是旧版（格式版本 1，未加密）的备份文件，本程序不再读取：请用当前版本的 backup 命令重新备份")
        if not header.startswith(MAGIC):
            raise BackupError(NOT_A_BACKUP)
        if len(header) > len(MAGIC) and header[len(MAGIC)] != VERSION:
            raise BackupError(f"备份文件格式版本 {header[len(MAGIC)]} 不受本程序支持（支持版本 {VERSION}）")
        if len(header) < HEADER_BYTES:
            raise BackupError("备份文件不完整：文件头被截断")
        salt = header[len(MAGIC) + 1 : len(MAGIC) + 1 + SALT_BYTES]
        self.key, key_check = _file_keys(salt)
        if not hmac.compare_digest(key_check, header[-KEY_CHECK_BYTES:]):
            raise BackupError(WRONG_KEY)
        self.header = header

    def _read(self, size: int) -> bytes:
        try:
            return self.raw.read(size)
        except OSError as exc:
            raise BackupError(f"读取备份文件失败：{os_message(exc)}") from None

    def _next_chunk(self) -> None:
        number = self.counter + 1
        frame = self._read(_FRAME.size)
        if len(frame) < _FRAME.size:
            raise BackupError(TRUNCATED)
        last, length = _FRAME.unpack(frame)
        if last > 1 or length > MAX_CHUNK:
            raise BackupError(f"备份文件无法解密：第 {number} 块的块头无效，文件已损坏或被改动")
        body = self._read(length + crypto.TAG_BYTES)
        if len(body) < length + crypto.TAG_BYTES:
            raise BackupError(TRUNCATED)
        try:
            self.plaintext = crypto.sm4_gcm_decrypt(
                self.key, body[:length], _nonce(self.counter), body[length:], _associated(self.header, self.counter, bool(last))
            )
        except crypto.DecryptionError:
            raise BackupError(f"备份文件无法解密：第 {number} 块校验失败，文件已损坏、被改动或数据块顺序不对") from None
        self.offset, self.counter = 0, number
        if last:
            if self._read(1):
                raise BackupError("备份文件无法解密：加密数据的结尾之后还有多余内容，文件已损坏或被改动")
            self.done = True

    def read(self, size: int = -1) -> bytes:
        parts = []
        while size:
            if self.offset >= len(self.plaintext):
                if self.done:
                    break
                self._next_chunk()
                continue
            end = len(self.plaintext) if size < 0 else min(len(self.plaintext), self.offset + size)
            parts.append(self.plaintext[self.offset : end])
            if size > 0:
                size -= end - self.offset
            self.offset = end
        return b"".join(parts)


# -- writing -----------------------------------------------------------------------------------------------


class _HashingFile:
    """Counts and hashes the encrypted bytes on their way to the file (the audit event names the file's SM3)."""

    def __init__(self, raw):
        self.raw, self.size, self.digest = raw, 0, _sm3()

    def write(self, data) -> int:
        self.size += len(data)
        self.digest.update(bytes(data))
        return self.raw.write(data)

    def flush(self) -> None:
        self.raw.flush()


def _write_table(out, cursor, table: str) -> dict:
    """The table line and every row, hashed and written a chunk at a time."""
    columns = _columns(cursor, table)
    digest, count = _sm3(), 0
    chunk = [_line({"table": table, "columns": columns})]
    size = len(chunk[0])
    for row in _rows(cursor, table, columns):
        line = _line(row)
        chunk.append(line)
        size += len(line)
        count += 1
        if size >= WRITE_CHUNK:
            data = b"".join(chunk)
            digest.update(data)
            out.write(data)
            chunk, size = [], 0
    data = b"".join(chunk)
    digest.update(data)
    out.write(data)
    return {"rows": count, "sm3": digest.finalize().hex()}


def _write_stream(out, summary: Summary, progress: Progress | None) -> None:
    manifest: dict = {"tables": {}, "rows": 0}
    with _snapshot() as cursor:
        tables = backup_tables()
        summary.created_at = timezone.now().isoformat()
        header = {
            "format": FORMAT,
            "version": VERSION,
            "vendor": connection.vendor,
            "created_at": summary.created_at,
            "migrations": applied_migrations(cursor),
            "skipped": list(SKIPPED_TABLES),
        }
        line = _line(header)
        manifest["header_sm3"] = _digest_of(line)
        out.write(line)
        for table in tables:
            manifest["tables"][table] = _write_table(out, cursor, table)
            count = summary.per_table[table] = manifest["tables"][table]["rows"]
            manifest["rows"] += count
            if progress:
                progress(table, count)
        manifest["sequences"] = _sequences(cursor, tables)
    out.write(_line({"manifest": manifest, "seal": _seal(manifest)}))
    summary.tables, summary.rows = len(tables), manifest["rows"]


def _digest_of(data: bytes) -> str:
    digest = _sm3()
    digest.update(data)
    return digest.finalize().hex()


def _fsync_dir(directory: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system lets a directory be opened
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def write_backup(path: str | os.PathLike, *, force: bool = False, progress: Progress | None = None) -> Summary:
    """Write the backup to a hidden temporary file beside `path`, then rename it: a killed backup leaves no half file."""
    started = time.monotonic()
    path = Path(path).absolute()
    if path.is_dir():
        raise BackupError(f"{path} 是一个目录，请给出备份文件的路径")
    if path.exists() and not force:
        raise BackupError(f"文件 {path} 已存在；如要覆盖，请加 --force")
    if not path.parent.is_dir():
        raise BackupError(f"目录 {path.parent} 不存在")
    summary = Summary()
    try:  # mode 600, though it is encrypted
        fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    except OSError as exc:
        raise BackupError(f"不能在目录 {path.parent} 中写文件：{os_message(exc)}") from None
    try:
        with os.fdopen(fd, "wb") as raw:
            hashing = _HashingFile(raw)
            encrypted = EncryptingFile(hashing)  # compressed, then encrypted
            with gzip.GzipFile(filename="", mode="wb", fileobj=encrypted, compresslevel=6) as out:
                _write_stream(out, summary, progress)
            encrypted.finish()
            raw.flush()
            os.fsync(raw.fileno())
        if path.exists() and not force:
            raise BackupError(f"文件 {path} 在备份期间被创建；如要覆盖，请加 --force")
        os.replace(temporary, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        if isinstance(exc, OSError):
            raise BackupError(f"备份失败：{os_message(exc)}") from None
        raise
    _fsync_dir(path.parent)
    summary.size, summary.sm3 = hashing.size, hashing.digest.finalize().hex()
    summary.seconds = time.monotonic() - started
    try:
        audit_record(
            action="write_backup",
            actor_name="system",
            object_type="database",
            object_repr=path.name,
            detail={
                "file": str(path),
                "bytes": summary.size,
                "sm3": summary.sm3,
                "tables": summary.tables,
                "rows": summary.rows,
                "os_user": _os_user(),
            },
        )
    except BaseException:
        path.unlink(missing_ok=True)  # an unaudited backup does not stay behind
        raise
    return summary


# -- reading a file ----------------------------------------------------------------------------------------


class _Reader:
    """Reads the lines in order and recomputes every checksum on the way; `verify()` compares them with the manifest."""

    def __init__(self, stream):
        self.stream = stream
        self.number = 0
        self.pending: bytes | None = None
        self.computed: dict[str, dict] = {}
        self.manifest: dict | None = None
        self.seal = ""
        first = self._next()
        if first is None:
            raise BackupError("备份文件是空的")
        try:
            self.header = json.loads(first)
        except ValueError:
            raise BackupError(NOT_A_BACKUP) from None
        if not isinstance(self.header, dict) or self.header.get("format") != FORMAT:
            raise BackupError(NOT_A_BACKUP)
        if self.header.get("version") != VERSION:
            raise BackupError(f"备份文件格式版本 {self.header.get('version')} 不受本程序支持（支持版本 {VERSION}）")
        self.header_sm3 = _digest_of(first)

    def _next(self) -> bytes | None:
        if self.pending is not None:
            line, self.pending = self.pending, None
            return line
        try:
            line = self.stream.readline()
        except (OSError, EOFError, zlib.error):  # gzip.BadGzipFile is an OSError
            raise BackupError(DAMAGED) from None
        if not line:
            return None
        self.number += 1
        if not line.endswith(b"\n"):
            raise BackupError("备份文件不完整：最后一行被截断")
        return line

    def _control(self, line: bytes) -> dict:
        try:
            value = json.loads(line)
        except ValueError:
            raise BackupError(f"备份文件已损坏：第 {self.number} 行无法解析") from None
        if not isinstance(value, dict):
            raise BackupError(f"备份文件已损坏：第 {self.number} 行不是表头或校验清单")
        return value

    def tables(self, *, parse: bool = True) -> Iterator[tuple[str, list[str], Iterator[list]]]:
        """(table, columns, rows) in file order; each table's rows must be consumed before the next table comes.
        Without `parse` the rows are only counted and hashed (and come as None)."""
        while True:
            line = self._next()
            if line is None:
                raise BackupError("备份文件不完整：缺少结尾的校验清单")
            control = self._control(line)
            if "manifest" in control:
                self.manifest, self.seal = control["manifest"], control.get("seal", "")
                if self._next() is not None:
                    raise BackupError("备份文件已损坏：校验清单之后还有内容")
                return
            table, columns = control.get("table"), control.get("columns")
            if not isinstance(table, str) or not isinstance(columns, list) or table in self.computed:
                raise BackupError(f"备份文件已损坏：第 {self.number} 行不是有效的表头")
            digest = _sm3()
            digest.update(line)
            counted = {"rows": 0}
            rows = self._rows(digest, counted, len(columns), parse)
            yield table, columns, rows
            for _ in rows:  # whatever the caller left
                pass
            self.computed[table] = {"rows": counted["rows"], "sm3": digest.finalize().hex()}

    def _rows(self, digest, counted: dict, width: int, parse: bool) -> Iterator[list | None]:
        while (line := self._next()) is not None:
            if not line.startswith(b"["):
                self.pending = line
                return
            digest.update(line)
            counted["rows"] += 1
            if not parse:
                yield None
                continue
            try:
                row = _decode(line.decode())
            except ValueError:
                raise BackupError(f"备份文件已损坏：第 {self.number} 行无法解析") from None
            if len(row) != width:
                raise BackupError(f"备份文件已损坏：第 {self.number} 行的列数不对")
            if b"{" in line:
                row = [base64.b64decode(v["b64"]) if isinstance(v, dict) else v for v in row]
            yield row

    def verify(self) -> None:
        """After every table was read: row counts, checksums and the seal must all agree with the manifest."""
        manifest = self.manifest
        if not isinstance(manifest, dict) or not isinstance(manifest.get("tables"), dict):
            raise BackupError("备份文件已损坏：校验清单无效")
        if manifest.get("header_sm3") != self.header_sm3:
            raise BackupError("备份文件已损坏：文件头的 SM3 校验值不符")
        listed, read = set(manifest["tables"]), set(self.computed)
        if listed != read:
            raise BackupError(f"备份文件已损坏：校验清单与文件中的表不一致（{_listed(sorted(listed ^ read))}）")
        bad = sorted(table for table in read if manifest["tables"][table] != self.computed[table])
        if bad:
            raise BackupError(f"备份文件已损坏：{_listed(bad)} 的行数或 SM3 校验值不符")
        if self.seal != _seal(manifest):
            raise BackupError(
                "备份文件的完整性印章（HMAC-SM3）不符：本机的主密钥（SANXIN_MASTER_KEY 或 SANXIN_KEY_FILE）"
                "与做备份的系统不同，或文件被改动过"
            )


@contextlib.contextmanager
def _open(path: Path):
    if not path.is_file():
        raise BackupError(f"备份文件 {path} 不存在")
    try:
        raw = path.open("rb")
    except OSError as exc:
        raise BackupError(f"不能读取备份文件 {path}：{os_message(exc)}") from None
    with raw, gzip.GzipFile(filename="", mode="rb", fileobj=DecryptingFile(raw)) as stream:
        yield _Reader(stream)


# -- restoring ---------------------------------------------------------------------------------------------


def _check_vendor(header: dict) -> None:
    vendor, here = header.get("vendor"), connection.vendor
    if vendor != here:
        raise BackupError(f"备份来自 {VENDOR_NAMES.get(vendor, vendor)} 数据库，不能恢复到 {VENDOR_NAMES.get(here, here)} 数据库")


def _check_target(cursor, header: dict, tables: list[str]) -> None:
    difference = migration_difference(header.get("migrations") or {}, applied_migrations(cursor))
    if difference:
        raise BackupError(f"备份与当前数据库的迁移版本不一致：{difference}")
    holding = []
    seeded = seeded_tables()
    for table in [*tables, *SKIPPED_TABLES]:
        if table not in seeded:
            cursor.execute(f"SELECT 1 FROM {_q(table)} LIMIT 1")  # noqa: S608
            if cursor.fetchone():
                holding.append(table)
    if holding:
        raise BackupError(f"目标数据库已有数据（{_listed(holding, 5, '张表')}）：只能恢复到刚执行过 migrate 的空数据库，未做任何改动")


def _insert(cursor, table: str, columns: list[str], rows: Iterator[list]) -> int:
    names = ", ".join(_q(c) for c in columns)
    count = 0
    if connection.vendor == "postgresql":
        with cursor.copy(f"COPY {_q(table)} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
                count += 1
        return count
    sql = f"INSERT INTO {_q(table)} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
    batch = []
    for row in rows:
        batch.append(row)
        if len(batch) >= BATCH:
            cursor.executemany(sql, batch)
            count, batch = count + len(batch), []
    if batch:
        cursor.executemany(sql, batch)
        count += len(batch)
    return count


def _restore_sequences(cursor, tables: list[str], recorded: dict) -> None:
    """Each sequence continues after the larger of the source's next id and the restored rows' largest id."""
    if connection.vendor == "postgresql":
        for table in tables:
            for sequence in connection.introspection.get_sequences(cursor, table):
                column = sequence["column"]
                cursor.execute(
                    f"SELECT setval(%s::regclass, GREATEST(%s, (SELECT COALESCE(MAX({_q(column)}), 0) + 1 FROM {_q(table)})), false)",  # noqa: S608
                    [_q(sequence["name"]), int(recorded.get(table, {}).get(column, 1))],
                )
        return
    for table, columns in recorded.items():
        if table not in tables:
            continue
        cursor.execute("DELETE FROM sqlite_sequence WHERE name = %s", [table])
        cursor.execute(
            f"INSERT INTO sqlite_sequence (name, seq) SELECT %s, MAX(%s, COALESCE(MAX(rowid), 0)) FROM {_q(table)}",  # noqa: S608
            [table, int(columns["rowid"]) - 1],
        )


def check_file(path: str | os.PathLike) -> Summary:
    """Read the whole file once, without the database: every row count, checksum and the seal."""
    started = time.monotonic()
    path = Path(path).absolute()
    with _open(path) as reader:
        for _table, _columns, _rows in reader.tables(parse=False):
            pass
        reader.verify()
    return Summary(
        tables=len(reader.computed),
        rows=sum(table["rows"] for table in reader.computed.values()),
        size=path.stat().st_size,
        seconds=time.monotonic() - started,
        created_at=reader.header.get("created_at", ""),
    )


def restore_backup(path: str | os.PathLike, *, allow_audit_problems: bool = False, progress: Progress | None = None) -> Summary:
    """All or nothing. The quick refusals and a full check of the file come before anything is written; the
    restore itself runs in one transaction that every failed check rolls back."""
    started = time.monotonic()
    path = Path(path).absolute()
    summary = Summary()
    try:
        with _open(path) as reader:
            _check_vendor(reader.header)
        with connection.cursor() as cursor:
            _check_target(cursor, reader.header, backup_tables())
        check_file(path)
        with _open(path) as reader, transaction.atomic(), connection.cursor() as cursor:
            tables = backup_tables()
            _check_target(cursor, reader.header, tables)  # again, inside the transaction: nothing wrote meanwhile
            for table in seeded_tables():
                cursor.execute(f"DELETE FROM {_q(table)}")  # noqa: S608
            for table, columns, rows in reader.tables():
                if table not in tables:
                    raise BackupError(f"备份中的表 {table} 在当前数据库中不存在")
                if sorted(columns) != sorted(_columns(cursor, table)):
                    raise BackupError(f"备份中表 {table} 的列与当前数据库不一致")
                summary.per_table[table] = _insert(cursor, table, columns, rows)
                summary.rows += summary.per_table[table]
                if progress:
                    progress(table, summary.per_table[table])
            reader.verify()  # again: the file could have changed since the check
            if missing := sorted(set(tables) - set(reader.computed)):
                raise BackupError(f"备份中缺少当前数据库的表：{_listed(missing)}")
            _restore_sequences(cursor, tables, reader.manifest.get("sequences") or {})
            connection.check_constraints()  # the deferred foreign keys, now, with a message, rather than at COMMIT
            problems = verify_chain()
            if problems and not allow_audit_problems:
                raise BackupError(
                    f"恢复后审计链校验失败（{len(problems)} 处，首处：{problems[0].reason}）。请确认本机的主密钥"
                    "（SANXIN_MASTER_KEY 或 SANXIN_KEY_FILE）与做备份的系统相同；若源系统的审计链本已损坏，"
                    "可加 --allow-audit-problems 照样恢复。未做任何改动"
                )
            summary.tables, summary.created_at = len(reader.computed), reader.header.get("created_at", "")
            summary.audit_problems = len(problems)
            audit_record(
                action="restore_backup",
                actor_name="system",
                object_type="database",
                object_repr=path.name,
                detail={
                    "file": str(path),
                    "created_at": summary.created_at,
                    "tables": summary.tables,
                    "rows": summary.rows,
                    "audit_problems": summary.audit_problems,
                    "os_user": _os_user(),
                },
            )
    except DatabaseError as exc:
        raise BackupError(f"恢复失败，未做任何改动：{one_line(exc)}") from None
    summary.size = path.stat().st_size
    summary.seconds = time.monotonic() - started
    return summary
