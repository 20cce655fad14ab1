"""The member's study pages on a phone (375 px) and the staff rates at 1440 px: nothing scrolls sideways, the button
is a large target, marking done works in the browser."""

import pytest

from sanxin.study.models import StudyCompletion
from sanxin.study.services import material_mark_done, material_publish, material_share
from tests.conftest import ARTIFACTS, log_in
from tests.study.conftest import make_material

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_study_on_a_phone(browser, live_server, personas, members, branch):
    county = personas["county"]
    material = material_publish(
        actor=county,
        material=make_material(
            county,
            title="学习《中国共产党章程》第一章 党员（新就业群体党员必读）",
            body="第一条 年满十八岁的中国工人、农民、军人、知识分子和其他社会阶层的先进分子……\n\n学习要求：结合本职工作思考。" * 3,
            link="https://www.12371.cn/a/very/long/path/that/should/not/push/the/page/sideways/when/shown/on/a/phone.html",
        ),
    )
    other = material_publish(actor=county, material=make_material(county, title="“小哥驿站”志愿服务指引"))
    material_share(actor=county, material=material, party_orgs=[branch])
    material_share(actor=county, material=other, party_orgs=[branch])
    page = log_in(browser, live_server, "member")
    page.set_viewport_size({"width": 375, "height": 740})
    page.goto(f"{live_server.url}/m/study/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    assert "待学习（2）" in page.inner_text("main")
    assert page.locator("nav[aria-label=底部导航] a[aria-current=page]").inner_text().strip() == "学习"
    page.screenshot(path=str(ARTIFACTS / "phone-member-study.png"), full_page=True)
    page.goto(f"{live_server.url}/m/study/{material.pk}/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 375
    button = page.locator("form[action$='/done/'] button")
    box = button.bounding_box()
    assert box["height"] >= 44 and box["width"] >= 300
    page.screenshot(path=str(ARTIFACTS / "phone-member-study-detail.png"), full_page=True)
    button.dblclick()
    page.wait_for_selector(".alert-success")
    assert StudyCompletion.objects.count() == 1
    page.screenshot(path=str(ARTIFACTS / "phone-member-study-done.png"), full_page=True)
    page.close()


def test_the_county_sees_rates_per_organization(browser, live_server, personas, members, branch, second_branch):
    county = personas["county"]
    for title in ("学习《中国共产党章程》第一章 党员", "新就业群体党建工作经验交流（视频）"):
        material = material_publish(actor=county, material=make_material(county, title=title))
        material_share(actor=county, material=material, region="360102")
    material_mark_done(actor=personas["member"], material=material)
    material_mark_done(actor=personas["secretary"], material=material)
    page = log_in(browser, live_server, "county")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/study/rates/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    assert "滕王阁快递党支部" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "desktop-county-study-rates.png"), full_page=True)
    page.goto(f"{live_server.url}/study/materials/{material.pk}/")
    assert "2 / 3" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "desktop-county-study-material.png"), full_page=True)
    page.goto(f"{live_server.url}/study/materials/{material.pk}/share/")
    assert page.evaluate("document.documentElement.scrollWidth") <= 1440
    page.screenshot(path=str(ARTIFACTS / "desktop-county-study-share.png"), full_page=True)
    page.close()
