import re
from datetime import timedelta
from io import StringIO

import pytest
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.utils import timezone

from sanxin.accounts.models import ApiToken
from sanxin.accounts.tokens import api_token_create, api_token_revoke, token_digest
from sanxin.core.models import AuditEvent
from tests.conftest import verify_session


def test_openapi_document(db):
    response = Client().get("/api/v1/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/v1/regions" in paths and "/api/v1/me" in paths


def test_anonymous_refused_in_chinese(db):
    response = Client().get("/api/v1/regions")
    assert response.status_code == 401
    assert response.json()["detail"] == "未登录或令牌无效"


def test_session_auth(client_for):
    data = client_for("county").get("/api/v1/me").json()
    assert data["scope"] == "360102"
    assert data["roles"] == ["region_staff"]


def csrf_client(user) -> tuple[Client, str]:
    """A browser-like client: CSRF enforced, the token taken from a page as the page's scripts would."""
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    verify_session(client, user)
    page = client.get("/accounts/tokens/").content.decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    return client, token


def test_session_write_needs_csrf(personas):
    client, csrf = csrf_client(personas["county"])
    body = {"name": "同步脚本", "days": 30}
    refused = client.post("/api/v1/tokens", body, content_type="application/json")
    assert refused.status_code == 403 and refused.json()["detail"] == "CSRF 校验失败，请刷新页面后重试"
    assert not ApiToken.objects.exists()
    created = client.post("/api/v1/tokens", body, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert created.status_code == 201, created.content
    raw = created.json()["token"]
    assert ApiToken.objects.get().user == personas["county"]
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).json()["username"] == "county"


def test_token_cannot_mint_tokens(personas):
    _, raw = api_token_create(actor=personas["county"], user=personas["county"], name="脚本")
    response = Client().post(
        "/api/v1/tokens", {"name": "再来一个"}, content_type="application/json", headers={"Authorization": f"Bearer {raw}"}
    )
    assert response.status_code == 401 and ApiToken.objects.count() == 1


def test_api_refusal_in_chinese(personas):
    client, csrf = csrf_client(personas["county"])
    response = client.post("/api/v1/tokens", {"name": " ", "days": 7}, content_type="application/json", headers={"X-CSRFToken": csrf})
    assert response.status_code == 422 and "请填写令牌名称" in response.json()["detail"]


def test_bearer_token(personas):
    user = personas["township"]
    token, raw = api_token_create(actor=user, user=user, name="测试")
    client = Client()
    ok = client.get("/api/v1/regions", headers={"Authorization": f"Bearer {raw}"})
    assert ok.status_code == 200
    assert [r["code"] for r in ok.json()["items"]] == ["360102002"]
    assert client.get("/api/v1/regions", headers={"Authorization": "Bearer wrong"}).status_code == 401
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_expired_token_refused(personas):
    user = personas["county"]
    token, raw = api_token_create(actor=user, user=user, name="旧")
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401


# -- issuing and revoking tokens -------------------------------------------------------


def test_token_is_stored_only_as_its_digest(personas):
    user = personas["county"]
    token, raw = api_token_create(actor=user, user=user, name="同步脚本", days=30)
    assert raw.startswith("sx_") and len(raw) > 40
    assert token.digest == token_digest(raw) != raw
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM accounts_apitoken")
        assert not any(raw in str(value) for row in cursor.fetchall() for value in row)
    event = AuditEvent.objects.get(action="api_token_create")
    assert event.actor_id == user.pk and raw not in str(event.detail) and event.object_repr == "同步脚本"
    assert abs((token.expires_at - timezone.now()) - timedelta(days=30)) < timedelta(minutes=1)


def test_token_rules(personas):
    user, other = personas["county"], personas["city"]
    with pytest.raises(PermissionError):
        api_token_create(actor=other, user=user, name="替别人建")
    with pytest.raises(ValidationError, match="有效期只能是"):
        api_token_create(actor=user, user=user, name="永久", days=3650)
    for i in range(10):
        api_token_create(actor=user, user=user, name=f"令牌{i}")
    with pytest.raises(ValidationError, match="最多 10 个有效令牌"):
        api_token_create(actor=user, user=user, name="第十一个")
    token = user.api_tokens.first()
    with pytest.raises(PermissionError):
        api_token_revoke(actor=other, token=token)


def test_revoked_token_refused_and_audited(personas):
    user = personas["county"]
    token, raw = api_token_create(actor=user, user=user, name="脚本")
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    api_token_revoke(actor=user, token=token)
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    assert AuditEvent.objects.filter(action="api_token_revoke", object_id=str(token.pk), actor_id=user.pk).exists()


def test_token_command_creates_lists_and_revokes(personas):
    out = StringIO()
    call_command("api_token", "create", "township", "--name", "运维脚本", "--days", "30", stdout=out)
    raw = out.getvalue().strip().splitlines()[-1]
    token = ApiToken.objects.get(user=personas["township"])
    assert token.name == "运维脚本" and token.digest == token_digest(raw)
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).json()["username"] == "township"
    assert AuditEvent.objects.get(action="api_token_create").actor_name == "system"
    out = StringIO()
    call_command("api_token", "list", "township", stdout=out)
    assert "运维脚本" in out.getvalue() and "有效" in out.getvalue() and raw not in out.getvalue()
    call_command("api_token", "revoke", str(token.pk), stdout=StringIO())
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 401
    with pytest.raises(CommandError, match="账号“nobody”不存在"):
        call_command("api_token", "create", "nobody")


def test_token_page_lists_only_own_tokens(personas, client_for):
    api_token_create(actor=personas["city"], user=personas["city"], name="别人的令牌")
    client = client_for("county")
    page = client.get("/accounts/tokens/").content.decode()
    assert "API 令牌" in page and "别人的令牌" not in page and "还没有令牌" in page
    created = client.post("/accounts/tokens/", {"name": "我的脚本", "days": "90"})
    raw = re.search(r'id="raw-token" value="([^"]+)"', created.content.decode()).group(1)
    assert "no-store" in created["Cache-Control"]
    assert ApiToken.objects.get(name="我的脚本").digest == token_digest(raw)
    again = client.get("/accounts/tokens/").content.decode()
    assert "我的脚本" in again and raw not in again  # shown once only
    assert "API 令牌" in client.get("/").content.decode()  # linked from the top bar


def test_other_users_token_cannot_be_revoked(personas, client_for):
    theirs, raw = api_token_create(actor=personas["city"], user=personas["city"], name="别人的令牌")
    client = client_for("county")
    assert client.post(f"/accounts/tokens/{theirs.pk}/revoke/").status_code == 404
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).status_code == 200
    mine, mine_raw = api_token_create(actor=personas["county"], user=personas["county"], name="我的")
    assert client.get(f"/accounts/tokens/{mine.pk}/revoke/").status_code == 405
    assert client.post(f"/accounts/tokens/{mine.pk}/revoke/").status_code == 302
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {mine_raw}"}).status_code == 401


def test_region_search_by_name_within_scope(client_for):
    items = client_for("city").get("/api/v1/regions", {"q": "滕王阁"}).json()["items"]
    codes = [i["code"] for i in items]
    assert codes[0] == "360102002"  # the street first (higher level), then the community of the same name
    assert all(code.startswith("360102002") for code in codes)
    assert client_for("other_county").get("/api/v1/regions", {"q": "滕王阁"}).json()["items"] == []


def test_validation_error_in_chinese(client_for):
    response = client_for("county").get("/api/v1/regions", {"limit": "many"})
    assert response.status_code == 422
    assert response.json()["detail"] == "请求参数不正确"
