"""Offline submissions (sanxin.core.offline): create_once on a real model (the 亮身份 report, unique per reporter and
client_key), the JSON answer to the phone's outbox on the member's leave request, and the installable app's files."""

import uuid
from datetime import UTC, date, timedelta
from unittest import mock

import pytest
from django.db import IntegrityError
from django.utils import timezone

from sanxin.core.audit import audit_record
from sanxin.core.models import AuditEvent
from sanxin.core.offline import create_once, kept_at, parse_client_key
from sanxin.members.identity import identity_report_submit
from sanxin.members.models import IdentityReport
from tests.life.conftest import make_meeting
from tests.members_factories import id_number

pytestmark = pytest.mark.django_db
ID_NUMBER = id_number(date(1990, 5, 1))
OUTBOX = {"HTTP_X_SANXIN_OUTBOX": "1", "HTTP_ACCEPT": "application/json"}


def report_fields(branch, *, posted=False, **over):
    fields = {
        "name": "赵小骑",
        "id_number": ID_NUMBER,
        "phone": "13907910001",
        "joined_on": "2015-07-01" if posted else date(2015, 7, 1),
        "member_status": "full",
        "home_organization": "江西省赣州市于都县罗坳镇步前村党支部",
        "occupation": "外卖骑手",
        "employer_name": "",
        "party_organization": str(branch.pk) if posted else branch,
    }
    return fields | over


# ------------------------------------------------------------------------------------------------ create_once


def test_the_same_client_key_creates_one_report(personas, branch):
    key = uuid.uuid4()
    first = identity_report_submit(actor=personas["member"], client_key=str(key), **report_fields(branch))
    again = identity_report_submit(actor=personas["member"], client_key=str(key), **report_fields(branch))
    assert again.pk == first.pk and first.client_key == key
    assert IdentityReport.objects.count() == 1
    assert AuditEvent.objects.filter(action="identity_report_submit").count() == 1


def test_a_new_client_key_is_a_new_submission_with_its_own_rules(personas, branch):
    identity_report_submit(actor=personas["member"], client_key=str(uuid.uuid4()), **report_fields(branch))
    with pytest.raises(Exception, match="不能重复报到"):
        identity_report_submit(actor=personas["member"], client_key=str(uuid.uuid4()), **report_fields(branch))
    assert IdentityReport.objects.count() == 1


def test_the_key_is_per_owner(personas, branch):
    key = uuid.uuid4()
    identity_report_submit(actor=personas["member"], client_key=key, **report_fields(branch))
    other = identity_report_submit(actor=personas["worker"], client_key=key, **report_fields(branch, id_number=id_number(date(1991, 2, 3))))
    assert other.reporter == personas["worker"] and IdentityReport.objects.count() == 2


def test_without_a_key_each_call_creates(personas, branch):
    made = []
    create = lambda: made.append(1) or len(made)  # noqa: E731
    assert create_once(IdentityReport, owner={"reporter": personas["member"]}, client_key="", create=create) == (1, True)
    assert create_once(IdentityReport, owner={"reporter": personas["member"]}, client_key="not-a-uuid", create=create) == (2, True)


def test_a_race_lost_on_the_constraint_answers_the_winner(personas, branch):
    """Two arrivals of the same key pass the lookup together: the second's insert hits the unique constraint inside
    the savepoint, which rolls back (its audit event too) and answers the first row."""
    key = uuid.uuid4()
    winner = identity_report_submit(actor=personas["member"], client_key=key, **report_fields(branch))
    real_filter = IdentityReport.objects.filter
    calls = []

    def blind_first_lookup(*args, **kwargs):
        calls.append(kwargs)
        if len(calls) == 1:  # create_once's lookup misses, as it would have a moment before the winner committed
            return real_filter(pk=-1)
        return real_filter(*args, **kwargs)

    def create():
        audit_record(actor=personas["member"], action="should_roll_back", obj=winner, detail={})
        return IdentityReport.objects.create(**{**_copy(winner)}, reporter=personas["member"], client_key=key)

    with mock.patch.object(IdentityReport.objects, "filter", side_effect=blind_first_lookup):
        row, created = create_once(IdentityReport, owner={"reporter": personas["member"]}, client_key=key, create=create)
    assert (row.pk, created) == (winner.pk, False)
    assert not AuditEvent.objects.filter(action="should_roll_back").exists()
    assert IdentityReport.objects.count() == 1


def _copy(report):
    names = ["name", "id_number", "phone", "joined_on", "member_status", "home_organization", "occupation", "employer_name"]
    return {name: getattr(report, name) for name in names} | {"party_organization": report.party_organization, "status": "declined"}


def test_an_integrity_error_of_another_kind_is_not_swallowed(personas, branch):
    def create():
        raise IntegrityError("something else")

    with pytest.raises(IntegrityError):
        create_once(IdentityReport, owner={"reporter": personas["member"]}, client_key=uuid.uuid4(), create=create)


def test_parse_client_key():
    key = uuid.uuid4()
    assert parse_client_key(str(key)) == key and parse_client_key(f" {key} ") == key
    assert parse_client_key("") is None and parse_client_key(None) is None and parse_client_key("x" * 40) is None


