"""The city runs a 最美外卖配送员 campaign at 1440 px from the draft to the award; the rider sees the honour on his
phone (375 px). Nothing scrolls sideways; the screenshots go to test-artifacts/."""

from datetime import timedelta

import pytest
from django.utils import timezone

from sanxin.selections import services
from sanxin.selections.models import Campaign, CampaignStatus, Honour
from tests.appeals.test_browser import worker_page
from tests.conftest import ARTIFACTS, log_in
from tests.selections.conftest import DEEDS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_city_runs_a_campaign_and_the_rider_sees_the_honour(browser, live_server, personas, worker, rider):
    page = log_in(browser, live_server, "city")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.on("dialog", lambda dialog: dialog.accept())
    today = timezone.localdate()
    page.goto(f"{live_server.url}/selections/new/")
    page.select_option("#id_kind", "delivery")
    page.fill("#id_region", "3601")
    page.fill("#id_places", "2")
    page.fill("#id_nominate_from", (today - timedelta(days=1)).isoformat())
    page.fill("#id_nominate_until", (today + timedelta(days=10)).isoformat())
    page.fill("#id_award_points", "200")
    page.screenshot(path=str(ARTIFACTS / "staff-selection-new.png"), full_page=True)
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    campaign = Campaign.objects.get()
    page.click("button[data-action=open]")
    page.wait_for_selector(".alert-success")

    # The city nominates the rider of its area; the community's own nomination of another rider comes in too.
    page.click("text=推荐参评")
    page.select_option("#id_worker", str(worker.pk))
    page.fill("#id_deeds", DEEDS)
    page.click("main form button[type=submit]")
    page.wait_for_selector(".alert-success")
    services.nomination_create(actor=personas["community"], campaign=campaign, worker=rider, deeds="社区推荐：热心帮助新骑手。")

    page.click("button[data-action=review]")
    page.wait_for_selector(".alert-success")
    row = page.locator(f"tr[data-nomination='{campaign.nominations.get(worker=worker).pk}']")
    row.locator("button:has-text('通过')").first.click()
    page.wait_for_selector(".alert-success")
    row = page.locator(f"tr[data-nomination='{campaign.nominations.get(worker=rider).pk}']")
    row.locator("input[name=note]").fill("事迹材料不充分")
    row.locator("button:has-text('不通过')").click()
    page.wait_for_selector(".alert-success")
    page.click("button[data-action=publish]")
    page.wait_for_selector(".alert-success")
    assert "公示中" in page.inner_text("main")
    page.click("button[data-action=award]")
    page.wait_for_selector(".alert-danger")
    assert "公示期内不能表彰" in page.inner_text(".alert-danger")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    page.screenshot(path=str(ARTIFACTS / "staff-selection-publicity.png"), full_page=True)

    # The public notice: the approved only, the name masked.
    notice = browser.new_page(viewport={"width": 375, "height": 740})
    notice.goto(f"{live_server.url}/notice/selections/{campaign.pk}/")
    text = notice.inner_text("main")
    assert "测******r" in text and "钱多送" not in text and "钱*送" not in text
    notice.screenshot(path=str(ARTIFACTS / "phone-selection-notice.png"), full_page=True)
    notice.close()

    # Five working days later (the dates moved back, as time would), the city awards.
    Campaign.objects.filter(pk=campaign.pk).update(publicity_from=today - timedelta(days=10), publicity_until=today - timedelta(days=1))
    page.reload()
    page.click("button[data-action=award]")
    page.wait_for_selector(".alert-success")
    assert Campaign.objects.get().status == CampaignStatus.AWARDED
    assert "已授予" in page.inner_text("#nominations")
    page.screenshot(path=str(ARTIFACTS / "staff-selection-awarded.png"), full_page=True)
    page.close()

    phone = worker_page(browser, live_server, personas["worker"])
    phone.goto(f"{live_server.url}/w/honours/")
    honour = Honour.objects.get(worker=worker)
    assert honour.title in phone.inner_text("main") and "积分 +200" in phone.inner_text("main")
    assert phone.evaluate("document.documentElement.scrollWidth") <= 375
    phone.screenshot(path=str(ARTIFACTS / "phone-worker-honours.png"), full_page=True)
    phone.goto(f"{live_server.url}/w/")
    assert honour.title in phone.inner_text("[data-card=selections]")
    phone.close()
