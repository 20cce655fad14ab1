"""A service record's states (run by sanxin.core.workflow.transition):

submitted → confirmed (each member's hours published as "workers.merited", kind "volunteer_hours")
submitted → rejected (with a reason)
"""

from __future__ import annotations

from sanxin.core.events import publish
from sanxin.core.workflow import Transition, Workflow
from sanxin.volunteers.models import RecordStatus, ServiceRecord


def _on_confirm(record: ServiceRecord, *, actor, note, **data) -> None:
    for served in record.served.select_related("worker").filter(worker__isnull=False):
        publish(
            "workers.merited",
            worker=served.worker,
            source=f"volunteer_record:{record.pk}:worker:{served.worker_id}",
            kind="volunteer_hours",
            region_code=record.team.region_id,
            reason=f"{record.team.name}志愿服务 {record.hours} 小时（{record.day:%Y-%m-%d}）",
            quantity=record.hours,
            points=None,
            actor=actor,
        )


def _on_reject(record: ServiceRecord, *, actor, note, **data) -> None:
    record.reject_reason = note[:500]


WORKFLOW = Workflow(
    ServiceRecord,
    [
        Transition(
            "confirm", "确认", frozenset({RecordStatus.SUBMITTED}), RecordStatus.CONFIRMED, "volunteers.manage",
            timestamp="confirmed_at", apply=_on_confirm,
        ),
        Transition(
            "reject", "退回", frozenset({RecordStatus.SUBMITTED}), RecordStatus.REJECTED, "volunteers.manage",
            timestamp="rejected_at", note_required="请填写退回原因", apply=_on_reject,
        ),
    ],
)  # fmt: skip
