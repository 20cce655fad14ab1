"""PostgreSQL fast path: COPY the valid rows into a staging table, then set-based upserts.

Runs inside the caller's transaction, so a failure leaves no partial rows.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.db import connection

from sanxin.imports.spec import Counts
from sanxin.orgs.models import FLAG_FIELDS, REGISTRY_COLUMNS, Organization, meets_single_establish_sql

STAGE = "sanxin_stage_organization"
DATA = REGISTRY_COLUMNS
COLUMNS = ["credit_code", *DATA, "parent_code"]
CHANGED = " OR ".join(f"o.{c} IS DISTINCT FROM s.{c}" for c in DATA)
# New rows start blank, as nothing covers them yet; the coverage service checks the computed columns right after.
DEFAULTS = {
    "created_at": "now()",
    "updated_at": "now()",
    "coverage_state": "'blank'",
    "has_own_party_org": "false",
    "should_establish": meets_single_establish_sql("s"),
    "edge_thinning": "false",
    **dict.fromkeys(FLAG_FIELDS, "false"),
}


# A load at least this large and at least as large as the registry already is (a province's first load)
# drops the indexes that back no constraint and builds them again after the insert: building beats keeping
# them up row by row (about 3× on a million rows). Until the import commits, readers of the registry wait;
# everyday imports, smaller than the registry, keep the indexes and leave the table readable.
BULK_LOAD_MIN_ROWS = 100_000
WORK_MEM = "256MB"
MAINTENANCE_WORK_MEM = "1GB"  # the index builds of a first bulk load: one sort in memory each
TABLE = Organization._meta.db_table


def _new_rows(cur, source: str) -> tuple[int, list[str]]:
    """How many rows of `source` are not in the registry yet, and the regions they go to (whose counts change)."""
    cur.execute(
        f"""SELECT count(*), array_agg(DISTINCT s.region_id) FROM {source} s
            WHERE NOT EXISTS (SELECT 1 FROM {TABLE} o WHERE o.credit_code = s.credit_code)"""
    )
    count, regions = cur.fetchone()
    return count, sorted(regions or [])


def _is_bulk_load(cur, new_rows: int) -> bool:
    if new_rows < BULK_LOAD_MIN_ROWS:
        return False
    cur.execute(f"SELECT count(*) FROM {TABLE}")
    return new_rows >= cur.fetchone()[0]


@contextmanager
def _indexes_built_after(cur, bulk: bool):
    """A first bulk load: the indexes that back no constraint are dropped and built again after the insert, and the
    table's foreign keys and its unique credit code are dropped and added again, so each foreign key is checked by
    one join over the table instead of a trigger per row, and the unique index is built by one sort. All inside the
    import's transaction: a failure or a kill leaves the table, its indexes and its constraints as they were."""
    if not bulk:
        yield
        return
    cur.execute(
        f"""SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = '{TABLE}'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"""
    )
    indexes = cur.fetchall()
    # The table's own foreign keys, and its unique constraints no other table's foreign key stands on.
    cur.execute(
        f"""SELECT c.conname, pg_get_constraintdef(c.oid) FROM pg_constraint c
            WHERE c.conrelid = '{TABLE}'::regclass AND (c.contype = 'f' OR (c.contype = 'u' AND NOT EXISTS (
                SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = c.conindid)))
            ORDER BY c.contype DESC, c.conname"""
    )
    constraints = cur.fetchall()
    # Foreign-key checks still pending (the rows updated just before) must run before their constraint goes.
    cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cur.execute("SET CONSTRAINTS ALL DEFERRED")  # every deferrable constraint of the schema is initially deferred
    for name, _ in constraints:
        cur.execute(f'ALTER TABLE {TABLE} DROP CONSTRAINT "{name}"')  # names from the catalogue, not from the file
    for name, _ in indexes:
        cur.execute(f'DROP INDEX "{name}"')
    yield
    cur.execute(f"SET LOCAL maintenance_work_mem = '{MAINTENANCE_WORK_MEM}'")
    # Unique first (the self-reference's target is the primary key, which stays), then the foreign keys.
    for name, definition in constraints:
        cur.execute(f'ALTER TABLE {TABLE} ADD CONSTRAINT "{name}" {definition}')
    for _, definition in indexes:
        cur.execute(definition)


