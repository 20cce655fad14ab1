"""Staff pages as officers use them: on a phone (375 px) the menu is a drawer and nothing scrolls sideways;
at 1440 px names and short labels never break in the middle; error pages are Chinese pages of the site."""

import pytest

from sanxin.party.services import party_org_create
from sanxin.regions.models import Region
from tests.conftest import ARTIFACTS, log_in
from tests.orgs_factories import make_org

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# The lines a cell's text takes: the distinct tops of the boxes its contents lay out in.
LINES_OF = (
    "el => { const r = document.createRange(); r.selectNodeContents(el);"
    " return new Set([...r.getClientRects()].map(b => Math.round(b.top))).size; }"
)


@pytest.fixture
def registry(personas):
    county = personas["county"]
    words = ("顺捷快递物流供应链管理", "赣鄱网络信息科技服务", "洪城商贸连锁经营管理")
    firms = [make_org(county, name=f"南昌民巷{word}有限公司", region="360102002001") for word in words]
    for index, firm in enumerate(firms):
        party_org_create(
            actor=county,
            name=f"中共{firm.name}第一支部委员会",
            special_kinds=["mobile", "young_talent"],
            level="branch" if index else "provisional",
            establishment_form="building" if index else "standalone",
            region=Region.objects.get(code="360102002001"),
            secretary=["欧阳建国", "李华", "诸葛明亮"][index],
            covered=[firm],
        )
    return firms


def test_staff_pages_on_a_phone(browser, live_server, registry):
    page = log_in(browser, live_server, "community")
    page.set_viewport_size({"width": 375, "height": 800})
    for path, name in [
        ("/", "home"),
        ("/coverage/", "coverage"),
        ("/orgs/", "orgs"),
        (f"/orgs/{registry[0].pk}/", "org"),
        ("/party/", "party"),
    ]:
        page.goto(f"{live_server.url}{path}")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 375, f"{path} scrolls sideways: {width}px"
        assert not page.locator(".sx-sidebar").is_visible(), path  # the menu waits in its drawer
        main = page.locator(".sx-main").bounding_box()
        assert main["width"] >= 360, f"{path}: the content gets {main['width']}px"
        page.screenshot(path=str(ARTIFACTS / f"phone-community-{name}.png"), full_page=True)
    page.goto(f"{live_server.url}/")
    page.click("button[aria-controls=sx-menu]")
    page.locator("#sx-menu a[href='/orgs/']").wait_for(state="visible")
    # The drawer slides in: wait for the slide to end (Bootstrap drops "showing"), then it lies fully on screen.
    page.locator("#sx-menu.show:not(.showing)").wait_for()  # a selector, not a script: the CSP forbids eval
    assert page.locator("#sx-menu").bounding_box()["x"] >= 0
    page.screenshot(path=str(ARTIFACTS / "phone-community-menu.png"))
    page.locator("#sx-menu a[href='/orgs/']").click()
    page.wait_for_url(f"{live_server.url}/orgs/")
    page.goto(f"{live_server.url}/orgs/99999999/")
    assert "页面不存在" in page.inner_text(".sx-main")
    page.screenshot(path=str(ARTIFACTS / "phone-community-404.png"), full_page=True)
    page.close()


def test_names_and_short_labels_do_not_break_at_desktop_width(browser, live_server, registry):
    page = log_in(browser, live_server, "county")
    page.set_viewport_size({"width": 1440, "height": 900})
    page.goto(f"{live_server.url}/party/")
    header = page.locator("thead th").all_inner_texts()
    for column in ("书记", "层级", "组建方式", "所在地区"):
        index = next(i for i, text in enumerate(header) if column in text)
        cells = page.locator(f"tbody tr td:nth-child({index + 1})")
        assert cells.count() >= 3
        for i in range(cells.count()):
            assert cells.nth(i).evaluate(LINES_OF) == 1, f"{column} «{cells.nth(i).inner_text()}» breaks"
    page.screenshot(path=str(ARTIFACTS / "desktop-county-party.png"), full_page=True)
    page.close()
