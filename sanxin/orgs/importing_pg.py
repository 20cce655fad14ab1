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
TABLE = Organization._meta.db_table


def _is_bulk_load(cur) -> bool:
    cur.execute(f"SELECT count(*) FROM {STAGE} s WHERE NOT EXISTS (SELECT 1 FROM {TABLE} o WHERE o.credit_code = s.credit_code)")
    new_rows = cur.fetchone()[0]
    if new_rows < BULK_LOAD_MIN_ROWS:
        return False
    cur.execute(f"SELECT count(*) FROM {TABLE}")
    return new_rows >= cur.fetchone()[0]


@contextmanager
def _indexes_built_after(cur, bulk: bool):
    if not bulk:
        yield
        return
    # The primary key and the unique credit code (the upsert's key) stay: constraints own their indexes.
    cur.execute(
        f"""SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid
            WHERE x.indrelid = '{TABLE}'::regclass AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = x.indexrelid)"""
    )
    indexes = cur.fetchall()
    for name, _ in indexes:
        cur.execute(f'DROP INDEX "{name}"')  # names from the catalogue, not from the file
    yield
    # An index cannot be built over rows whose (deferred) foreign-key checks are pending: run them now.
    cur.execute("SET CONSTRAINTS ALL IMMEDIATE")
    cur.execute("SET CONSTRAINTS ALL DEFERRED")  # every deferrable constraint of the schema is initially deferred
    for _, definition in indexes:
        cur.execute(definition)


def _stage_columns() -> str:
    """The staging table's columns, typed as the model's own fields (lengths included), never a copy of them."""

    def field_type(column: str) -> str:
        field = Organization._meta.get_field("credit_code" if column == "parent_code" else column)
        return field.db_type(connection)

    return ", ".join(f"{column} {field_type(column)}" for column in COLUMNS)


def write_with_copy(valid, *, zone_id: int | None = None, progress=None) -> Counts:
    """New rows get `zone_id` (a zone committee's import); an update leaves the zone as it is."""
    counts = Counts()
    with connection.cursor() as cur:
        cur.execute(f"CREATE TEMP TABLE IF NOT EXISTS {STAGE} ({_stage_columns()}, PRIMARY KEY (credit_code)) ON COMMIT DROP")
        cur.execute(f"TRUNCATE {STAGE}")
        with cur.copy(f"COPY {STAGE} ({', '.join(COLUMNS)}) FROM STDIN") as copy:
            for row in valid:
                v = row.values
                copy.write_row([row.credit_code, *(v[c] for c in DATA), row.parent_code or None])
        if progress:
            progress(0.4)
        # The stored rows this file changes (data or parent), and the parents they leave: their coverage changes.
        cur.execute(
            f"""SELECT o.id, o.parent_id FROM {STAGE} s
                JOIN orgs_organization o ON o.credit_code = s.credit_code
                LEFT JOIN orgs_organization p ON p.id = o.parent_id
                WHERE {CHANGED} OR p.credit_code IS DISTINCT FROM s.parent_code"""
        )
        changed = cur.fetchall()
        counts.updated = len(changed)
        touched = {org_id for org_id, _ in changed} | {parent_id for _, parent_id in changed if parent_id}
        # Before the insert: the new rows would only lengthen the join.
        cur.execute(
            f"""UPDATE orgs_organization o SET {", ".join(f"{c} = s.{c}" for c in DATA)}, updated_at = now()
                FROM {STAGE} s WHERE o.credit_code = s.credit_code AND ({CHANGED})"""
        )
        with _indexes_built_after(cur, _is_bulk_load(cur)):
            cur.execute(
                f"""INSERT INTO orgs_organization (credit_code, {", ".join(DATA)}, zone_id, {", ".join(DEFAULTS)})
                    SELECT s.credit_code, {", ".join("s." + c for c in DATA)}, %s, {", ".join(DEFAULTS.values())}
                    FROM {STAGE} s WHERE NOT EXISTS (SELECT 1 FROM orgs_organization o WHERE o.credit_code = s.credit_code)
                    RETURNING id""",
                [zone_id],
            )
            created = [r[0] for r in cur.fetchall()]
        counts.created = len(created)
        counts.unchanged = len(valid) - counts.created - counts.updated
        if progress:
            progress(0.7)
        cur.execute(
            f"""UPDATE orgs_organization o SET parent_id = p.id, updated_at = now()
                FROM {STAGE} s LEFT JOIN orgs_organization p ON p.credit_code = s.parent_code
                WHERE o.credit_code = s.credit_code AND o.parent_id IS DISTINCT FROM p.id"""
        )
        counts.touched_ids = sorted(touched.union(created))
    return counts
