"""The second factor for staff (security.md item 5): enrolment, verification, a used code refused, recovery
codes, lockout, what an unverified session may reach, who is asked, and the security administrator's reset."""

import re
import time
from base64 import b32decode
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import Client
from django.utils import timezone
from django_otp.oath import hotp
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanxin.accounts.models import ApiToken, User, UserRole
from sanxin.accounts.second_factor import (
    SecondFactorLocked,
    second_factor_enrol,
    second_factor_enrol_start,
    second_factor_required,
    second_factor_reset,
    second_factor_verify,
)
from sanxin.accounts.services import grant_initial_roles, user_create
from sanxin.accounts.tokens import api_token_create
from sanxin.core.audit import verify_chain
from sanxin.core.models import AuditEvent
from sanxin.core.roles import Role
from tests.conftest import ARTIFACTS, PASSWORD, enter_second_factor, totp_code, verify_session

VERIFY = "/accounts/second-factor/verify/"
ENROL = "/accounts/second-factor/enrol/"


def login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


def code_at(key: bytes, step_offset: int = 0) -> str:
    """What an authenticator app shows for this secret, now (or a number of 30-second steps from now)."""
    return f"{hotp(key, int(time.time()) // 30 + step_offset):06d}"


def wrong_code(device: TOTPDevice) -> str:
    valid = {code_at(device.bin_key, offset) for offset in range(-2, 3)}
    return next(code for code in (f"{n:06d}" for n in range(0, 1_000_000, 111_111)) if code not in valid)


def new_staff(personas, username: str, role=Role.REGION_STAFF, **kwargs) -> User:
    """A staff account that has not enrolled yet."""
    user = user_create(
        actor=None,
        username=username,
        full_name=f"新{username}",
        unit=kwargs.pop("unit", personas["county"].unit),
        password=PASSWORD,
        must_change_password=kwargs.pop("must_change_password", False),
    )
    grant_initial_roles(user=user, roles=[role])
    return user


def enrol_by_service(user) -> list[str]:
    device = second_factor_enrol_start(user=user)
    _, codes = second_factor_enrol(user=user, device_id=device.pk, code=code_at(device.bin_key))
    return codes


def secret_on(page: str) -> str:
    return re.search(r'data-otp-secret="([A-Z2-7]+)"', page).group(1)


# -- enrolment ---------------------------------------------------------------------


def test_staff_enrol_at_first_login_with_a_qr_code(personas):
    user = new_staff(personas, "newcomer")
    client = Client()
    assert login(client, "newcomer").status_code == 302
    response = client.get("/orgs/")
    assert response.status_code == 302 and response["Location"] == f"{ENROL}?next=%2Forgs%2F"

    page = client.get(response["Location"]).content.decode()
    assert (
        "绑定身份验证器" in page
        and "<svg" in page
        and 'class="sx-otp-qr"' in page
        and "<script" not in page.split("<svg")[1].split("</svg>")[0]
    )
    secret = secret_on(page)
    device = TOTPDevice.objects.get(user=user)
    assert not device.confirmed and b32decode(secret) == device.bin_key
    groups = re.findall(r'<span class="d-inline-block me-2">([A-Z2-7]{4})</span>', page)  # for typing by hand
    assert len(groups) == 8 and "".join(groups) == secret
    # A reload keeps the secret of this session (the app has scanned it already).
    assert secret_on(client.get(ENROL).content.decode()) == secret

    refused = client.post(ENROL, {"code": wrong_code(device), "next": "/orgs/"})
    assert refused.status_code == 200 and "动态口令不正确" in refused.content.decode()
    assert not TOTPDevice.objects.get(user=user).confirmed
    assert client.get("/").status_code == 302

    done = client.post(ENROL, {"code": code_at(b32decode(secret)), "next": "/orgs/"})
    body = done.content.decode()
    assert done.status_code == 200 and "no-store" in done["Cache-Control"]
    codes = re.findall(r">([a-z2-7]{4}-[a-z2-7]{4})<", body.split('id="recovery-codes"')[1].split("</ol>")[0])
    assert len(set(codes)) == 10 and 'href="/orgs/"' in body
    assert StaticToken.objects.filter(device__user=user).count() == 10
    assert TOTPDevice.objects.get(user=user).confirmed
    # The session is verified by the enrolment; the codes are not shown again.
    assert client.get("/").status_code == 200
    assert client.get(ENROL)["Location"] == "/"

    event = AuditEvent.objects.filter(action="second_factor_enrol", outcome="success").get()
    assert event.actor_id == user.pk and event.detail == {
        "old": {"totp": False, "recovery_codes_left": 0},
        "new": {"totp": True, "recovery_codes_left": 10},
    }
    assert AuditEvent.objects.filter(action="second_factor_enrol", outcome="failure").count() == 1


