"""The audit trail (security.md items 12-15): HMAC-SM3 chain, append-only on PostgreSQL, retention, scrubbing, auth events."""

import itertools
import re
from datetime import timedelta
from unittest import mock

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction
from django.test import Client
from django.utils import timezone

from sanxin.core import audit
from sanxin.core.audit import RetentionError, audit_purge, audit_record, chain_value, verify_chain
from sanxin.core.models import AuditChainHead, AuditEvent
from tests.conftest import PASSWORD

POSTGRES_ONLY = pytest.mark.skipif(connection.vendor != "postgresql", reason="the append-only trigger is PostgreSQL-only")
APPEND_ONLY = "审计记录只能追加"


def record(n: int, prefix: str = "test.event") -> list[AuditEvent]:
    return [audit_record(action=f"{prefix}.{i}", object_type="tests.thing", object_id=str(i), detail={"n": i}) for i in range(n)]


def problem_ids() -> list[int | None]:
    return [problem.event_id for problem in verify_chain()]


def dba_execute(sql: str, params=()) -> int:
    """Edit the trail by hand, as a DBA would. On PostgreSQL the trigger first refuses, so it is switched off for the edit."""
    if connection.vendor == "postgresql":
        with pytest.raises(DatabaseError, match=APPEND_ONLY), transaction.atomic(), connection.cursor() as cur:
            cur.execute(sql, params)
        with connection.cursor() as cur:
            cur.execute("ALTER TABLE core_auditevent DISABLE TRIGGER core_auditevent_append_only")
            try:
                cur.execute(sql, params)
                return cur.rowcount
            finally:
                cur.execute("ALTER TABLE core_auditevent ENABLE TRIGGER core_auditevent_append_only")
    with connection.cursor() as cur:
        cur.execute(sql, params)
        return cur.rowcount


def verify_command() -> str:
    out = []

    class Sink:
        def write(self, text):
            out.append(text)

        def flush(self):
            pass

    call_command("verify_audit", stdout=Sink(), stderr=Sink())
    return "".join(out)


# -- the chain ---------------------------------------------------------------------------


@pytest.mark.django_db
def test_events_are_chained():
    events = record(4)
    ids = [e.pk for e in events]
    assert ids == list(range(ids[0], ids[0] + 4))  # dense ids, so a gap means a deleted row

    stored = list(AuditEvent.objects.filter(pk__in=ids).order_by("pk"))
    for previous, event in itertools.pairwise(stored):
        assert re.fullmatch(r"[0-9a-f]{64}", event.chain)
        assert event.chain == chain_value(previous.chain, event)
        assert event.chain != chain_value("", event)  # each value depends on its predecessor
    assert len({e.chain for e in stored}) == 4

    head = AuditChainHead.objects.get(pk=1)
    assert (head.last_event_id, head.last_chain) == (ids[-1], stored[-1].chain)
    assert verify_chain() == []
    assert "审计链完整" in verify_command()


@pytest.mark.django_db
def test_chain_covers_every_column():
    event = record(1)[0]
    for change in [{"action": "x"}, {"actor_name": "x"}, {"object_id": "9"}, {"outcome": "failure"}, {"ip": "10.0.0.1"},
                   {"request_id": "r"}, {"detail": {"n": 1}}, {"occurred_at": event.occurred_at + timedelta(microseconds=1)}]:  # fmt: skip
        changed = AuditEvent(**{**{f.attname: getattr(event, f.attname) for f in AuditEvent._meta.fields}, **change})
        assert chain_value("", changed) != chain_value("", event), change


@pytest.mark.django_db
def test_rolled_back_write_leaves_no_event():
    record(2)
    with pytest.raises(RuntimeError), transaction.atomic():
        audit_record(action="test.rolled_back")
        raise RuntimeError
    assert not AuditEvent.objects.filter(action="test.rolled_back").exists()
    assert verify_chain() == []
    record(1, "test.after")
    assert verify_chain() == []


