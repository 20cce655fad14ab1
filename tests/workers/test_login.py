"""Login by phone and one-time code (security.md 6): single use, 5 minutes, a few wrong tries, rate limits by phone
and by IP; a new phone registers, then consents; the session key rotates; nothing of the code is audited."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sanxin.core.models import AuditEvent
from sanxin.workers.models import OneTimeCode, Worker, WorkerSource
from sanxin.workers.otp import code_send, code_verify
from tests.workers.conftest import last_code

pytestmark = pytest.mark.django_db


def send(client: Client, phone: str, **extra):
    return client.post("/w/login/", {"step": "send", "phone": phone}, **extra)


def verify(client: Client, code: str):
    return client.post("/w/login/", {"step": "verify", "code": code})


def test_known_worker_logs_in_with_the_code_and_the_session_key_rotates(personas, sms_outbox):
    client = Client()
    client.get("/w/login/")
    send(client, "13900139000")
    before = client.session.session_key
    response = verify(client, last_code(sms_outbox))
    assert response.status_code == 302 and response["Location"] == "/w/"
    assert client.session.session_key != before
    page = client.get("/w/")
    assert page.status_code == 200 and "测试worker" in page.content.decode()
    login = AuditEvent.objects.filter(action="auth.login").last()
    assert login is not None and login.actor_id == personas["worker"].pk
    sent = AuditEvent.objects.get(action="worker_code_send")
    assert "139****9000" == sent.object_repr
    code = last_code(sms_outbox)
    assert not AuditEvent.objects.filter(detail__icontains=code).exists()


def test_full_width_phone_folds(personas, sms_outbox):
    client = Client()
    response = send(client, "１３９ ００１３-９０００")
    assert response.status_code == 302
    assert sms_outbox[-1].phone == "13900139000"


@pytest.mark.parametrize("phone", ["1234", "23900139000", "139001390001", "一三九", "+1 415 555 0100"])
def test_bad_phone_refused(phone, sms_outbox):
    response = send(Client(), phone)
    assert response.status_code == 400
    assert "请输入正确的 11 位手机号码" in response.content.decode()
    assert not sms_outbox


def test_expired_code_refused(personas, sms_outbox):
    sent = code_send(phone="13900139000", ip="10.0.0.1")
    code = last_code(sms_outbox)
    with pytest.raises(Exception) as refused:
        code_verify(phone="13900139000", code=code, now=sent.expires_at + timedelta(seconds=1))
    assert "验证码已失效" in str(refused.value)


def test_reused_code_refused(personas, sms_outbox):
    client = Client()
    send(client, "13900139000")
    code = last_code(sms_outbox)
    assert verify(client, code).status_code == 302
    with pytest.raises(Exception) as refused:
        code_verify(phone="13900139000", code=code)
    assert "已使用" in str(refused.value)


def test_wrong_code_n_times_kills_the_code(personas, sms_outbox, settings):
    settings.SANXIN_OTP_MAX_FAILURES = 3
    client = Client()
    send(client, "13900139000")
    code = last_code(sms_outbox)
    wrong = "000000" if code != "000000" else "111111"
    first = verify(client, wrong)
    assert first.status_code == 400 and "还可再试 2 次" in first.content.decode()
    verify(client, wrong)
    third = verify(client, wrong)
    assert "错误次数过多" in third.content.decode()
    # Even the right code is refused now.
    right = verify(client, code)
    assert right.status_code == 400 and "错误次数过多" in right.content.decode()
    assert OneTimeCode.objects.get().failed_attempts == 3
    failures = AuditEvent.objects.filter(action="worker_login_failed")
    assert failures.count() == 4 and all(e.outcome == "failure" for e in failures)
    assert not any(code in str(e.detail) for e in failures)


def test_code_stored_hashed(sms_outbox):
    code_send(phone="13700137000", ip=None)
    row = OneTimeCode.objects.get()
    assert last_code(sms_outbox) not in row.code_hash and len(row.code_hash) == 64


def test_rate_limit_per_phone_interval_and_hour(sms_outbox):
    now = timezone.now()
    code_send(phone="13700137000", ip="10.0.0.1", now=now)
    with pytest.raises(Exception) as refused:
        code_send(phone="13700137000", ip="10.0.0.1", now=now + timedelta(seconds=30))
    assert "秒后再试" in str(refused.value)
    for n in range(1, 5):
        code_send(phone="13700137000", ip="10.0.0.1", now=now + timedelta(minutes=2 * n))
    with pytest.raises(Exception) as refused:
        code_send(phone="13700137000", ip="10.0.0.1", now=now + timedelta(minutes=11))
    assert "1 小时内获取验证码已达 5 次" in str(refused.value)
    # An hour later it may send again.
    code_send(phone="13700137000", ip="10.0.0.1", now=now + timedelta(minutes=62))


def test_rate_limit_per_ip(sms_outbox, settings):
    settings.SANXIN_OTP_IP_PER_HOUR = 3
    for n in range(3):
        code_send(phone=f"1370013700{n}", ip="10.9.9.9")
    with pytest.raises(Exception) as refused:
        code_send(phone="13700137009", ip="10.9.9.9")
    assert "当前网络获取验证码过于频繁" in str(refused.value)
    code_send(phone="13700137009", ip="10.9.9.8")  # another network is not held back


def test_rate_limit_shown_on_the_page(sms_outbox):
    client = Client()
    send(client, "13700137000")
    client.post("/w/login/", {"step": "restart"})
    response = send(client, "13700137000")
    assert response.status_code == 400 and "秒后再试" in response.content.decode()


def test_new_phone_registers_then_consents(db, sms_outbox, platforms):
    client = Client()
    send(client, "13600136000")
    response = verify(client, last_code(sms_outbox))
    assert response["Location"].startswith("/w/register/")
    assert client.get("/w/regions/?parent=360102").json()["count"] > 5
    form = client.get("/w/register/")
    assert "136****6000" in form.content.decode()
    too_long = client.post("/w/register/", {"name": "张" * 51, "occupation": "courier", "region": "360102002"})
    assert too_long.status_code == 400 and "50" in too_long.content.decode()
    county = client.post("/w/register/", {"name": "张三", "occupation": "courier", "region": "360102"})
    assert county.status_code == 400 and "街道（乡镇）或社区（村）" in county.content.decode()
    done = client.post(
        "/w/register/",
        {
            "name": "张三",
            "occupation": "courier",
            "region": "360102002001",
            "platforms": [platforms["顺丰速运"].pk],
            "employer_name": "顺丰滕王阁站",
        },
    )
    assert done.status_code == 302 and done["Location"].startswith("/w/consent/")
    worker = Worker.objects.get(name="张三")
    assert worker.source == WorkerSource.SELF and worker.user is not None and worker.user.unit is None
    assert not worker.user.has_usable_password() and worker.user.role_codes == {"worker"}
    assert "张三" not in worker.user.full_name  # the account keeps no name in clear
    # Not yet consented: every worker page sends them to the consent first.
    assert client.get("/w/me/")["Location"].startswith("/w/consent/")
    page = client.get("/w/consent/")
    assert "2026.1" in page.content.decode()
    half = client.post("/w/consent/", {"version": "2026.1", "accept": "on"})
    assert half.status_code == 400 and "敏感个人信息" in half.content.decode()
    assert client.post("/w/consent/", {"version": "2026.1", "accept": "on", "accept_sensitive": "on"}).status_code == 302
    worker.refresh_from_db()
    assert worker.consent_version == "2026.1" and worker.consented_at and worker.sensitive_consented_at
    assert client.get("/w/me/").status_code == 200


def test_newer_consent_asks_again(personas, client_for):
    from sanxin.workers.services import consent_publish

    client = client_for("worker")
    assert client.get("/w/").status_code == 200
    consent_publish(actor=None, version="2026.2", body="新版告知内容", sensitive_body="新版敏感信息")
    assert client.get("/w/")["Location"].startswith("/w/consent/")
    stale = client.post("/w/consent/", {"version": "2026.1", "accept": "on", "accept_sensitive": "on"})
    assert stale.status_code == 400 and "2026.2" in stale.content.decode()
    assert client.post("/w/consent/", {"version": "2026.2", "accept": "on", "accept_sensitive": "on"}).status_code == 302
    assert client.get("/w/").status_code == 200


def test_staff_entered_worker_opens_an_account_at_first_login(rider, sms_outbox):
    client = Client()
    send(client, "13812345678")
    verify(client, last_code(sms_outbox))
    rider.refresh_from_db()
    assert rider.user is not None
    assert client.get("/w/")["Location"].startswith("/w/consent/")


def test_worker_session_is_not_held_by_staff_rules(personas, sms_outbox):
    """No second factor, no password change for a worker's account."""
    client = Client()
    send(client, "13900139000")
    verify(client, last_code(sms_outbox))
    for path in ("/w/", "/w/me/", "/api/v1/w/me"):
        assert client.get(path).status_code == 200, path


