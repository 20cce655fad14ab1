"""The member development pages: the pipeline with its counts, the detail with the steps and the timeline, the form."""

from datetime import date, timedelta

import pytest

from sanxin.core.workflow import timeline
from sanxin.members.models import Development, Member
from sanxin.regions.models import Region
from tests.members.test_development import ACTIVIST, ADMITTED, APPLIED, CANDIDATE, PUBLICITY, advanced, apply
from tests.members_factories import id_number, make_member
from tests.orgs_factories import party_org


@pytest.fixture
def branch(personas):
    return party_org(personas["county"], name="滕王阁青年人才党支部")


@pytest.fixture
def introducers(personas, branch):
    return (
        make_member(personas["county"], branch, name="介绍人甲", birth_date=date(1980, 1, 1)),
        make_member(personas["county"], branch, name="介绍人乙", birth_date=date(1981, 1, 1)),
    )


def test_the_pipeline_counts_each_stage_and_filters(client_for, personas, branch, introducers):
    county = personas["county"]
    apply(county, branch, name="申请人一")
    advanced(county, branch, introducers, "activist", name="积极分子一")
    advanced(county, branch, introducers, "candidate", name="发展对象一")
    client = client_for("township")
    page = client.get("/members/development/").content.decode()
    assert all(f">{n}<" in page for n in ("申请人一", "积极分子一", "发展对象一")) and "共 <strong>3</strong> 条" in page
    assert '入党申请人 <span class="badge text-bg-light">1</span>' in page and '预备党员 <span class="badge text-bg-light">0</span>' in page
    page = client.get("/members/development/?stage=activist").content.decode()
    assert ">积极分子一<" in page and ">申请人一<" not in page and "共 <strong>1</strong> 条" in page
    assert client_for("outsider").get("/members/development/").content.decode().count("申请人一") == 0


def test_create_form_refuses_under_eighteen_and_registers(client_for, branch):
    client = client_for("county")
    young = APPLIED.replace(year=APPLIED.year - 17)
    data = {"name": "王小", "id_number": id_number(young), "applied_on": APPLIED.isoformat(), "party_organization": branch.pk}
    page = client.post("/members/development/new/", data).content.decode()
    assert "递交入党申请时应年满 18 周岁" in page and not Development.objects.exists()
    data["id_number"] = id_number(date(1995, 1, 1))
    response = client.post("/members/development/new/", data)
    development = Development.objects.get()
    assert response.status_code == 302 and response.url == f"/members/development/{development.pk}/"


def test_detail_offers_the_next_step_and_takes_it(client_for, personas, branch, introducers):
    county = personas["county"]
    dev = advanced(county, branch, introducers, "activist")
    client = client_for("county")
    page = client.get(f"/members/development/{dev.pk}/").content.decode()
    assert "列为发展对象" in page and "登记入党申请" in page and "确定为入党积极分子" in page  # the button and the timeline
    early = (ACTIVIST + timedelta(days=100)).isoformat()
    response = client.post(f"/members/development/{dev.pk}/candidate/", {"candidate-on": early}, follow=True)
    assert "入党积极分子须经过一年以上培养教育" in response.content.decode()
    dev.refresh_from_db()
    assert dev.stage == "activist"
    client.post(f"/members/development/{dev.pk}/candidate/", {"candidate-on": CANDIDATE.isoformat()})
    dev.refresh_from_db()
    assert dev.stage == "candidate"
    page = client.get(f"/members/development/{dev.pk}/").content.decode()
    assert "接收为预备党员" in page and "介绍人甲" in page
    data = {
        "admit-on": ADMITTED.isoformat(),
        "admit-introducer_1": introducers[0].pk,
        "admit-introducer_2": introducers[1].pk,
        "admit-publicity_starts_on": PUBLICITY[0].isoformat(),
        "admit-publicity_ends_on": PUBLICITY[1].isoformat(),
    }
    client.post(f"/members/development/{dev.pk}/admit/", data)
    dev.refresh_from_db()
    assert dev.stage == "probationary" and Member.objects.get(pk=dev.member_id).status == "probationary"
    page = client.get(f"/members/development/{dev.pk}/").content.decode()
    assert "转为正式党员" in page


def test_a_viewer_without_the_right_sees_no_buttons_and_outsiders_get_404(client_for, personas, branch):
    dev = apply(personas["county"], branch)
    assert client_for("outsider").get(f"/members/development/{dev.pk}/").status_code == 404
    assert client_for("outsider").post(f"/members/development/{dev.pk}/activist/", {"activist-on": ACTIVIST}).status_code == 404
    assert client_for("county").post(f"/members/development/{dev.pk}/nonsense/", {}).status_code == 404


def test_a_recommending_organization_outside_the_scope_is_not_named(client_for, personas, branch, introducers):
    elsewhere = Region.objects.filter(code__startswith="360102", level=4).exclude(code="360102002").order_by("code").first()
    home = party_org(personas["county"], name="别处推荐党支部", region=elsewhere)
    dev = apply(personas["county"], branch, recommending_organization=home)
    county, township = client_for("county"), client_for("township")
    assert "别处推荐党支部" in county.get("/members/development/").content.decode()
    assert "别处推荐党支部" in county.get(f"/members/development/{dev.pk}/").content.decode()
    for url in ("/members/development/", f"/members/development/{dev.pk}/"):
        page = township.get(url).content.decode()
        assert ">李发展<" in page or "李发展" in page
        assert "别处推荐党支部" not in page and "不在您的管辖范围内" in page
    assert township.get(f"/api/v1/developments/{dev.pk}").json()["recommending_organization"] is None
    assert township.get("/api/v1/developments").json()["items"][0]["recommending_organization"] is None
    assert county.get(f"/api/v1/developments/{dev.pk}").json()["recommending_organization"]["name"] == "别处推荐党支部"


def test_a_double_click_on_admission_registers_one_member(client_for, personas, branch, introducers):
    dev = advanced(personas["county"], branch, introducers, "candidate")
    client = client_for("county")
    data = {
        "admit-on": ADMITTED.isoformat(),
        "admit-introducer_1": introducers[0].pk,
        "admit-introducer_2": introducers[1].pk,
        "admit-publicity_starts_on": PUBLICITY[0].isoformat(),
        "admit-publicity_ends_on": PUBLICITY[1].isoformat(),
    }
    members = Member.objects.count()
    client.post(f"/members/development/{dev.pk}/admit/", data)
    second = client.post(f"/members/development/{dev.pk}/admit/", data, follow=True).content.decode()
    assert Member.objects.count() == members + 1
    assert "当前状态为“预备党员”，不能接收为预备党员" in second
    dev.refresh_from_db()
    assert dev.stage == "probationary" and [e.transition for e in timeline(dev)].count("admit") == 1
