"""The states of a care activity and its transitions (run by sanxin.core.workflow.transition: lock, state check,
guards, timeline, audit).

    draft → published → closed (after it ended: sign-ups and check-ins stop, the count of people served is final)
    draft / published → cancelled (with a reason; not once it has started)

"Held" is not a state: an activity is under way between its start and end while published, and check-in is open
exactly then.
"""

from __future__ import annotations

from django.utils import timezone

from sanxin.care.models import ActivityStatus, CareActivity
from sanxin.core.workflow import Transition, Workflow


def _not_started(activity: CareActivity, *, actor, now=None, **data) -> str | None:
    if (now or timezone.now()) >= activity.starts_at:
        return "活动已经开始，不能取消；活动结束后请登记结束"
    return None


def _ended(activity: CareActivity, *, actor, now=None, **data) -> str | None:
    if (now or timezone.now()) < activity.ends_at:
        return f"活动到 {timezone.localtime(activity.ends_at):%Y-%m-%d %H:%M} 才结束，结束后才能登记结束"
    return None


def _not_ended(activity: CareActivity, *, actor, now=None, **data) -> str | None:
    if (now or timezone.now()) >= activity.ends_at:
        return "活动结束时间已过，不能再发布；请修改活动时间"
    return None


WORKFLOW = Workflow(
    CareActivity,
    [
        Transition(
            "publish", "发布", frozenset({ActivityStatus.DRAFT}), ActivityStatus.PUBLISHED, "care.manage", (_not_ended,), "published_at"
        ),
        Transition(
            "close", "登记结束", frozenset({ActivityStatus.PUBLISHED}), ActivityStatus.CLOSED, "care.manage", (_ended,), "closed_at"
        ),
        Transition(
            "cancel",
            "取消活动",
            frozenset({ActivityStatus.DRAFT, ActivityStatus.PUBLISHED}),
            ActivityStatus.CANCELLED,
            "care.manage",
            (_not_started,),
            "cancelled_at",
            note_required="请填写取消原因",
        ),
    ],
)
