# ruff: noqa: F811  (the fixtures imported from test_transfers are used as arguments)
"""Relation transfers over the API: the same services, rules and two-sided scope as the pages; numbers masked."""

import json

from sanxin.members.models import Transfer, TransferState
from tests.members.test_transfers import (  # noqa: F401  (fixtures)
    VALID,
    branch,
    client_of,
    initiate,
    jiujiang,
    make_city_user,
    member,
    receiving,
)


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}, default=str), content_type="application/json")


def text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def test_create_list_and_every_step(personas, client_for, jiujiang, member, receiving):
    county = client_for("county")
    body = {"member": member.pk, "to_organization": receiving.pk, "letter_number": "赣组转〔2026〕9号", "valid_until": VALID}
    same = post(county, "/api/v1/transfers", body | {"to_organization": member.party_organization_id})
    assert same.status_code == 422 and "接收党组织不能是党员当前所在的党组织" in text(same)
    response = post(county, "/api/v1/transfers", body)
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["state"] == "initiated" and created["to_organization"]["region_name"].startswith("江西省 九江市")
    assert created["member"]["id_number"] == member.id_number_masked and member.id_number not in response.content.decode()
    twice = post(county, "/api/v1/transfers", body)
    assert twice.status_code == 422 and "已有未办结的组织关系转接" in text(twice)
    url = f"/api/v1/transfers/{created['id']}"

    city = client_of(jiujiang)
    assert [t["id"] for t in city.get("/api/v1/transfers?direction=in").json()["items"]] == [created["id"]]
    assert city.get("/api/v1/transfers?direction=out").json()["count"] == 0
    assert county.get("/api/v1/transfers?direction=out&state=initiated").json()["count"] == 1
    assert county.get("/api/v1/transfers?state=completed").json()["count"] == 0
    assert county.get("/api/v1/transfers?direction=sideways").status_code == 422

    wrong_side = post(county, f"{url}/accept")
    assert wrong_side.status_code == 422 and "只有接收党组织" in text(wrong_side)
    no_reason = post(city, f"{url}/reject", {"note": ""})
    assert no_reason.status_code == 422 and "请填写退回原因" in text(no_reason)
    assert post(city, f"{url}/accept").json()["state"] == "accepted"
    double = post(city, f"{url}/accept")
    assert double.status_code == 422 and "当前状态为“已接收”，不能同意接收" in text(double)
    assert post(county, f"{url}/cancel").status_code == 422
    done = post(city, f"{url}/complete", {"note": "已报到"})
    assert done.status_code == 200 and done.json()["state"] == "completed" and done.json()["completed_on"]
    member.refresh_from_db()
    assert member.party_organization == receiving
    assert county.get(url).json()["state"] == "completed"  # the sender keeps the record


def test_only_members_kept_here_and_live_destinations(personas, client_for, member, receiving):
    body = {"member": member.pk, "to_organization": receiving.pk, "letter_number": "1", "valid_until": VALID}
    assert post(client_for("other_county"), "/api/v1/transfers", body).status_code == 404
    assert post(client_for("instructor"), "/api/v1/transfers", body).status_code == 403
    missing = post(client_for("county"), "/api/v1/transfers", body | {"to_organization": 2_000_000})
    assert missing.status_code == 422 and "不存在或已撤销" in text(missing)
    assert not Transfer.objects.exists()


def test_a_third_county_gets_404(personas, client_for, jiujiang, member, receiving):
    transfer = initiate(personas["county"], member, receiving)
    assert client_of(jiujiang).get(f"/api/v1/transfers/{transfer.pk}").status_code == 200
    for client in (client_for("other_county"), client_of(make_city_user("lianxi", "濂溪区委两新工委", "360402"))):
        assert client.get(f"/api/v1/transfers/{transfer.pk}").status_code == 404
        assert client.get("/api/v1/transfers").json()["count"] == 0
        for step in ("accept", "reject", "complete", "cancel"):
            assert post(client, f"/api/v1/transfers/{transfer.pk}/{step}", {"note": "x"}).status_code == 404, step
    assert Transfer.objects.get().state == TransferState.INITIATED
