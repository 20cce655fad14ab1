"""Positions on the map: a longitude and latitude inside China, read the same way by every form, API and import."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from sanxin.core.text import half_width

# China's extent, loosely: a position outside is a typo (swapped, or a digit lost), never a place to keep.
LON_MIN, LON_MAX, LAT_MIN, LAT_MAX = 73, 136, 3, 54


def parse_coordinate(value, *, name: str, label: str, low: float, high: float, errors: dict) -> Decimal | None:
    """A longitude or latitude inside China, six decimals; full-width digits folded; a Chinese reason otherwise."""
    if value is None or str(value).strip() == "":
        errors[name] = f"请填写{label}"
        return None
    try:
        number = Decimal(half_width(str(value)).strip())
    except (InvalidOperation, ValueError):
        errors[name] = f"{label}应为数字，如 115.892151"
        return None
    if not number.is_finite() or not (low <= number <= high):
        errors[name] = f"{label}须在中国境内（{low}～{high} 之间），请核对是否填反或填错"
        return None
    return number.quantize(Decimal("0.000001"))


def position_errors(longitude, latitude, *, required: bool = True) -> tuple[dict[str, str], Decimal | None, Decimal | None]:
    """(errors by field, longitude, latitude). Not required: both blank is no position (None, None); one alone is refused."""
    if not required and all(v is None or str(v).strip() == "" for v in (longitude, latitude)):
        return {}, None, None
    errors: dict[str, str] = {}
    lon = parse_coordinate(longitude, name="longitude", label="经度", low=LON_MIN, high=LON_MAX, errors=errors)
    lat = parse_coordinate(latitude, name="latitude", label="纬度", low=LAT_MIN, high=LAT_MAX, errors=errors)
    return errors, lon, lat
