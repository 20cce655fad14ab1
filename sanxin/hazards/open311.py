"""Open311 GeoReport v2 at /open311/v2/ (http://wiki.open311.org/GeoReport_v2), JSON and XML.

- services.{json,xml}: the hazard categories (HazardCategory), service_code = the category's code.
- services/{code}.{json,xml}: the definition (no extra attributes: metadata is false for every service).
- requests.{json,xml} GET: published reports only — verified valid, dispatched or resolved (a report not yet
  verified, or found invalid or a duplicate, is never published). Filters: service_request_id (comma list;
  overrides the others), service_code (comma list), status (open, closed), start_date / end_date (W3C datetime;
  without them the last 90 days; a range longer than 90 days is refused). At most 1,000, newest first.
  Public, as Open311 intends: no personal data — no reporter, no phone, names and phone numbers inside the
  description masked (mask_text), no media_url (photos are served only through scope-checked pages).
- requests/{id}.{json,xml}: one published report, as a one-item list.
- requests.{json,xml} POST: api_key = a platform API token (sanxin.accounts.tokens) of a unit's staff account
  with hazards.handle; service_code, description, and lat/long or address_id (a street or community region
  code), address_string optional. The request lands in the unit's scope: the region named or the community the
  position lies in must be inside the unit's region, else 403 with a Chinese description.

status: open = verified valid or dispatched; closed = resolved. Errors: [{"code": <HTTP status>, "description":
<Chinese>}] (XML: <errors><error>…</error></errors>) with that HTTP status.
"""

from __future__ import annotations

import json
import re
from datetime import datetime, timedelta
from xml.etree import ElementTree

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpResponse
from django.utils import timezone
from django.views.decorators.csrf import csrf_exempt

from sanxin.accounts.api_auth import note_token_use
from sanxin.accounts.models import ApiToken
from sanxin.accounts.tokens import token_digest
from sanxin.core.masking import mask_id_number, mask_name, mask_phone
from sanxin.core.text import control_character, half_width
from sanxin.hazards import selectors
from sanxin.hazards import services as hazard_services
from sanxin.hazards.models import CATEGORY_DESCRIPTIONS, HazardCategory, HazardReport, HazardStatus

FORMATS = ("json", "xml")
MAX_RESULTS = 1000
MAX_RANGE = timedelta(days=90)
GROUP = "安全隐患"
MOBILE = re.compile(r"(?<!\d)1[3-9]\d{9}(?!\d)")
LANDLINE = re.compile(r"(?<!\d)0\d{2,3}-?\d{7,8}(?!\d)")
ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d{17}[\dXx](?![0-9A-Za-z])")
# “王先生”“李师傅”“张某某”: a surname and a form of address.
ADDRESSED = re.compile(r"([\u4e00-\u9fa5])(先生|女士|师傅|小姐|阿姨|大爷|某某|某)")


class Open311Error(Exception):
    def __init__(self, code: int, description: str):
        super().__init__(description)
        self.code = code
        self.description = description


def mask_text(text: str, names=()) -> str:
    """A description as the public sees it: phone, landline and ID numbers masked (sanxin.core.masking), the names
    the platform knows of the people involved masked, and "王先生"-style mentions cut to "王**"."""
    text = ID_NUMBER.sub(lambda m: mask_id_number(m.group()), text or "")
    text = MOBILE.sub(lambda m: mask_phone(m.group()), text)
    text = LANDLINE.sub(lambda m: mask_phone(m.group()), text)
    for name in sorted({n for n in names if n and len(n) >= 2}, key=len, reverse=True):
        text = text.replace(name, mask_name(name))
    return ADDRESSED.sub(lambda m: m.group(1) + "*" * len(m.group(2)), text)


# ----------------------------------------------------------------------------------------------- answering


def _xml(root: str, item: str, rows: list[dict]) -> bytes:
    top = ElementTree.Element(root)
    for row in rows:
        node = ElementTree.SubElement(top, item)
        for key, value in row.items():
            child = ElementTree.SubElement(node, key)
            if isinstance(value, bool):
                child.text = "true" if value else "false"
            elif isinstance(value, list):
                child.text = ",".join(map(str, value))
            elif value is not None:
                child.text = str(value)
    return b'<?xml version="1.0" encoding="utf-8"?>' + ElementTree.tostring(top, encoding="unicode").encode()


