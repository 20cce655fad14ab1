"""The one JSON API object, mounted at /api/v1/; OpenAPI at /api/v1/openapi.json.

Every refusal is answered here, once, as Chinese JSON: bad parameters (422, each field's reason in Chinese),
a service's ValidationError (422) or PermissionError (403), not found or outside the scope (404),
no valid session or token (401). Control characters never get this far (sanxin.core.middleware, 400).
"""

from django.core.exceptions import PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from django.utils.module_loading import import_string
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, AuthorizationError, HttpError, ValidationError

from sanxin.accounts.api_auth import BearerToken, StaffSession
from sanxin.core.declare import api_routers

api = NinjaAPI(
    title="三新党建工作平台 API",
    version="1",
    description='所有结果均按调用者的数据权限（条块）裁剪；超出权限的对象返回 404。错误均以 JSON 返回：{"detail": 中文说明}，'
    "参数错误（422）另附 errors：每项的位置（loc）、中文原因（msg）与类型（type）。",
    auth=[StaffSession(), BearerToken()],
    urls_namespace="api",
)

INVALID = "请求参数不正确"
FORBIDDEN = "无权执行此操作"

# Pydantic's error types in Chinese; ctx fills in the bound where there is one.
REASONS = {
    "missing": "必须填写",
    "extra_forbidden": "不是可接受的字段",
    "int_parsing": "应为整数",
    "int_type": "应为整数",
    "int_from_float": "应为整数，不能有小数",
    "float_parsing": "应为数字",
    "float_type": "应为数字",
    "bool_parsing": "应为 true 或 false",
    "bool_type": "应为 true 或 false",
    "string_type": "应为文本",
    "string_too_short": "至少 {min_length} 个字符",
    "string_too_long": "最多 {max_length} 个字符",
    "string_pattern_mismatch": "格式不正确",
    "greater_than_equal": "不能小于 {ge}",
    "greater_than": "应大于 {gt}",
    "less_than_equal": "不能大于 {le}",
    "less_than": "应小于 {lt}",
    "json_invalid": "不是有效的 JSON",
    "json_type": "应为 JSON",
    "model_attributes_type": "应为 JSON 对象",
    "dict_type": "应为 JSON 对象",
    "list_type": "应为列表",
    "datetime_parsing": "应为日期时间，如 2026-01-31T09:00:00+08:00",
    "date_parsing": "应为日期，如 2026-01-31",
    "date_type": "应为日期，如 2026-01-31",
    "date_from_datetime_parsing": "应为日期，如 2026-01-31",
    "enum": "应为 {expected} 之一",
    "literal_error": "应为 {expected} 之一",
}


def chinese_reason(error: dict) -> str:
    template = REASONS.get(error.get("type", ""), "格式不正确")
    ctx = dict(error.get("ctx") or {})
    if "expected" in ctx:  # pydantic lists the choices as "30, 90, 180 or 365"
        ctx["expected"] = str(ctx["expected"]).replace(" or ", "、").replace(", ", "、")
    try:
        return template.format(**ctx)
    except (KeyError, IndexError, ValueError):
        return template.split("{")[0].strip() or "格式不正确"


def _loc(parts) -> list:
    return [part if isinstance(part, int) else str(part) for part in parts]


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    errors = [{"loc": _loc(error.get("loc", ())), "msg": chinese_reason(error), "type": error.get("type", "")} for error in exc.errors]
    return api.create_response(request, {"detail": INVALID, "errors": errors}, status=422)


@api.exception_handler(DjangoValidationError)
def refused(request, exc):
    """A service refused the input: its Chinese message(s), per field when it names one."""
    if hasattr(exc, "error_dict"):
        errors = [
            {"loc": [] if field == "__all__" else [field], "msg": message, "type": "refused"}
            for field, messages in exc.message_dict.items()
            for message in messages
        ]
    else:
        errors = [{"loc": [], "msg": message, "type": "refused"} for message in exc.messages]
    return api.create_response(request, {"detail": "；".join(exc.messages), "errors": errors}, status=422)


@api.exception_handler(PermissionError)
def not_permitted(request, exc):
    """A service refused the caller. An operating-system PermissionError (a file the server cannot write)
    is no refusal of the caller but the server's own fault: it stays a 500 and is logged."""
    if getattr(exc, "errno", None) is not None:
        raise exc
    message = str(exc)
    return api.create_response(request, {"detail": message if message and not message.isascii() else FORBIDDEN}, status=403)


@api.exception_handler(PermissionDenied)
def denied(request, exc):
    message = str(exc)
    return api.create_response(request, {"detail": message if message and not message.isascii() else FORBIDDEN}, status=403)


@api.exception_handler(AuthorizationError)
def unauthorized(request, exc):
    return api.create_response(request, {"detail": FORBIDDEN}, status=403)


# Django Ninja's own English messages (an unparsable body is its 400), by status.
HTTP_MESSAGES = {400: "请求格式不正确（请求体应为 JSON）", 403: FORBIDDEN, 405: "不支持该请求方法", 429: "请求过于频繁，请稍后再试"}


@api.exception_handler(HttpError)
def http_error(request, exc):
    message = exc.message if isinstance(exc.message, str) else ""
    if not message or message.isascii():
        message = HTTP_MESSAGES.get(exc.status_code, "请求无法处理")
    return api.create_response(request, {"detail": message}, status=exc.status_code)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "未找到"}, status=404)


def register_routers() -> None:
    """Mount the routers the apps declare (SanxinApp.api_routers)."""
    for prefix, path in api_routers():
        api.add_router(prefix, import_string(path))


register_routers()
