"""PostgreSQL fast path of the organization import: a large plain CSV file is read and checked column-wise by DuckDB
(on every core), in one statement that also converts each row to the registry's columns; the checked rows are then
copied into a temporary table of the session (COPY), where the checks that need the registry run as joins (regions,
scope, parents). The file takes this path only when every row is proved valid by the same rules as the row path
(sanxin.orgs.importing.validate); a file with any row not proved valid (or one DuckDB might read otherwise than the
Python reader) goes the row path instead, which reports each error (row, column, value, reason) as ever.

The check is conservative: a row called valid here is one the row path accepts with the same values; the converse
need not hold (a date written 2020/05/01, a count written 30.0, a full-width code are valid, but left to the row
path). Codes, counts and dates are read only in their plain ASCII form here.
"""

from __future__ import annotations

import csv
import io
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import duckdb
from django.db import DatabaseError, connection, transaction
from django.db.models.expressions import RawSQL
from django.utils import timezone

from sanxin.core.text import CONTROL_CHARACTERS
from sanxin.core.validators import USCC_ALPHABET, USCC_WEIGHTS
from sanxin.imports.readers import MAX_ROWS
from sanxin.imports.spec import ImportColumn, ImportScope, Staged, check_header, find_cycles
from sanxin.orgs.importing_pg import COLUMNS as STAGE_COLUMNS
from sanxin.orgs.importing_pg import _stage_columns
from sanxin.orgs.models import SOCIAL_CATEGORIES, Organization, OrgCategory, OrgKind, RegistrationStatus
from sanxin.regions.jurisdiction import place_outside_scope
from sanxin.regions.models import Industry, Region

# Smaller files keep the row path: for them the staging costs more than it saves.
FAST_MIN_BYTES = 256 * 1024
CHECKED = "sanxin_checked_organization"
DUCKDB_MEMORY = "4GB"
# What str.strip() takes off both ends of a cell is every character Python calls whitespace; DuckDB's trim() takes off
# a part of them (spaces, full-width and other wide spaces: never one Python keeps). A cell that still begins or ends
# with one of the others (a tab, a line separator) is left to the row path. So is a row with a control character of
# sanxin.core.text anywhere (NUL and surrogates cannot be in the text here). The cells are joined by line feeds for
# this test: a file without quotes has none inside a cell.
EDGE_WHITESPACE = "".join(chr(c) for c in range(sys.maxunicode + 1) if chr(c).isspace() and c not in (0x20, 0x0A))
CONTROL = CONTROL_CHARACTERS.pattern[1:-1].replace("\x00", "\x01").replace("\ud800-\udfff", "")
NOT_CLEAN = f"[{CONTROL}]|(^|\n)[{EDGE_WHITESPACE}]|[{EDGE_WHITESPACE}](\n|$)"
CLEAN_USCC = "[0-9]{8}[0-9A-HJ-NP-RTUW-Y]{10}"  # sanxin.core.validators.CLEAN_USCC
CLEAN_CODE = "[0-9A-Z]{18}"  # sanxin.orgs.importing.CLEAN_CODE (a parent's code: no check digit asked)
COUNT = "[0-9]{0,9}"  # below MAX_COUNT, so never too large
ISO_DATE = "[1-9][0-9]{3}-[0-9]{2}-[0-9]{2}"  # the day itself is checked by strptime


def _maps() -> dict:
    """The lookups the row path uses, as label → stored value (industries by name, then by code, as it reads them)."""
    industries = {i.name: i.pk for i in Industry.objects.all()} | {i.code: i.pk for i in Industry.objects.all()}
    return {
        "cat": {label: value for value, label in OrgCategory.choices} | {value: value for value in OrgCategory.values},
        "st": {label: value for value, label in RegistrationStatus.choices},
        "ind": {name: str(pk) for name, pk in industries.items()},
    }