# -- tampering -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("column", "value"),
    [("action", "user.delete"), ("actor_name", "someone_else"), ("ip", "10.9.9.9"), ("detail", '{"n": 99}')],
)
def test_edited_row_is_found(column, value):
    events = record(5)
    victim = events[2]
    assert dba_execute(f"UPDATE core_auditevent SET {column} = %s WHERE id = %s", [value, victim.pk]) == 1

    problems = verify_chain()
    assert [p.event_id for p in problems] == [victim.pk]
    assert f"第 {victim.pk} 号事件" in problems[0].reason and "被修改" in problems[0].reason
    with pytest.raises(CommandError, match="审计链校验失败"):
        call_command("verify_audit")


@pytest.mark.django_db
def test_recomputed_chain_value_without_the_key_is_found():
    """An editor who rewrites a row and its chain with a guessed key still breaks the chain."""
    events = record(3)
    victim = events[1]
    victim.action = "user.delete"
    forged = audit.crypto.hmac_sm3(b"\0" * 32, events[0].chain.encode() + b"|" + audit._canonical(victim)).hex()
    dba_execute("UPDATE core_auditevent SET action = %s, chain = %s WHERE id = %s", ["user.delete", forged, victim.pk])
    assert victim.pk in problem_ids()


@pytest.mark.django_db
def test_deleted_middle_row_is_found():
    events = record(5)
    victim = events[2]
    assert dba_execute("DELETE FROM core_auditevent WHERE id = %s", [victim.pk]) == 1

    problems = verify_chain()
    ids = [p.event_id for p in problems]
    assert victim.pk in ids
    gap = next(p for p in problems if p.event_id == victim.pk)
    assert "缺失" in gap.reason
    assert events[3].pk in ids  # the successor no longer follows either
    with pytest.raises(CommandError):
        call_command("verify_audit")


@pytest.mark.django_db
def test_deleted_last_row_is_found():
    events = record(3)
    last = events[-1]
    assert dba_execute("DELETE FROM core_auditevent WHERE id = %s", [last.pk]) == 1

    problems = verify_chain()
    assert [p.event_id for p in problems] == [last.pk]
    assert "末尾" in problems[0].reason
    with pytest.raises(CommandError):
        call_command("verify_audit")


@pytest.mark.django_db
def test_deleted_first_rows_are_found():
    events = record(3)
    dba_execute("DELETE FROM core_auditevent WHERE id <= %s", [events[0].pk])
    assert events[1].pk in problem_ids()


# -- PostgreSQL refuses edits -------------------------------------------------------------------


@POSTGRES_ONLY
@pytest.mark.django_db
@pytest.mark.parametrize(
    "sql",
    [
        "UPDATE core_auditevent SET action = 'x' WHERE id = %s",
        "DELETE FROM core_auditevent WHERE id = %s",
    ],
)
def test_postgres_refuses_update_and_delete(sql):
    event = record(1)[0]
    with pytest.raises(DatabaseError, match=APPEND_ONLY), transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, [event.pk] if "%s" in sql else [])
    assert AuditEvent.objects.get(pk=event.pk).action == event.action
    assert verify_chain() == []


@POSTGRES_ONLY
@pytest.mark.django_db
def test_postgres_refuses_orm_delete_and_update():
    event = record(1)[0]
    with pytest.raises(DatabaseError, match=APPEND_ONLY), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()
    with pytest.raises(DatabaseError, match=APPEND_ONLY), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="x")


