from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render

from sanxin.core.listing import list_page
from sanxin.core.scope import access, scoped
from sanxin.core.views_helpers import apply_validation_error, capability_required, posted
from sanxin.regions import services
from sanxin.regions.forms import ZoneForm
from sanxin.regions.models import Region, Zone, ZoneKind
from sanxin.regions.selectors import access_region, region_child_counts, region_children


def scoped_ancestors(region: Region | None, user):
    """The breadcrumb above a region: only the levels inside the user's scope, never the ones above it."""
    if region is None:
        return []
    return scoped(Region.objects.filter(code__in=region.ancestor_codes), user).order_by("code")


@capability_required("regions.view")
def browse(request, code: str = ""):
    """One level of the division tree inside the user's scope, with community counts under each child."""
    region = access_region(code, user=request.user) if code else None
    children = list(region_children(user=request.user, parent=region.code if region else ""))
    counts = region_child_counts(user=request.user, parent=region)
    rows = [(child, counts.get(child.code, 0)) for child in children]
    return render(request, "regions/browse.html", {"region": region, "rows": rows, "ancestors": scoped_ancestors(region, request.user)})


ZONE_SORTS = {"name": "name", "kind": "kind", "region": "region_id"}


@capability_required("regions.view")
def zone_list(request):
    zones = scoped(Zone.objects.select_related("region"), request.user)
    if q := request.GET.get("q", "").strip():
        zones = zones.filter(name__icontains=q)
    if kind := request.GET.get("kind", ""):
        zones = zones.filter(kind=kind)
    listing = list_page(request, zones, sortable=ZONE_SORTS, default_sort="region")
    context = {"listing": listing, "kinds": ZoneKind.choices, "can_manage": request.user.can("zones.manage")}
    return render(request, "regions/zone_list.html", context)


def _zone_values(form) -> dict:
    return {key: form.cleaned_data[key] for key in ("name", "kind", "region", "address")}


@capability_required("zones.manage")
def zone_create(request):
    form = ZoneForm(posted(request), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            zone = services.zone_create(actor=request.user, **_zone_values(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"已新增“{zone.name}”")
            return redirect("regions:zone_list")
    return render(request, "regions/zone_form.html", {"form": form, "title": "新增园区/楼宇/商圈"})


@capability_required("zones.manage")
def zone_edit(request, pk):
    zone = access(Zone.objects.select_related("region"), pk, request.user, capability="zones.manage")
    title = f"编辑：{zone.name}"
    initial = {"name": zone.name, "kind": zone.kind, "region": zone.region_id, "address": zone.address}
    form = ZoneForm(posted(request), user=request.user, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.zone_update(actor=request.user, zone=zone, **_zone_values(form))
        except ValidationError as error:
            apply_validation_error(form, error)
        else:
            messages.success(request, f"“{zone.name}”已保存")
            return redirect("regions:zone_list")
    return render(request, "regions/zone_form.html", {"form": form, "title": title, "zone": zone})
