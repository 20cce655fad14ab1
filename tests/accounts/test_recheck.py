"""The password asked again before an export or a role change is a login attempt: five failures lock the account."""

import pytest
from django.test import Client

from sanxin.core.models import AuditEvent
from tests.conftest import PASSWORD


def locked_out(response) -> bool:
    """The lockout page (django-axes answers the fifth failure as it does a login's) or the way to the login."""
    if response.status_code == 429:
        return "锁定" in response.content.decode()
    return response.status_code == 302 and response["Location"].startswith("/accounts/login/")


def test_export_recheck_locks_after_five_failures_and_ends_the_session(personas, client_for):
    client = client_for("county")
    for attempt in range(1, 5):
        response = client.post("/orgs/export/", {"password": f"wrong-{attempt}"})
        assert response.status_code == 400 and "密码不正确" in response.content.decode()
    response = client.post("/orgs/export/", {"password": "wrong-5"})
    assert locked_out(response)
    # The session is over; the right password no longer returns the file, nor can the account log in.
    for _ in range(5):
        response = client.post("/orgs/export/", {"password": PASSWORD})
        assert response.status_code == 302 and "spreadsheetml" not in response.get("Content-Type", "")
    fresh = Client()
    page = fresh.post("/accounts/login/", {"username": "county", "password": PASSWORD})
    assert page.status_code == 429 or "锁定" in page.content.decode()
    denied = AuditEvent.objects.filter(action="organization.export", outcome="denied")
    assert denied.filter(detail__reason="密码复核失败").count() == 5
    assert AuditEvent.objects.filter(action="auth.lockout", object_repr="county").exists()
    assert not AuditEvent.objects.filter(action="organization.export", outcome="success").exists()


def test_a_right_recheck_before_the_limit_still_exports(personas, client_for):
    client = client_for("county")
    for _ in range(4):
        client.post("/orgs/export/", {"password": "wrong"})
    response = client.post("/orgs/export/", {"password": PASSWORD})
    assert response.status_code == 200 and "spreadsheetml" in response["Content-Type"]


def test_failed_logins_and_rechecks_share_one_count(personas, client_for):
    for _ in range(3):
        Client().post("/accounts/login/", {"username": "county", "password": "wrong"})
    client = client_for("county")
    client.post("/orgs/export/", {"password": "wrong"})
    response = client.post("/orgs/export/", {"password": "wrong"})
    assert locked_out(response)  # the fifth failure, counting the logins


@pytest.mark.parametrize("url_name", ["roles", "password"])
def test_role_change_and_password_change_rechecks_count_too(personas, client_for, url_name):
    persona = "secadmin" if url_name == "roles" else "county"
    client = client_for(persona)
    if url_name == "roles":
        url, data = f"/users/{personas['county'].pk}/roles/", {"roles": ["region_staff"], "actor_password": "wrong"}
    else:
        new = "Another-Passw0rd!9"
        url, data = "/accounts/password/", {"old_password": "wrong", "new_password": new, "new_password_again": new}
    for _ in range(4):
        assert client.post(url, data).status_code == 200
    response = client.post(url, data)
    assert locked_out(response)
    assert client.get("/").status_code == 302