@POSTGRES_ONLY
@pytest.mark.django_db
def test_postgres_purge_switch_allows_only_old_rows():
    with mock.patch("django.utils.timezone.now", return_value=timezone.now() - timedelta(days=400)):
        old = record(1, "test.old")[0]
    young = record(1, "test.young")[0]
    # Without the purge switch even an old row stays.
    with pytest.raises(DatabaseError, match=APPEND_ONLY), transaction.atomic(), connection.cursor() as cur:
        cur.execute("DELETE FROM core_auditevent WHERE id = %s", [old.pk])
    # With it, a young row still stays.
    with pytest.raises(DatabaseError, match=APPEND_ONLY), transaction.atomic(), connection.cursor() as cur:
        cur.execute("SELECT set_config('sanxin.audit_purge', 'on', true)")
        cur.execute("DELETE FROM core_auditevent WHERE id = %s", [young.pk])
    assert AuditEvent.objects.filter(pk__in=[old.pk, young.pk]).count() == 2


# -- retention -------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("age", [timedelta(0), timedelta(days=30), timedelta(days=189, hours=23)])
def test_purge_refuses_younger_than_190_days(age):
    record(2)
    with pytest.raises(RetentionError, match="审计事件至少保留 190 天"):
        audit_purge(actor=None, before=timezone.now() - age)
    assert AuditEvent.objects.count() >= 2
    assert not AuditEvent.objects.filter(action="audit_purge").exists()


@pytest.mark.django_db
def test_purge_command_refuses_recent_date():
    with pytest.raises(CommandError, match="至少保留 190 天"):
        call_command("purge_audit", before=f"{timezone.localdate():%Y-%m-%d}")
    with pytest.raises(CommandError, match="格式不正确"):
        call_command("purge_audit", before="2026/01/01")


@pytest.mark.django_db
def test_purge_removes_old_events_and_chain_still_verifies(request):
    now = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=now - timedelta(days=400)):
        old = record(3, "test.old")
    assert not AuditEvent.objects.filter(pk__lt=old[0].pk).exists(), "the old events must start the trail"
    with mock.patch("django.utils.timezone.now", return_value=now - timedelta(days=100)):
        kept = record(2, "test.kept")
    auditadmin = request.getfixturevalue("personas")["auditadmin"]  # its events are young and stay
    young = AuditEvent.objects.filter(pk__gt=kept[-1].pk).count()
    assert young > 0 and verify_chain() == []

    deleted = audit_purge(actor=auditadmin, before=now - timedelta(days=200))

    assert deleted == 3
    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in old]).exists()
    assert AuditEvent.objects.filter(pk__in=[e.pk for e in kept]).count() == 2
    assert AuditEvent.objects.filter(pk__gt=kept[-1].pk).exclude(action="audit_purge").count() == young
    head = AuditChainHead.objects.get(pk=1)
    assert (head.anchor_event_id, head.anchor_chain) == (old[-1].pk, old[-1].chain)

    # The purge is itself audited, and the shortened chain verifies from its anchor.
    event = AuditEvent.objects.get(action="audit_purge")
    assert event.actor_id == auditadmin.pk and event.actor_name == "auditadmin"
    assert event.detail["deleted"] == 3
    assert verify_chain() == []
    assert "审计链完整" in verify_command()

    # Edits and deletions after the anchor are still found.
    dba_execute("UPDATE core_auditevent SET action = 'x' WHERE id = %s", [kept[1].pk])
    assert problem_ids() == [kept[1].pk]
    dba_execute("DELETE FROM core_auditevent WHERE id = %s", [kept[0].pk])
    assert kept[1].pk in problem_ids()


@pytest.mark.django_db
def test_purge_never_deletes_a_young_event_out_of_order():
    """If the clock once went back, a young event can sit before an old one: the purge stops there."""
    now = timezone.now()
    with mock.patch("django.utils.timezone.now", return_value=now - timedelta(days=400)):
        first_old = record(2, "test.old")
    young = record(1, "test.young")[0]
    with mock.patch("django.utils.timezone.now", return_value=now - timedelta(days=300)):
        late_old = record(1, "test.late_old")[0]

    assert audit_purge(actor=None, before=now - timedelta(days=200)) == 2

    assert not AuditEvent.objects.filter(pk__in=[e.pk for e in first_old]).exists()
    assert AuditEvent.objects.filter(pk__in=[young.pk, late_old.pk]).count() == 2
    assert AuditEvent.objects.get(action="audit_purge").detail["deleted"] == 2
    assert verify_chain() == []


