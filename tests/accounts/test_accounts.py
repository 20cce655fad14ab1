"""Login security (security.md items 2–4, 8–10), roles and the staff pages."""

import io
import itertools
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.exceptions import ValidationError
from django.core.management import CommandError, call_command
from django.db import DatabaseError, transaction
from django.test import Client
from django.utils import timezone

from sanxin.accounts.menu import menu_for
from sanxin.accounts.models import ApiToken, Unit, UnitKind, User, UserRole
from sanxin.accounts.second_factor import roles_need_second_factor
from sanxin.accounts.services import (
    accounts_disable_inactive,
    grant_initial_roles,
    password_change,
    unit_create,
    unit_update,
    user_create,
    user_set_roles,
    user_update,
    validate_role_combination,
)
from sanxin.accounts.tokens import api_token_create
from sanxin.core.models import AuditEvent
from sanxin.core.roles import Role
from sanxin.regions.models import Region
from tests.conftest import PASSWORD, verify_session


def login(client, username, password=PASSWORD):
    """The password step; a staff account's second factor is then taken as passed (tested in test_second_factor.py)."""
    response = client.post("/accounts/login/", {"username": username, "password": password})
    if response.status_code == 302:
        user = User.objects.get(username=username)
        if roles_need_second_factor(user.role_codes):
            verify_session(client, user)
    return response


# -- passwords -----------------------------------------------------------------


def test_production_hasher_is_argon2id():
    from config import settings as production

    assert production.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    encoded = Argon2PasswordHasher().encode("Some-Passw0rd!x", Argon2PasswordHasher().salt())
    assert encoded.startswith("argon2$argon2id$")


@pytest.mark.parametrize(
    ("password", "message"),
    [
        ("Short-1a", "至少需要 12 个字符"),
        ("alllowercaseletters", "至少 3 类"),
        ("Qwerty123456", "太常见"),
    ],
)
def test_weak_passwords_refused(personas, password, message):
    with pytest.raises(ValidationError) as caught:
        user_create(actor=None, username="newbie", full_name="新人", unit=personas["county"].unit, password=password)
    assert any(message in m for m in caught.value.messages), caught.value.messages


def test_last_five_passwords_cannot_be_reused(personas):
    user = personas["county"]
    history = [PASSWORD] + [f"Rotated-Pass{i}!ab" for i in range(1, 5)]
    for old, new in itertools.pairwise(history):
        password_change(user=user, old_password=old, new_password=new)
    for used in history:
        with pytest.raises(ValidationError, match="最近 5 次"):
            password_change(user=user, old_password=history[-1], new_password=used)
    # The sixth-oldest is allowed again after five newer ones.
    password_change(user=user, old_password=history[-1], new_password="Rotated-Pass5!ab")
    password_change(user=user, old_password="Rotated-Pass5!ab", new_password=PASSWORD)


def test_new_account_must_change_password_first(personas):
    created = user_create(actor=None, username="fresh", full_name="新账号", unit=personas["county"].unit, password="Initial-Passw0rd!")
    client = Client()
    login(client, "fresh", "Initial-Passw0rd!")
    response = client.get("/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
    assert client.get("/api/v1/me").status_code == 403
    page = client.get("/accounts/password/").content.decode()
    assert "首次登录" in page
    response = client.post(
        "/accounts/password/",
        {"old_password": "Initial-Passw0rd!", "new_password": "Brand-New-Pass1!", "new_password_again": "Brand-New-Pass1!"},
    )
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    created.refresh_from_db()
    assert not created.must_change_password


def test_password_expires_after_90_days(personas):
    user = personas["county"]
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=91))
    client = Client()
    login(client, "county")
    assert client.get("/").headers["Location"] == "/accounts/password/"
    User.objects.filter(pk=user.pk).update(password_changed_at=timezone.now() - timedelta(days=89))
    assert client.get("/").status_code == 200


def test_password_change_form_explains_errors(client_for):
    client = client_for("county")
    page = client.post(
        "/accounts/password/", {"old_password": "wrong", "new_password": "abc", "new_password_again": "abd"}
    ).content.decode()
    assert "两次输入的新密码不一致" in page