def _check_sql(columns: list[ImportColumn]) -> str:
    """One DuckDB statement over the file: each non-blank row, trimmed as the reader trims, with `ok` true only if the
    row path would accept it as it stands (the checks across rows and against the registry follow), and, where ok,
    converted to the staging table's columns. Column-wise and on every core: the check is no longer the slow part."""
    key = [c.key for c in columns]
    trimmed = ", ".join(f"trim(coalesce(c{i}, '')) AS {k}" for i, k in enumerate(key, start=1))
    lengths = " AND ".join(f"length({c.key}) <= {c.max_length}" for c in columns if c.max_length)
    required = " AND ".join(f"{c.key} <> ''" for c in columns if c.required)
    counts = ("employees", "formal_members", "probationary_members")
    parsed = ", ".join(
        f"CASE WHEN regexp_full_match({k}, '{COUNT}') THEN coalesce(CAST(nullif({k}, '') AS INTEGER), 0) END AS {k}_n" for k in counts
    )
    social = ", ".join(f"'{c}'" for c in sorted(SOCIAL_CATEGORIES))
    total = " + ".join(f"(strpos('{USCC_ALPHABET}', substr(credit_code, {i + 1}, 1)) - 1) * {w}" for i, w in enumerate(USCC_WEIGHTS))
    check_digit = f"substr('{USCC_ALPHABET}', CAST((31 - (({total}) % 31)) % 31 AS INTEGER) + 1, 1)"
    established = f"""(established_on = '' OR (regexp_full_match(established_on, '{ISO_DATE}')
        AND coalesce(CAST(try_strptime(established_on, '%Y-%m-%d') AS DATE) <= $today, false)))"""
    ok = f"""regexp_full_match(credit_code, '{CLEAN_USCC}') AND {check_digit} = substr(credit_code, 18, 1)
        AND {required} AND {lengths}
        AND cat.value IS NOT NULL AND ind.value IS NOT NULL
        AND employees_n IS NOT NULL AND formal_members_n IS NOT NULL AND probationary_members_n IS NOT NULL
        AND formal_members_n + probationary_members_n <= employees_n
        AND {established}
        AND st.value IS NOT NULL
        AND (parent = '' OR (regexp_full_match(parent, '{CLEAN_CODE}') AND parent <> credit_code))
        AND NOT regexp_matches(line, $not_clean)"""
    converted = {
        "credit_code": "credit_code",
        "name": "name",
        "kind": f"CASE WHEN cat_value IN ({social}) THEN '{OrgKind.SOCIAL.value}' ELSE '{OrgKind.ECONOMIC.value}' END",
        "category": "cat_value",
        "industry_id": "ind_value",
        "region_id": "region",
        "address": "address",
        "legal_representative": "legal_representative",
        "employees": "employees_n",
        "formal_members": "formal_members_n",
        "probationary_members": "probationary_members_n",
        "established_on": "nullif(established_on, '')",
        "registration_status": "st_value",
        "parent_code": "nullif(parent, '')",
    }
    if list(converted) != STAGE_COLUMNS:  # the staging table's own columns, in its order
        raise RuntimeError(f"staging columns changed: {STAGE_COLUMNS}")
    values = ", ".join(f"{expression} AS {name}" for name, expression in converted.items())
    return f"""CREATE TABLE checked AS
        WITH t AS (SELECT {trimmed} FROM raw),
        u AS (SELECT *, {parsed}, concat_ws(chr(10), {", ".join(key)}) AS line FROM t WHERE concat({", ".join(key)}) <> ''),
        v AS (SELECT u.*, cat.value AS cat_value, ind.value AS ind_value, st.value AS st_value, ({ok}) AS ok
              FROM u LEFT JOIN cat ON cat.label = u.category LEFT JOIN ind ON ind.label = u.industry
              LEFT JOIN st ON st.label = coalesce(nullif(u.registration_status, ''), '{RegistrationStatus.ACTIVE.label}'))
        SELECT ok, {values} FROM v"""


