# ruff: noqa: F811  (the fixtures imported from test_transfers are used as arguments)
"""Relation transfer pages: started from the member's page, answered by the receiving city on its own pages, shown
to both sides with the steps of each side, 404 to a third county; the receiving side's search finds the Party
organizations of other cities."""

from sanxin.core.models import AuditEvent
from sanxin.members.models import Transfer, TransferState
from tests.conftest import PASSWORD
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
from tests.orgs_factories import xlsx_text


def test_the_form_starts_from_a_member_kept_here_only(personas, client_for, member, receiving):
    county = client_for("county")
    page = county.get(f"/members/{member.pk}/").content.decode()
    assert f"/members/{member.pk}/transfer/" in page and "发起转接" in page
    form = county.get(f"/members/{member.pk}/transfer/")
    assert form.status_code == 200 and "接收党组织" in form.content.decode()
    for name in ("other_county", "outsider", "instructor"):
        assert client_for(name).get(f"/members/{member.pk}/transfer/").status_code == 404, name
    refused = county.post(
        f"/members/{member.pk}/transfer/", {"to_organization": member.party_organization_id, "letter_number": "1", "valid_until": VALID}
    )
    assert refused.status_code == 200 and "接收党组织不能是党员当前所在的党组织" in refused.content.decode()
    response = county.post(
        f"/members/{member.pk}/transfer/",
        {"to_organization": receiving.pk, "letter_number": "赣组转〔2026〕7号", "valid_until": VALID, "reason": "工作调动"},
    )
    transfer = Transfer.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/members/transfers/{transfer.pk}/"
    assert (transfer.to_organization, transfer.state) == (receiving, TransferState.INITIATED)
    # The member's page says a transfer is open and offers no second one; the form refuses a second one too.
    page = county.get(f"/members/{member.pk}/").content.decode()
    assert "组织关系转接办理中" in page and f"/members/{member.pk}/transfer/" not in page
    again = county.post(f"/members/{member.pk}/transfer/", {"to_organization": receiving.pk, "letter_number": "8", "valid_until": VALID})
    assert "已有未办结的组织关系转接" in again.content.decode() and Transfer.objects.count() == 1


def test_the_destination_search(personas, client_for, receiving):
    county = client_for("county")
    found = county.get("/members/transfers/destinations/", {"q": "浔阳", "field": "to_organization"}).content.decode()
    assert "浔阳区快递物流联合党支部" in found and "九江市" in found
    assert "浔阳区快递物流联合党支部" not in county.get("/members/transfers/destinations/", {"q": "浔"}).content.decode()
    picked = county.get("/members/transfers/destinations/", {"pick": receiving.pk, "field": "to_organization"})
    assert picked.status_code == 200 and f'value="{receiving.pk}"' in picked.content.decode()
    assert client_for("instructor").get("/members/transfers/destinations/", {"q": "浔阳"}).status_code == 404
    # The existing Party-organization picker stays within the scope: it does not find another city's.
    assert "浔阳区快递物流联合党支部" not in county.get("/party/lookup/", {"q": "浔阳"}).content.decode()


def test_the_receiving_city_answers_on_its_pages(personas, client_for, jiujiang, member, receiving):
    transfer = initiate(personas["county"], member, receiving)
    city = client_of(jiujiang)
    listing = city.get("/members/transfers/?direction=in").content.decode()
    assert ">转接党员<" in listing and "共 <strong>1</strong> 条" in listing
    assert ">转接党员<" not in city.get("/members/transfers/?direction=out").content.decode()
    detail = city.get(f"/members/transfers/{transfer.pk}/").content.decode()
    assert "同意接收" in detail and "退回原因" in detail and "撤销转接" not in detail
    assert member.id_number_masked in detail and member.id_number not in detail and member.phone not in detail
    assert f'href="/members/{member.pk}/"' not in detail  # no way to the member's page before completion
    assert city.get(f"/members/{member.pk}/").status_code == 404
    # 退回 without a reason is refused and changes nothing.
    response = city.post(f"/members/transfers/{transfer.pk}/reject/", {"reject-note": ""}, follow=True)
    assert "请填写退回原因" in response.content.decode()
    assert Transfer.objects.get().state == TransferState.INITIATED
    city.post(f"/members/transfers/{transfer.pk}/accept/", {})
    assert Transfer.objects.get().state == TransferState.ACCEPTED
    again = city.post(f"/members/transfers/{transfer.pk}/accept/", {}, follow=True)  # a double click
    assert "当前状态为“已接收”，不能同意接收" in again.content.decode()
    assert AuditEvent.objects.filter(action="transfer_accept").count() == 1
    city.post(f"/members/transfers/{transfer.pk}/complete/", {"complete-note": "已报到"})
    assert Transfer.objects.get().state == TransferState.COMPLETED
    assert city.get(f"/members/{member.pk}/").status_code == 200
    detail = city.get(f"/members/transfers/{transfer.pk}/").content.decode()
    assert f'href="/members/{member.pk}/"' in detail and "已报到" in detail  # the timeline's note


def test_the_sender_sees_only_cancel_and_cannot_answer(personas, client_for, member, receiving):
    transfer = initiate(personas["county"], member, receiving)
    county = client_for("county")
    detail = county.get(f"/members/transfers/{transfer.pk}/").content.decode()
    assert "撤销转接" in detail and "同意接收" not in detail
    response = county.post(f"/members/transfers/{transfer.pk}/accept/", {}, follow=True)
    assert "只有接收党组织（浔阳区快递物流联合党支部）方可办理此步骤" in response.content.decode()
    assert Transfer.objects.get().state == TransferState.INITIATED
    county.post(f"/members/transfers/{transfer.pk}/cancel/", {})
    assert Transfer.objects.get().state == TransferState.CANCELLED


def test_a_third_county_gets_404_on_page_step_and_api(personas, client_for, jiujiang, member, receiving):
    transfer = initiate(personas["county"], member, receiving)
    assert client_of(jiujiang).get(f"/members/transfers/{transfer.pk}/").status_code == 200
    assert client_of(jiujiang).get(f"/api/v1/transfers/{transfer.pk}").status_code == 200
    third_of_the_city = client_of(make_city_user("lianxi", "濂溪区委两新工委", "360402"))
    for client in (client_for("other_county"), third_of_the_city):
        assert client.get(f"/members/transfers/{transfer.pk}/").status_code == 404
        assert client.post(f"/members/transfers/{transfer.pk}/accept/", {}).status_code == 404
        assert client.get(f"/api/v1/transfers/{transfer.pk}").status_code == 404
        assert client.post(f"/api/v1/transfers/{transfer.pk}/accept", "{}", content_type="application/json").status_code == 404
        assert ">转接党员<" not in client.get("/members/transfers/").content.decode()
    assert Transfer.objects.get().state == TransferState.INITIATED


def test_export_and_menu(personas, client_for, member, receiving):
    initiate(personas["county"], member, receiving)
    county = client_for("county")
    assert "组织关系转接" in county.get("/").content.decode()
    response = county.post("/members/transfers/export/?direction=out", {"password": PASSWORD})
    assert response.status_code == 200
    text = xlsx_text(response.content)
    assert "转接党员" in text and "赣组转〔2026〕12号" in text and "浔阳区快递物流联合党支部" in text and member.id_number not in text
    empty = xlsx_text(county.post("/members/transfers/export/?direction=in", {"password": PASSWORD}).content)
    assert "转接党员" not in empty
