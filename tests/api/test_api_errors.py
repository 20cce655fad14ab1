"""Every refusal of the API is Chinese JSON, answered once in sanxin/api/api.py; none is a 500."""

from __future__ import annotations

import json

import pytest
from django.test import Client, RequestFactory

from sanxin.accounts.models import ApiToken
from sanxin.accounts.tokens import api_token_create
from sanxin.api.api import api


def _post_token(client, body, **kwargs):
    return client.post("/api/v1/tokens", body if isinstance(body, str) else json.dumps(body), content_type="application/json", **kwargs)


def test_service_refusals_are_chinese_422(client_for):
    client = client_for("county")  # a session (the test client does not enforce CSRF)
    response = _post_token(client, {"name": " ", "days": 30})
    assert response.status_code == 422
    body = response.json()
    assert "请填写令牌名称" in body["detail"]
    assert body["errors"] == [{"loc": ["name"], "msg": body["detail"], "type": "refused"}]
    response = _post_token(client, {"name": "脚本", "days": 7})
    assert response.status_code == 422 and "有效期只能是" in response.json()["detail"]
    for i in range(10):
        assert _post_token(client, {"name": f"脚本{i}", "days": 30}).status_code == 201
    response = _post_token(client, {"name": "第十一个", "days": 30})
    assert response.status_code == 422 and response.json()["errors"][0]["loc"] == []
    assert "最多 10 个有效令牌" in response.json()["detail"]
    assert ApiToken.objects.count() == 10


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        ({"name": "长" * 65, "days": 30}, "最多 64 个字符"),
        ({"name": "脚本", "days": "九十"}, "应为整数"),
        ({"name": "脚本", "days": 1.5}, "应为整数，不能有小数"),
        ({"days": 30}, "必须填写"),
        ({"name": "脚本", "days": 30, "admin": True}, "不是可接受的字段"),
        ({"name": 12, "days": 30}, "应为文本"),
    ],
)
def test_schema_refusals_name_the_field_in_chinese(client_for, body, reason):
    response = _post_token(client_for("county"), body)
    assert response.status_code == 422, response.content
    data = response.json()
    assert data["detail"] == "请求参数不正确"
    assert [error["msg"] for error in data["errors"]] == [reason]
    assert data["errors"][0]["loc"][0] == "body"
    assert not ApiToken.objects.exists()


def test_unparsable_body_is_a_chinese_400(client_for):
    response = _post_token(client_for("county"), "{not json")
    assert response.status_code == 400 and response.json() == {"detail": "请求格式不正确（请求体应为 JSON）"}


def _answer(exc):
    return api.on_exception(RequestFactory().get("/api/v1/me"), exc)


def test_permission_refusals_are_chinese_403():
    from django.core.exceptions import PermissionDenied

    response = _answer(PermissionError("只能管理本人的接口令牌"))
    assert response.status_code == 403 and json.loads(response.content) == {"detail": "只能管理本人的接口令牌"}
    assert json.loads(_answer(PermissionError()).content) == {"detail": "无权执行此操作"}
    assert json.loads(_answer(PermissionDenied("no")).content) == {"detail": "无权执行此操作"}
    # An operating-system PermissionError is the server's own fault: a 500, not a refusal of the caller.
    with pytest.raises(PermissionError):
        _answer(PermissionError(13, "Permission denied", "/srv/data/x"))


def test_openapi_documents_every_error_status(db):
    from django.test import Client

    paths = Client().get("/api/v1/openapi.json").json()["paths"]
    for path, operations in paths.items():
        for method, operation in operations.items():
            assert {"400", "401", "404", "422"} <= set(operation["responses"]), f"{method} {path}"
    assert "403" in paths["/api/v1/tokens"]["post"]["responses"]


@pytest.fixture
def bearer(personas):
    _, raw = api_token_create(actor=personas["sysadmin"], user=personas["sysadmin"], name="分页测试")  # units are for account managers
    return Client(headers={"Authorization": f"Bearer {raw}"})


def test_api_paging_is_bounded_in_chinese(bearer):
    for query in ("offset=9223372036854775808", "offset=-1", "limit=0", "limit=201", "limit=99999999999999999999"):
        response = bearer.get(f"/api/v1/units?{query}")
        assert response.status_code == 422, f"{query}: {response.status_code}"
        body = response.json()
        assert body["detail"] == "请求参数不正确"
        assert all(error["msg"] and not error["msg"].isascii() for error in body["errors"]), body
    assert bearer.get("/api/v1/units?offset=0&limit=200").status_code == 200
    far = bearer.get("/api/v1/units?offset=2147483647&limit=1").json()
    assert far["items"] == [] and far["count"] >= 1
    assert bearer.get("/api/v1/regions?q=南昌&limit=101").status_code == 422
    assert len(bearer.get("/api/v1/regions?q=36&limit=100").json()["items"]) == 100