# -- login, lockout, sessions --------------------------------------------------


def test_login_page_is_chinese(db):
    page = Client().get("/accounts/login/").content.decode()
    assert "用户登录" in page and 'lang="zh-CN"' in page


def test_wrong_password_and_unknown_user_give_the_same_message(personas):
    wrong_password = login(Client(), "county", "Wrong-Passw0rd!!").content.decode()
    unknown_user = login(Client(), "nobody", "Wrong-Passw0rd!!").content.decode()
    message = "账号或密码不正确，或账号已停用"
    assert message in wrong_password and message in unknown_user


def test_five_failures_lock_for_30_minutes(personas):
    client = Client()
    for _ in range(4):
        assert login(client, "county", "Wrong-Passw0rd!!").status_code == 200
    assert login(client, "county", "Wrong-Passw0rd!!").status_code == 429
    # Locked: even the right password is refused, and the event is audited.
    response = login(client, "county")
    assert response.status_code == 429 and "账号已锁定" in response.content.decode()
    assert AuditEvent.objects.filter(action="auth.lockout", actor_name="county").exists()
    # Another address is not locked (username + IP).
    other = Client(REMOTE_ADDR="10.0.0.9")
    assert login(other, "county").status_code == 302
    # After 30 minutes the lock lifts.
    from axes.models import AccessAttempt

    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=31))
    assert login(client, "county").status_code == 302


def test_login_cycles_session_key_and_logout_kills_session(personas):
    from django.contrib.sessions.models import Session

    client = Client()
    client.get("/accounts/login/")
    before = client.cookies.get(settings.SESSION_COOKIE_NAME)
    login(client, "county")
    after = client.cookies[settings.SESSION_COOKIE_NAME].value
    assert before is None or before.value != after
    assert Session.objects.filter(session_key=after).exists()
    client.post("/accounts/logout/")
    assert not Session.objects.filter(session_key=after).exists()
    assert client.get("/").status_code == 302


def test_logout_needs_post(client_for):
    assert client_for("county").get("/accounts/logout/").status_code == 405


def test_session_idle_and_absolute_limits(personas):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert not settings.SESSION_SAVE_EVERY_REQUEST  # refreshed at most once a minute: test_no_write_on_read.py
    client = Client()
    login(client, "county")
    assert client.get("/").status_code == 200
    session = client.session
    session["sanxin_login_at"] = (timezone.now() - timedelta(hours=12, minutes=1)).isoformat()
    session.save()
    response = client.get("/")
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]
    assert client.get("/").status_code == 302  # logged out on the server


def test_idle_session_expires_on_server(personas):
    from django.contrib.sessions.models import Session

    client = Client()
    login(client, "county")
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    Session.objects.filter(session_key=key).update(expire_date=timezone.now() - timedelta(seconds=1))
    assert client.get("/").status_code == 302


def test_cookie_flags_in_production():
    import subprocess
    import sys

    code = (
        "import django,os;os.environ['DJANGO_SETTINGS_MODULE']='config.settings';django.setup();"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.SESSION_COOKIE_HTTPONLY, s.SESSION_COOKIE_SAMESITE, s.CSRF_COOKIE_SECURE, s.SESSION_COOKIE_NAME)"
    )
    env = {"SANXIN_SECRET_KEY": "x" * 60, "PATH": "/usr/bin:/bin", "SANXIN_MASTER_KEY": "00" * 32}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True, cwd=settings.BASE_DIR)
    assert out.stdout.split() == ["True", "True", "Lax", "True", "__Host-sanxin_session"]


def test_inactive_accounts_disabled_after_90_days(personas):
    user = personas["township"]
    User.objects.filter(pk=user.pk).update(last_login=timezone.now() - timedelta(days=91))
    User.objects.filter(pk=personas["county"].pk).update(last_login=timezone.now() - timedelta(days=10))
    assert accounts_disable_inactive() >= 1
    user.refresh_from_db()
    assert not user.is_active
    assert User.objects.get(pk=personas["county"].pk).is_active
    assert login(Client(), "township").status_code == 200  # refused, stays on the login page


