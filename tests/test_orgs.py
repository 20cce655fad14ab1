"""The organization registry: services, rules and pages."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError

from sanxin.core.models import AuditEvent
from sanxin.orgs.models import CoverageState, Organization
from sanxin.orgs.services import organization_deregister, organization_update
from sanxin.regions.models import Region
from tests.conftest import PASSWORD
from tests.orgs_factories import credit_code, make_org


def test_create_is_audited_and_starts_blank(personas):
    org = make_org(personas["county"], name="南昌顺达快递有限公司")
    assert org.kind == "economic" and org.coverage_state == CoverageState.BLANK
    event = AuditEvent.objects.get(action="organization.create", object_id=str(org.pk))
    assert event.actor_name == "county" and event.detail["new"]["name"] == "南昌顺达快递有限公司"


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"credit_code": "91360102MA35XXXXX1"}, "credit_code", "统一社会信用代码"),
        ({"name": "  "}, "name", "单位名称不能为空"),
        ({"category": "nonsense"}, "category", "单位类别"),
        ({"region": None}, "region", "所在地区代码不存在"),
        ({"employees": 2, "formal_members": 3}, "formal_members", "不能多于从业人员数"),
        ({"established_on": date.today() + timedelta(days=2)}, "established_on", "成立日期不能晚于今天"),
    ],
)
def test_bad_fields_refused_in_chinese(personas, fields, field, message):
    with pytest.raises(ValidationError) as caught:
        make_org(personas["county"], **fields)
    assert message in " ".join(caught.value.message_dict[field])
    assert not Organization.objects.exists()


def test_region_must_be_county_level_or_below(personas):
    with pytest.raises(ValidationError, match="区县一级"):
        make_org(personas["province"], region="3601")


def test_cannot_create_outside_own_scope(personas):
    with pytest.raises(ValidationError, match="不在您的管辖范围内"):
        make_org(personas["county"], region="360103001001")


def test_duplicate_credit_code_refused(personas):
    org = make_org(personas["county"])
    with pytest.raises(ValidationError, match="已在名录中"):
        make_org(personas["county"], credit_code=org.credit_code)


def test_update_audits_the_changes(personas):
    org = make_org(personas["county"], employees=10)
    organization_update(actor=personas["county"], organization=org, employees=12, formal_members=3)
    event = AuditEvent.objects.filter(action="organization.update").latest("id")
    assert event.detail["changes"]["employees"] == {"old": 10, "new": 12}
    org.refresh_from_db()
    assert org.should_establish  # three formal members, no Party organization of its own


def test_deregister_needs_reason_and_a_deregistered_status(personas):
    org = make_org(personas["county"])
    with pytest.raises(ValidationError):
        organization_deregister(actor=personas["county"], organization=org, status="active", reason="x")
    with pytest.raises(ValidationError):
        organization_deregister(actor=personas["county"], organization=org, status="cancelled", reason=" ")
    organization_deregister(actor=personas["county"], organization=org, status="cancelled", reason="市场监管注销")
    assert Organization.objects.get(pk=org.pk).registration_status == "cancelled"


def test_list_filters_and_search(personas, client_for):
    a = make_org(personas["county"], name="东湖甲快递有限公司", is_top500_private=True)
    make_org(personas["county"], name="东湖乙网络科技有限公司", industry="64")
    client = client_for("county")
    page = client.get("/orgs/", {"q": "甲快递"}).content.decode()
    assert "东湖甲快递有限公司" in page and "东湖乙网络" not in page
    assert "东湖甲快递有限公司" in client.get("/orgs/", {"q": a.credit_code}).content.decode()
    page = client.get("/orgs/", {"industry": "64"}).content.decode()
    assert "东湖乙网络" in page and "东湖甲快递" not in page
    page = client.get("/orgs/", {"flag": "is_top500_private"}).content.decode()
    assert "东湖甲快递" in page and "东湖乙网络" not in page
    page = client.get("/orgs/", {"coverage": "blank"}).content.decode()
    assert "东湖甲快递" in page


def test_create_page_explains_errors_and_keeps_input(client_for):
    client = client_for("county")
    response = client.post(
        "/orgs/new/",
        {
            "credit_code": "123",
            "name": "留着的名称",
            "category": "private",
            "industry": "",
            "region": "360102002001",
            "employees": 5,
            "formal_members": 0,
            "probationary_members": 0,
            "registration_status": "active",
        },
    )
    page = response.content.decode()
    assert "留着的名称" in page
    assert "这个字段是必填项" in page  # industry missing
    assert not Organization.objects.filter(name="留着的名称").exists()


def test_create_page_creates(client_for):
    from sanxin.regions.models import Industry

    client = client_for("county")
    code = credit_code()
    response = client.post(
        "/orgs/new/",
        {
            "credit_code": code,
            "name": "东湖新创有限公司",
            "category": "private",
            "industry": Industry.objects.get(code="64").pk,
            "region": "360102002001",
            "employees": 5,
            "formal_members": 0,
            "probationary_members": 0,
            "registration_status": "active",
        },
    )
    assert response.status_code == 302
    org = Organization.objects.get(credit_code=code)
    assert client.get(f"/orgs/{org.pk}/").status_code == 200


def test_export_asks_password_again_and_is_audited(personas, client_for):
    make_org(personas["county"], name="导出测试有限公司")
    client = client_for("county")
    assert "再次输入您的登录密码" in client.get("/orgs/export/").content.decode()
    wrong = client.post("/orgs/export/", {"password": "wrong"})
    assert wrong.status_code == 400 and AuditEvent.objects.filter(action="organization.export", outcome="denied").exists()
    ok = client.post("/orgs/export/", {"password": PASSWORD})
    assert ok["Content-Type"].startswith("application/vnd.openxmlformats")
    assert AuditEvent.objects.filter(action="organization.export", outcome="success").exists()


def test_full_region_path_on_hover(personas, client_for):
    make_org(personas["county"])
    page = client_for("county").get("/orgs/").content.decode()
    assert f'title="{Region.objects.get(code="360102002001").full_name}"' in page
