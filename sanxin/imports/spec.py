"""What every registry import shares: columns, row errors, the file check, the scope, counts."""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable, Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from django.db import connection
from django.db.models import QuerySet

from sanxin.core.scope import Scope, scoped, user_scope
from sanxin.core.text import CONTROL_CHARACTERS, control_character, control_character_reason, half_width, visible


@dataclass(frozen=True)
class ImportColumn:
    header: str
    key: str
    required: bool = False
    help: str = ""
    example: str = ""
    choices: Callable[[], list[str]] | None = None  # values offered as a dropdown in the template
    width: int = 16
    # A code, a number or a date: full-width digits, letters and spaces are read as half-width (sanxin.core.text).
    fold: bool = False
    # Free text stored as it is: the model field's max_length (pass Model._meta.get_field(...).max_length, never a copy).
    max_length: int | None = None


VALUE_SHOWN = 200  # characters of a cell shown in an error (and kept in the job's error list)


def shown_value(value) -> str:
    """A cell as an error shows it: control characters made visible (␀), a long text cut with its length said."""
    text = visible(str(value))
    return text if len(text) <= VALUE_SHOWN else f"{text[:VALUE_SHOWN]}…（共 {len(text):,} 个字）"


@dataclass
class RowError:
    row: int  # as the user sees it in Excel: the header is row 1
    column: str
    value: str
    reason: str

    def __post_init__(self):
        # The value as the file has it, but storable (PostgreSQL refuses NUL even in JSON) and of bounded size.
        self.value = shown_value(self.value)

    def as_dict(self) -> dict:
        return {"row": self.row, "column": self.column, "value": self.value, "reason": self.reason}


def read_cells(number: int, cells: list[str], columns: list[ImportColumn]) -> tuple[dict[str, str], list[RowError], set[str]]:
    """A row's cells by column key, stripped, and folded to half-width in the columns that hold a code, a number or
    a date; the errors no other check of a column gets past (a control character, text longer than the column
    holds); and the keys of those columns, whose other checks are skipped. A column with a control character
    reads as empty, so no lookup or write ever sees it."""
    text: dict[str, str] = {}
    errors: list[RowError] = []
    bad: set[str] = set()
    suspicious = CONTROL_CHARACTERS.search("\t".join(cells)) is not None
    for column, cell in zip(columns, cells, strict=False):
        value = cell.strip()
        if column.fold and not value.isascii():
            value = half_width(value).strip()
        name = control_character(cell) if suspicious else None
        if name is not None:
            errors.append(RowError(number, column.header, value, control_character_reason(name)))
            bad.add(column.key)
            value = ""
        elif column.max_length is not None and len(value) > column.max_length:
            reason = f"{column.header}不能超过 {column.max_length} 个字，本行 {len(value):,} 个字"
            errors.append(RowError(number, column.header, value, reason))
            bad.add(column.key)
        text[column.key] = value
    return text, errors, bad


class RowCheck:
    """One row of a registry file under check: its cells read as read_cells does, the required columns checked, and
    the row's errors. A column reports its first problem only: a later rule on a column already refused (an empty
    code, then the same code "not found") would repeat the first in other words."""

    def __init__(self, number: int, raw: list[str], columns: list[ImportColumn]):
        cells = (raw + [""] * len(columns))[: len(columns)]
        self.number = number
        self.text, self.errors, self.bad = read_cells(number, cells, columns)
        self._header = {c.key: c.header for c in columns}
        for column in columns:
            if column.required and not self.text[column.key]:
                self.fail(column.key, f"“{column.header}”不能为空")

    def fail(self, key: str, reason: str) -> None:
        """Refuse the column `key`, unless it is no column of the template or has already been refused."""
        header = self._header.get(key)
        if header is not None and key not in self.bad and not any(e.column == header for e in self.errors):
            self.errors.append(RowError(self.number, header, self.text[key], reason))

    def fail_each(self, reasons: dict[str, str]) -> None:
        """The domain rules' reasons by field, on the columns that hold those fields."""
        for key, reason in reasons.items():
            self.fail(key, reason)


