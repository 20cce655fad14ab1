"""PostgreSQL fast path of the organization import: a large plain CSV file is copied as it is into a temporary table
of the session (COPY), and every row is checked there by one statement that also converts it to the registry's
columns. The file takes this path only when that statement proves every row valid by the same rules as the row
path (sanxin.orgs.importing.validate); a file with any row it cannot prove valid (or one COPY cannot read as the
Python reader would) goes the row path instead, which reports each error (row, column, value, reason) as ever.

The check is conservative: a row the statement calls valid is one the row path accepts with the same values; the
converse need not hold (a date written 2020/05/01, a count written 1,200, a full-width code are valid, but left to
the row path). Codes, counts and dates are read only in their plain ASCII form here.
"""

from __future__ import annotations

import csv
import io
import sys
from collections.abc import Callable
from pathlib import Path

import psycopg
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
RAW = "sanxin_raw_organization"
CHECKED = "sanxin_checked_organization"
# What str.strip() takes off both ends of a cell (every character Python calls whitespace): the ASCII ones are
# trimmed here too; a cell that begins or ends with one of the others (a full-width space) is left to the row path.
ASCII_WHITESPACE = "".join(chr(c) for c in range(128) if chr(c).isspace())
OTHER_WHITESPACE = "".join(chr(c) for c in range(128, sys.maxunicode + 1) if chr(c).isspace())
# The control characters of sanxin.core.text (NUL and surrogates cannot be in PostgreSQL text), and a cell edge
# (the cells joined by tabs) next to such a space: a row with either is not proved clean here.
CONTROL = CONTROL_CHARACTERS.pattern[1:-1].replace("\x00", "\x01").replace("\ud800-\udfff", "")
NOT_CLEAN = f"[{CONTROL}]|(^|\t)[{OTHER_WHITESPACE}]|[{OTHER_WHITESPACE}](\t|$)"
CLEAN_USCC = "^[0-9]{8}[0-9A-HJ-NP-RTUW-Y]{10}$"  # sanxin.core.validators.CLEAN_USCC
CLEAN_CODE = "^[0-9A-Z]{18}$"  # sanxin.orgs.importing.CLEAN_CODE (a parent's code: no check digit asked)
COUNT = "^[0-9]{0,9}$"  # below MAX_COUNT, so never too large
ISO_DATE = "^([1-9][0-9]{3})-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$"


def _check_digit_sql(code: str) -> str:
    """GB 32100's check character of `code` (sanxin.core.validators._uscc_check_character), as SQL."""
    total = " + ".join(f"(strpos('{USCC_ALPHABET}', substr({code}, {i + 1}, 1)) - 1) * {w}" for i, w in enumerate(USCC_WEIGHTS))
    return f"substr('{USCC_ALPHABET}', mod(31 - mod({total}, 31), 31) + 1, 1)"


def _count_sql(cell: str) -> str:
    return f"CASE WHEN {cell} ~ '{COUNT}' THEN coalesce(nullif({cell}, '')::integer, 0) END"


def _date_ok_sql(cell: str) -> str:
    """Empty, or a real ISO date (the day within its month) no later than today."""
    day_fits = f"""substr({cell}, 9, 2)::integer <= extract(day from make_date(substr({cell}, 1, 4)::integer,
        substr({cell}, 6, 2)::integer, 1) + interval '1 month - 1 day')"""
    return f"""({cell} = '' OR CASE WHEN {cell} !~ '{ISO_DATE}' THEN false WHEN NOT ({day_fits}) THEN false
        ELSE {cell}::date <= %(today)s END)"""


def _maps() -> dict:
    """The lookups the row path uses, as label → stored value (industries by name, then by code, as it reads them)."""
    industries = {i.name: i.pk for i in Industry.objects.all()} | {i.code: i.pk for i in Industry.objects.all()}
    return {
        "category": {label: value for value, label in OrgCategory.choices} | {value: value for value in OrgCategory.values},
        "status": {label: value for value, label in RegistrationStatus.choices},
        "industry": {name: str(pk) for name, pk in industries.items()},
    }