def _header(path: Path, columns: list[ImportColumn]) -> bool:
    """The file starts with the template's header, comma-separated, in UTF-8, exactly as many cells as columns."""
    with path.open("rb") as handle:
        head = handle.read(64 * 1024)
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        return False
    line, newline, _ = head.partition(b"\n")
    if not newline:
        return False
    try:
        text = line.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        return False
    if "," not in text:
        return False
    header = next(csv.reader(io.StringIO(text)))
    if len(header) != len(columns):
        return False
    try:
        check_header([cell.strip() for cell in header], columns)
    except Exception:
        return False
    return True


def _plain(path: Path) -> bool:
    """What DuckDB's CSV reader (no quoting) reads exactly as Python's csv module does: no quote (a quote inside a
    cell starts a quoted part for one, not for the other), no backslash (the NULL marker of the hand-over to
    PostgreSQL), no NUL, no blank line, no lone carriage return; valid UTF-8 (else the row path decodes GB18030)."""
    data = path.read_bytes()
    if b'"' in data or b"\\" in data or b"\x00" in data or b"\n\n" in data or b"\n\r\n" in data:
        return False
    if b"\r" in data and data.count(b"\r") != data.count(b"\r\n"):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def stage(path: Path, filename: str, *, user, columns: list[ImportColumn], stored_parents: Callable, progress=None) -> Staged | None:
    """The file checked, every row valid, and copied into a temporary table: a Staged table for the write; else None
    (the row path)."""
    if connection.vendor != "postgresql" or not filename.lower().endswith(".csv") or path.stat().st_size < FAST_MIN_BYTES:
        return None
    if not _header(path, columns) or not _plain(path):
        return None
    with tempfile.TemporaryDirectory(prefix="sanxin-import-") as folder:
        checked = Path(folder) / "checked.csv"
        total = _check_file(path, checked, columns, spill=Path(folder))
        if progress:
            progress(0.5)
        if not total or total > MAX_ROWS:
            return None
        staged = Staged(CHECKED, total)
        try:
            with connection.cursor() as cur:
                _set_temp_buffers(cur)
                cur.execute(f"DROP TABLE IF EXISTS {CHECKED}")
                cur.execute(f"CREATE TEMP TABLE {CHECKED} ({_stage_columns()})")
                with checked.open("rb") as handle, cur.copy(f"COPY {CHECKED} FROM STDIN WITH (FORMAT csv, NULL '\\N')") as copy:
                    while chunk := handle.read(1 << 22):
                        copy.write(chunk)
                if not _checked_in_database(cur, user, stored_parents):
                    staged.close()
                    return None
                cur.execute(f"ANALYZE {CHECKED}")
        except BaseException:
            staged.close()  # the job stops here (an error, the job abandoned): no staging table stays behind
            raise
    return staged


def _check_file(path: Path, checked: Path, columns: list[ImportColumn], *, spill: Path) -> int | None:
    """DuckDB reads and checks the file; if every row is valid (and no code repeats), it writes them converted to
    `checked` (CSV, NULL as \\N) and answers how many; else None."""
    maps = _maps()
    names = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(1, len(columns) + 1))
    # Bounded memory: beyond it DuckDB spills to the job's temporary folder (5M rows of text are a few GB).
    database = duckdb.connect(config={"memory_limit": DUCKDB_MEMORY, "temp_directory": str(spill)})
    try:
        database.execute(
            f"""CREATE TABLE raw AS SELECT * FROM read_csv({_literal(path)}, header = true, delim = ',', quote = '', escape = '',
                columns = {{{names}}}, auto_detect = false, strict_mode = true, null_padding = false, parallel = true)"""
        )
        for name, mapping in maps.items():
            database.execute(f"CREATE TABLE {name} (label VARCHAR, value VARCHAR)")
            database.executemany(f"INSERT INTO {name} VALUES (?, ?)", list(mapping.items()))
        database.execute(_check_sql(columns), {"not_clean": NOT_CLEAN, "today": timezone.localdate()})
        total, bad = database.execute("SELECT count(*), count(*) FILTER (WHERE NOT ok) FROM checked").fetchone()
        if bad or not total:
            return None
        if database.execute("SELECT 1 FROM checked GROUP BY credit_code HAVING count(*) > 1 LIMIT 1").fetchone():
            return None
        columns_out = ", ".join(STAGE_COLUMNS)
        database.execute(f"COPY (SELECT {columns_out} FROM checked) TO {_literal(checked)} (FORMAT csv, HEADER false, NULLSTR '\\N')")
        return total
    except duckdb.Error:
        return None
    finally:
        database.close()


