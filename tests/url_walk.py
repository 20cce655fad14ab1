"""Every URL pattern of the project, for tests that walk them all with hostile input (tests/test_bad_input.py,
tests/test_paging_bounds.py): each route's URL with chosen values for its path parameters."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, get_resolver, reverse

# Views that end the session when merely opened; walking them would log the client out.
SKIP = {"accounts:logout"}


def patterns(resolver=None, namespace=""):
    """(url name, pattern) for every named route, as tests/test_scope.py `_all_url_names` walks the resolver."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            ns = f"{namespace}{entry.namespace}:" if entry.namespace else namespace
            yield from patterns(entry, ns)
        elif isinstance(entry, URLPattern) and entry.name:
            yield f"{namespace}{entry.name}", entry


def converters(pattern: URLPattern) -> dict:
    return getattr(pattern.pattern, "converters", {})


def converter_kinds(pattern: URLPattern) -> set[str]:
    """The converters of a route's parameters by class name: IntConverter, StringConverter, SlugConverter…"""
    return {type(converter).__name__ for converter in converters(pattern).values()}


def _kwargs(pattern: URLPattern, *, text: str = "360102", number: int = 1) -> dict:
    values = {}
    for name, converter in converters(pattern).items():
        kind = type(converter).__name__
        values[name] = number if kind == "IntConverter" else "organizations" if kind == "SlugConverter" else text
    return values


def routes() -> list[tuple[str, URLPattern]]:
    """(url name, pattern) of every named route of the project, the API's included; each name once."""
    seen = {}
    for name, pattern in patterns():
        if name not in SKIP:
            seen.setdefault(name, pattern)  # a name used twice (a list with and without a code) is walked once
    return sorted(seen.items())


def url_for(name: str, pattern: URLPattern, *, text: str = "360102", number: int = 1) -> str:
    """The route's URL: `number` for int parameters, `text` for str ones, a real registry for slugs."""
    return reverse(name, kwargs=_kwargs(pattern, text=text, number=number) or None)


def is_api(name: str) -> bool:
    return name.startswith("api:")