def test_each_session_enrols_its_own_secret(personas):
    """Whoever saw the enrolment page in another session (someone else with the password) does not hold the secret that is confirmed."""
    new_staff(personas, "newcomer")
    first, second = Client(), Client()
    login(first, "newcomer")
    login(second, "newcomer", PASSWORD)
    first_secret, second_secret = secret_on(first.get(ENROL).content.decode()), secret_on(second.get(ENROL).content.decode())
    assert first_secret != second_secret
    # A code from the other session's secret does not confirm this session's device.
    refused = first.post(ENROL, {"code": code_at(b32decode(second_secret))})
    assert "动态口令不正确" in refused.content.decode()
    assert first.post(ENROL, {"code": code_at(b32decode(first_secret))}).status_code == 200
    assert list(TOTPDevice.objects.filter(user__username="newcomer").values_list("confirmed", flat=True)) == [True]


def test_new_account_changes_password_before_enrolling(personas):
    new_staff(personas, "fresh_staff", must_change_password=True)
    client = Client()
    login(client, "fresh_staff")
    assert client.get("/")["Location"] == "/accounts/password/"
    assert client.get(ENROL)["Location"] == "/accounts/password/"
    client.post(
        "/accounts/password/",
        {"old_password": PASSWORD, "new_password": "Brand-New-Pass1!", "new_password_again": "Brand-New-Pass1!"},
    )
    assert client.get("/")["Location"] == ENROL