def _literal(path: Path) -> str:
    """A path of our own (the stored upload, a temporary file) as an SQL string."""
    return "'" + str(path).replace("'", "''") + "'"


def _set_temp_buffers(cur) -> None:
    """The staging table in memory where the session allows it (only before its first temporary table)."""
    try:
        with transaction.atomic():
            cur.execute("SET temp_buffers = '1GB'")
    except DatabaseError:
        pass


def _checked_in_database(cur, user, stored_parents) -> bool:
    """What needs the registry: every region exists down to the county at least, the places and stored codes are in
    the user's scope, and every parent exists and no chain of parents loops."""
    cur.execute(
        f"""SELECT EXISTS (SELECT 1 FROM {CHECKED} c LEFT JOIN {Region._meta.db_table} r ON r.code = c.region_id
            WHERE r.code IS NULL OR r.level < 3)"""
    )
    if cur.fetchone()[0] or not _in_scope(cur, user):
        return False
    cur.execute(f"SELECT EXISTS (SELECT 1 FROM {CHECKED} WHERE parent_code IS NOT NULL)")
    return not cur.fetchone()[0] or _parents_valid(cur, user, stored_parents)


def _stored_outside(table: str, scope: ImportScope) -> bool:
    stored = Organization.objects.filter(credit_code__in=RawSQL(f"SELECT credit_code FROM {table}", ()))  # noqa: S611
    return stored.exclude(pk__in=scope.inside(stored).values("pk")).exists()


def taken_outside(staged: Staged, scope: ImportScope) -> bool:
    """Some code of the staged file is stored outside the scope (checked again inside the write's transaction)."""
    return scope.restricted and _stored_outside(staged.table, scope)


def _in_scope(cur, user) -> bool:
    """Every row's place (region, industry, zone) inside the user's scope, and no code stored outside it."""
    scope = ImportScope.of(user)
    if not scope.restricted:
        return True
    cur.execute(f"SELECT DISTINCT region_id, industry_id FROM {CHECKED}")
    if any(place_outside_scope(user, region=region, industry=industry, zone=scope.zone_id) for region, industry in cur.fetchall()):
        return False
    return not _stored_outside(CHECKED, scope)


def _parents_valid(cur, user, stored_parents: Callable) -> bool:
    """Every parent named is in the file or stored within the scope, and no chain of parents loops."""
    scope = ImportScope.of(user)
    cur.execute(
        f"""SELECT DISTINCT c.parent_code FROM {CHECKED} c WHERE c.parent_code IS NOT NULL
            AND NOT EXISTS (SELECT 1 FROM {CHECKED} d WHERE d.credit_code = c.parent_code)"""
    )
    outside = [r[0] for r in cur.fetchall()]
    if outside and scope.inside(Organization.objects.filter(credit_code__in=outside)).count() != len(outside):
        return False
    cur.execute(
        f"""SELECT credit_code, parent_code FROM {CHECKED} WHERE parent_code IS NOT NULL
            OR credit_code IN (SELECT parent_code FROM {CHECKED} WHERE parent_code IS NOT NULL)"""
    )
    return not find_cycles(dict(cur.fetchall()), stored_parents)
