"""The one JSON API object, mounted at /api/v1/; OpenAPI at /api/v1/openapi.json."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, ValidationError

from sanxin.api.auth import BearerToken, StaffSession

api = NinjaAPI(
    title="三新党建工作平台 API",
    version="1",
    description="所有结果均按调用者的数据权限（条块）裁剪；超出权限的对象返回 404。",
    auth=[StaffSession(), BearerToken()],
    urls_namespace="api",
)


@api.exception_handler(AuthenticationError)
def unauthenticated(request, exc):
    return api.create_response(request, {"detail": "未登录或令牌无效"}, status=401)


@api.exception_handler(ValidationError)
def invalid(request, exc):
    return api.create_response(request, {"detail": "请求参数不正确", "errors": exc.errors}, status=422)


@api.exception_handler(DjangoValidationError)
def refused(request, exc):
    """A service refused the input: its Chinese message(s), per field when it names one."""
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return api.create_response(request, {"detail": "；".join(exc.messages), "errors": errors}, status=422)


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "未找到"}, status=404)


def register_routers() -> None:
    from sanxin.accounts.api import router as accounts_router
    from sanxin.compare.api import router as compare_router
    from sanxin.imports.api import router as imports_router
    from sanxin.orgs.api import router as orgs_router
    from sanxin.regions.api import router as regions_router

    api.add_router("/regions", regions_router)
    api.add_router("/", accounts_router)
    api.add_router("/", orgs_router)
    api.add_router("/imports", imports_router)
    api.add_router("/compare", compare_router)


register_routers()
