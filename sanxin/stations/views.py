from __future__ import annotations

import segno
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from sanxin.core import offline
from sanxin.core.exports import Column, export_list
from sanxin.core.geo import position_errors
from sanxin.core.listing import list_page
from sanxin.core.photos import photo_response
from sanxin.core.views_helpers import capability_required, form_errors_text, posted, save_form
from sanxin.stations import circle as circles
from sanxin.stations import figures, selectors, services
from sanxin.stations.cards import distance_text, open_now
from sanxin.stations.forms import DemandPointForm, PhotoForm, StationForm
from sanxin.stations.models import CHECKLIST, CHECKLIST_LABELS, TYPE_COLOURS, Station, StationType
from sanxin.workers.decorators import worker_required

SORTS = {"name": "name", "region": "region_id", "type": "type", "visits": "visits", "created": "created_at"}
FILTERS = ("q", "type", "region", "open", "checklist")
UNCOVERED_SHOWN = 200
NEARBY_SHOWN = 30


def _filters(request) -> dict:
    return {k: request.GET.get(k, "").strip() for k in FILTERS}


@capability_required("stations.view")
def station_list(request):
    rows = selectors.with_visits(selectors.station_list(user=request.user, **_filters(request)))
    context = {
        "listing": list_page(request, rows, sortable=SORTS, default_sort="region"),
        "types": StationType.choices,
        "colours": TYPE_COLOURS,
        "can_manage": request.user.can("stations.manage"),
        "totals": figures.station_totals(user=request.user),
    }
    return render(request, "stations/station_list.html", context)


EXPORT_COLUMNS = [
    Column("名称", lambda s: s.name, 30),
    Column("类型", lambda s: s.get_type_display(), 14),
    Column("运营单位", lambda s: s.operator_name, 24),
    Column("所在地区", lambda s: s.region.full_name, 30),
    Column("所在地区代码", lambda s: s.region_id, 14),
    Column("详细地址", lambda s: s.address, 36),
    Column("经度", lambda s: float(s.longitude), 12),
    Column("纬度", lambda s: float(s.latitude), 12),
    Column("开放时间", lambda s: "24小时" if s.open_24h else s.opening_hours, 16),
    Column("服务设施", lambda s: "、".join(s.amenity_labels), 30),
    Column("六有", lambda s: "、".join(label for code, label in CHECKLIST if s.checklist.get(code)), 30),
    Column("六有齐全", lambda s: "是" if s.checklist_complete else "否", 10),
    Column("在运营", lambda s: "是" if s.is_open else "否", 8),
    Column("服务人次", lambda s: s.visits, 10),
]


@capability_required("stations.view")
def station_export(request):
    rows = selectors.with_visits(selectors.station_list(user=request.user, **_filters(request))).order_by("region_id", "name", "pk")
    return export_list(request, title="服务阵地", columns=EXPORT_COLUMNS, rows=rows.iterator(chunk_size=2000), action="station")


@capability_required("stations.manage")
def station_create(request):
    form = StationForm(posted(request), initial={"is_open": True}, user=request.user)
    station = save_form(request, form, lambda fields: services.station_create(actor=request.user, **fields))
    if station is not None:
        messages.success(request, f"已新建服务阵地“{station.name}”，可打印签到码张贴在阵地")
        return redirect("stations:station_detail", pk=station.pk)
    return render(request, "stations/station_form.html", {"form": form, "title": "新建服务阵地", "station": None})


@capability_required("stations.manage")
def station_edit(request, pk):
    station = selectors.access_station(pk, user=request.user, for_write=True)
    initial = {name: getattr(station, name) for name in services.FIELDS if name not in ("organization", "region")}
    initial |= {"region": station.region_id, "checklist": [c for c, on in station.checklist.items() if on]}
    form = StationForm(posted(request), initial=initial, user=request.user)
    saved = save_form(request, form, lambda fields: services.station_update(actor=request.user, station=station, **fields))
    if saved is not None:
        messages.success(request, "已保存")
        return redirect("stations:station_detail", pk=station.pk)
    return render(request, "stations/station_form.html", {"form": form, "title": f"编辑：{station.name}", "station": station})


def _can_manage(request, station) -> bool:
    try:
        selectors.access_station(station.pk, user=request.user, for_write=True)
    except Http404:
        return False
    return True


