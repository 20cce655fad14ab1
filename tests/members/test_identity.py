"""亮身份报到: every rule broken is refused with its Chinese reason and writes nothing; a report submitted by the
person or by staff, confirmed as a mobile member (the Member written through the member services, an inflow
registration, the member's timeline) or for a transfer (only the decision recorded), or declined with a reason."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test import TestCase
from django.utils import timezone

from sanxin.core.guards import Refused
from sanxin.core.models import AuditEvent, Notification, TimelineEvent
from sanxin.members.identity import (
    identity_counts_by_region,
    identity_report_confirm,
    identity_report_decline,
    identity_report_list,
    identity_report_submit,
    parse_period,
)
from sanxin.members.models import IdentityReport, Member, MobileRegistration
from sanxin.regions.models import Region
from tests.members_factories import id_number, make_member
from tests.orgs_factories import party_org


@pytest.fixture
def branch(personas):
    return party_org(personas["county"], name="滕王阁快递外卖联合党支部")


@pytest.fixture
def other_branch(personas):
    return party_org(personas["other_county"], name="西湖区快递联合党支部", region=Region.objects.get(code="360103001"))


def fields(branch, **extra) -> dict:
    data = {
        "name": "张骑手",
        "id_number": id_number(date(1994, 3, 8)),
        "phone": "13912345678",
        "joined_on": date(2016, 7, 1),
        "member_status": "full",
        "home_organization": "江西省吉安市某村党支部",
        "occupation": "外卖骑手",
        "employer_name": "某外卖站点",
        "party_organization": branch,
    }
    return data | extra


def writes() -> tuple:
    return (
        IdentityReport.objects.count(),
        IdentityReport.objects.exclude(status="submitted").count(),
        Member.objects.count(),
        MobileRegistration.objects.count(),
        TimelineEvent.objects.count(),
        AuditEvent.objects.count(),
    )


def refused(call, reason: str) -> None:
    before = writes()
    with pytest.raises(ValidationError) as error:
        call()
    assert reason in " ".join(error.value.messages), error.value.messages
    assert writes() == before


def test_a_worker_reports_and_the_secretary_confirms_as_a_mobile_member(personas, worker, branch):
    secretary = personas["secretary"]
    make_member(personas["county"], branch, name="书记本人", user=secretary)
    report = identity_report_submit(actor=worker, **fields(branch))
    assert (report.status, report.reporter, report.by_staff) == ("submitted", worker, False)
    # Encrypted with a blind index, never stored in clear; the audit holds masked values only.
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM members_identityreport WHERE id = %s", [report.pk])
        raw = " ".join(cursor.fetchone())
    assert report.id_number not in raw and "13912345678" not in raw
    audit = AuditEvent.objects.get(action="identity_report_submit")
    assert report.id_number not in str(audit.detail) and "139****5678" in str(audit.detail)
    # The secretary of the receiving branch sees it; the worker sees their own; another branch's staff do not.
    assert list(identity_report_list(user=secretary)) == [report]
    assert list(identity_report_list(user=worker, mine=True)) == [report]
    assert not identity_report_list(user=personas["other_county"]).exists()

    report = identity_report_confirm(actor=secretary, report=report, decision="mobile", note="已核实")
    report.refresh_from_db()
    member = report.member
    assert (report.status, report.decision, report.decided_by, report.decision_note) == ("confirmed", "mobile", secretary, "已核实")
    assert (member.name, member.party_organization, member.relation_mode, member.status) == ("张骑手", branch, "mobile", "full")
    assert (member.id_number, member.phone, member.birth_date, member.gender) == (report.id_number, "13912345678", date(1994, 3, 8), "male")
    inflow = MobileRegistration.objects.get(member=member)
    assert (inflow.direction, inflow.home_organization, inflow.starts_on) == ("inflow", "江西省吉安市某村党支部", timezone.localdate())
    labels = list(TimelineEvent.objects.filter(object_type="members.member", object_id=str(member.pk)).values_list("label", flat=True))
    assert labels == ["登记党员", "登记流入", "亮身份报到确认"]
    report_events = TimelineEvent.objects.filter(object_type="members.identityreport", object_id=str(report.pk))
    assert list(report_events.values_list("label", flat=True)) == ["本人提交报到", "确认报到"]
    assert AuditEvent.objects.filter(action="identity_report_confirm", detail__new="confirmed").exists()
    assert AuditEvent.objects.filter(action="member_create").exists()


def test_confirming_for_a_transfer_records_only_the_decision(personas, worker, branch):
    report = identity_report_submit(actor=personas["member"], **fields(branch))
    report = identity_report_confirm(actor=personas["county"], report=report, decision="transfer", note="组织关系在外省，启动转接")
    report.refresh_from_db()
    assert (report.status, report.decision, report.member, report.decision_note) == (
        "confirmed",
        "transfer",
        None,
        "组织关系在外省，启动转接",
    )
    assert not Member.objects.exists() and not MobileRegistration.objects.exists()


def test_staff_enter_a_report_for_someone_in_their_own_party_organization_only(personas, worker, branch, other_branch):
    county = personas["county"]
    report = identity_report_submit(actor=county, by_staff=True, **fields(branch))
    assert (report.by_staff, report.reporter) == (True, None)
    refused(
        lambda: identity_report_submit(actor=county, by_staff=True, **fields(other_branch, id_number=id_number(date(1990, 1, 1)))),
        "工作人员只能为本人管辖的党组织代为登记报到",
    )
    with pytest.raises(Refused):
        identity_report_submit(actor=worker, by_staff=True, **fields(branch))
    with pytest.raises(Refused):
        identity_report_submit(actor=county, **fields(branch))  # staff do not report for themselves here


def test_decline_needs_a_reason(personas, worker, branch):
    report = identity_report_submit(actor=worker, **fields(branch))
    refused(lambda: identity_report_decline(actor=personas["county"], report=report, reason="  "), "请填写不予确认的原因")
    report = identity_report_decline(actor=personas["county"], report=report, reason="经核实不是党员")
    assert (report.status, report.decision_note, report.decision) == ("declined", "经核实不是党员", "")


def test_a_report_is_decided_once(personas, worker, branch):
    report = identity_report_submit(actor=worker, **fields(branch))
    identity_report_confirm(actor=personas["county"], report=report, decision="transfer")
    refused(
        lambda: identity_report_confirm(actor=personas["county"], report=report, decision="transfer"), "当前状态为“已确认”，不能确认报到"
    )
    refused(lambda: identity_report_decline(actor=personas["county"], report=report, reason="重复"), "当前状态为“已确认”，不能不予确认")


def test_only_the_receiving_side_decides(personas, worker, branch):
    report = identity_report_submit(actor=worker, **fields(branch))
    for outsider in ("other_county", "outsider"):
        refused(
            lambda outsider=outsider: identity_report_confirm(actor=personas[outsider], report=report, decision="mobile"),
            "“滕王阁快递外卖联合党支部”不在您的管辖范围内，不能处理向它的报到",
        )
    # A secretary of another Party organization neither.
    make_member(
        personas["other_county"],
        party_org(personas["other_county"], name="别的支部", region=Region.objects.get(code="360103")),
        user=personas["secretary"],
    )
    refused(lambda: identity_report_decline(actor=personas["secretary"], report=report, reason="不认识"), "不在您的管辖范围内")
    with pytest.raises(Refused):
        identity_report_confirm(actor=worker, report=report, decision="mobile")  # the reporter cannot confirm


def test_one_open_report_per_person_and_party_organization(personas, worker, branch, other_branch):
    first = identity_report_submit(actor=worker, **fields(branch))
    same = fields(branch, id_number=first.id_number.lower(), name="张骑手（重复）")
    refused(lambda: identity_report_submit(actor=personas["member"], **same), "正在等待确认，不能重复报到")
    # To another Party organization, or after the first is decided, it is a new report.
    identity_report_submit(actor=worker, **fields(other_branch, id_number=first.id_number))
    identity_report_decline(actor=personas["county"], report=first, reason="信息不全，请补充后重新报到")
    again = identity_report_submit(actor=worker, **fields(branch, id_number=first.id_number))
    assert again.status == "submitted"


def test_the_reports_own_rules(personas, worker, branch):
    worker = worker
    refused(lambda: identity_report_submit(actor=worker, **fields(branch, id_number="360102199403081234")), "身份证")
    refused(lambda: identity_report_submit(actor=worker, **fields(branch, phone="12345")), "不是有效的 11 位大陆手机号")
    refused(lambda: identity_report_submit(actor=worker, **fields(branch, home_organization=" ")), "请填写现组织关系所在党组织")
    refused(lambda: identity_report_submit(actor=worker, **fields(branch, joined_on=date(2010, 1, 1))), "入党时应年满 18 周岁")
    refused(lambda: identity_report_submit(actor=worker, **fields(branch, party_organization=None)), "请搜索并选择要报到的党组织")
    tomorrow = timezone.localdate() + timedelta(days=1)
    refused(lambda: identity_report_submit(actor=worker, **fields(branch, joined_on=tomorrow)), "入党日期不能晚于今天")
    member = make_member(personas["county"], branch, name="已登记")
    refused(
        lambda: identity_report_submit(actor=worker, **fields(branch, id_number=member.id_number)),
        "该党员已在“滕王阁快递外卖联合党支部”登记",
    )


def test_confirming_a_member_registered_elsewhere_as_mobile_is_refused(personas, worker, branch, other_branch):
    elsewhere = make_member(personas["other_county"], other_branch, name="西湖党员")
    report = identity_report_submit(actor=worker, **fields(branch, id_number=elsewhere.id_number))
    refused(
        lambda: identity_report_confirm(actor=personas["county"], report=report, decision="mobile"),
        "该党员已在平台上的其他党组织登记，不能直接作为流动党员接收",
    )
    identity_report_confirm(actor=personas["county"], report=report, decision="transfer")  # the transfer way is open


def test_confirming_a_member_registered_here_updates_the_record(personas, worker, branch):
    pocket = make_member(personas["county"], branch, name="口袋党员", relation_mode="pocket", phone="13700000000")
    report = identity_report_submit(actor=worker, **fields(branch, id_number=pocket.id_number, name="口袋党员"))
    identity_report_confirm(actor=personas["county"], report=report, decision="mobile")
    pocket.refresh_from_db()
    assert (pocket.relation_mode, pocket.phone) == ("mobile", "13912345678") and Member.objects.count() == 1


def test_counts_per_region_and_period(personas, worker, branch, other_branch):
    today = timezone.localdate()
    a = identity_report_submit(actor=worker, **fields(branch))
    identity_report_submit(actor=personas["member"], **fields(branch, id_number=id_number(date(1991, 1, 1))))
    identity_report_submit(actor=worker, **fields(other_branch, id_number=id_number(date(1992, 1, 1))))
    identity_report_confirm(actor=personas["county"], report=a, decision="transfer")
    month = parse_period(f"{today:%Y-%m}")
    city = {row["name"]: row for row in identity_counts_by_region(user=personas["city"], period=month)}
    assert (city["东湖区"]["submitted"], city["东湖区"]["confirmed"], city["东湖区"]["declined"]) == (2, 1, 0)
    assert city["西湖区"]["submitted"] == 1 and city["合计"]["submitted"] == 3
    county = identity_counts_by_region(user=personas["county"], period=month)
    assert [(r["code"], r["submitted"]) for r in county] == [("360102002", 2), ("", 2)]
    quarter = parse_period(f"{today.year}-Q{(today.month - 1) // 3 + 1}")
    assert identity_counts_by_region(user=personas["city"], period=quarter)[-1]["submitted"] == 3
    last_year = parse_period(f"{today.year - 1}-{today.month:02d}")
    assert identity_counts_by_region(user=personas["city"], period=last_year) == [
        {"code": "", "name": "合计", "submitted": 0, "confirmed": 0, "declined": 0}
    ]
    assert identity_counts_by_region(user=personas["outsider"], period=month)[-1]["submitted"] == 0


def test_periods_parse_months_and_quarters():
    assert (parse_period("2026-11").starts, parse_period("2026-11").ends) == (date(2026, 11, 1), date(2026, 12, 1))
    assert (parse_period("2026-q4").starts, parse_period("2026-Q4").ends, parse_period("2026-Q4").label) == (
        date(2026, 10, 1),
        date(2027, 1, 1),
        "2026 年第四季度",
    )
    assert parse_period("nonsense", today=date(2026, 5, 9)).key == "2026-05"
    assert parse_period("2026-13", today=date(2026, 5, 9)).key == "2026-05"


def test_a_member_of_another_branch_the_actor_keeps_is_not_moved_by_a_report(personas, worker, branch):
    """Two branches of the same county: the relation stays where it is (a transfer, or an outflow from there)."""
    neighbour = party_org(personas["county"], name="东湖区另一个支部")
    there = make_member(personas["county"], neighbour, name="邻支部党员")
    report = identity_report_submit(actor=worker, **fields(branch, id_number=there.id_number))
    refused(lambda: identity_report_confirm(actor=personas["county"], report=report, decision="mobile"), "已在平台上的其他党组织登记")
    there.refresh_from_db()
    assert there.party_organization == neighbour


def test_a_member_lost_here_is_recovered_before_being_confirmed(personas, worker, branch):
    lost = make_member(personas["county"], branch, name="失联党员", relation_mode="lost")
    report = identity_report_submit(actor=worker, **fields(branch, id_number=lost.id_number, name="失联党员"))
    refused(lambda: identity_report_confirm(actor=personas["county"], report=report, decision="mobile"), "请先在其“流动情况”页恢复联系")


def test_a_member_whose_relation_is_here_already_is_only_linked(personas, worker, branch):
    report = identity_report_submit(actor=worker, **fields(branch))
    local = make_member(personas["county"], branch, name="张骑手", id_number=report.id_number, birth_date=date(1994, 3, 8))  # meanwhile
    report = identity_report_confirm(actor=personas["county"], report=report, decision="mobile")
    local.refresh_from_db()
    assert (report.member, local.relation_mode) == (local, "local") and not MobileRegistration.objects.exists()


def test_the_secretary_is_told_of_a_report_and_the_reporter_of_the_decision(personas, worker, branch):
    make_member(personas["county"], branch, name="书记本人", user=personas["secretary"])
    with TestCase.captureOnCommitCallbacks(execute=True):
        report = identity_report_submit(actor=worker, **fields(branch))
    note = Notification.objects.get(recipient=personas["secretary"])
    assert note.title == "张骑手向“滕王阁快递外卖联合党支部”亮身份报到，请确认" and note.link == f"/members/identity/{report.pk}/"
    with TestCase.captureOnCommitCallbacks(execute=True):
        identity_report_decline(actor=personas["secretary"], report=report, reason="请携带党员证件到站点核实")
    told = Notification.objects.get(recipient=worker)
    assert told.title == "您向“滕王阁快递外卖联合党支部”的亮身份报到未予确认" and told.body == "请携带党员证件到站点核实"


def test_the_database_keeps_one_open_report_when_the_check_is_passed_by(personas, worker, branch, monkeypatch):
    """Two submissions at the same moment both pass the service's check; the partial unique constraint refuses one."""
    import sanxin.members.identity as identity

    first = identity_report_submit(actor=worker, **fields(branch))
    monkeypatch.setattr(identity, "_duplicates", lambda cleaned, errors: None)
    refused(lambda: identity_report_submit(actor=worker, **fields(branch, id_number=first.id_number)), "正在等待确认，不能重复报到")