def test_an_account_used_only_through_its_api_token_stays_active(personas):
    """A hotline system's account logs in with its token, never with the form: its token's use is its use."""
    long_ago = timezone.now() - timedelta(days=200)
    used, idle = personas["township"], personas["community"]
    User.objects.filter(pk__in=[used.pk, idle.pk]).update(last_login=None, date_joined=long_ago)
    token, _ = api_token_create(actor=used, user=used, name="热线系统")
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=timezone.now() - timedelta(days=3))
    stale_token, _ = api_token_create(actor=idle, user=idle, name="旧脚本")
    ApiToken.objects.filter(pk=stale_token.pk).update(last_used_at=timezone.now() - timedelta(days=120))
    accounts_disable_inactive()
    assert User.objects.get(pk=used.pk).is_active
    assert not User.objects.get(pk=idle.pk).is_active
    # A worker's account is not disabled here (one-time code at every login; the workers' retention purge).
    User.objects.filter(pk=personas["worker"].pk).update(last_login=long_ago, date_joined=long_ago)
    accounts_disable_inactive()
    assert User.objects.get(pk=personas["worker"].pk).is_active


# -- roles (三员分立) ------------------------------------------------------------


@pytest.mark.parametrize(
    "roles",
    [
        {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN},
        {Role.SECURITY_ADMIN, Role.AUDIT_ADMIN},
        {Role.AUDIT_ADMIN, Role.REGION_STAFF},
        {Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN},
    ],
)
def test_admin_roles_cannot_be_combined(roles):
    with pytest.raises(ValidationError, match="三员分立"):
        validate_role_combination(roles)


def test_security_admin_grants_roles_with_password(personas):
    secadmin, target = personas["secadmin"], personas["county"]
    with pytest.raises(ValidationError, match="密码复核失败"):
        user_set_roles(actor=secadmin, user=target, roles=[Role.REGION_STAFF, Role.INSTRUCTOR], actor_password="wrong")
    with pytest.raises(ValidationError, match="三员分立"):
        user_set_roles(actor=secadmin, user=target, roles=[Role.AUDIT_ADMIN, Role.REGION_STAFF], actor_password=PASSWORD)
    user_set_roles(actor=secadmin, user=target, roles=[Role.REGION_STAFF, Role.INSTRUCTOR], actor_password=PASSWORD)
    assert User.objects.get(pk=target.pk).role_codes == {Role.REGION_STAFF, Role.INSTRUCTOR}
    event = AuditEvent.objects.filter(action="user_set_roles", outcome="success").latest("id")
    assert event.detail == {"old": ["region_staff"], "new": ["instructor", "region_staff"]}


@pytest.mark.parametrize("actor", ["sysadmin", "auditadmin", "province"])
def test_only_security_admin_grants_roles(personas, actor):
    with pytest.raises(PermissionError):
        user_set_roles(actor=personas[actor], user=personas["county"], roles=[Role.REGION_STAFF], actor_password=PASSWORD)


def test_role_page_refuses_combination_in_chinese(personas, client_for):
    page = (
        client_for("secadmin")
        .post(
            f"/users/{personas['county'].pk}/roles/",
            {"roles": [Role.SYSTEM_ADMIN, Role.REGION_STAFF], "actor_password": PASSWORD},
        )
        .content.decode()
    )
    assert "三员分立" in page
    assert User.objects.get(pk=personas["county"].pk).role_codes == {Role.REGION_STAFF}


def test_audit_page_only_for_audit_admin(personas, client_for):
    for name in personas:
        expected = 200 if name == "auditadmin" else 404
        assert client_for(name).get("/audit/").status_code == expected, name
    assert Client().get("/audit/").status_code == 302  # anonymous: to the login page


def test_menu_follows_role(personas):
    def labels(name):
        return {item["label"] for group in menu_for(personas[name]) for item in group["items"]}

    assert "审计日志" in labels("auditadmin") and "单位管理" not in labels("auditadmin")
    assert "审计日志" not in labels("sysadmin") and "单位管理" in labels("sysadmin")
    assert labels("member") == {"首页", "会议记录", "会议签到", "我要亮身份", "我的学习"}  # meetings, sign-in, 亮身份, study
    assert {"首页", "行政区划", "组织名录", "党组织名录", "摸排行动"} <= labels("county")
    assert not {"单位管理", "用户管理"} & labels("county")  # account pages are for those who manage accounts
    assert "组织名录" not in labels("sysadmin") and "组织名录" not in labels("member")