@pytest.mark.django_db
def test_purge_with_nothing_old_deletes_nothing():
    record(2)
    assert audit_purge(actor=None, before=timezone.now() - timedelta(days=191)) == 0
    assert verify_chain() == []


# -- what an event holds --------------------------------------------------------------------


@pytest.mark.django_db
def test_secrets_are_scrubbed():
    detail = {
        "password": "x",
        "nested": {"code": "123", "keep": "ok"},
        "items": [{"token": "t0ken", "otp": "654321"}],
        "actor_password": "Secret-Passw0rd!",
        "csrfmiddlewaretoken": "abc",
        "id_number": "360102199001011237",
        7: "int key",
    }
    event = audit_record(action="test.scrub", detail=detail)
    stored = AuditEvent.objects.get(pk=event.pk).detail
    assert stored == {
        "password": "***",
        "nested": {"code": "***", "keep": "ok"},
        "items": [{"token": "***", "otp": "***"}],
        "actor_password": "***",
        "csrfmiddlewaretoken": "***",
        "id_number": "3601**********1237",
        "7": "int key",
    }
    with connection.cursor() as cur:
        cur.execute("SELECT detail FROM core_auditevent WHERE id = %s", [event.pk])
        raw = str(cur.fetchone()[0])
    for secret in ['"123"', "t0ken", "654321", "Secret-Passw0rd!", "360102199001011237"]:
        assert secret not in raw
    assert verify_chain() == []


def login(client, username, password=PASSWORD):
    return client.post("/accounts/login/", {"username": username, "password": password})


@pytest.mark.django_db
def test_login_and_logout_are_audited_with_ip_and_request_id(personas):
    user = personas["county"]
    client = Client(REMOTE_ADDR="10.1.2.3")
    response = login(client, "county")
    assert response.status_code == 302

    event = AuditEvent.objects.filter(action="auth.login").latest("pk")
    assert event.actor_id == user.pk and event.actor_name == "county" and event.outcome == "success"
    assert event.ip == "10.1.2.3"
    assert event.request_id == response["X-Request-ID"] and re.fullmatch(r"[0-9a-f]{32}", event.request_id)

    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    event = AuditEvent.objects.filter(action="auth.logout").latest("pk")
    assert event.actor_id == user.pk and event.ip == "10.1.2.3" and event.request_id == response["X-Request-ID"]
    assert verify_chain() == []


@pytest.mark.django_db
def test_failed_login_is_audited_without_the_password(personas):
    client = Client(REMOTE_ADDR="10.1.2.4")
    response = login(client, "county", "Wrong-Passw0rd!!")
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action="auth.login_failed").latest("pk")
    assert event.actor_id is None and event.actor_name == "county" and event.outcome == "failure"
    assert event.ip == "10.1.2.4" and event.request_id == response["X-Request-ID"]
    assert "Wrong-Passw0rd!!" not in str(event.detail)

    login(client, "nobody", "Wrong-Passw0rd!!")
    assert AuditEvent.objects.filter(action="auth.login_failed", actor_name="nobody").exists()
    assert not AuditEvent.objects.filter(action="auth.login", actor_name="county").exists()