def _check_sql(columns: list[ImportColumn]) -> str:
    """One statement: each non-blank row of the raw table, trimmed as the reader trims, with `ok` true only if the
    row path would accept it as it stands (the checks across rows and against the registry follow), and, where ok,
    converted to the staging table's columns."""
    key = [c.key for c in columns]
    trimmed = ", ".join(f"btrim(coalesce(c{i}, ''), %(ws)s) AS {k}" for i, k in enumerate(key, start=1))
    lengths = " AND ".join(f"char_length(t.{c.key}) <= {c.max_length}" for c in columns if c.max_length)
    required = " AND ".join(f"t.{c.key} <> ''" for c in columns if c.required)
    counts = ("employees", "formal_members", "probationary_members")
    parsed = ", ".join(f"{_count_sql(k)} AS {k}_n" for k in counts)
    social = ", ".join(f"'{c}'" for c in sorted(SOCIAL_CATEGORIES))
    ok = f"""t.credit_code ~ '{CLEAN_USCC}' AND {_check_digit_sql("t.credit_code")} = substr(t.credit_code, 18, 1)
        AND {required} AND {lengths}
        AND cat.value IS NOT NULL AND ind.value IS NOT NULL AND coalesce(r.level >= 3, false)
        AND t.employees_n IS NOT NULL AND t.formal_members_n IS NOT NULL AND t.probationary_members_n IS NOT NULL
        AND t.formal_members_n + t.probationary_members_n <= t.employees_n
        AND {_date_ok_sql("t.established_on")}
        AND st.value IS NOT NULL
        AND (t.parent = '' OR (t.parent ~ '{CLEAN_CODE}' AND t.parent <> t.credit_code))
        AND t.line !~ %(not_clean)s"""
    converted = {
        "credit_code": "x.credit_code",
        "name": "x.name",
        "kind": f"CASE WHEN x.cat_value IN ({social}) THEN '{OrgKind.SOCIAL.value}' ELSE '{OrgKind.ECONOMIC.value}' END",
        "category": "x.cat_value",
        "industry_id": "x.ind_value::integer",
        "region_id": "x.region",
        "address": "x.address",
        "legal_representative": "x.legal_representative",
        "employees": "x.employees_n",
        "formal_members": "x.formal_members_n",
        "probationary_members": "x.probationary_members_n",
        "established_on": "nullif(x.established_on, '')::date",
        "registration_status": "x.st_value",
        "parent_code": "nullif(x.parent, '')",
    }
    if list(converted) != STAGE_COLUMNS:  # the staging table's own columns, in its order
        raise RuntimeError(f"staging columns changed: {STAGE_COLUMNS}")
    values = ", ".join(f"CASE WHEN x.ok THEN {expression} END" for expression in converted.values())
    # OFFSET 0 keeps each inner query a query of its own: a cell is trimmed once, `ok` computed once per row.
    return f"""INSERT INTO {CHECKED} (ok, {", ".join(STAGE_COLUMNS)})
        SELECT x.ok, {values}
        FROM (SELECT t.*, cat.value AS cat_value, ind.value AS ind_value, st.value AS st_value, ({ok}) AS ok
              FROM (SELECT *, {parsed}, concat_ws(E'\\t', {", ".join(key)}) AS line
                    FROM (SELECT {trimmed} FROM {RAW} OFFSET 0) trimmed OFFSET 0) t
              LEFT JOIN unnest(%(category_labels)s::text[], %(category_values)s::text[]) cat(label, value) ON cat.label = t.category
              LEFT JOIN unnest(%(industry_labels)s::text[], %(industry_values)s::text[]) ind(label, value) ON ind.label = t.industry
              LEFT JOIN unnest(%(status_labels)s::text[], %(status_values)s::text[]) st(label, value)
                  ON st.label = coalesce(nullif(t.registration_status, ''), '{RegistrationStatus.ACTIVE.label}')
              LEFT JOIN {Region._meta.db_table} r ON r.code = t.region
              WHERE t.line ~ '[^\\t]' OFFSET 0) x"""


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
    if "," not in text or '"' in text:
        return False
    header = next(csv.reader(io.StringIO(text)))
    if len(header) != len(columns):
        return False
    try:
        check_header([cell.strip() for cell in header], columns)
    except Exception:
        return False
    return True


