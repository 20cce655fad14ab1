"""Daily jobs: what changes with the date rather than with a write.

Coverage lapses when an instructor's assignment ends, the trend needs its month-end snapshot,
accounts unused for 90 days are disabled, uploaded files past their retention are deleted.
`run_daily_jobs` runs each job at most once a day, however often it is called (cron, or the
loop `make run` starts); a job that fails gives its day back so the next call tries again.
"""

from __future__ import annotations

import logging
from datetime import date

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from sanxin.core.declare import daily_jobs
from sanxin.core.models import ScheduledRun

logger = logging.getLogger(__name__)


def run_daily_jobs(*, today: date | None = None) -> dict[str, str]:
    """Each job the apps declare (SanxinApp.daily_jobs), with its outcome: 已完成, 今天已运行 or 失败."""
    today = today or timezone.localdate()
    outcomes = {}
    for name, path in daily_jobs().items():
        try:
            with transaction.atomic():
                claim = ScheduledRun.objects.create(job=name, day=today)
        except IntegrityError:
            outcomes[name] = "今天已运行"
            continue
        try:
            result = import_string(path)()
        except Exception:
            logger.exception("定时任务 %s 失败", name)
            claim.delete()
            outcomes[name] = "失败"
            continue
        ScheduledRun.objects.filter(pk=claim.pk).update(result={"result": result})
        outcomes[name] = "已完成"
    return outcomes
