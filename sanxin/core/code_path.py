"""`code__under="3601"`: the rows whose code lies under a region code, as a range an index serves.

Region codes are materialized paths of ASCII digits (36 → 3601 → 360102 → 360102002 → 360102002001), so
"in a region" is "the code starts with the region's code". `startswith` compiles to `LIKE '3601%'`, which
a PostgreSQL btree index with a non-C collation cannot use: every scoped list would scan. `under` compiles
the same question into a range, `code >= '3601' AND code < '3602'`, which every btree index serves, on
SQLite and PostgreSQL alike.

The upper bound is the prefix with its last digit raised, carrying past nines (`'3609'` → `'361'`, `'39'` →
`'4'`) so it stays a digit string: collations that skip punctuation would misplace `'360:'`. A prefix of
nines only (`'99'`) has no upper bound, and the empty prefix is every code (`code >= ''`, which leaves out
NULL as `LIKE '%'` does). For digit codes the range holds exactly the codes that start with the prefix.

Registered on CharField in `CoreConfig.ready()`; `region__code__under=` on a foreign key to the region's code
filters the key column itself, without a join.
"""

from __future__ import annotations

from django.db.models import CharField, Lookup
from django.db.models.lookups import StartsWith

DIGITS = "0123456789"


def upper_bound(prefix: str) -> str | None:
    """The smallest code above every code that starts with `prefix`; None when there is none."""
    if not prefix:
        return None
    stem = prefix.rstrip("9")
    if stem == "":
        return None  # nines only: nothing comes after
    if stem[-1] in DIGITS:
        return stem[:-1] + DIGITS[DIGITS.index(stem[-1]) + 1]
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)  # not a digit code: the next character (exact in C collation)


class Under(Lookup):
    lookup_name = "under"

    def as_sql(self, compiler, connection):
        if not self.rhs_is_direct_value():  # an F() or a subquery: no range can be computed here
            return compiler.compile(StartsWith(self.lhs, self.rhs))
        prefix = str(self.rhs)
        lhs_sql, lhs_params = self.process_lhs(compiler, connection)
        upper = upper_bound(prefix)
        if upper is None:
            return f"{lhs_sql} >= %s", (*lhs_params, prefix)
        return f"({lhs_sql} >= %s AND {lhs_sql} < %s)", (*lhs_params, prefix, *lhs_params, upper)


def register() -> None:
    """Called from `CoreConfig.ready()`, so the lookup exists before any query is built."""
    CharField.register_lookup(Under)
