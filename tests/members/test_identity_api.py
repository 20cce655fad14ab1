"""/api/v1/identity-reports and /api/v1/mobile-registrations: the same services and rules as the pages."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from sanxin.members.identity import identity_report_submit
from sanxin.members.models import IdentityReport, LostContact, Member, MobileRegistration
from sanxin.regions.models import Region
from tests.members.test_identity import fields
from tests.members_factories import id_number, make_member
from tests.orgs_factories import party_org

TODAY = timezone.localdate()


@pytest.fixture
def branch(personas):
    return party_org(personas["county"], name="滕王阁快递外卖联合党支部")


def payload(branch, **extra) -> dict:
    data = fields(branch) | {"party_organization": branch.pk, "joined_on": "2016-07-01"}
    return data | extra


def post(client, url, data):
    return client.post(url, data, content_type="application/json")


def test_a_worker_reports_and_reads_their_own(worker, branch, client_for):
    client = Client()
    client.force_login(worker)
    response = post(client, "/api/v1/identity-reports", payload(branch))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["status"] == "submitted" and body["id_number"].count("*") == 10 and body["phone"] == "139****5678"
    again = post(client, "/api/v1/identity-reports", payload(branch, id_number=IdentityReport.objects.get().id_number))
    assert again.status_code == 422 and "不能重复报到" in again.json()["detail"]
    mine = client.get("/api/v1/identity-reports?mine=true").json()
    assert [item["name"] for item in mine["items"]] == ["张骑手"]
    assert client.get("/api/v1/identity-reports").status_code == 404  # the receiving side's list is not theirs
    assert client.get(f"/api/v1/identity-reports/{body['id']}").status_code == 404
    assert post(client, "/api/v1/identity-reports", payload(branch, by_staff=True)).status_code == 403
    gone = post(client, "/api/v1/identity-reports", payload(branch, party_organization=999999))
    assert gone.status_code == 422 and "不存在或已撤销" in gone.json()["detail"]


def test_the_receiving_side_lists_confirms_and_declines(worker, branch, client_for):
    first = identity_report_submit(actor=worker, **fields(branch))
    second = identity_report_submit(actor=worker, **fields(branch, id_number=id_number(date(1991, 2, 2)), name="李骑手"))
    county = client_for("county")
    data = county.get("/api/v1/identity-reports").json()
    assert data["count"] == 2 and {s["status"]: s["count"] for s in data["statuses"]}["submitted"] == 2
    refused = post(county, f"/api/v1/identity-reports/{first.pk}/decline", {"reason": ""})
    assert refused.status_code == 422 and "请填写不予确认的原因" in refused.json()["detail"]
    body = post(county, f"/api/v1/identity-reports/{first.pk}/confirm", {"decision": "mobile", "note": "核实"}).json()
    assert body["status"] == "confirmed" and body["member"] == Member.objects.get(name="张骑手").pk
    twice = post(county, f"/api/v1/identity-reports/{first.pk}/confirm", {"decision": "mobile"})
    assert twice.status_code == 422 and "当前状态为“已确认”" in twice.json()["detail"]
    assert post(county, f"/api/v1/identity-reports/{second.pk}/decline", {"reason": "非党员"}).json()["status"] == "declined"
    assert county.get("/api/v1/identity-reports?status=declined").json()["count"] == 1
    other = client_for("other_county")
    assert post(other, f"/api/v1/identity-reports/{second.pk}/confirm", {"decision": "transfer"}).status_code == 404
    assert other.get(f"/api/v1/identity-reports/{second.pk}").status_code == 404


def test_mobile_registrations_over_the_api(personas, branch, client_for):
    member = make_member(personas["county"], branch, name="李外出")
    elsewhere = party_org(personas["other_county"], name="西湖区快递联合党支部", region=Region.objects.get(code="360103001"))
    county = client_for("county")
    bad = {"member": member.pk, "direction": "outflow", "destination": "上海", "starts_on": TODAY.isoformat()}
    bad["ends_on"] = (TODAY - timedelta(days=1)).isoformat()
    response = post(county, "/api/v1/mobile-registrations", bad)
    assert response.status_code == 422 and "不能早于开始日期" in response.json()["detail"]
    data = {"member": member.pk, "direction": "outflow", "destination_organization": elsewhere.pk, "starts_on": TODAY.isoformat()}
    body = post(county, "/api/v1/mobile-registrations", data).json()
    assert body["destination_organization"]["name"] == "西湖区快递联合党支部" and body["destination"] == "西湖区快递联合党支部"
    listed = county.get("/api/v1/mobile-registrations").json()
    assert listed["count"] == 1 and listed["counts"] == {"outflow": 1, "inflow": 0, "lost": 0}
    ended = post(county, f"/api/v1/mobile-registrations/{body['id']}/end", {"ends_on": TODAY.isoformat()}).json()
    assert ended["ends_on"] == TODAY.isoformat()
    assert county.get("/api/v1/mobile-registrations?ended=true").json()["count"] == 1
    lost = post(county, f"/api/v1/mobile-registrations/members/{member.pk}/lost", {"on": TODAY.isoformat(), "reason": "停机"}).json()
    assert lost["relation_mode"] == "lost" and LostContact.objects.filter(member=member, recovered_on=None).exists()
    twice = post(county, f"/api/v1/mobile-registrations/members/{member.pk}/lost", {"on": TODAY.isoformat(), "reason": "停机"})
    assert twice.status_code == 422 and "不能重复标记" in twice.json()["detail"]
    back = post(county, f"/api/v1/mobile-registrations/members/{member.pk}/recover", {"on": TODAY.isoformat(), "note": "联系上"})
    assert back.json()["relation_mode"] == "local"
    other = client_for("other_county")
    assert (
        post(other, f"/api/v1/mobile-registrations/members/{member.pk}/lost", {"on": TODAY.isoformat(), "reason": "x"}).status_code == 404
    )
    assert post(other, f"/api/v1/mobile-registrations/{body['id']}/end", {"ends_on": TODAY.isoformat()}).status_code == 404
    assert post(other, "/api/v1/mobile-registrations", data).status_code == 404
    assert MobileRegistration.objects.count() == 1
