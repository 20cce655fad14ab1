"""Member development (发展党员): each rule broken is refused with its Chinese reason and writes nothing; each
allowed step moves the stage, leaves a timeline event and an audit event, and admission and full membership
write the Member through the member services."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from sanxin.core.guards import Refused
from sanxin.core.models import AuditEvent, TimelineEvent
from sanxin.members.models import Development, DevelopmentStage, Member, MemberStatus
from sanxin.members.services import (
    development_admit,
    development_create,
    development_make_activist,
    development_make_candidate,
    development_make_full,
)
from sanxin.members.workflow import DEVELOPMENT, years_after
from tests.members_factories import id_number, make_member
from tests.orgs_factories import party_org

TODAY = timezone.localdate()
APPLIED = TODAY - timedelta(days=4 * 365)
ACTIVIST = APPLIED + timedelta(days=30)
CANDIDATE = years_after(ACTIVIST) + timedelta(days=1)
# Three weeks hold five working days whatever the holidays; it ends before admission.
PUBLICITY = (CANDIDATE + timedelta(days=10), CANDIDATE + timedelta(days=30))
ADMITTED = PUBLICITY[1] + timedelta(days=1)
FULL = years_after(ADMITTED)


@pytest.fixture
def branch(personas):
    return party_org(personas["county"], name="滕王阁青年人才党支部")


@pytest.fixture
def introducers(personas, branch):
    return (
        make_member(personas["county"], branch, name="介绍人甲", birth_date=date(1980, 1, 1)),
        make_member(personas["county"], branch, name="介绍人乙", birth_date=date(1981, 1, 1)),
    )


def apply(actor, branch, **fields):
    birth = fields.pop("birth", date(1995, 6, 1))
    data = {"name": "李发展", "id_number": id_number(birth), "party_organization": branch, "applied_on": APPLIED}
    return development_create(actor=actor, **(data | fields))


def advanced(actor, branch, introducers, stage: str, **fields) -> Development:
    dev = apply(actor, branch, **fields)
    if stage == DevelopmentStage.APPLICANT:
        return dev
    dev = development_make_activist(actor=actor, development=dev, on=ACTIVIST)
    if stage == DevelopmentStage.ACTIVIST:
        return dev
    dev = development_make_candidate(actor=actor, development=dev, on=CANDIDATE)
    if stage == DevelopmentStage.CANDIDATE:
        return dev
    return development_admit(
        actor=actor,
        development=dev,
        on=ADMITTED,
        introducers=introducers,
        publicity_starts_on=PUBLICITY[0],
        publicity_ends_on=PUBLICITY[1],
    )


def writes() -> tuple[int, int, int, int]:
    return (
        TimelineEvent.objects.filter(object_type="members.development").count(),
        AuditEvent.objects.filter(action__startswith="development_").count(),
        Member.objects.count(),
        Development.objects.exclude(stage=DevelopmentStage.APPLICANT).count(),
    )


def refused(call, reason: str, dev: Development | None = None) -> None:
    before = writes()
    stage = dev.stage if dev is not None else None
    with pytest.raises(ValidationError) as error:
        call()
    assert reason in " ".join(error.value.messages), error.value.messages
    assert writes() == before
    if dev is not None:
        dev.refresh_from_db()
        assert dev.stage == stage


def test_the_whole_way_from_application_to_full_member(personas, branch, introducers):
    county = personas["county"]
    dev = apply(county, branch)
    assert dev.stage == "applicant" and dev.birth_date == date(1995, 6, 1)
    dev = development_make_activist(actor=county, development=dev, on=ACTIVIST)
    assert (dev.stage, dev.activist_on) == ("activist", ACTIVIST)
    dev = development_make_candidate(actor=county, development=dev, on=CANDIDATE)
    assert (dev.stage, dev.candidate_on) == ("candidate", CANDIDATE)
    dev = development_admit(
        actor=county,
        development=dev,
        on=ADMITTED,
        introducers=introducers,
        publicity_starts_on=PUBLICITY[0],
        publicity_ends_on=PUBLICITY[1],
    )
    dev.refresh_from_db()
    assert (dev.stage, dev.admitted_on, dev.introducer_1, dev.introducer_2) == ("probationary", ADMITTED, *introducers)
    member = dev.member
    assert (member.status, member.joined_on, member.party_organization, member.id_number) == (
        MemberStatus.PROBATIONARY,
        ADMITTED,
        branch,
        dev.id_number,
    )
    dev = development_make_full(actor=county, development=dev, on=FULL)
    member.refresh_from_db()
    assert (dev.stage, dev.full_on, member.status) == ("full", FULL, MemberStatus.FULL)
    labels = [e.label for e in TimelineEvent.objects.filter(object_type="members.development", object_id=str(dev.pk)).order_by("pk")]
    assert labels == ["登记入党申请", "确定为入党积极分子", "列为发展对象", "接收为预备党员", "转为正式党员"]
    actions = set(AuditEvent.objects.filter(action__startswith="development_").values_list("action", flat=True))
    assert actions == {
        "development_create",
        "development_make_activist",
        "development_make_candidate",
        "development_admit",
        "development_make_full",
    }
    assert dev.id_number not in " ".join(str(e.detail) for e in AuditEvent.objects.all())
    assert DEVELOPMENT.available(dev, county) == []


def test_under_eighteen_on_the_application_date_is_refused(personas, branch):
    birth = APPLIED.replace(year=APPLIED.year - 17)
    refused(lambda: apply(personas["county"], branch, birth=birth), "递交入党申请时应年满 18 周岁")
    assert not Development.objects.exists()


def test_eighteen_on_the_application_date_is_enough(personas, branch):
    dev = apply(personas["county"], branch, birth=APPLIED.replace(year=APPLIED.year - 18))
    assert dev.stage == "applicant"


def test_the_same_person_twice_or_already_a_member_is_refused(personas, branch, introducers):
    number = id_number(date(1995, 6, 1))
    apply(personas["county"], branch, id_number=number)
    refused(lambda: apply(personas["county"], branch, id_number=number), "已在发展中，不能重复登记")
    refused(lambda: apply(personas["county"], branch, id_number=introducers[0].id_number), "该身份证号码的人员已是党员")


def test_a_step_out_of_order_is_refused(personas, branch):
    dev = apply(personas["county"], branch)
    refused(lambda: development_make_candidate(actor=personas["county"], development=dev, on=CANDIDATE), "不能列为发展对象", dev)


def test_activist_date_before_the_application_is_refused(personas, branch):
    dev = apply(personas["county"], branch)
    refused(
        lambda: development_make_activist(actor=personas["county"], development=dev, on=APPLIED - timedelta(days=1)),
        "日期不能早于递交入党申请日期",
        dev,
    )


def test_less_than_a_year_as_activist_is_refused(personas, branch, introducers):
    dev = advanced(personas["county"], branch, introducers, DevelopmentStage.ACTIVIST)
    early = years_after(ACTIVIST) - timedelta(days=1)
    refused(
        lambda: development_make_candidate(actor=personas["county"], development=dev, on=early), "入党积极分子须经过一年以上培养教育", dev
    )
    development_make_candidate(actor=personas["county"], development=dev, on=years_after(ACTIVIST))


def admit(actor, dev, introducers, *, on=ADMITTED, publicity=PUBLICITY):
    return lambda: development_admit(
        actor=actor, development=dev, on=on, introducers=introducers, publicity_starts_on=publicity[0], publicity_ends_on=publicity[1]
    )


def test_introducers_must_be_two_distinct_full_members_not_the_person(personas, branch, introducers):
    county = personas["county"]
    dev = advanced(county, branch, introducers, DevelopmentStage.CANDIDATE)
    first = introducers[0]
    refused(admit(county, dev, (first, None)), "须有两名入党介绍人", dev)
    refused(admit(county, dev, (first, first)), "两名入党介绍人不能是同一人", dev)
    probationary = make_member(county, branch, name="预备党员丙", status="probationary", joined_on=TODAY - timedelta(days=30))
    refused(admit(county, dev, (first, probationary)), "入党介绍人须为正式党员，预备党员丙是预备党员", dev)
    # The person themself as introducer: a member record with the same ID number (inconsistent data, still refused).
    himself = Member(name=dev.name, status="full", id_number_index=dev.id_number_index, pk=-1)
    refused(admit(county, dev, (first, himself)), "入党介绍人不能是发展对象本人", dev)


def test_publicity_is_required_long_enough_and_over(personas, branch, introducers):
    county = personas["county"]
    dev = advanced(county, branch, introducers, DevelopmentStage.CANDIDATE)
    refused(admit(county, dev, introducers, publicity=(None, None)), "接收预备党员前须经公示", dev)
    four_days = (PUBLICITY[0], PUBLICITY[0] + timedelta(days=3))
    refused(admit(county, dev, introducers, publicity=four_days), "公示期不少于 5 个工作日", dev)
    backwards = (PUBLICITY[1], PUBLICITY[0])
    refused(admit(county, dev, introducers, publicity=backwards), "公示结束日期不能早于开始日期", dev)
    refused(admit(county, dev, introducers, on=PUBLICITY[1]), "公示期尚未结束", dev)
    before = (CANDIDATE - timedelta(days=6), CANDIDATE - timedelta(days=1))
    refused(admit(county, dev, introducers, publicity=before), "公示应在列为发展对象", dev)
    development_admit(
        actor=county,
        development=dev,
        on=ADMITTED,
        introducers=introducers,
        publicity_starts_on=PUBLICITY[0],
        publicity_ends_on=PUBLICITY[1],
    )


def test_less_than_a_year_of_probation_is_refused(personas, branch, introducers):
    county = personas["county"]
    dev = advanced(county, branch, introducers, DevelopmentStage.PROBATIONARY)
    refused(lambda: development_make_full(actor=county, development=dev, on=FULL - timedelta(days=1)), "预备期为一年", dev)
    assert dev.member.status == MemberStatus.PROBATIONARY


def test_a_date_in_the_future_is_refused(personas, branch):
    dev = apply(personas["county"], branch)
    refused(
        lambda: development_make_activist(actor=personas["county"], development=dev, on=TODAY + timedelta(days=1)), "日期不能晚于今天", dev
    )


def test_the_recommending_organization_gets_the_new_member(personas, branch, introducers):
    county = personas["county"]
    home = party_org(county, name="某公司党支部")
    dev = advanced(county, branch, introducers, DevelopmentStage.PROBATIONARY, recommending_organization=home)
    assert dev.member.party_organization == home
    assert dev.party_organization == branch


def test_without_the_capability_nothing_moves(personas, branch):
    dev = apply(personas["county"], branch)
    with pytest.raises(Refused):
        development_make_activist(actor=personas["auditadmin"], development=dev, on=ACTIVIST)
    with pytest.raises(Refused):
        apply(personas["auditadmin"], branch, id_number=id_number(date(1990, 2, 2)))


def test_publicity_counts_working_days_on_the_chinese_calendar(personas, branch, introducers):
    """2025-09-29 to 2025-10-09 is eleven days but three working days: 10-01 to 10-08 is the National Day holiday."""
    from sanxin.workdays.services import workday_adjustment_save

    county = personas["county"]
    dev = advanced(county, branch, introducers, DevelopmentStage.CANDIDATE)
    national_day = (date(2025, 9, 29), date(2025, 10, 9))
    refused(admit(county, dev, introducers, publicity=national_day), "填写的公示期内只有 3 个工作日（节假日不计）", dev)
    # The administrator's table wins over the package: 10-08 entered as a working day makes it four.
    workday_adjustment_save(actor=personas["sysadmin"], day=date(2025, 10, 8), is_workday=True, note="测试")
    refused(admit(county, dev, introducers, publicity=national_day), "只有 4 个工作日", dev)