def _stage_columns() -> str:
    """The staging table's columns, typed as the model's own fields (lengths included), never a copy of them."""

    def field_type(column: str) -> str:
        field = Organization._meta.get_field("credit_code" if column == "parent_code" else column)
        return field.db_type(connection)

    return ", ".join(f"{column} {field_type(column)}" for column in COLUMNS)


def write_with_copy(valid, *, zone_id: int | None = None, progress=None, source: str | None = None) -> Counts:
    """New rows get `zone_id` (a zone committee's import); an update leaves the zone as it is.

    `valid` are parsed rows, copied into the staging table here; or, with `source`, the rows are already in that
    table (the checked file, sanxin.orgs.importing_fast), with the staging table's columns."""
    counts = Counts()
    with connection.cursor() as cur:
        # Joins, sorts and the counts' grouping in memory (a million rows spill the defaults to disk); for this
        # transaction only.
        cur.execute(f"SET LOCAL work_mem = '{WORK_MEM}'")
        if source is None:
            source = STAGE
            cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} ({_stage_columns()}, PRIMARY KEY (credit_code)) ON COMMIT DROP")
            cur.execute(f"TRUNCATE {STAGE}")
            with cur.copy(f"COPY {STAGE} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
                for row in valid:
                    v = row.values
                    copy.write_row([row.credit_code, *(v[c] for c in DATA), row.parent_code or None])
            total = len(valid)
        else:
            cur.execute(f"SELECT count(*) FROM {source}")
            total = cur.fetchone()[0]
        if progress:
            progress(0.4)
        # The stored rows this file changes (data or parent), and the parents they leave: their coverage changes.
        cur.execute(
            f"""SELECT o.id, o.parent_id FROM {source} s
                JOIN {TABLE} o ON o.credit_code = s.credit_code
                LEFT JOIN {TABLE} p ON p.id = o.parent_id
                WHERE {CHANGED} OR p.credit_code IS DISTINCT FROM s.parent_code"""
        )
        changed = cur.fetchall()
        counts.updated = len(changed)
        touched = {org_id for org_id, _ in changed} | {parent_id for _, parent_id in changed if parent_id}
        # Before the insert: the new rows would only lengthen the join.
        cur.execute(
            f"""UPDATE {TABLE} o SET {", ".join(f"{c} = s.{c}" for c in DATA)}, updated_at = now()
                FROM {source} s WHERE o.credit_code = s.credit_code AND ({CHANGED})"""
        )
        new_rows, counts.regions = _new_rows(cur, source)
        with _indexes_built_after(cur, _is_bulk_load(cur, new_rows)):
            cur.execute(
                f"""INSERT INTO {TABLE} (credit_code, {", ".join(DATA)}, zone_id, {", ".join(DEFAULTS)})
                    SELECT s.credit_code, {", ".join("s." + c for c in DATA)}, %s, {", ".join(DEFAULTS.values())}
                    FROM {source} s WHERE NOT EXISTS (SELECT 1 FROM {TABLE} o WHERE o.credit_code = s.credit_code)""",
                [zone_id],
            )
            counts.created = cur.rowcount
            if progress:
                progress(0.7)
            # Parents once every row of the file exists: those named, then those the file takes away.
            cur.execute(
                f"""UPDATE {TABLE} o SET parent_id = p.id, updated_at = now()
                    FROM {source} s LEFT JOIN {TABLE} p ON p.credit_code = s.parent_code
                    WHERE s.parent_code IS NOT NULL AND o.credit_code = s.credit_code AND o.parent_id IS DISTINCT FROM p.id"""
            )
            cur.execute(
                f"""UPDATE {TABLE} o SET parent_id = NULL, updated_at = now() FROM {source} s
                    WHERE s.parent_code IS NULL AND o.parent_id IS NOT NULL AND o.credit_code = s.credit_code"""
            )
        counts.unchanged = total - counts.created - counts.updated
        # A new organization starts with its coverage fields right (nothing covers it yet): only its region's counts
        # change (counts.regions), and the parents it joins (their 边际递减).
        cur.execute(f"SELECT DISTINCT p.id FROM {source} s JOIN {TABLE} p ON p.credit_code = s.parent_code WHERE s.parent_code IS NOT NULL")
        touched |= {r[0] for r in cur.fetchall()}
        counts.touched_ids = sorted(touched)
    return counts