def answer(fmt: str, rows, *, root: str, item: str, status: int = 200) -> HttpResponse:
    if fmt == "xml":
        response = HttpResponse(
            _xml(root, item, rows if isinstance(rows, list) else [rows]), content_type="text/xml; charset=utf-8", status=status
        )
    else:
        response = HttpResponse(json.dumps(rows, ensure_ascii=False), content_type="application/json; charset=utf-8", status=status)
    response["Access-Control-Allow-Origin"] = "*"
    return response


def error(fmt: str, code: int, description: str) -> HttpResponse:
    return answer(fmt if fmt in FORMATS else "json", [{"code": code, "description": description}], root="errors", item="error", status=code)


def _guarded(view):
    def wrapped(request, *args, fmt: str, **kwargs):
        if fmt not in FORMATS:
            return error("json", 404, "格式只支持 .json 或 .xml")
        try:
            return view(request, *args, fmt=fmt, **kwargs)
        except Open311Error as problem:
            return error(fmt, problem.code, problem.description)

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# ----------------------------------------------------------------------------------------------- services


def service_row(code: str, name: str) -> dict:
    return {
        "service_code": code,
        "service_name": name,
        "description": CATEGORY_DESCRIPTIONS.get(code, ""),
        "metadata": False,
        "type": "realtime",
        "keywords": "隐患,随手拍",
        "group": GROUP,
    }


@_guarded
def services_view(request, *, fmt: str):
    if request.method != "GET":
        raise Open311Error(405, "只支持 GET")
    return answer(fmt, [service_row(c, n) for c, n in HazardCategory.choices], root="services", item="service")


@_guarded
def service_definition(request, code: str, *, fmt: str):
    if code not in HazardCategory.values:
        raise Open311Error(404, f"没有服务代码为“{code[:40]}”的服务")
    definition = {"service_code": code, "attributes": []}
    if fmt == "xml":
        return answer(fmt, {"service_code": code}, root="service_definition", item="attributes")
    return answer(fmt, definition, root="service_definition", item="attributes")


# ----------------------------------------------------------------------------------------------- requests


def open_or_closed(report: HazardReport) -> str:
    return "closed" if report.status == HazardStatus.RESOLVED else "open"


def _w3c(moment) -> str | None:
    return timezone.localtime(moment).isoformat(timespec="seconds") if moment else None


def request_row(report: HazardReport, names=()) -> dict:
    notes = report.get_status_display()
    if report.status == HazardStatus.RESOLVED and report.reply:
        notes = f"{notes}：{mask_text(report.reply, names)}"
    elif report.status == HazardStatus.DISPATCHED and report.dispatched_to_id:
        notes = f"{notes}（{report.dispatched_to.name}）"
    agency = report.dispatched_to if report.dispatched_to_id else report.unit
    return {
        "service_request_id": str(report.pk),
        "status": open_or_closed(report),
        "status_notes": notes,
        "service_name": report.get_category_display(),
        "service_code": report.category,
        "description": mask_text(report.text, names),
        "agency_responsible": agency.name,
        "service_notice": "",
        "requested_datetime": _w3c(report.submitted_at),
        "updated_datetime": _w3c(report.updated_at),
        "address": report.place or report.region.full_name,
        "address_id": report.region_id,
        "lat": float(report.latitude) if report.latitude is not None else None,
        "long": float(report.longitude) if report.longitude is not None else None,
        "media_url": "",
    }


def _names(reports: list[HazardReport]) -> dict[int, list[str]]:
    """The names the platform knows of the people in each report (the reporter, those who joined)."""
    from sanxin.hazards.models import HazardSupporter

    found: dict[int, list[str]] = {r.pk: [r.reporter.name] if r.reporter_id else [] for r in reports}
    for report_id, name in HazardSupporter.objects.filter(report_id__in=list(found), worker__isnull=False).values_list(
        "report_id", "worker__name"
    ):
        found[report_id].append(name)
    return found


def _rows(reports) -> list[dict]:
    reports = list(reports)
    names = _names(reports)
    return [request_row(r, names.get(r.pk, ())) for r in reports]


def _moment(value: str, name: str):
    text = half_width(value or "").strip()
    if not text:
        return None
    try:
        moment = datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        raise Open311Error(400, f"{name} 应为 W3C 日期时间，如 2026-01-01T00:00:00+08:00") from None
    return moment if moment.tzinfo else timezone.make_aware(moment)


def _list(value: str) -> list[str]:
    return [part.strip() for part in half_width(value or "").split(",") if part.strip()]