def lookup_text(cells: list[str], index: int, *, fold: bool = True) -> str:
    """A cell as the checks read it (stripped; half-width if `fold`), for the lookups made before the rows are
    checked; empty if it holds a control character (read_cells reports it)."""
    value = cells[index].strip() if index < len(cells) else ""
    if fold and not value.isascii():
        value = half_width(value).strip()
    return "" if CONTROL_CHARACTERS.search(value) else value


def nothing_follows(ids: list[int], total: int) -> None:
    """The after-write of a registry whose other figures follow its services already (members, workers, stations)."""
    return None


@dataclass(frozen=True)
class ImportSpec:
    """A registry that imports through the framework, declared by its app (SanxinApp.import_specs): its template
    columns, the checks of every row and the write, the same the app's forms and the comparison use."""

    key: str  # "organizations": the registry's name in URLs, jobs and audit codes (import.<key>)
    label: str
    columns: list[ImportColumn]
    validate: Callable  # (numbered rows, *, user, progress) → (valid rows, row errors)
    write: Callable  # (valid rows, *, scope, progress) → Counts
    capability: str  # to import this registry, besides imports.use
    list_url_name: str
    after_write: Callable[[list[int], int], None] = nothing_follows  # touched ids, total rows
    # The tables the write fills (from the models, never typed): PostgreSQL's statistics of them are refreshed
    # after a large import, so the next list page is planned for the table as it now is.
    tables: tuple[str, ...] = ()
    # A fast path for large files: (path, filename, *, user, progress) → a Staged file, already checked and every row
    # valid, that `write` takes in place of the valid rows; or None, and the file goes the row path (read, validate).
    stage: Callable | None = None


