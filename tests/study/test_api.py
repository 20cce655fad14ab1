"""Study materials over the API: the page's services and scope, sharing, the member's list and marking done."""

import json

from sanxin.study.api import MaterialOut, RateOut
from sanxin.study.models import StudyCompletion, StudyMaterial, StudyShare
from sanxin.study.services import material_share


def post(client, url, body=None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def test_create_publish_share_and_rates(client_for, personas, members, branch, second_branch, other_branch):
    client = client_for("county")
    response = post(client, "/api/v1/study/materials", {"title": "学习党章", "kind": "video", "link": "https://www.12371.cn/v.mp4"})
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    MaterialOut(**response.json())
    response = post(client, f"/api/v1/study/materials/{pk}/shares", {"region": "360102"})
    assert response.status_code == 422 and "发布后才能分享" in text(response)
    assert post(client, f"/api/v1/study/materials/{pk}/publish").json()["status"] == "published"
    response = post(client, f"/api/v1/study/materials/{pk}/shares", {"party_organizations": [branch.pk, other_branch.pk]})
    assert response.status_code == 422 and "不在您的管辖范围内" in text(response) and other_branch.name not in text(response)
    assert not StudyShare.objects.exists()
    assert post(client, f"/api/v1/study/materials/{pk}/shares", {"region": "360102"}).json() == {"shared": 2, "already": 0}
    assert post(client, f"/api/v1/study/materials/{pk}/shares", {"region": "360102"}).json() == {"shared": 0, "already": 2}
    member = client_for("member")
    mine = member.get("/api/v1/study/mine").json()
    assert [item["title"] for item in mine["items"]] == ["学习党章"] and mine["items"][0]["done_at"] is None
    response = post(member, f"/api/v1/study/mine/{pk}/done")
    assert response.status_code == 200, response.content
    response = post(member, f"/api/v1/study/mine/{pk}/done")
    assert response.status_code == 422 and "无需重复标记" in text(response)
    assert StudyCompletion.objects.count() == 1
    rates = client.get(f"/api/v1/study/rates?material={pk}").json()
    assert rates["count"] == 2
    row = next(item for item in rates["items"] if item["party_organization"] == branch.pk)
    RateOut(**row)
    assert (row["done"], row["expected"]) == (1, 3) and abs(row["rate"] - 1 / 3) < 1e-9
    assert client_for("other_county").get(f"/api/v1/study/rates?material={pk}").json()["count"] == 0


def test_refusals_over_the_api(client_for, personas, members, branch, material):
    client = client_for("county")
    for body, reason in (
        ({"title": "长" * 101}, "最多 100 个字符"),
        ({"title": "标题", "link": "javascript:alert(1)"}, "http:// 或 https://"),
        ({"title": ""}, "至少 1 个字符"),
        ({}, "必须填写"),
    ):
        response = post(client, "/api/v1/study/materials", body)
        assert response.status_code == 422 and reason in text(response), body
    response = client.post("/api/v1/study/materials", json.dumps({"title": "标题\u0000"}), content_type="application/json")
    assert response.status_code in (400, 422)
    assert StudyMaterial.objects.count() == 1  # the fixture's
    other = client_for("other_county")
    assert other.get(f"/api/v1/study/materials/{material.pk}").status_code == 404
    assert post(other, f"/api/v1/study/materials/{material.pk}/withdraw", {"note": "x"}).status_code == 404
    assert post(other, f"/api/v1/study/materials/{material.pk}/shares", {"region": "360103"}).status_code == 404
    response = post(client, f"/api/v1/study/materials/{material.pk}/withdraw", {"note": "有误"})
    assert response.json()["status"] == "withdrawn"


def test_a_member_cannot_mark_what_is_not_shared_to_them_or_withdrawn(client_for, personas, members, branch, second_branch, material):
    material_share(actor=personas["county"], material=material, party_orgs=[second_branch])
    member = client_for("member")
    assert post(member, f"/api/v1/study/mine/{material.pk}/done").status_code == 404
    material_share(actor=personas["county"], material=material, party_orgs=[branch])
    post(client_for("county"), f"/api/v1/study/materials/{material.pk}/withdraw", {"note": "有误"})
    response = post(member, f"/api/v1/study/mine/{material.pk}/done")
    assert response.status_code == 422 and "已撤回" in text(response)
    assert not StudyCompletion.objects.exists()
    assert client_for("county").get("/api/v1/study/mine").status_code == 404