def _check_text(request):
    for key, value in list(request.GET.items()) + list(request.POST.items()):
        found = control_character(value)
        if found:
            raise Open311Error(400, f"参数 {key[:40]} 含有不可见的控制字符（{found}）")


def search(params) -> list[HazardReport]:
    rows = selectors.published().select_related("reporter").order_by("-submitted_at", "-pk")
    ids = _list(params.get("service_request_id", ""))
    if ids:
        if len(ids) > MAX_RESULTS or not all(i.isascii() and i.isdigit() and len(i) <= 18 for i in ids):
            raise Open311Error(400, "service_request_id 应为以逗号分隔的编号")
        return list(rows.filter(pk__in=[int(i) for i in ids]))
    codes = _list(params.get("service_code", ""))
    unknown = [c for c in codes if c not in HazardCategory.values]
    if unknown:
        raise Open311Error(400, f"没有服务代码为“{unknown[0][:40]}”的服务")
    if codes:
        rows = rows.filter(category__in=codes)
    statuses = _list(params.get("status", ""))
    if any(s not in ("open", "closed") for s in statuses):
        raise Open311Error(400, "status 只能是 open 或 closed")
    if len(set(statuses)) == 1:
        resolved = Q(status=HazardStatus.RESOLVED)
        rows = rows.filter(resolved if statuses[0] == "closed" else ~resolved)
    start, end = _moment(params.get("start_date", ""), "start_date"), _moment(params.get("end_date", ""), "end_date")
    if start and end and start > end:
        raise Open311Error(400, "start_date 不能晚于 end_date")
    if start is None and end is None:
        end = timezone.now()
        start = end - MAX_RANGE
    elif start is None:
        start = end - MAX_RANGE
    elif end is None:
        end = start + MAX_RANGE
    if end - start > MAX_RANGE:
        raise Open311Error(400, "start_date 与 end_date 相隔不能超过 90 天")
    return list(rows.filter(submitted_at__gte=start, submitted_at__lte=end)[:MAX_RESULTS])


def token_user(raw: str):
    """The staff account behind an api_key (a platform API token), as the API authenticates bearer tokens."""
    raw = (raw or "").strip()
    if not raw or len(raw) > 200:
        return None
    found = (
        ApiToken.objects.select_related("user", "user__unit")
        .filter(digest=token_digest(raw), expires_at__gt=timezone.now(), revoked_at__isnull=True, user__is_active=True)
        .first()
    )
    if found is None or found.user.must_change_password:
        return None
    note_token_use(found, timezone.now())
    return found.user


def _create(request, fmt: str) -> HttpResponse:
    user = token_user(request.POST.get("api_key", ""))
    if user is None:
        raise Open311Error(403, "api_key 无效、已过期或已撤销，请使用本单位账号的有效接口令牌")
    if not user.can("hazards.handle"):
        raise Open311Error(403, "该接口令牌所属账号无权上报隐患（须为区县、街道、社区工作人员）")
    fields = {k: request.POST.get(k, "") for k in ("service_code", "description", "lat", "long", "address_string", "address_id")}
    if not fields["service_code"]:
        raise Open311Error(400, "缺少 service_code（服务代码，见 services.json）")
    try:
        report = hazard_services.open311_create(actor=user, **fields)
    except ValidationError as problem:
        raise Open311Error(400, "；".join(problem.messages)) from None
    except PermissionDenied as problem:
        raise Open311Error(403, str(problem) or "无权执行此操作") from None
    notice = f"已转{report.unit.name}核实"
    return answer(
        fmt,
        [{"service_request_id": str(report.pk), "service_notice": notice, "account_id": None}],
        root="service_requests",
        item="request",
        status=201,
    )


@csrf_exempt
@_guarded
def requests_view(request, *, fmt: str):
    _check_text(request)
    if request.method == "POST":
        return _create(request, fmt)
    if request.method != "GET":
        raise Open311Error(405, "只支持 GET 和 POST")
    return answer(fmt, _rows(search(request.GET)), root="service_requests", item="request")


@_guarded
def request_detail(request, request_id: str, *, fmt: str):
    if request.method != "GET":
        raise Open311Error(405, "只支持 GET")
    if not (request_id.isascii() and request_id.isdigit() and len(request_id) <= 18):
        raise Open311Error(404, "没有该编号的服务请求")
    report = selectors.published().select_related("reporter").filter(pk=int(request_id)).first()
    if report is None:
        raise Open311Error(404, "没有该编号的服务请求（或尚未核实公开）")
    return answer(fmt, _rows([report]), root="service_requests", item="request")