def test_the_phone_form_sends_its_key(personas, branch, client_for):
    key = str(uuid.uuid4())
    client = client_for("member")
    data = report_fields(branch, posted=True, client_key=key)
    assert client.post("/m/identity/new/", data).status_code == 302
    assert client.post("/m/identity/new/", data).status_code == 302  # the same submission again: no refusal
    assert IdentityReport.objects.get().client_key == uuid.UUID(key)
    page = client.get("/m/identity/new/").content.decode()
    assert 'name="client_key"' in page and "客户端提交标识" not in page


# ------------------------------------------------------------------------------------- answering the outbox


def test_the_leave_request_answers_the_outbox_in_json_and_once(personas, branch, members, client_for):
    meeting = make_meeting(personas["county"], branch, topic="党小组会", starts_at=timezone.now() + timedelta(days=1))
    client = client_for("member")
    url = f"/m/meetings/{meeting.pk}/leave/"
    for _ in range(2):
        answer = client.post(url, {"reason": "外地送件", "client_key": str(uuid.uuid4())}, **OUTBOX)
        assert answer.status_code == 200
        assert answer.json() == {"ok": True, "message": "已请假：党小组会", "redirect": f"/m/meetings/{meeting.pk}/"}
    assert AuditEvent.objects.filter(action="meeting_leave_request").count() == 1
    assert "已请假：党小组会" in client.get(f"/m/meetings/{meeting.pk}/").content.decode()  # the flash message waits


def test_a_refused_leave_answers_the_outbox_with_the_reason(personas, branch, members, client_for):
    meeting = make_meeting(personas["county"], branch, topic="党小组会", starts_at=timezone.now() + timedelta(days=1))
    client = client_for("member")
    answer = client.post(f"/m/meetings/{meeting.pk}/leave/", {"reason": "  "}, **OUTBOX)
    assert answer.status_code == 400
    assert answer.json()["ok"] is False and answer.json()["message"] == "请假事由：请填写请假事由"
    plain = client.post(f"/m/meetings/{meeting.pk}/leave/", {"reason": "x" * 201})
    assert plain.status_code == 400 and "text/html" in plain["Content-Type"]


def test_the_leave_form_is_marked_for_the_outbox(personas, branch, members, client_for):
    meeting = make_meeting(personas["county"], branch, topic="党小组会", starts_at=timezone.now() + timedelta(days=1))
    page = client_for("member").get(f"/m/meetings/{meeting.pk}/").content.decode()
    assert 'data-offline="会议请假"' in page and 'name="client_key"' in page
    assert 'rel="manifest"' in page and "js/outbox.js" in page and 'id="sx-outbox"' in page


# ------------------------------------------------------------------------------------- the installable app


def test_the_service_worker_is_served_at_the_root(client):
    answer = client.get("/sw.js")
    assert answer.status_code == 200 and answer["Service-Worker-Allowed"] == "/" and answer["Cache-Control"] == "no-cache"
    assert answer["Content-Type"].startswith("application/javascript")
    body = answer.content.decode()
    assert '"/static/js/outbox.js"' in body and 'const OFFLINE_URL = "/offline/"' in body and "&#34;" not in body


def test_the_manifest_and_the_offline_page(client):
    manifest = client.get("/manifest.webmanifest")
    assert manifest["Content-Type"].startswith("application/manifest+json")
    data = manifest.json()
    assert data["name"] == "三新服务" and data["display"] == "standalone" and data["start_url"] == "/"
    assert {icon["sizes"] for icon in data["icons"]} == {"192x192", "512x512"}
    page = client.get("/offline/").content.decode()
    assert "当前没有网络" in page


def test_the_csrf_token_for_the_replay(client):
    answer = client.get("/offline/csrf/")
    assert len(answer.json()["token"]) == 64 and "no-store" in answer["Cache-Control"]


def test_the_content_security_policy_allows_the_worker_and_the_manifest(client):
    policy = client.get("/offline/")["Content-Security-Policy"]
    assert "worker-src 'self'" in policy and "manifest-src 'self'" in policy


def test_kept_at_is_the_phones_time_within_bounds(rf):
    now = timezone.now()

    def at(value):
        return kept_at(rf.post("/", HTTP_X_SANXIN_KEPT_AT=value), now=now)

    assert at((now - timedelta(hours=2)).isoformat()) == now - timedelta(hours=2)
    hour_ago = (now - timedelta(hours=1)).astimezone(UTC)
    js = hour_ago.strftime("%Y-%m-%dT%H:%M:%S.") + f"{hour_ago.microsecond // 1000:03d}Z"  # Date.toISOString()
    assert abs(at(js) - hour_ago) < timedelta(milliseconds=1)
    assert at((now + timedelta(hours=1)).isoformat()) is None  # the future
    assert at((now - timedelta(days=8)).isoformat()) is None  # too old to trust
    assert at("2026-12-02 08:00") is None and at("") is None and at("昨天") is None  # no zone, nothing, nonsense