# -- pages ---------------------------------------------------------------------


def test_home_figures_follow_scope(client_for, personas):
    from sanxin.regions.models import Region

    page = client_for("county").get("/").content.decode()
    townships = Region.objects.filter(level=4, code__startswith="360102").count()
    communities = Region.objects.filter(level=5, code__startswith="360102").count()
    assert f"乡镇/街道 {townships:,} 个<" in page and f"社区/村 {communities:,} 个<" in page
    province_page = client_for("province").get("/").content.decode()
    province_communities = Region.objects.filter(level=5, code__startswith="36").count()
    assert f"社区/村 {province_communities:,} 个<" in province_page


def test_region_browse_starts_at_scope_root(client_for):
    page = client_for("county").get("/regions/").content.decode()
    assert "东湖区" in page and "西湖区" not in page
    assert client_for("county").get("/regions/360103/").status_code == 404


def test_forms_offer_only_scoped_choices(personas, client_for):
    """Only the nationwide system administrator manages units and users today, but the forms cut their
    choices to the user's scope all the same: a county-level manager sees only the county's units."""
    Unit.objects.create(name="外省单位", kind=UnitKind.LIANGXIN_COMMITTEE, region_id="32")
    Unit.objects.create(name="西湖区某单位", kind=UnitKind.LIANGXIN_COMMITTEE, region_id="360103")
    Unit.objects.create(name="东湖区某单位", kind=UnitKind.LIANGXIN_COMMITTEE, region_id="360102004")
    sysadmin_page = client_for("sysadmin").get("/users/new/").content.decode()
    assert "外省单位" in sysadmin_page and "东湖区某单位" in sysadmin_page

    # No service grants the system administrator's role outside a system unit, so this persona is made by hand.
    manager = user_create(
        actor=None,
        username="county_manager",
        full_name="县级管理",
        unit=personas["county"].unit,
        password=PASSWORD,
        must_change_password=False,
    )
    UserRole.objects.create(user=manager, role=Role.SYSTEM_ADMIN)
    client = Client()
    client.force_login(manager)
    verify_session(client, manager)
    for url in ("/users/new/", "/units/new/"):
        page = client.get(url).content.decode()
        assert "东湖区某单位" in page and "东湖区委两新工委" in page, url
        assert "外省单位" not in page and "西湖区某单位" not in page and "平台运维中心" not in page, url
    assert 'data-root="360102"' in client.get("/units/new/").content.decode()
    outside = client.post("/units/new/", {"name": "越权单位", "kind": UnitKind.LIANGXIN_COMMITTEE, "region": "360103"}).content.decode()
    assert "不存在或不在您的管辖范围内" in outside and not Unit.objects.filter(name="越权单位").exists()
    other_unit = Unit.objects.get(name="西湖区某单位")
    data = {"username": "sneaky", "full_name": "越权", "unit": other_unit.pk, "password": "Initial-Passw0rd!"}
    assert "选择一个有效的选项" in client.post("/users/new/", data).content.decode()
    assert not User.objects.filter(username="sneaky").exists()


def test_unit_create_via_page(client_for):
    client = client_for("sysadmin")
    response = client.post("/units/new/", {"name": "东湖区新单位", "kind": UnitKind.LIANGXIN_COMMITTEE, "region": "360102"})
    assert response.status_code == 302
    unit = Unit.objects.get(name="东湖区新单位")
    assert unit.region_id == "360102"
    assert AuditEvent.objects.filter(action="unit_create", object_id=str(unit.pk)).exists()


def test_unit_create_explains_bad_region(client_for):
    page = (
        client_for("sysadmin")
        .post("/units/new/", {"name": "坏单位", "kind": UnitKind.LIANGXIN_COMMITTEE, "region": "999999"})
        .content.decode()
    )
    assert "区划代码“999999”不存在" in page
    assert not Unit.objects.filter(name="坏单位").exists()


