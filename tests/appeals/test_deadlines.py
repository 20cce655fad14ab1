"""Deadlines on the Chinese calendar: National Day 2026 (1–7 October off; Sunday 20 September and Saturday 10
October make-up working days, per chinesecalendar), the administrator's table, and the clock paused while waiting for the worker."""

from datetime import date, timedelta

from django.utils import timezone

from sanxin.appeals import deadlines, services
from sanxin.workdays.calendar import add_workdays
from sanxin.workdays.models import DayAdjustment
from tests.appeals.conftest import at, raise_appeal


def local_day(moment):
    return timezone.localdate(moment)


def test_submitted_before_national_day_skips_the_holiday_and_counts_the_make_up_saturday(personas, platform):
    appeal = raise_appeal(personas["worker"], platform=platform, now=at(2026, 9, 30, 16, 0))
    assert local_day(appeal.accept_due_at) == date(2026, 10, 8)  # 1–7 October off: the next working day
    appeal = services.appeal_accept(actor=personas["township"], appeal=appeal, now=at(2026, 10, 8, 9, 0))
    # 5 working days at a street from 8 October: 9 (Fri), 10 (Sat, 调休 make-up day), 12, 13, 14.
    assert local_day(appeal.due_at) == date(2026, 10, 14)
    assert timezone.localtime(appeal.due_at).strftime("%H:%M") == "23:59"


def test_the_make_up_sunday_before_national_day_counts(personas, platform):
    appeal = raise_appeal(personas["worker"], platform=platform, now=at(2026, 9, 18, 17, 0))  # a Friday
    assert local_day(appeal.accept_due_at) == date(2026, 9, 20)  # Sunday 20 September: 调休 make-up working day


def test_an_administrators_adjustment_changes_the_due_date(personas, platform):
    DayAdjustment.objects.create(day=date(2026, 10, 8), is_workday=False, name="国庆节", note="假设的补充通知")
    appeal = raise_appeal(personas["worker"], platform=platform, now=at(2026, 9, 30, 16, 0))
    assert local_day(appeal.accept_due_at) == date(2026, 10, 9)


def test_pause_extends_the_due_time_by_the_paused_working_days(personas, platform):
    street, worker = personas["township"], personas["worker"]
    appeal = raise_appeal(personas["worker"], platform=platform, now=at(2026, 11, 2, 9, 0))  # a Monday
    appeal = services.appeal_accept(actor=street, appeal=appeal, now=at(2026, 11, 2, 10, 0))
    assert local_day(appeal.due_at) == date(2026, 11, 9)  # Tue–Fri, Mon
    appeal = services.appeal_ask(actor=street, appeal=appeal, question="哪个门？", now=at(2026, 11, 3, 10, 0))  # Tuesday
    appeal = services.appeal_answer(actor=worker, appeal=appeal, answer="北门", now=at(2026, 11, 5, 15, 0))  # Thursday
    # Paused Tuesday and Wednesday: two working days more.
    assert local_day(appeal.due_at) == date(2026, 11, 11)


def test_a_pause_over_a_weekend_costs_only_working_days(personas, platform):
    street, worker = personas["township"], personas["worker"]
    appeal = raise_appeal(personas["worker"], platform=platform, now=at(2026, 11, 2, 9, 0))
    appeal = services.appeal_accept(actor=street, appeal=appeal, now=at(2026, 11, 2, 10, 0))
    appeal = services.appeal_ask(actor=street, appeal=appeal, question="哪个门？", now=at(2026, 11, 6, 17, 0))  # Friday
    appeal = services.appeal_answer(actor=worker, appeal=appeal, answer="北门", now=at(2026, 11, 9, 9, 0))  # Monday
    assert local_day(appeal.due_at) == date(2026, 11, 10)  # Friday only


def test_answered_the_same_day_moves_nothing(personas, platform):
    street, worker = personas["township"], personas["worker"]
    appeal = raise_appeal(personas["worker"], platform=platform, now=at(2026, 11, 2, 9, 0))
    appeal = services.appeal_accept(actor=street, appeal=appeal, now=at(2026, 11, 2, 10, 0))
    appeal = services.appeal_ask(actor=street, appeal=appeal, question="哪个门？", now=at(2026, 11, 3, 10, 0))
    appeal = services.appeal_answer(actor=worker, appeal=appeal, answer="北门", now=at(2026, 11, 3, 11, 0))
    assert local_day(appeal.due_at) == date(2026, 11, 9)


def test_each_level_has_its_own_limit(personas, platform, settings):
    settings.SANXIN_APPEAL_LIMITS = {"county": 2}
    appeal = raise_appeal(personas["worker"], platform=platform, now=at(2026, 11, 2, 9, 0))
    services.appeals_escalate_overdue(now=at(2026, 11, 4, 9, 0))  # accept due 3 November: escalated
    appeal.refresh_from_db()
    assert appeal.unit.region_id == "360102" and local_day(appeal.accept_due_at) == date(2026, 11, 5)
    appeal = services.appeal_accept(actor=personas["county"], appeal=appeal, now=at(2026, 11, 4, 10, 0))
    assert local_day(appeal.due_at) == date(2026, 11, 6)  # the county's limit: 2 working days


def test_waiting_appeals_do_not_escalate(personas, platform):
    street = personas["township"]
    appeal = raise_appeal(personas["worker"], platform=platform, now=at(2026, 11, 2, 9, 0))
    appeal = services.appeal_accept(actor=street, appeal=appeal, now=at(2026, 11, 2, 10, 0))
    services.appeal_ask(actor=street, appeal=appeal, question="哪个门？", now=at(2026, 11, 3, 10, 0))
    assert services.appeals_escalate_overdue(now=at(2026, 12, 31, 9, 0))["escalated"] == 0


def test_due_table_agrees_with_add_workdays(db):
    DayAdjustment.objects.create(day=date(2026, 10, 9), is_workday=False, name="测试")
    table = deadlines.DueTable(date(2026, 1, 1), date(2027, 12, 31))
    start = date(2026, 1, 1)
    for offset in range(0, 600, 7):
        day = start + timedelta(days=offset)
        for n in (1, 3, 5, 8):
            assert table.add(day, n) == add_workdays(day, n), (day, n)
