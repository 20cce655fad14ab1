"""Two staff verifying two reports of one hazard at the same moment (PostgreSQL, real transactions): one is valid,
the other is refused, and the points are earned once."""

import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, connections, transaction

from sanxin.hazards import services
from sanxin.hazards.models import HazardReport, HazardStatus
from tests.hazards.conftest import LON_50M, report

pytestmark = pytest.mark.django_db(transaction=True)


def test_two_verifications_of_one_hazard_at_once_earn_once(personas):
    if connection.vendor != "postgresql":
        pytest.skip("并发核实只在 PostgreSQL 上验证（SQLite 的写入本就逐个进行）")
    community = personas["community"]
    first = report(personas["worker"])
    second = report(personas["worker"], longitude=LON_50M)
    first_done, release = threading.Event(), threading.Event()
    outcomes: dict[str, str] = {}

    def verify_first():
        try:
            with transaction.atomic():
                services.hazard_verify_valid(actor=community, report=first)
                first_done.set()
                release.wait(10)  # still uncommitted while the other verification runs
            outcomes["first"] = "ok"
        finally:
            connections.close_all()

    def verify_second():
        try:
            services.hazard_verify_valid(actor=community, report=second)
            outcomes["second"] = "ok"
        except ValidationError as error:
            outcomes["second"] = " ".join(error.messages)
        finally:
            connections.close_all()

    one = threading.Thread(target=verify_first)
    one.start()
    assert first_done.wait(10)
    two = threading.Thread(target=verify_second)
    two.start()
    time.sleep(0.5)  # the second is now waiting for the first (or, without the lock, already done)
    release.set()
    one.join()
    two.join()
    assert outcomes["first"] == "ok"
    assert "请“标记为重复”" in outcomes["second"]
    statuses = sorted(HazardReport.objects.filter(pk__in=(first.pk, second.pk)).values_list("status", flat=True))
    assert statuses == [HazardStatus.SUBMITTED, HazardStatus.VALID]