@pytest.mark.django_db
def test_lockout_is_audited(personas):
    client = Client(REMOTE_ADDR="10.1.2.5")
    before = AuditEvent.objects.filter(action="auth.login_failed").count()
    for _ in range(5):
        login(client, "county", "Wrong-Passw0rd!!")
    assert AuditEvent.objects.filter(action="auth.login_failed").count() - before == 5

    response = login(client, "county")  # the sixth try, now with the right password
    assert response.status_code == 429
    assert "账号已锁定" in response.content.decode()

    lockout = AuditEvent.objects.filter(action="auth.lockout", actor_name="county")
    assert lockout.exists()
    event = lockout.latest("pk")
    assert event.outcome == "denied" and event.ip == "10.1.2.5"
    assert not AuditEvent.objects.filter(action="auth.login", actor_name="county").exists()
    assert verify_chain() == []

    # Keyed on username and address: the same account from elsewhere is not locked.
    assert login(Client(REMOTE_ADDR="10.1.2.6"), "county").status_code == 302


@pytest.mark.django_db
def test_moving_the_head_back_by_hand_is_detected():
    """Deleting the newest events and pointing the head at the survivor needs the key, which the DBA lacks."""
    from sanxin.core.models import AuditChainHead

    events = record(4)
    survivor = events[-2]
    AuditChainHead.objects.filter(pk=1).update(last_event_id=survivor.pk, last_chain=survivor.chain)
    problems = verify_chain()
    assert any("链头记录被改动" in p.reason for p in problems)


# -- TRUNCATE ------------------------------------------------------------------------------------


@POSTGRES_ONLY
@pytest.mark.django_db
def test_postgres_refuses_truncate():
    record(2)
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute("SET LOCAL sanxin.audit_truncate = 'off'")  # as any session but the test suite's
        with pytest.raises(DatabaseError, match="不能清空"), transaction.atomic():
            cur.execute("TRUNCATE core_auditevent, core_auditchainhead")
    assert AuditEvent.objects.count() == 2 and verify_chain() == []


@pytest.mark.django_db(transaction=True)
def test_transactional_tests_still_flush_the_trail():
    """pytest-django's flush after this test truncates the audit table through the test suite's switch."""
    record(1)
    assert AuditEvent.objects.count() == 1


# -- the audit page ------------------------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("start=abc", "起始日期应为有效日期"),
        ("start=2026-13-01", "起始日期应为有效日期"),
        ("end=2026-02-30", "截止日期应为有效日期"),
        ("start=2026-02-01&end=2026-01-01", "截止日期不能早于起始日期"),
        ("outcome=maybe", "选择一个有效的选项"),
    ],
)
def test_audit_page_explains_bad_filters(personas, client_for, query, message):
    response = client_for("auditadmin").get(f"/audit/?{query}")
    assert response.status_code == 200
    page = response.content.decode()
    assert "查询条件有误" in page and message in page
    assert "没有符合条件的审计记录" in page


@pytest.mark.django_db
def test_audit_page_filters(personas, client_for):
    record(3, prefix="census_thing")
    audit_record(action="census_record_save", outcome="denied")
    client = client_for("auditadmin")
    page = client.get("/audit/?action=census_&outcome=denied").content.decode()
    assert "共 <strong>1</strong> 条" in page
    today = timezone.localdate().isoformat()
    page = client.get(f"/audit/?action=census_&start={today}&end={today}").content.decode()
    assert "共 <strong>4</strong> 条" in page
    page = client.get("/audit/?action=census_&end=2000-01-01").content.decode()
    assert "共 <strong>0</strong> 条" in page
    page = client.get("/audit/?action=census_record_save").content.decode()
    assert "共 <strong>1</strong> 条" in page


@pytest.mark.django_db
def test_audit_page_offers_the_actions_by_their_chinese_names(personas, client_for):
    client = client_for("auditadmin")
    page = client.get("/audit/").content.decode()
    select = page[page.index('id="action"') : page.index("</select>", page.index('id="action"'))]
    assert '<option value="auth.login">登录</option>' in select
    assert '<option value="organization.export">导出两新组织名录</option>' in select
    assert '<option value="auth.">登录、退出与锁定（全部）</option>' in select
    assert '<option value="organization_">两新组织（全部）</option>' in select
    assert '<option value="organization_create">新增两新组织</option>' in select
    assert "placeholder" not in select
    assert "操作不在可选范围内" in client.get("/audit/?action=no.such").content.decode()