def test_user_create_via_page_with_phone(client_for, personas):
    client = client_for("sysadmin")
    data = {
        "username": "newstaff",
        "full_name": "新同事",
        "unit": personas["county"].unit.pk,
        "phone": "138 0000 1234",
        "password": "Initial-Passw0rd!",
    }
    assert client.post("/users/new/", data).status_code == 302
    user = User.objects.get(username="newstaff")
    assert user.phone == "13800001234" and user.must_change_password and user.role_codes == frozenset()
    page = client.get(f"/users/{user.pk}/").content.decode()
    assert "138****1234" in page and "13800001234" not in page
    bad = client.post("/users/new/", {**data, "username": "other", "phone": "12345"}).content.decode()
    assert "不是有效的 11 位大陆手机号" in bad
    dup = client.post("/users/new/", {**data, "username": "other2"}).content.decode()
    assert "已被其他账号使用" in dup


def test_list_sort_and_page_size(client_for):
    page = client_for("sysadmin").get("/users/?sort=-username&size=50").content.decode()
    assert "共 <strong>" in page and 'value="50" selected' in page


def test_member_and_secretary_have_no_territorial_scope(client_for):
    # Their unit sits in 360102002, but their data is their own, not the street's.
    for name in ("member", "secretary"):
        assert client_for(name).get("/api/v1/regions").json()["items"] == []
        assert client_for(name).get("/api/v1/me").json()["scope"] == "无"


# -- refusals stay on record (security.md item 12) ------------------------------------


def test_failed_password_recheck_for_roles_is_audited(personas, client_for):
    secadmin, target = personas["secadmin"], personas["county"]
    with pytest.raises(ValidationError, match="密码复核失败"):
        user_set_roles(actor=secadmin, user=target, roles=[Role.INSTRUCTOR], actor_password="wrong")
    event = AuditEvent.objects.get(action="user_set_roles", outcome="denied", object_id=str(target.pk))
    assert event.actor_id == secadmin.pk and "密码复核失败" in event.detail["reason"]
    # Through the page as well, and the roles stay as they were.
    page = client_for("secadmin").post(f"/users/{target.pk}/roles/", {"roles": [Role.INSTRUCTOR], "actor_password": "wrong"})
    assert "密码复核失败" in page.content.decode()
    assert AuditEvent.objects.filter(action="user_set_roles", outcome="denied").count() == 2
    assert User.objects.get(pk=target.pk).role_codes == {Role.REGION_STAFF}


def test_changing_ones_own_roles_is_refused_and_audited(personas):
    secadmin = personas["secadmin"]
    with pytest.raises(ValidationError, match="不能修改自己的角色"):
        user_set_roles(actor=secadmin, user=secadmin, roles=[Role.SECURITY_ADMIN, Role.REGION_STAFF], actor_password=PASSWORD)
    assert AuditEvent.objects.filter(action="user_set_roles", outcome="denied", object_id=str(secadmin.pk)).exists()


def test_wrong_old_password_is_audited(personas, client_for):
    user = personas["county"]
    with pytest.raises(ValidationError, match="原密码不正确"):
        password_change(user=user, old_password="Not-The-Passw0rd!", new_password="Brand-New-Pass1!")
    event = AuditEvent.objects.get(action="password_change", outcome="failure")
    assert event.actor_id == user.pk and "Not-The-Passw0rd!" not in str(event.detail)
    data = {"old_password": "wrong", "new_password": "Brand-New-Pass1!", "new_password_again": "Brand-New-Pass1!"}
    assert "原密码不正确" in client_for("county").post("/accounts/password/", data).content.decode()
    assert AuditEvent.objects.filter(action="password_change", outcome="failure").count() == 2
    assert User.objects.get(pk=user.pk).check_password(PASSWORD)


# -- 三员分立 cannot be bypassed -----------------------------------------------------


