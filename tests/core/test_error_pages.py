"""404, 403, 400 and 500 are Chinese pages in the site's frame, never Django's English ones."""

from django.test import Client, RequestFactory
from django.views import defaults


def test_unknown_page_and_object_outside_scope_are_chinese_404_in_the_frame(personas, client_for):
    client = client_for("community")
    for url in ("/orgs/99999999/", "/no-such-page/", "/party/99999999/edit/"):
        response = client.get(url)
        page = response.content.decode()
        assert response.status_code == 404
        assert "页面不存在" in page and "返回首页" in page, url
        assert "组织名录" in page  # the menu of the signed-in user: the site's frame
        assert "Page not found" not in page and "Traceback" not in page
    anonymous = Client().get("/no-such-page/")
    assert anonymous.status_code == 404 and "页面不存在" in anonymous.content.decode()


def test_csrf_failure_is_a_chinese_403(personas):
    client = Client(enforce_csrf_checks=True)
    client.force_login(personas["county"])
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    page = response.content.decode()
    assert "无法完成请求" in page and "CSRF" not in page and "Forbidden" not in page


def test_server_error_page_renders_without_a_request_context(db):
    request = RequestFactory().get("/")
    response = defaults.server_error(request)
    page = response.content.decode()
    assert response.status_code == 500 and "系统出错" in page and "三新党建工作平台" in page and "Server Error" not in page


def test_bad_request_page(db):
    response = defaults.bad_request(RequestFactory().get("/"), exception=None)
    assert response.status_code == 400 and "请求有误" in response.content.decode()
