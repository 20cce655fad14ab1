"""List-page conventions: sortable columns, page-size choice, a bounded total count; integer query parameters."""

from dataclasses import dataclass

from django.core.paginator import Paginator
from django.utils.functional import cached_property

PAGE_SIZES = (20, 50, 100)
# A list counts its rows up to here and then says "more than": counting a province's million organizations on
# every page costs more than the page, and nobody pages past 10,000 rows (filters narrow them; exports have all).
COUNT_LIMIT = 10_000
BIGINT_MAX = 2**63 - 1  # the largest id or number a database column holds


def parse_id(text) -> int | None:
    """A database id typed into a query string or a form ("12", full-width "１２"), or None when it is none:
    not decimal digits, 0, or past what an id column holds. Safe to pass to a filter, unlike str.isdigit()
    ("²" passes it but int() refuses it) or a number too large for the database."""
    text = str(text).strip()
    if not text.isdecimal() or len(text) > 4000:
        return None
    value = int(text)
    return value if 0 < value <= BIGINT_MAX else None


def query_int(request, name: str, *, default: int, minimum: int = 0, maximum: int = BIGINT_MAX) -> int:
    """An integer query parameter, brought inside [minimum, maximum]; `default` when it is no decimal number.

    Decimal digits only, full-width ones too ("１２" is 12), an optional leading minus; not what int() reads
    besides ("1_0", "+1") nor what str.isdigit() lets through but int() refuses ("²", "①").
    A number of any length is clamped, so a huge one never reaches the database or Python's digit limit."""
    raw = request.GET.get(name, "").strip()
    digits = raw.removeprefix("-")
    if not digits.isdecimal():
        return default
    if len(digits) > 4000:  # past what int() reads (sys.get_int_max_str_digits): huge either way
        return minimum if raw.startswith("-") else maximum
    return max(minimum, min(maximum, int(raw)))


class BoundedPaginator(Paginator):
    """Counts at most COUNT_LIMIT + 1 rows (a LIMIT inside the COUNT), so a huge list costs what a big one does."""

    @cached_property
    def count(self) -> int:
        return self.object_list.order_by()[: COUNT_LIMIT + 1].count()

    @property
    def bounded(self) -> bool:
        return self.count > COUNT_LIMIT


@dataclass
class ListPage:
    page: object
    paginator: Paginator
    sort: str
    page_size: int
    query: str  # the current filters as a query string, without page and sort

    @property
    def total(self) -> int:
        """The number of rows, or COUNT_LIMIT when there are more (then `total_bounded`)."""
        return min(self.paginator.count, COUNT_LIMIT)

    @property
    def total_bounded(self) -> bool:
        return self.paginator.bounded


def list_page(request, queryset, *, sortable: dict[str, str], default_sort: str) -> ListPage:
    """`sortable` maps the column key in ?sort= to an ORM ordering field."""
    sort = request.GET.get("sort", default_sort)
    key = sort.removeprefix("-")
    if key not in sortable:
        sort, key = default_sort, default_sort.removeprefix("-")
    field = sortable[key]
    queryset = queryset.order_by(f"-{field}" if sort.startswith("-") else field, "pk")
    page_size = query_int(request, "size", default=PAGE_SIZES[0])
    if page_size not in PAGE_SIZES:
        page_size = PAGE_SIZES[0]
    paginator = BoundedPaginator(queryset, page_size)
    # Below 1 is the first page; past the end (however far), the last one.
    page = paginator.get_page(query_int(request, "page", default=1, minimum=1))
    params = request.GET.copy()
    for name in ("page", "sort"):
        params.pop(name, None)
    return ListPage(page=page, paginator=paginator, sort=sort, page_size=page_size, query=params.urlencode())