def test_bootstrap_cannot_add_a_role_beside_an_admin_role(personas):
    with pytest.raises(ValidationError, match="三员分立"):
        grant_initial_roles(user=personas["sysadmin"], roles=[Role.REGION_STAFF])
    with pytest.raises(ValidationError, match="三员分立"):
        grant_initial_roles(user=personas["county"], roles=[Role.AUDIT_ADMIN])
    assert User.objects.get(pk=personas["sysadmin"].pk).role_codes == {Role.SYSTEM_ADMIN}
    assert User.objects.get(pk=personas["county"].pk).role_codes == {Role.REGION_STAFF}


def test_admin_roles_only_in_a_system_unit(personas):
    secadmin = personas["secadmin"]
    fresh = user_create(actor=None, username="fresh_admin", full_name="新人", unit=personas["county"].unit, password=PASSWORD)
    with pytest.raises(ValidationError, match="只能属于系统运维单位"):
        grant_initial_roles(user=fresh, roles=[Role.SYSTEM_ADMIN])
    with pytest.raises(ValidationError, match="只能属于系统运维单位"):
        user_set_roles(actor=secadmin, user=fresh, roles=[Role.AUDIT_ADMIN], actor_password=PASSWORD)
    assert User.objects.get(pk=fresh.pk).role_codes == frozenset()
    # Nor can an administrator be moved out of the system unit, or the unit turned into a regional one.
    with pytest.raises(ValidationError, match="只能属于系统运维单位"):
        user_update(actor=personas["sysadmin"], user=personas["auditadmin"], unit=personas["county"].unit)
    assert User.objects.get(pk=personas["auditadmin"].pk).unit.kind == UnitKind.SYSTEM
    system_unit = personas["sysadmin"].unit
    with pytest.raises(ValidationError, match="只能是系统运维单位"):
        unit_update(actor=personas["sysadmin"], unit=system_unit, kind=UnitKind.LIANGXIN_COMMITTEE, region_id="360102")
    assert Unit.objects.get(pk=system_unit.pk).kind == UnitKind.SYSTEM


@pytest.mark.parametrize(
    ("holder", "extra"),
    [("sysadmin", Role.REGION_STAFF), ("sysadmin", Role.SECURITY_ADMIN), ("county", Role.AUDIT_ADMIN)],
)
def test_database_refuses_a_second_role_beside_an_admin_role(personas, holder, extra):
    with pytest.raises(DatabaseError), transaction.atomic():
        UserRole.objects.create(user=personas[holder], role=extra)
    assert UserRole.objects.filter(user=personas[holder]).count() == 1


def test_database_refuses_turning_a_role_into_an_admin_role_beside_another(personas):
    user = personas["county"]
    UserRole.objects.create(user=user, role=Role.INSTRUCTOR)
    with pytest.raises(DatabaseError), transaction.atomic():
        UserRole.objects.filter(user=user, role=Role.INSTRUCTOR).update(role=Role.SYSTEM_ADMIN)
    # An ordinary combination and a swap of one admin role for another still work.
    assert User.objects.get(pk=user.pk).role_codes == {Role.REGION_STAFF, Role.INSTRUCTOR}
    user_set_roles(actor=personas["secadmin"], user=personas["auditadmin"], roles=[Role.SYSTEM_ADMIN], actor_password=PASSWORD)
    assert User.objects.get(pk=personas["auditadmin"].pk).role_codes == {Role.SYSTEM_ADMIN}


# -- the unit tree ---------------------------------------------------------------


def test_child_unit_lies_inside_its_parent(personas):
    sysadmin, city = personas["sysadmin"], personas["city"].unit  # 南昌市 3601
    with pytest.raises(ValidationError, match="不在上级单位“南昌市委社会工作部”的管辖区划"):
        unit_create(
            actor=sysadmin, name="九江单位", kind=UnitKind.LIANGXIN_COMMITTEE, region=Region.objects.get(code="360402"), parent=city
        )
    child = unit_create(
        actor=sysadmin, name="东湖区下级", kind=UnitKind.LIANGXIN_COMMITTEE, region=Region.objects.get(code="360102"), parent=city
    )
    with pytest.raises(ValidationError, match="不在上级单位"):
        unit_update(actor=sysadmin, unit=child, region=Region.objects.get(code="3602"))
    # Moving the parent away from its children, or making a unit its own ancestor, is refused too.
    with pytest.raises(ValidationError, match="下级单位“东湖区下级”的管辖区划"):
        unit_update(actor=sysadmin, unit=Unit.objects.get(pk=city.pk), region=Region.objects.get(code="3602"))
    with pytest.raises(ValidationError, match="不能是本单位或其下级单位"):
        unit_update(actor=sysadmin, unit=Unit.objects.get(pk=city.pk), parent=child)
    assert Unit.objects.get(pk=child.pk).region_id == "360102" and Unit.objects.get(pk=city.pk).region_id == "3601"


