"""Member development over the API: the same services, rules, scope and masked numbers as the pages."""

import json
from datetime import date, timedelta

import pytest

from sanxin.members.api import DevelopmentOut
from sanxin.members.models import Development, Member
from tests.members.test_development import ACTIVIST, ADMITTED, APPLIED, CANDIDATE, FULL, PUBLICITY, advanced, apply
from tests.members_factories import id_number, make_member
from tests.orgs_factories import party_org


def text(response) -> str:
    return json.dumps(response.json(), ensure_ascii=False)


def post(client, url, body):
    return client.post(url, json.dumps(body, default=str), content_type="application/json")


@pytest.fixture
def branch(personas):
    return party_org(personas["county"], name="滕王阁青年人才党支部")


@pytest.fixture
def introducers(personas, branch):
    return (
        make_member(personas["county"], branch, name="介绍人甲", birth_date=date(1980, 1, 1)),
        make_member(personas["county"], branch, name="介绍人乙", birth_date=date(1981, 1, 1)),
    )


def test_create_every_step_and_read(client_for, branch, introducers):
    client = client_for("county")
    number = id_number(date(1996, 2, 3))
    young = id_number(APPLIED.replace(year=APPLIED.year - 17))
    refused = post(
        client, "/api/v1/developments", {"name": "接口申请人", "id_number": young, "applied_on": APPLIED, "party_organization": branch.pk}
    )
    assert refused.status_code == 422 and "递交入党申请时应年满 18 周岁" in text(refused)
    response = post(
        client, "/api/v1/developments", {"name": "接口申请人", "id_number": number, "applied_on": APPLIED, "party_organization": branch.pk}
    )
    assert response.status_code == 201, response.content
    created = response.json()
    assert created["stage"] == "applicant" and number not in response.content.decode() and created["birth_date"] == "1996-02-03"
    url = f"/api/v1/developments/{created['id']}"
    assert post(client, f"{url}/activist", {"on": ACTIVIST}).json()["stage"] == "activist"
    early = post(client, f"{url}/candidate", {"on": ACTIVIST + timedelta(days=30)})
    assert early.status_code == 422 and "入党积极分子须经过一年以上培养教育" in text(early)
    assert post(client, f"{url}/candidate", {"on": CANDIDATE}).json()["stage"] == "candidate"
    admit = {
        "on": ADMITTED,
        "introducer_1": introducers[0].pk,
        "introducer_2": introducers[0].pk,
        "publicity_starts_on": PUBLICITY[0],
        "publicity_ends_on": PUBLICITY[1],
    }
    same = post(client, f"{url}/admit", admit)
    assert same.status_code == 422 and "两名入党介绍人不能是同一人" in text(same)
    admitted = post(client, f"{url}/admit", admit | {"introducer_2": introducers[1].pk}).json()
    assert admitted["stage"] == "probationary" and [i["name"] for i in admitted["introducers"]] == ["介绍人甲", "介绍人乙"]
    assert Member.objects.get(pk=admitted["member"]).status == "probationary"
    assert post(client, f"{url}/full", {"on": FULL}).json()["stage"] == "full"
    assert Member.objects.get(pk=admitted["member"]).status == "full"
    read = client.get(url).json()
    assert DevelopmentOut(**read).full_on == FULL


def test_list_with_stage_counts_and_scope(client_for, personas, branch, introducers):
    apply(personas["county"], branch, name="申请人一")
    advanced(personas["county"], branch, introducers, "activist", name="积极分子一")
    data = client_for("township").get("/api/v1/developments?stage=activist").json()
    assert [i["name"] for i in data["items"]] == ["积极分子一"] and data["count"] == 1
    assert {s["stage"]: s["count"] for s in data["stages"]} == {"applicant": 1, "activist": 1, "candidate": 0, "probationary": 0, "full": 0}
    assert client_for("outsider").get("/api/v1/developments").json()["count"] == 0
    dev = Development.objects.get(name="申请人一")
    assert client_for("outsider").get(f"/api/v1/developments/{dev.pk}").status_code == 404
    assert post(client_for("outsider"), f"/api/v1/developments/{dev.pk}/activist", {"on": ACTIVIST}).status_code == 404
    assert (
        post(
            client_for("auditadmin"),
            "/api/v1/developments",
            {"name": "x", "id_number": "x", "applied_on": APPLIED, "party_organization": branch.pk},
        ).status_code
        == 403
    )
