"""The forms of issue 10 (transfers, 亮身份 report and decision, outflow/inflow and lost contact, development) under
attack: full-width digits where a date is expected, over-long text, NUL, whitespace-only required fields, another
county's ids. Each is refused with a Chinese message naming the field (on the form, or "字段：原因" in the message of
a step that redirects), and nothing is written (no row, no timeline event, no audit event). NUL is refused for the
whole site by the control-character middleware (400).

Full-width digits in a phone number or an ID number read as half-width (tests/core/test_full_width.py); a date
typed with full-width digits is refused as not a date."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sanxin.core.models import AuditEvent, TimelineEvent
from sanxin.members.identity import identity_report_submit
from sanxin.members.mobility import mobile_outflow_register
from sanxin.members.models import Development, IdentityReport, LostContact, Member, MobileRegistration, Transfer
from sanxin.members.services import development_create
from sanxin.members.transfers import transfer_initiate
from sanxin.regions.models import Region
from tests.members_factories import id_number, make_member
from tests.orgs_factories import party_org

TODAY = timezone.localdate()
FULL = {code: code + 0xFEE0 for code in range(0x21, 0x7F)}
LONG = "长" * 501


def full(text: str) -> str:
    return text.translate(FULL)


@pytest.fixture
def world(personas, worker):
    county, there = personas["county"], personas["other_county"]
    branch = party_org(county, name="滕王阁快递外卖联合党支部")
    other = party_org(there, name="西湖区快递联合党支部", region=Region.objects.get(code="360103001"))
    member = make_member(county, branch, name="李四")
    stranger = make_member(there, other, name="西湖党员", status="full")
    moving = make_member(county, branch, name="转出人")
    transfer = transfer_initiate(
        actor=county, member=moving, to_organization=other, letter_number="赣组转〔2026〕1号", valid_until=TODAY + timedelta(days=30)
    )
    report = identity_report_submit(
        actor=worker,
        name="张骑手",
        id_number=id_number(date(1994, 3, 8)),
        phone="13912345678",
        joined_on=date(2016, 7, 1),
        member_status="full",
        home_organization="江西省吉安市某村党支部",
        occupation="外卖骑手",
        employer_name="",
        party_organization=branch,
    )
    away = make_member(county, branch, name="外出人")
    registration = mobile_outflow_register(actor=county, member=away, destination="浙江省杭州市", starts_on=TODAY - timedelta(days=3))
    development = development_create(
        actor=county, name="申请人", id_number=id_number(date(2000, 1, 1)), party_organization=branch, applied_on=date(2024, 1, 1)
    )
    return {
        "branch": branch,
        "other": other,
        "member": member,
        "stranger": stranger,
        "transfer": transfer,
        "report": report,
        "registration": registration,
        "development": development,
    }


def written() -> tuple:
    return (
        AuditEvent.objects.count(),
        TimelineEvent.objects.count(),
        tuple(Member.objects.order_by("pk").values_list("relation_mode", "party_organization_id", "status")),
        tuple(Transfer.objects.order_by("pk").values_list("state", flat=True)),
        tuple(IdentityReport.objects.order_by("pk").values_list("status", flat=True)),
        tuple(MobileRegistration.objects.order_by("pk").values_list("ends_on", flat=True)),
        LostContact.objects.count(),
        tuple(Development.objects.order_by("pk").values_list("stage", flat=True)),
    )


def transfer_form(w, **changes):
    data = {"to_organization": str(w["other"].pk), "letter_number": "赣组转〔2026〕2号", "valid_until": str(TODAY + timedelta(days=30))}
    return f"/members/{w['member'].pk}/transfer/", data | changes


def identity_form(w, **changes):
    data = {
        "name": "王骑手",
        "id_number": id_number(date(1995, 5, 5)),
        "phone": "13912345679",
        "joined_on": "2018-07-01",
        "member_status": "full",
        "home_organization": "江西省赣州市某党支部",
        "occupation": "外卖骑手",
        "party_organization": str(w["branch"].pk),
    }
    return "/m/identity/new/", data | changes


def staff_identity_form(w, **changes):
    return "/members/identity/new/", identity_form(w, **changes)[1]


def mobility(w, action, **data):
    return f"/members/{w['member'].pk}/mobility/{action}/", data


def step(w, kind, name, **data):
    urls = {
        "transfer": f"/members/transfers/{w['transfer'].pk}/{name}/",
        "identity": f"/members/identity/{w['report'].pk}/{name}/",
        "development": f"/members/development/{w['development'].pk}/{name}/",
        "end": f"/members/mobile/{w['registration'].pk}/end/",
    }
    return urls[kind], data


OUTFLOW = {"destination": "浙江省杭州市", "starts_on": str(TODAY)}
INFLOW = {"inflow-home_organization": "安徽省某党支部", "inflow-starts_on": str(TODAY)}
DATE_REFUSED = "输入一个有效的日期"
REQUIRED = "这个字段是必填项"

# (id, persona, request, what the answer says)
CASES = [
    # 发起转接
    ("transfer-letter-long", "county", lambda w: transfer_form(w, letter_number="号" * 51), "确保该变量包含不超过 50 字符"),
    ("transfer-letter-blank", "county", lambda w: transfer_form(w, letter_number="   "), REQUIRED),
    ("transfer-valid-full-width", "county", lambda w: transfer_form(w, valid_until=full(str(TODAY + timedelta(days=30)))), DATE_REFUSED),
    ("transfer-reason-long", "county", lambda w: transfer_form(w, reason="因" * 201), "确保该变量包含不超过 200 字符"),
    ("transfer-destination-unknown", "county", lambda w: transfer_form(w, to_organization="999999"), "所选接收党组织不存在或已撤销"),
    # 接收、退回、报到完成 (the receiving side)
    (
        "transfer-accept-note-long",
        "other_county",
        lambda w: step(w, "transfer", "accept", **{"accept-note": LONG}),
        "说明：确保该变量包含不超过 500 字符",
    ),
    ("transfer-reject-blank", "other_county", lambda w: step(w, "transfer", "reject", **{"reject-note": "  "}), "请填写退回原因"),
    (
        "transfer-reject-long",
        "other_county",
        lambda w: step(w, "transfer", "reject", **{"reject-note": LONG}),
        "退回原因：确保该变量包含不超过 500 字符",
    ),
    (
        "transfer-complete-long",
        "other_county",
        lambda w: step(w, "transfer", "complete", **{"complete-note": LONG}),
        "说明：确保该变量包含不超过 500 字符",
    ),
    # 亮身份报到 (the person's phone page and the staff's form) and its decision
    ("identity-joined-full-width", "worker", lambda w: identity_form(w, joined_on=full("2018-07-01")), DATE_REFUSED),
    ("identity-name-long", "worker", lambda w: identity_form(w, name="名" * 51), "确保该变量包含不超过 50 字符"),
    ("identity-name-blank", "worker", lambda w: identity_form(w, name="\u3000 "), REQUIRED),
    ("identity-home-long", "worker", lambda w: identity_form(w, home_organization="组" * 201), "确保该变量包含不超过 200 字符"),
    (
        "identity-staff-other-county",
        "county",
        lambda w: staff_identity_form(w, party_organization=str(w["other"].pk)),
        "不在您的管辖范围内",
    ),
    ("identity-confirm-no-decision", "county", lambda w: step(w, "identity", "confirm", **{"confirm-decision": " "}), "确认方式："),
    (
        "identity-confirm-note-long",
        "county",
        lambda w: step(w, "identity", "confirm", **{"confirm-decision": "mobile", "confirm-note": LONG}),
        "说明：确保该变量包含不超过 500 字符",
    ),
    (
        "identity-decline-long",
        "county",
        lambda w: step(w, "identity", "decline", **{"decline-reason": LONG}),
        "不予确认的原因：确保该变量包含不超过 500 字符",
    ),
    ("identity-decline-blank", "county", lambda w: step(w, "identity", "decline", **{"decline-reason": "   "}), "原因"),
    # 流出、流入、失联、结束
    (
        "outflow-start-full-width",
        "county",
        lambda w: mobility(w, "outflow", **OUTFLOW | {"starts_on": full(str(TODAY))}),
        DATE_REFUSED,
    ),
    (
        "outflow-destination-long",
        "county",
        lambda w: mobility(w, "outflow", **OUTFLOW | {"destination": "地" * 201}),
        "确保该变量包含不超过 200 字符",
    ),
    ("outflow-destination-blank", "county", lambda w: mobility(w, "outflow", **OUTFLOW | {"destination": "  "}), "请填写流入地"),
    ("outflow-note-long", "county", lambda w: mobility(w, "outflow", **OUTFLOW | {"note": LONG}), "确保该变量包含不超过 500 字符"),
    ("outflow-contact-long", "county", lambda w: mobility(w, "outflow", **OUTFLOW | {"contact": "1" * 21}), "确保该变量包含不超过 20 字符"),
    ("inflow-home-blank", "county", lambda w: mobility(w, "inflow", **INFLOW | {"inflow-home_organization": " "}), REQUIRED),
    (
        "inflow-home-long",
        "county",
        lambda w: mobility(w, "inflow", **INFLOW | {"inflow-home_organization": "组" * 201}),
        "确保该变量包含不超过 200 字符",
    ),
    ("inflow-start-full-width", "county", lambda w: mobility(w, "inflow", **INFLOW | {"inflow-starts_on": full(str(TODAY))}), DATE_REFUSED),
    ("lost-on-full-width", "county", lambda w: mobility(w, "lost", **{"lost-on": full(str(TODAY)), "lost-reason": "停机"}), DATE_REFUSED),
    ("lost-reason-blank", "county", lambda w: mobility(w, "lost", **{"lost-on": str(TODAY), "lost-reason": "  "}), "请填写失联原因"),
    (
        "lost-reason-long",
        "county",
        lambda w: mobility(w, "lost", **{"lost-on": str(TODAY), "lost-reason": LONG}),
        "确保该变量包含不超过 500 字符",
    ),
    ("end-full-width", "county", lambda w: step(w, "end", "end", **{"end-ends_on": full(str(TODAY))}), f"结束日期：{DATE_REFUSED}"),
    (
        "end-note-long",
        "county",
        lambda w: step(w, "end", "end", **{"end-ends_on": str(TODAY), "end-note": LONG}),
        "说明：确保该变量包含不超过 500 字符",
    ),
    # 发展党员 steps
    (
        "development-on-full-width",
        "county",
        lambda w: step(w, "development", "activist", **{"activist-on": full(str(TODAY))}),
        f"日期：{DATE_REFUSED}",
    ),
    (
        "development-note-long",
        "county",
        lambda w: step(w, "development", "activist", **{"activist-on": str(TODAY), "activist-note": LONG}),
        "说明：确保该变量包含不超过 500 字符",
    ),
    (
        "development-introducer-other-county",
        "county",
        lambda w: step(
            w,
            "development",
            "admit",
            **{
                "admit-on": str(TODAY),
                "admit-introducer_1": str(w["stranger"].pk),
                "admit-introducer_2": str(w["stranger"].pk),
                "admit-publicity_starts_on": str(TODAY - timedelta(days=10)),
                "admit-publicity_ends_on": str(TODAY - timedelta(days=3)),
            },
        ),
        "入党介绍人一：选择一个有效的选项",
    ),
]


@pytest.mark.parametrize(("persona", "make", "says"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_the_attack_is_refused_naming_the_field_and_nothing_is_written(client_for, world, worker, persona, make, says):
    from django.test import Client

    if persona == "worker":
        client = Client()
        client.force_login(worker)
    else:
        client = client_for(persona)
    url, data = make(world)
    before = written()
    response = client.post(url, data, follow=True)
    page = response.content.decode()
    assert response.status_code in (200, 400), (response.status_code, url)
    assert says in page, f"{url}: {says!r} not in the answer"
    assert written() == before


NUL_CASES = [
    ("transfer", lambda w: transfer_form(w, letter_number="赣组转\x00")),
    ("identity", lambda w: identity_form(w, name="张\x00")),
    ("outflow", lambda w: mobility(w, "outflow", **OUTFLOW | {"note": "\x00"})),
    ("reject", lambda w: step(w, "transfer", "reject", **{"reject-note": "\x00退回"})),
    ("development", lambda w: step(w, "development", "activist", **{"activist-on": str(TODAY), "activist-note": "\x00"})),
]


@pytest.mark.parametrize("make", [c[1] for c in NUL_CASES], ids=[c[0] for c in NUL_CASES])
def test_nul_is_refused_for_the_whole_request(client_for, world, make):
    url, data = make(world)
    before = written()[1:]  # the refusal itself is audited as a security event
    response = client_for("county" if "reject" not in url else "other_county").post(url, data)
    assert response.status_code == 400 and "控制字符" in response.content.decode()
    assert written()[1:] == before


def test_another_countys_ids_in_the_address_are_404(client_for, world):
    client = client_for("county")
    stranger = world["stranger"]
    before = written()[1:]  # a 404 on a write may be audited as a security event; nothing else is written
    assert client.post(f"/members/{stranger.pk}/transfer/", transfer_form(world)[1]).status_code == 404
    assert client.post(f"/members/{stranger.pk}/mobility/outflow/", OUTFLOW).status_code == 404
    outside = client_for("outsider")
    for url in (
        f"/members/transfers/{world['transfer'].pk}/accept/",
        f"/members/identity/{world['report'].pk}/confirm/",
        f"/members/development/{world['development'].pk}/activist/",
        f"/members/mobile/{world['registration'].pk}/end/",
    ):
        assert outside.post(url, {}).status_code == 404, url
    assert written()[1:] == before