def test_regions_need_a_proven_phone():
    assert Client().get("/w/regions/").status_code == 404


def test_staff_and_members_do_not_reach_worker_pages(client_for):
    for persona in ("county", "member"):
        assert client_for(persona).get("/w/me/").status_code == 404


def test_logout(client_for):
    client = client_for("worker")
    assert client.post("/w/logout/").status_code == 302
    assert client.get("/w/me/")["Location"].startswith("/w/login/")


def test_demo_console_shows_the_code_only_in_the_demo(settings, db):
    settings.SANXIN_SMS_BACKEND = "sanxin.workers.sms.ConsoleBackend"
    settings.SANXIN_DEMO = False
    client = Client()
    send(client, "13500135000")
    assert "演示环境" not in client.get("/w/login/").content.decode()
    settings.SANXIN_DEMO = True
    client = Client()
    send(client, "13500135001")
    page = client.get("/w/login/").content.decode()
    assert "演示环境" in page
    import re

    code = re.search(r'data-demo-code="(\d{6})"', page).group(1)
    assert verify(client, code)["Location"].startswith("/w/register/")


def test_an_idle_disabled_account_opens_again_with_the_phone(personas, sms_outbox):
    from sanxin.accounts.models import User

    User.objects.filter(pk=personas["worker"].pk).update(is_active=False)
    client = Client()
    send(client, "13900139000")
    assert verify(client, last_code(sms_outbox))["Location"] == "/w/"
    assert client.get("/w/me/").status_code == 200
    assert User.objects.get(pk=personas["worker"].pk).is_active
    assert AuditEvent.objects.filter(action="worker_account_reopen").exists()


def test_a_worker_past_12_hours_goes_to_the_worker_login(client_for, settings):
    from datetime import timedelta as delta

    client = client_for("worker")
    settings.SANXIN_SESSION_ABSOLUTE_LIMIT = delta(seconds=-1)
    response = client.get("/w/me/")
    assert response["Location"].startswith("/w/login/")
