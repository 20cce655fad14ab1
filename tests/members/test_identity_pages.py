"""亮身份报到 pages: the person's phone pages, the receiving side's list (status counts, counts per region and
period), the staff form, the detail with its decisions, and 404 for anyone outside the receiving side."""

from datetime import date

import pytest
from django.test import Client
from django.utils import timezone

from sanxin.members.identity import identity_report_submit
from sanxin.members.models import IdentityReport, Member
from sanxin.party.models import PartyOrganization
from sanxin.regions.models import Region
from tests.members.test_identity import fields
from tests.members_factories import id_number
from tests.orgs_factories import party_org


@pytest.fixture
def branch(personas):
    return party_org(personas["county"], name="滕王阁快递外卖联合党支部")


@pytest.fixture
def worker_client(worker):
    client = Client()
    client.force_login(worker)
    return client


def form_data(branch, **extra) -> dict:
    data = fields(branch) | {"party_organization": branch.pk, "joined_on": "2016-07-01"}
    return {k: v for k, v in (data | extra).items()}


def test_a_worker_reports_from_the_phone_page(worker_client, worker, branch):
    page = worker_client.get("/m/identity/new/").content.decode()
    assert "亮身份报到" in page and 'name="viewport"' in page and "sx-sidebar" not in page and "底部导航" in page
    assert 'value="张骑手"' in page  # the account's name is filled in
    response = worker_client.post("/m/identity/new/", form_data(branch, phone="123"))
    assert "不是有效的 11 位大陆手机号" in response.content.decode() and not IdentityReport.objects.exists()
    response = worker_client.post("/m/identity/new/", form_data(branch))
    assert response.status_code == 302 and response.url == "/m/identity/"
    report = IdentityReport.objects.get()
    assert (report.reporter, report.party_organization, report.status) == (worker, branch, "submitted")
    page = worker_client.get("/m/identity/").content.decode()
    assert "滕王阁快递外卖联合党支部" in page and "待确认" in page and report.id_number not in page
    response = worker_client.post("/m/identity/new/", form_data(branch, id_number=report.id_number))
    assert "正在等待确认，不能重复报到" in response.content.decode() and IdentityReport.objects.count() == 1


def test_the_target_search_lists_names_only(worker_client, client_for, branch, personas):
    far = party_org(personas["outsider"], name="玄武区快递联合党支部", region=Region.objects.get(code="320102"))
    PartyOrganization.objects.filter(pk=party_org(personas["county"], name="已撤销的快递联合党支部").pk).update(status="revoked")
    page = worker_client.get("/members/identity/lookup/?field=party_organization&q=快递联合").content.decode()
    # Any active Party organization on the platform, wherever the member works; a revoked one is not offered.
    assert "滕王阁快递外卖联合党支部" not in page  # “快递联合” is not in its name
    assert "玄武区快递联合党支部" in page and "已撤销" not in page
    assert "快递" in worker_client.get("/members/identity/lookup/?field=party_organization&q=快递").content.decode()
    assert "党支部" not in worker_client.get("/members/identity/lookup/?field=party_organization&q=快").content.decode()  # 2 characters
    assert (
        "滕王阁快递外卖联合党支部" in worker_client.get("/members/identity/lookup/?field=party_organization&q=滕王阁 联合").content.decode()
    )
    assert worker_client.get(f"/members/identity/lookup/?field=party_organization&pick={far.pk}").status_code == 200
    assert client_for("instructor").get("/members/identity/lookup/?q=快递").status_code == 404


def test_the_list_counts_statuses_and_regions(client_for, personas, worker, branch):
    west = party_org(personas["other_county"], name="西湖区快递联合党支部", region=Region.objects.get(code="360103001"))
    first = identity_report_submit(actor=worker, **fields(branch))
    identity_report_submit(actor=worker, **fields(branch, id_number=id_number(date(1991, 1, 1)), name="李骑手"))
    identity_report_submit(actor=worker, **fields(west, id_number=id_number(date(1992, 1, 1)), name="王骑手"))
    client_for("county").post(f"/members/identity/{first.pk}/decline/", {"decline-reason": "非党员"})
    client = client_for("city")
    page = client.get("/members/identity/").content.decode()
    assert all(f">{n}<" in page for n in ("张骑手", "李骑手", "王骑手")) and "共 <strong>3</strong> 条" in page
    assert '待确认 <span class="badge text-bg-light">2</span>' in page and '不予确认 <span class="badge text-bg-light">1</span>' in page
    table = page[page.index('id="identity-by-region"') :]
    assert '<td>东湖区</td><td class="text-end">2</td><td class="text-end">0</td><td class="text-end">1</td>' in table
    assert '<td>西湖区</td><td class="text-end">1</td>' in table
    page = client.get("/members/identity/?status=declined").content.decode()
    assert ">张骑手<" in page and ">李骑手<" not in page and "共 <strong>1</strong> 条" in page
    last_year = f"{timezone.localdate().year - 1}-01"
    table = client.get(f"/members/identity/?period={last_year}").content.decode().split('id="identity-by-region"')[1]
    assert "东湖区" not in table and "合计" in table
    page = client_for("other_county").get("/members/identity/").content.decode()
    assert ">王骑手<" in page and ">张骑手<" not in page and "共 <strong>1</strong> 条" in page


def test_staff_enter_a_report_and_the_secretary_confirms_it(client_for, personas, branch):
    from tests.members_factories import make_member

    make_member(personas["county"], branch, name="书记本人", user=personas["secretary"])
    client = client_for("county")
    response = client.post("/members/identity/new/", form_data(branch))
    report = IdentityReport.objects.get()
    assert response.status_code == 302 and response.url == f"/members/identity/{report.pk}/" and report.by_staff
    secretary = client_for("secretary")
    page = secretary.get(f"/members/identity/{report.pk}/").content.decode()
    assert "确认报到" in page and "不予确认的原因" in page and report.id_number not in page and report.id_number_masked in page
    response = secretary.post(f"/members/identity/{report.pk}/decline/", {"decline-reason": ""}, follow=True)
    assert "请填写不予确认的原因" in response.content.decode()
    secretary.post(f"/members/identity/{report.pk}/confirm/", {"confirm-decision": "mobile", "confirm-note": "已核实"})
    report.refresh_from_db()
    member = Member.objects.get(name="张骑手")
    assert (report.status, report.member, member.relation_mode) == ("confirmed", member, "mobile")
    page = secretary.get(f"/members/identity/{report.pk}/").content.decode()
    assert "作为流动党员在此参加组织生活：已核实" in page and "不予确认的原因" not in page
    page = secretary.get(f"/members/{member.pk}/").content.decode()
    assert "亮身份报到确认" in page and "登记流入" in page


def test_outsiders_get_404_on_every_decision(client_for, personas, worker, branch):
    report = identity_report_submit(actor=worker, **fields(branch))
    for persona in ("other_county", "outsider", "secretary", "instructor"):
        client = client_for(persona)
        assert client.post(f"/members/identity/{report.pk}/confirm/", {"confirm-decision": "transfer"}).status_code == 404, persona
        assert client.post(f"/members/identity/{report.pk}/decline/", {"decline-reason": "x"}).status_code == 404, persona
    report.refresh_from_db()
    assert report.status == "submitted"
    worker_client = Client()
    worker_client.force_login(worker)
    assert worker_client.get(f"/members/identity/{report.pk}/").status_code == 404  # the staff page is not the reporter's
    assert client_for("county").get("/m/identity/").status_code == 404  # staff do not report here
