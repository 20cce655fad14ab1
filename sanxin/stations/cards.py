"""What the stations app shows a worker beyond its own pages: the nearest open stations on their home page
(declared in apps.py `worker_cards`), and the small display helpers the phone pages share."""

from __future__ import annotations

import math
import re
from datetime import time

from django.utils import timezone

from sanxin.stations.models import CheckIn, Station
from sanxin.stations.selectors import stations_near

HOME_SHOWN = 2

HOURS = re.compile(r"(\d{1,2})[:：](\d{2})\s*[-－—~～至到]\s*(\d{1,2})[:：](\d{2})")


def open_now(station: Station, now=None) -> str:
    """开放中 / 已闭馆 / 暂停服务, or "" when the opening hours are not in a form that can be read ("按需预约")."""
    if not station.is_open:
        return "暂停服务"
    if station.open_24h:
        return "开放中"
    match = HOURS.search(station.opening_hours or "")
    if not match:
        return ""
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or h2 > 24 or m1 > 59 or m2 > 59:
        return ""
    now = timezone.localtime(now).time()
    start, end = time(h1, m1), time(min(h2, 23), m2 if h2 < 24 else 59)
    inside = start <= now <= end if start <= end else (now >= start or now <= end)
    return "开放中" if inside else "已闭馆"


def distance_text(metres: float | None) -> str:
    if metres is None or math.isinf(metres):
        return ""
    return f"{metres:,.0f} 米" if metres < 1000 else f"{metres / 1000:,.1f} 公里"


def worker_card(worker) -> dict:
    """The home page's 附近驿站: the two nearest open stations, and where the worker checked in today."""
    rows, origin = stations_near(worker, limit=HOME_SHOWN)
    today = timezone.localdate()
    checked = list(CheckIn.objects.filter(worker=worker, day=today).select_related("station").values_list("station__name", flat=True))
    return {
        "template": "stations/w_home_card.html",
        "rows": [(s, distance_text(d), open_now(s)) for s, d in rows],
        "origin": origin,
        "checked_today": checked,
    }