@capability_required("stations.view")
def station_detail(request, pk):
    station = selectors.access_station(pk, user=request.user)
    photos = {code: [] for code, _ in CHECKLIST}
    for photo in station.photos.all():
        photos.setdefault(photo.item, []).append(photo)
    months = figures.station_visits_by_month(station)
    context = {
        "station": station,
        "checklist": [(code, label, bool(station.checklist.get(code)), photos.get(code, [])) for code, label in CHECKLIST],
        "months": months,
        "month_max": max((n for _, n in months), default=0),
        "visits": sum(n for _, n in months),
        "total_visits": station.checkins.count(),
        "can_manage": _can_manage(request, station),
        "photo_form": PhotoForm(),
    }
    return render(request, "stations/station_detail.html", context)


def checkin_url(request, station: Station) -> str:
    return request.build_absolute_uri(reverse("stations:checkin", args=[station.checkin_code]))


@capability_required("stations.view")
def station_code(request, pk):
    """The printable station code: a QR code of the check-in address, the name and a line in Chinese (A4/A5)."""
    station = selectors.access_station(pk, user=request.user)
    url = checkin_url(request, station)
    qr = segno.make(url, error="q")
    svg = qr.svg_inline(scale=10, border=2, dark="#111111", light="#ffffff", omitsize=True, svgclass="sx-station-qr", lineclass=None)
    size = "A5" if request.GET.get("size") == "a5" else "A4"
    return render(request, "stations/station_code.html", {"station": station, "qr_svg": svg, "checkin_address": url, "size": size})


@require_POST
@capability_required("stations.manage")
def station_code_renew(request, pk):
    station = selectors.access_station(pk, user=request.user, for_write=True)
    services.station_code_renew(actor=request.user, station=station)
    messages.success(request, "已重新生成签到码，旧码即时失效，请重新打印张贴")
    return redirect("stations:station_detail", pk=station.pk)


@require_POST
@capability_required("stations.manage")
def station_photo_add(request, pk):
    station = selectors.access_station(pk, user=request.user, for_write=True)
    form = PhotoForm(request.POST, request.FILES)
    try:
        if not form.is_valid():
            raise ValidationError(form_errors_text(form))
        services.station_photo_add(actor=request.user, station=station, item=form.cleaned_data["item"], upload=form.cleaned_data["photo"])
    except ValidationError as error:
        messages.error(request, "上传失败：" + "；".join(error.messages))
    else:
        messages.success(request, f"已上传“{CHECKLIST_LABELS[form.cleaned_data['item']]}”的照片")
    return redirect("stations:station_detail", pk=station.pk)


@capability_required("stations.view")
def station_photo(request, pk):
    photo = selectors.access_photo(pk, user=request.user)
    return photo_response(Station.UPLOAD_FOLDER, photo.stored_name)


@require_POST
@capability_required("stations.manage")
def station_photo_delete(request, pk):
    photo = selectors.access_photo(pk, user=request.user, for_write=True)
    station_pk = photo.station_id
    services.station_photo_delete(actor=request.user, photo=photo)
    messages.success(request, "已删除照片")
    return redirect("stations:station_detail", pk=station_pk)


# The map and the circle.


def marker(station: Station) -> dict:
    return {
        "id": station.pk,
        "name": station.name,
        "type": station.get_type_display(),
        "colour": station.colour,
        "lon": float(station.longitude),
        "lat": float(station.latitude),
        "address": station.address,
        "hours": "24小时开放" if station.open_24h else station.opening_hours,
        "open": station.is_open,
        "amenities": station.amenity_labels,
        "checklist": [[label, bool(station.checklist.get(code))] for code, label in CHECKLIST],
        "url": reverse("stations:station_detail", args=[station.pk]),
    }


def _map_settings() -> dict:
    return {"tiles": settings.SANXIN_MAP_TILE_URL}


@capability_required("stations.view")
def station_map(request):
    stations = selectors.station_list(user=request.user, **_filters(request)).order_by("region_id", "name")
    data = {"stations": [marker(s) for s in stations[:5000]], **_map_settings()}
    context = {"data": data, "types": StationType.choices, "colours": TYPE_COLOURS, "count": len(data["stations"])}
    return render(request, "stations/station_map.html", context)