def test_enrolled_account_proves_the_factor_before_changing_its_password(personas):
    """An expired password is changed only after the second factor: a stolen password alone cannot take the account."""
    User.objects.filter(pk=personas["county"].pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client = Client()
    login(client, "county")
    assert client.get("/accounts/password/")["Location"].startswith(VERIFY)
    client.post(VERIFY, {"code": totp_code(personas["county"])})
    assert client.get("/")["Location"] == "/accounts/password/"


# -- verification ------------------------------------------------------------------


def test_wrong_code_refused_right_code_accepted(personas):
    device = TOTPDevice.objects.get(user=personas["county"])
    client = Client(REMOTE_ADDR="10.3.3.3")
    login(client, "county")
    assert client.get("/orgs/")["Location"] == f"{VERIFY}?next=%2Forgs%2F"
    assert client.get("/").status_code == 302

    refused = client.post(VERIFY, {"code": wrong_code(device), "next": "/orgs/"})
    assert refused.status_code == 200 and "动态口令不正确或已使用过，还可尝试 4 次" in refused.content.decode()
    assert client.get("/").status_code == 302
    failure = AuditEvent.objects.get(action="second_factor_verify", outcome="failure")
    assert failure.actor_id == personas["county"].pk and failure.ip == "10.3.3.3" and failure.detail == {"kind": "totp", "failures": 1}

    accepted = client.post(VERIFY, {"code": totp_code(personas["county"]), "next": "/orgs/"})
    assert accepted.status_code == 302 and accepted["Location"] == "/orgs/"
    assert client.get("/").status_code == 200
    assert AuditEvent.objects.filter(action="second_factor_verify", outcome="success", actor_id=personas["county"].pk).count() == 1
    # A verified session is not asked again, and the failure count starts over.
    assert client.get(VERIFY)["Location"] == "/"
    assert TOTPDevice.objects.get(pk=device.pk).throttling_failure_count == 0


def test_verify_page_refuses_an_outside_next(personas):
    client = Client()
    login(client, "county")
    response = client.post(VERIFY, {"code": totp_code(personas["county"]), "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_a_used_code_is_refused(personas):
    user = personas["county"]
    code = totp_code(user)
    first = Client()
    login(first, "county")
    assert first.post(VERIFY, {"code": code})["Location"] == "/"
    # The same valid code, a second time (another session, within its 30 seconds): refused.
    second = Client()
    login(second, "county")
    refused = second.post(VERIFY, {"code": code})
    assert refused.status_code == 200 and "已使用过" in refused.content.decode()
    assert second.get("/").status_code == 302
    with pytest.raises(ValidationError, match="不正确或已使用过"):
        second_factor_verify(user=user, code=code)


def test_recovery_code_works_once(personas):
    user = new_staff(personas, "phone_lost")
    codes = enrol_by_service(user)
    assert len(codes) == 10
    client = Client()
    login(client, "phone_lost")
    used = codes[0]
    response = client.post(VERIFY, {"code": f"{used[:4].upper()}-{used[4:].upper()}"})  # as printed, typed in capitals
    assert response.status_code == 302
    home = client.get("/", follow=True).content.decode()
    assert "已使用一个恢复码" in home and "还剩 9 个" in home
    event = AuditEvent.objects.get(action="second_factor_verify.recovery")
    assert event.actor_id == user.pk and event.detail == {"recovery_codes_left": 9}

    again = Client()
    login(again, "phone_lost")
    refused = again.post(VERIFY, {"code": used})
    assert refused.status_code == 200 and "恢复码不正确或已使用过" in refused.content.decode()
    assert StaticToken.objects.filter(device__user=user).count() == 9
    assert again.post(VERIFY, {"code": codes[1]}).status_code == 302


def test_five_wrong_codes_log_out_and_lock_for_30_minutes(personas):
    user = personas["county"]
    device = TOTPDevice.objects.get(user=user)
    client = Client(REMOTE_ADDR="10.4.4.4")
    login(client, "county")
    for left in (4, 3, 2, 1):
        page = client.post(VERIFY, {"code": wrong_code(device)}).content.decode()
        assert f"还可尝试 {left} 次" in page
    locked = client.post(VERIFY, {"code": wrong_code(device)})
    assert locked.status_code == 429 and "动态口令验证已锁定" in locked.content.decode()
    assert client.get("/")["Location"].startswith("/accounts/login/")  # the session is gone
    lockout = AuditEvent.objects.get(action="second_factor_verify.lockout")
    assert lockout.actor_id == user.pk and lockout.outcome == "denied" and lockout.ip == "10.4.4.4" and lockout.detail == {"minutes": 30}
    assert AuditEvent.objects.filter(action="second_factor_verify", outcome="failure").count() == 5

    # Logging in again does not start the count over: even the right code is refused for 30 minutes.
    client = Client(REMOTE_ADDR="10.4.4.4")
    login(client, "county")
    page = client.get(VERIFY).content.decode()
    assert "已锁定至" in page
    assert client.post(VERIFY, {"code": totp_code(user)}).status_code == 429
    assert AuditEvent.objects.filter(action="second_factor_verify", outcome="denied").count() == 1
    with pytest.raises(SecondFactorLocked):
        second_factor_verify(user=user, code=totp_code(user))

    TOTPDevice.objects.filter(pk=device.pk).update(throttling_failure_timestamp=timezone.now() - timedelta(minutes=31))
    client = Client(REMOTE_ADDR="10.4.4.4")
    login(client, "county")
    assert client.post(VERIFY, {"code": totp_code(user)})["Location"] == "/"
    assert client.get("/").status_code == 200
    assert verify_chain() == []


def test_unverified_session_reaches_nothing(personas):
    user = personas["county"]
    client = Client(enforce_csrf_checks=False)
    login(client, "county")
    for url in ("/", "/orgs/", "/users/", "/accounts/tokens/", "/accounts/password/", f"/users/{user.pk}/"):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(VERIFY), url
    me = client.get("/api/v1/me")
    assert me.status_code == 401 and me.json()["detail"] == "请先完成双因素认证（输入动态口令）"
    created = client.post("/api/v1/tokens", {"name": "偷偷建", "days": 30}, content_type="application/json")
    assert created.status_code == 401 and not ApiToken.objects.exists()
    assert client.post("/accounts/tokens/", {"name": "偷偷建", "days": "30"}).status_code == 302 and not ApiToken.objects.exists()
    # Bearer tokens are not concerned: they carry no session.
    _, raw = api_token_create(actor=user, user=user, name="脚本")
    assert Client().get("/api/v1/me", headers={"Authorization": f"Bearer {raw}"}).json()["username"] == "county"
    # Logging out needs no second factor.
    assert client.post("/accounts/logout/")["Location"] == "/accounts/login/"


@pytest.mark.parametrize("role", [Role.MEMBER, Role.WORKER])
def test_members_and_workers_are_not_asked(personas, role):
    user = new_staff(personas, f"p_{role}", role=role)
    assert not second_factor_required(user)
    client = Client()
    login(client, user.username)
    assert client.get("/").status_code == 200
    assert client.get(ENROL)["Location"] == "/"
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_every_staff_role_is_asked(personas):
    for name in ("province", "county", "township", "industry", "zone", "secretary", "instructor", "sysadmin", "secadmin", "auditadmin"):
        assert second_factor_required(personas[name]), name
    assert not second_factor_required(personas["member"])


def test_setting_off_asks_nobody(personas, settings):
    settings.SANXIN_OTP_REQUIRED = False
    new_staff(personas, "newcomer")
    for name in ("county", "newcomer", "secadmin"):
        client = Client()
        login(client, name)
        assert client.get("/").status_code == 200, name
    assert not second_factor_required(personas["county"])


# -- reset by the security administrator -------------------------------------------------


def test_security_admin_resets_a_users_factor(personas, client_for):
    target = personas["county"]
    target_client = client_for("county")
    assert target_client.get("/").status_code == 200
    page = client_for("secadmin").get(f"/users/{target.pk}/").content.decode()
    assert "已绑定身份验证器" in page and "重置双因素认证" in page and "data-confirm" in page
    assert "重置双因素认证" not in client_for("sysadmin").get(f"/users/{target.pk}/").content.decode()
    assert client_for("secadmin").get(f"/users/{target.pk}/second-factor/reset/").status_code == 405

    response = client_for("secadmin").post(f"/users/{target.pk}/second-factor/reset/")
    assert response.status_code == 302 and response["Location"] == f"/users/{target.pk}/"
    assert not TOTPDevice.objects.filter(user=target).exists() and not StaticDevice.objects.filter(user=target).exists()
    event = AuditEvent.objects.get(action="second_factor_reset")
    assert event.actor_id == personas["secadmin"].pk and event.object_id == str(target.pk)
    assert event.detail == {"old": {"totp": True, "recovery_codes_left": 0}, "new": {"totp": False, "recovery_codes_left": 0}}
    # The user's session that had passed the old factor is sent to enrol again.
    assert target_client.get("/")["Location"] == ENROL
    assert "未绑定" in client_for("secadmin").get(f"/users/{target.pk}/").content.decode()


@pytest.mark.parametrize("name", ["sysadmin", "auditadmin", "province", "county", "member"])
def test_only_the_security_admin_resets(personas, client_for, name):
    target = personas["township"]
    assert client_for(name).post(f"/users/{target.pk}/second-factor/reset/").status_code == 404
    with pytest.raises(PermissionError):
        second_factor_reset(actor=personas[name], user=target)
    assert TOTPDevice.objects.filter(user=target).exists()
    assert not AuditEvent.objects.filter(action="second_factor_reset").exists()


def test_reset_only_in_scope(personas):
    """A security administrator whose scope is one county: a user outside it gets a 404, as if absent.

    Security administrators belong to the nationwide system unit today; no service puts one in a county unit,
    so this one is made by hand, as in test_accounts.py::test_forms_offer_only_scoped_choices."""
    county_admin = user_create(
        actor=None,
        username="county_secadmin",
        full_name="县级安全管理",
        unit=personas["county"].unit,
        password=PASSWORD,
        must_change_password=False,
    )
    UserRole.objects.create(user=county_admin, role=Role.SECURITY_ADMIN)
    client = Client()
    client.force_login(county_admin)
    verify_session(client, county_admin)
    outsider = personas["outsider"]
    assert client.post(f"/users/{outsider.pk}/second-factor/reset/").status_code == 404
    with pytest.raises(PermissionError):
        second_factor_reset(actor=county_admin, user=outsider)
    assert TOTPDevice.objects.filter(user=outsider).exists()
    assert client.post(f"/users/{personas['county'].pk}/second-factor/reset/").status_code == 302
    assert not TOTPDevice.objects.filter(user=personas["county"]).exists()


def test_security_admin_cannot_reset_their_own(personas, client_for):
    secadmin = personas["secadmin"]
    with pytest.raises(ValidationError, match="不能重置自己的"):
        second_factor_reset(actor=secadmin, user=secadmin)
    assert "重置双因素认证" not in client_for("secadmin").get(f"/users/{secadmin.pk}/").content.decode()
    response = client_for("secadmin").post(f"/users/{secadmin.pk}/second-factor/reset/", follow=True)
    assert "不能重置自己的双因素认证" in response.content.decode()
    assert TOTPDevice.objects.filter(user=secadmin).exists()
    assert list(AuditEvent.objects.filter(action="second_factor_reset").values_list("outcome", flat=True)) == ["denied", "denied"]


def test_no_code_or_secret_in_the_audit_trail(personas):
    user = new_staff(personas, "careful")
    codes = enrol_by_service(user)
    device = TOTPDevice.objects.get(user=user)
    secret = device.key
    second_factor_verify(user=user, code=codes[0])
    code = totp_code(user)
    second_factor_verify(user=user, code=code)
    with pytest.raises(ValidationError):
        second_factor_verify(user=user, code=codes[0])
    with connection.cursor() as cursor:
        cursor.execute("SELECT detail, object_repr FROM core_auditevent")
        raw = " ".join(str(value) for row in cursor.fetchall() for value in row)
    assert AuditEvent.objects.filter(action__startswith="second_factor_").count() == 4
    for value in [secret, code, *codes]:
        assert value not in raw


# -- in a browser -------------------------------------------------------------------------


@pytest.mark.browser
@pytest.mark.django_db(transaction=True)
def test_enrol_log_out_and_log_in_again_in_a_browser(browser, live_server, personas):
    user = new_staff(personas, "browser_staff")
    page = browser.new_page(viewport={"width": 1440, "height": 900})
    errors = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "browser_staff")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{ENROL}**")
    assert page.locator("h2", has_text="绑定身份验证器").is_visible()
    qr = page.locator("[data-otp-qr] svg")
    box = qr.bounding_box()
    assert box["width"] >= 150 and abs(box["width"] - box["height"]) < 2
    page.screenshot(path=str(ARTIFACTS / "second-factor-enrol-1440.png"), full_page=True)
    page.set_viewport_size({"width": 375, "height": 800})
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert qr.bounding_box()["width"] >= 150
    page.screenshot(path=str(ARTIFACTS / "second-factor-enrol-375.png"), full_page=True)
    page.set_viewport_size({"width": 1440, "height": 900})

    # The secret as a person reads it off the screen, typed into an authenticator that computes the code.
    secret = page.inner_text("#otp-secret").replace(" ", "").replace("\n", "")
    assert b32decode(secret) == TOTPDevice.objects.get(user=user).bin_key
    page.fill("#id_code", code_at(b32decode(secret)))
    page.click("button[type=submit]")
    page.locator("#recovery-codes li").first.wait_for()
    assert page.locator("#recovery-codes li").count() == 10
    page.screenshot(path=str(ARTIFACTS / "second-factor-recovery-1440.png"), full_page=True)
    page.click("text=我已妥善保存，继续")
    page.wait_for_url(f"{live_server.url}/")
    page.click(".sx-topbar .dropdown-toggle")  # the user's menu
    page.click(".sx-topbar button[type=submit]")  # 退出
    page.wait_for_url(f"{live_server.url}/accounts/login/")

    page.fill("#id_username", "browser_staff")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}{VERIFY}**")
    assert page.locator("h2", has_text="动态口令验证").is_visible()
    page.fill("#id_code", wrong_code(TOTPDevice.objects.get(user=user)))
    page.click("button[type=submit]")
    # The form posts back to the same address: wait for the new page's message, not the old page.
    page.locator(".invalid-feedback", has_text="还可尝试 4 次").wait_for()
    page.screenshot(path=str(ARTIFACTS / "second-factor-verify-1440.png"), full_page=True)
    enter_second_factor(page, live_server, "browser_staff")  # a new code from the same secret
    page.wait_for_url(f"{live_server.url}/")
    assert "新browser_staff" in page.inner_text(".sx-topbar")
    assert not errors, errors
    page.close()