class Staged:
    """A file copied into a temporary table of the session and checked there, every row valid (ImportSpec.stage).
    The table lives until `close()` (or the end of the session: a killed worker leaves nothing behind)."""

    def __init__(self, table: str, total: int):
        self.table, self.total = table, total

    def __len__(self) -> int:
        return self.total

    def close(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {connection.ops.quote_name(self.table)}")


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    rejected: int = 0
    touched_ids: list[int] = field(default_factory=list)
    regions: list[str] = field(default_factory=list)  # region codes whose precomputed counts the new rows change


class FileError(Exception):
    """The file as a whole cannot be imported (wrong columns, unreadable)."""


class ImportConflict(Exception):
    """The registry changed between the check and the write; nothing was written."""

    @classmethod
    def refused_at_write(cls, row: int, error) -> ImportConflict:
        """A row the service refused inside the write's transaction (someone changed the registry meanwhile)."""
        return cls(f"第 {row} 行写入时被拒绝：{'；'.join(error.messages)}。未导入任何数据，请重新导入")


def _header_key(text: str) -> str:
    # Spaces (also full-width ones and line breaks inside a cell), the "*" of required columns and
    # half- or full-width brackets do not count.
    return re.sub(r"[\s*＊\ufeff]", "", text).replace("(", "（").replace(")", "）")


def check_header(header: list[str], columns: list[ImportColumn]) -> None:
    expected = [c.header for c in columns]
    wanted = [_header_key(h) for h in expected]
    cleaned = [_header_key(h) for h in header]
    if cleaned[: len(wanted)] == wanted:
        return
    missing = [h for h, key in zip(expected, wanted, strict=True) if key not in cleaned]
    if missing:
        raise FileError(f"表头缺少列：{'、'.join(missing)}。请使用下载的模板，列的顺序为：{'、'.join(expected)}")
    for position, (got, want) in enumerate(zip(cleaned, wanted, strict=False), start=1):
        if got != want:
            found = header[position - 1].strip()
            raise FileError(f"第 {position} 列应为“{expected[position - 1]}”，文件中是“{found}”。请按模板的列顺序填写")


def chunked(values: Iterable, size: int = 10000):
    values = list(values)
    for start in range(0, len(values), size):
        yield values[start : start + size]


@dataclass(frozen=True)
class ImportScope:
    """Which stored records an import may change: those inside the importing user's scope (region
    subtree, optionally industries and a zone); where a row itself sits is checked by
    sanxin.orgs.selectors.place_outside_scope. The operator importing from the shell (no user) and
    nationwide users are unrestricted."""

    user: object | None = None
    scope: Scope | None = None  # None: unrestricted

    @classmethod
    def of(cls, user) -> ImportScope:
        scope = user_scope(user) if user is not None else None
        return cls(user, None if scope is None or scope.nationwide else scope)

    @property
    def restricted(self) -> bool:
        return self.scope is not None

    @property
    def zone_id(self) -> int | None:
        """A zone committee's new records belong to its zone (the templates have no zone column)."""
        return self.scope.zone_id if self.restricted else None

    def outside(self, queryset: QuerySet, field_name: str, values: Iterable) -> set:
        """Those of `values` that name a stored record (by `field_name`) outside the scope."""
        if not self.restricted:
            return set()
        found: set = set()
        inside: set = set()
        for chunk in chunked(values):
            records = queryset.filter(**{f"{field_name}__in": chunk})
            found |= set(records.values_list(field_name, flat=True))
            inside |= set(scoped(records, self.user, own_place_only=True).values_list(field_name, flat=True))
        return found - inside

    def inside(self, queryset: QuerySet) -> QuerySet:
        return scoped(queryset, self.user, own_place_only=True) if self.restricted else queryset  # an import writes


def find_cycles(parent_of: dict[Hashable, Hashable | None], stored_parents: Callable[[set], dict]) -> set:
    """The keys of `parent_of` (the file's rows) whose chain of parents comes back to themselves.

    A parent outside the file is looked up in the registry as stored: `stored_parents(keys)` answers
    key -> parent key (or None) for those of `keys` it knows.
    """
    parents = dict(parent_of)
    frontier = {p for p in parents.values() if p is not None and p not in parents}
    while frontier:
        found = stored_parents(frontier)
        for key in frontier:
            parents[key] = found.get(key)
        frontier = {p for p in found.values() if p is not None and p not in parents}
    in_cycle: set = set()
    settled: set = set()
    for start in parent_of:
        path: dict = {}
        node = start
        while node is not None and node not in settled and node not in path:
            path[node] = len(path)
            node = parents.get(node)
        if node is not None and node in path:  # came back to a node of this walk: the rest of the walk is a cycle
            cycle = list(path)[path[node] :]
            in_cycle |= {key for key in cycle if key in parent_of}
        settled |= set(path)
    return in_cycle


DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y%m%d", "%Y年%m月%d日", "%Y.%m.%d", "%Y-%m-%d %H:%M:%S")
EXCEL_EPOCH = date(1899, 12, 30)


ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
# The columns are PostgreSQL integers; a larger number would fail the whole write instead of its row.
MAX_COUNT = 2_147_483_647


def parse_date(text: str) -> date:
    text = half_width(text).strip()
    if len(text) > 30:
        raise ValueError("日期无法识别，请写成 2026-01-31")
    if ISO_DATE.fullmatch(text):  # the common case, parsed in C (strptime is slow)
        try:
            return date.fromisoformat(text)
        except ValueError:
            pass
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    if re.fullmatch(r"[0-9]{5}(\.0+)?", text):  # an Excel serial day number
        return EXCEL_EPOCH + timedelta(days=int(float(text)))
    raise ValueError(f"日期“{text}”无法识别，请写成 2026-01-31")


def parse_count(text: str) -> int:
    """A count as people type it (1,200; 30.0; full-width ３０); anything else is a ValueError with the reason."""
    text = half_width(text).strip().replace(",", "")
    if not text:
        return 0
    if not (text.isascii() and text.isdigit()) and not re.fullmatch(r"[0-9]+\.0+", text):
        raise ValueError("应为不小于 0 的整数")
    digits = text.partition(".")[0].lstrip("0")
    if len(digits) > len(str(MAX_COUNT)) or int(digits or "0") > MAX_COUNT:
        raise ValueError(f"数值过大，不能超过 {MAX_COUNT:,}")
    return int(digits or "0")