@capability_required("stations.view")
def circle(request):
    mode = request.GET.get("mode", circles.Mode.WALK)
    result = circles.circle_for(request.user, mode=mode)
    uncovered = result.uncovered()
    suggestions = result.suggestions()
    data = {
        "stations": [marker(s) for s in result.stations],
        "radius": result.radius_m,
        "uncovered": [[u.longitude, u.latitude, u.weight, u.label] for u in uncovered[:5000]],
        "suggestions": [[s.longitude, s.latitude, s.added_points, s.added_weight] for s in suggestions],
        **_map_settings(),
    }
    context = {
        "circle": result,
        "modes": circles.MODES,
        "uncovered": uncovered[:UNCOVERED_SHOWN],
        "uncovered_total": len(uncovered),
        "suggestions": suggestions,
        "data": data,
        "sources": circles.demand_sources(),
        "can_manage": request.user.can("stations.manage"),
        "settings": {
            "minutes": settings.SANXIN_CIRCLE_MINUTES,
            "speed": circles.speed_kmh(result.mode),
            "detour": settings.SANXIN_CIRCLE_DETOUR,
        },
    }
    return render(request, "stations/circle.html", context)


@capability_required("stations.view")
def demand_point_list(request):
    rows = selectors.demand_point_list(user=request.user, q=request.GET.get("q", "").strip(), region=request.GET.get("region", "").strip())
    context = {
        "listing": list_page(request, rows, sortable={"name": "name", "region": "region_id", "weight": "weight"}, default_sort="region"),
        "can_manage": request.user.can("stations.manage"),
    }
    return render(request, "stations/demand_point_list.html", context)


@capability_required("stations.manage")
def demand_point_create(request):
    form = DemandPointForm(posted(request), user=request.user)
    point = save_form(request, form, lambda fields: services.demand_point_create(actor=request.user, **fields))
    if point is not None:
        messages.success(request, f"已标注需求点“{point.name}”")
        return redirect("stations:demand_point_list")
    return render(request, "stations/demand_point_form.html", {"form": form})


@require_POST
@capability_required("stations.manage")
def demand_point_delete(request, pk):
    point = selectors.access_demand_point(pk, user=request.user, for_write=True)
    services.demand_point_delete(actor=request.user, point=point)
    messages.success(request, f"已删除需求点“{point.name}”")
    return redirect("stations:demand_point_list")


# The worker's phone pages.


def _position(request) -> tuple[float, float] | None:
    errors, lon, lat = position_errors(request.GET.get("lon", ""), request.GET.get("lat", ""))
    return None if errors else (float(lon), float(lat))


def _worker_can_check_in(request) -> None:
    if not request.user.can("stations.checkin"):
        raise Http404


@worker_required
def nearby(request):
    _worker_can_check_in(request)
    rows, origin_label = selectors.stations_near(request.worker, _position(request), limit=NEARBY_SHOWN)
    context = {
        "rows": [(s, d, open_now(s)) for s, d in rows],
        "origin_label": origin_label,
        "from_phone": _position(request) is not None,
        "walk_m": circles.reach_metres(circles.Mode.WALK),
        "distance_text": distance_text,
    }
    return render(request, "stations/w_nearby.html", context)


@worker_required
def checkin(request, code):
    _worker_can_check_in(request)
    station = selectors.station_by_code(code)
    worker = request.worker
    today = timezone.localdate()
    done = station.checkins.filter(worker=worker, day=today).first()
    if request.method == "POST":
        try:
            checkin_row, created = services.checkin_create(
                actor=request.user,
                worker=worker,
                station=station,
                longitude=request.POST.get("longitude", ""),
                latitude=request.POST.get("latitude", ""),
                client_key=request.POST.get("client_key", ""),
                at=offline.kept_at(request),  # a check-in kept on a phone with no signal counts when it was made
            )
        except ValidationError as error:
            reasons = error.messages

            def again():
                messages.error(request, "；".join(reasons))
                return redirect("stations:checkin", code=station.checkin_code)

            return offline.refused(request, errors=reasons, page=again)
        when = timezone.localtime(checkin_row.checked_at)
        message = f"签到成功：{station.name}，{when:%H:%M}" if created else f"今天已在{station.name}签到（{when:%H:%M}），无需重复签到"
        return offline.done(request, message=message, to=reverse("stations:checkin", args=[station.checkin_code]))
    context = {"station": station, "done": done, "open_state": open_now(station)}
    return render(request, "stations/w_checkin.html", context)
