"""List-page conventions: sortable columns, page-size choice, total count."""

from dataclasses import dataclass

from django.core.paginator import Paginator

PAGE_SIZES = (20, 50, 100)


@dataclass
class ListPage:
    page: object
    paginator: Paginator
    sort: str
    page_size: int
    query: str  # the current filters as a query string, without page and sort

    @property
    def total(self) -> int:
        return self.paginator.count


def list_page(request, queryset, *, sortable: dict[str, str], default_sort: str) -> ListPage:
    """`sortable` maps the column key in ?sort= to an ORM ordering field."""
    sort = request.GET.get("sort", default_sort)
    key = sort.removeprefix("-")
    if key not in sortable:
        sort, key = default_sort, default_sort.removeprefix("-")
    field = sortable[key]
    queryset = queryset.order_by(f"-{field}" if sort.startswith("-") else field, "pk")
    try:
        page_size = int(request.GET.get("size", PAGE_SIZES[0]))
    except ValueError:
        page_size = PAGE_SIZES[0]
    if page_size not in PAGE_SIZES:
        page_size = PAGE_SIZES[0]
    paginator = Paginator(queryset, page_size)
    page = paginator.get_page(request.GET.get("page"))
    params = request.GET.copy()
    for name in ("page", "sort"):
        params.pop(name, None)
    return ListPage(page=page, paginator=paginator, sort=sort, page_size=page_size, query=params.urlencode())
