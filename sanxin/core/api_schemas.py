"""What every operation can answer besides its result, and the bounds of paging parameters.

The error bodies here are the ones sanxin.api.api's exception handlers and the control-character
middleware write; each route lists them in `response=` so the OpenAPI document tells clients (and the
schemathesis run in tests/test_api_fuzz.py checks) every status a call can end with.
"""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

from django.http import HttpResponse
from ninja import Path, Query, Schema
from ninja.responses import NinjaJSONEncoder
from pydantic import BeforeValidator
from pydantic_core import PydanticCustomError

# An offset past any real list; larger would overflow the database's 64-bit OFFSET (a 500 before).
MAX_OFFSET = 2**31 - 1


class ErrorOut(Schema):
    detail: str


class FieldError(Schema):
    loc: list[str | int]
    msg: str
    type: str


class InvalidOut(Schema):
    detail: str
    errors: list[FieldError]


def responses(ok: dict | None = None, *, refusals: tuple[int, ...] = ()) -> dict:
    """`ok` (status → schema) plus the errors every authenticated operation can give:
    400 control characters in the request, 401 no valid session or token, 404 not found or outside the
    caller's scope, 422 parameters not as documented (or a service refused them); `refusals` adds more (403)."""
    errors = {400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 422: InvalidOut}
    errors.update(dict.fromkeys(refusals, ErrorOut))
    return {**(ok or {}), **errors}


# What sanxin.core.middleware lets through: no C0 control character in a path or a name; tab, LF and CR in a value.
TEXT_VALUE = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f]*$"
TEXT_IN_PATH = r"^[^\x00-\x1f]*$"

Offset = Annotated[int, Query(ge=0, le=MAX_OFFSET, description="跳过的条数")]


# These read as types in signatures: `limit: Limit(100) = 20`, `q: QueryText("名称") = ""`.
def Limit(maximum: int):
    return Annotated[int, Query(ge=1, le=maximum, description=f"返回的条数，1–{maximum}")]


def QueryText(description: str, example: str | None = None):
    return Annotated[str, Query(description=description, example=example, pattern=TEXT_VALUE)]


def PathText(description: str, example: str | None = None):
    return Annotated[str, Path(description=description, example=example, pattern=TEXT_IN_PATH)]


def _iso_day(value):
    # Pydantic reads a number as seconds since 1970 (0 → 1970-01-01); a client means a day only as "YYYY-MM-DD".
    if isinstance(value, (int, float)):
        raise PydanticCustomError("date_type", "应为日期，如 2026-01-31")
    return value


# A day in a request or a response: ISO text, never a number.
Day = Annotated[date, BeforeValidator(_iso_day)]


def list_response(items: list[dict], count: int) -> HttpResponse:
    """`{"items": items, "count": count}` rendered as the API renders any answer, without validating each row
    against the operation's declared schema: for list rows built as plain dicts in that schema's shape, whose
    equality with the schema's own output a test proves (validating 50 rows of 30 fields cost more than the query)."""
    return HttpResponse(json.dumps({"items": items, "count": count}, cls=NinjaJSONEncoder), content_type="application/json; charset=utf-8")