def _copy_raw(cur, path: Path, columns: int, progress) -> bool:
    """COPY the file into the raw table; False if COPY cannot read it as the Python reader would."""
    with path.open("rb") as handle:
        data = handle.read()
    # What COPY reads differently from Python's csv module: NUL, COPY's end-of-data marker, a blank line.
    # A quote: COPY reads a quote inside an unquoted cell as the start of a quoted part, Python as a character.
    if b'"' in data or b"\x00" in data or b"\\." in data or b"\n\n" in data or b"\n\r\n" in data or b"\r" in data.replace(b"\r\n", b""):
        return False
    cells = ", ".join(f"c{i} text" for i in range(1, columns + 1))
    try:
        with transaction.atomic():
            cur.execute(f"DROP TABLE IF EXISTS {RAW}")
            cur.execute(f"CREATE TEMP TABLE {RAW} ({cells})")
            with cur.copy(f"COPY {RAW} FROM STDIN WITH (FORMAT csv, HEADER true)") as copy:
                view = memoryview(data)
                for start in range(0, len(data), 1 << 22):
                    copy.write(view[start : start + (1 << 22)])
    except (DatabaseError, psycopg.Error):  # COPY's own errors come from psycopg unwrapped
        return False
    if progress:  # not during the COPY: the progress is written through this same connection
        progress(1.0)
    return True


def _set_temp_buffers(cur) -> None:
    """The staging tables in memory where the session allows it (only before its first temporary table)."""
    try:
        with transaction.atomic():
            cur.execute("SET temp_buffers = '1GB'")
    except DatabaseError:
        pass


def stage(path: Path, filename: str, *, user, columns: list[ImportColumn], stored_parents: Callable, progress=None) -> Staged | None:
    """The file checked in the database, every row valid: a Staged table for the write; else None (the row path)."""
    if connection.vendor != "postgresql" or not filename.lower().endswith(".csv") or path.stat().st_size < FAST_MIN_BYTES:
        return None
    if not _header(path, columns):
        return None
    with connection.cursor() as cur:
        _set_temp_buffers(cur)
        if not _copy_raw(cur, path, len(columns), progress):
            return None
        try:
            staged = _check(cur, columns, user=user, stored_parents=stored_parents)
        finally:
            cur.execute(f"DROP TABLE IF EXISTS {RAW}")
    return staged


def _check(cur, columns, *, user, stored_parents) -> Staged | None:
    maps = _maps()
    params = {"ws": ASCII_WHITESPACE, "not_clean": NOT_CLEAN, "today": timezone.localdate()}
    for name, mapping in maps.items():
        params[f"{name}_labels"], params[f"{name}_values"] = list(mapping), list(mapping.values())
    cur.execute(f"DROP TABLE IF EXISTS {CHECKED}")
    cur.execute(f"CREATE TEMP TABLE {CHECKED} (ok boolean, {_stage_columns()})")
    cur.execute(_check_sql(columns), params)
    staged = Staged(CHECKED, 0)
    cur.execute(f"SELECT count(*), count(*) FILTER (WHERE NOT ok), count(parent_code) FROM {CHECKED}")
    staged.total, bad, with_parent = cur.fetchone()
    if bad or not staged.total or staged.total > MAX_ROWS or _duplicates(cur) or not _in_scope(cur, user):
        staged.close()
        return None
    if with_parent and not _parents_valid(cur, user, stored_parents):
        staged.close()
        return None
    cur.execute(f"ALTER TABLE {CHECKED} DROP COLUMN ok")
    cur.execute(f"ANALYZE {CHECKED}")
    return staged


def _duplicates(cur) -> bool:
    cur.execute(f"SELECT 1 FROM {CHECKED} GROUP BY credit_code HAVING count(*) > 1 LIMIT 1")
    return cur.fetchone() is not None


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