def test_unit_page_explains_parent_outside(personas, client_for):
    data = {"name": "九江单位", "kind": UnitKind.LIANGXIN_COMMITTEE, "region": "360402", "parent": personas["city"].unit.pk}
    page = client_for("sysadmin").post("/units/new/", data).content.decode()
    assert "不在上级单位“南昌市委社会工作部”的管辖区划（3601）之内" in page
    assert not Unit.objects.filter(name="九江单位").exists()


# -- demo accounts -----------------------------------------------------------------


def test_seeded_demo_accounts_can_log_in(db, settings, tmp_path):
    """Every account `seed_demo` prints logs in with the printed password and reaches its home page."""
    from io import StringIO

    from sanxin.demo.accounts import ACCOUNTS

    settings.DATA_DIR = tmp_path
    settings.SANXIN_OTP_REQUIRED = False  # as `make run` sets it, so that every persona can be tried at once
    settings.SANXIN_DEMO = True
    out = StringIO()
    call_command("seed_demo", stdout=out)
    printed = {}
    for line in out.getvalue().splitlines():
        parts = line.split()
        if len(parts) >= 3 and parts[0] in {a.username for a in ACCOUNTS}:
            printed[parts[0]] = parts[1]
    assert set(printed) == {a.username for a in ACCOUNTS}
    assert (tmp_path / "demo-accounts.txt").stat().st_mode & 0o777 == 0o600
    for username, password in printed.items():
        client = Client(REMOTE_ADDR="10.9.9.9")
        assert login(client, username, "Wrong-Passw0rd!!").status_code == 200, username
        response = login(client, username, password)
        assert response.status_code == 302, username
        home = client.get(response["Location"])
        if home.status_code == 302 and home["Location"] == "/w/":  # a worker's home is the phone home
            home = client.get("/w/")
        assert home.status_code == 200 or home["Location"] == "/accounts/password/", username
        assert User.objects.get(username=username).is_demo


def test_staff_see_only_their_own_units_people(personas, client_for):
    """Account pages are for those who manage accounts; other staff see their own unit's people at most."""
    user_create(actor=None, username="colleague", full_name="同事甲", unit=personas["county"].unit, password=PASSWORD)
    for persona in ("province", "county", "industry", "zone", "community"):
        client = client_for(persona)
        for url in ("/users/", "/units/", f"/users/{personas['outsider'].pk}/", f"/units/{personas['outsider'].unit_id}/"):
            assert client.get(url).status_code == 404, (persona, url)
        assert client.get("/api/v1/units").status_code == 404
        assert ("同事甲" in client.get("/my-unit/").content.decode()) == (persona == "county")
        page = client.get("/my-unit/").content.decode()
        assert personas[persona].unit.name in page and personas[persona].full_name in page
        assert personas["outsider"].full_name not in page and personas["outsider"].username not in page
        assert "最近登录" not in page and "****" not in page  # no phones, no last logins
        home = client.get("/").content.decode()
        assert "用户管理" not in home and "单位管理" not in home
    for persona in ("sysadmin", "secadmin"):
        assert client_for(persona).get("/users/").status_code == 200


def test_seed_demo_refuses_a_database_not_marked_as_a_demo(db, settings, tmp_path):
    settings.DATA_DIR = tmp_path
    settings.SANXIN_DEMO = False
    with pytest.raises(CommandError, match="不是演示环境"):
        call_command("seed_demo")
    assert not User.objects.filter(is_demo=True).exists()
    call_command("seed_demo", "--into-production", stdout=io.StringIO())
    assert User.objects.filter(is_demo=True).exists()
