"""Daily jobs run once a day however often the scheduler calls, and a failed job is tried again."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from sanxin.accounts.models import User
from sanxin.core import schedule
from sanxin.core.declare import daily_jobs
from sanxin.core.models import ScheduledRun
from sanxin.coverage.apps import CoverageConfig

pytestmark = pytest.mark.django_db


def broken():
    raise RuntimeError("数据库暂时不可用")


def test_each_job_runs_once_a_day(personas):
    stale = personas["township"]
    User.objects.filter(pk=stale.pk).update(last_login=timezone.now() - timedelta(days=91))
    assert set(schedule.run_daily_jobs().values()) == {"已完成"}
    assert not User.objects.get(pk=stale.pk).is_active  # the job really ran
    assert User.objects.get(pk=personas["county"].pk).is_active
    assert set(schedule.run_daily_jobs().values()) == {"今天已运行"}
    assert ScheduledRun.objects.count() == len(daily_jobs())
    tomorrow = timezone.localdate() + timedelta(days=1)
    assert set(schedule.run_daily_jobs(today=tomorrow).values()) == {"已完成"}


def test_a_failed_job_gives_its_day_back(monkeypatch, personas):
    monkeypatch.setattr(CoverageConfig, "daily_jobs", {"coverage": "tests.core.test_schedule.broken"})
    outcomes = schedule.run_daily_jobs()
    assert outcomes["coverage"] == "失败" and outcomes["inactive_accounts"] == "已完成"
    assert not ScheduledRun.objects.filter(job="coverage").exists()
    monkeypatch.undo()
    assert schedule.run_daily_jobs()["coverage"] == "已完成"


def test_command(capsys, personas):
    call_command("run_daily_jobs")
    assert "coverage：已完成" in capsys.readouterr().out


def test_old_uploads_are_deleted_and_their_results_kept(personas, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanxin.compare.models import RegistryComparison
    from sanxin.compare.services import comparison_create
    from sanxin.core.models import AuditEvent
    from sanxin.core.uploads import job_file
    from sanxin.imports.models import ImportJob
    from sanxin.imports.services import import_job_create
    from sanxin.regions.models import Region

    settings.DATA_DIR = tmp_path
    upload = SimpleUploadedFile("名录.csv", "统一社会信用代码,单位名称\n".encode())
    old, young = (import_job_create(actor=personas["county"], registry="organizations", upload=upload) for _ in range(2))
    comparison = comparison_create(actor=personas["county"], region=Region.objects.get(code="360102"), upload=upload)
    old_file, young_file, compared = job_file(old), job_file(young), job_file(comparison)
    long_ago = timezone.now() - timedelta(days=31)
    ImportJob.objects.filter(pk=old.pk).update(updated_at=long_ago)
    RegistryComparison.objects.filter(pk=comparison.pk).update(updated_at=long_ago)
    outcomes = schedule.run_daily_jobs()
    assert outcomes["import_files"] == outcomes["comparison_files"] == "已完成"
    assert not old_file.exists() and not compared.exists() and young_file.exists()
    assert ImportJob.objects.filter(pk=old.pk, stored_name="").exists()  # the job and its results stay
    assert AuditEvent.objects.filter(action="import_files_purge", detail__files=1).exists()