@pytest.mark.django_db
def test_reading_the_trail_is_audited(personas, client_for):
    client = client_for("auditadmin")
    client.get("/audit/?action=auth.&start=2026-01-01")
    event = AuditEvent.objects.get(action="audit.view")
    assert event.actor_id == personas["auditadmin"].pk and event.outcome == "success"
    assert event.detail["filters"] == {"action": "auth.", "start": "2026-01-01"}
    client.get("/audit/?start=abc")
    failed = AuditEvent.objects.filter(action="audit.view").latest("pk")
    assert failed.outcome == "failure" and failed.detail["filters"] == {"start": "abc"}
    assert AuditEvent.objects.filter(action="audit.view").count() == 2
    assert client_for("sysadmin").get("/audit/").status_code == 404
    assert AuditEvent.objects.filter(action="audit.view").count() == 2
    assert verify_chain() == []


# -- the client address behind proxies -----------------------------------------------------------


def test_client_ip_counts_trusted_proxies_from_the_right(settings):
    from django.test import RequestFactory

    from sanxin.core.middleware import client_ip

    def ip(forwarded="", remote="10.0.0.1"):
        return client_ip(RequestFactory().get("/", REMOTE_ADDR=remote, HTTP_X_FORWARDED_FOR=forwarded))

    settings.SANXIN_PROXY_COUNT = 0
    assert ip("203.0.113.7") == "10.0.0.1"  # no proxy trusted: the header is the client's own words
    settings.SANXIN_PROXY_COUNT = 1
    assert ip("203.0.113.7") == "203.0.113.7"
    assert ip("6.6.6.6, 203.0.113.7") == "203.0.113.7"  # a forged left part is ignored
    assert ip("") == "10.0.0.1" and ip("not-an-address") == "10.0.0.1"
    settings.SANXIN_PROXY_COUNT = 2
    assert ip("6.6.6.6, 203.0.113.7, 10.0.0.2") == "203.0.113.7"
    assert ip("203.0.113.7") == "10.0.0.1"  # fewer hops than proxies: not trusted


@pytest.mark.django_db
def test_audit_and_lockout_use_the_same_address_behind_a_proxy(personas, settings):
    from axes.models import AccessAttempt

    settings.SANXIN_PROXY_COUNT = 1

    def via_proxy(client_address):
        return Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=f"6.6.6.6, {client_address}")

    first = via_proxy("203.0.113.7")
    for _ in range(5):
        login(first, "county", "Wrong-Passw0rd!!")
    assert AuditEvent.objects.filter(action="auth.login_failed").latest("pk").ip == "203.0.113.7"
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"203.0.113.7"}
    assert login(first, "county").status_code == 429
    assert set(AuditEvent.objects.filter(action="auth.lockout").values_list("ip", flat=True)) == {"203.0.113.7"}
    # Another client behind the same proxy is not locked out with the first.
    response = login(via_proxy("203.0.113.8"), "county")
    assert response.status_code == 302
    assert AuditEvent.objects.filter(action="auth.login").latest("pk").ip == "203.0.113.8"


def test_every_recorded_action_has_a_chinese_name():
    """The audit page names actions in Chinese: every code the code records (audit_record, export_list, imports) has a name."""
    import re
    from pathlib import Path

    from sanxin.core.audit_labels import action_label

    source = "\n".join(p.read_text(encoding="utf-8") for p in Path("sanxin").rglob("*.py"))
    codes = set(re.findall(r"audit_record\([^)]*?action=\"([a-z_.]+)\"", source, re.S))
    codes |= {f"{code}.export" for code in re.findall(r"export_list\([^)]*?action=\"([a-z_]+)\"", source, re.S)}
    assert len(codes) > 40
    assert [code for code in sorted(codes) if action_label(code) == code] == []
