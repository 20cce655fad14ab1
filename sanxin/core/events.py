"""What happened, told to whoever cares, without the teller importing them.

An app below tells the apps above it that its data changed (organizations changed: coverage recomputes;
coverage changed: the census closes fulfilled to-dos). Imports go down only; events go up. Handlers run at
once, in the caller's transaction, so a write and its consequences commit or roll back together. Apps
subscribe in their AppConfig.ready().

Events in use:
- "organizations.changed" (ids, regions=()): organizations were written, or what covers them was; `regions`
  names region codes they left.
- "coverage.recomputed" (ids): the coverage of these organizations (None: of all) was recomputed.
- "workers.erased" (worker, user_id): a worker is about to be deleted (by themselves or the retention purge,
  sanxin.workers.services.worker_erase); apps anonymise or delete their rows of `worker` in the same transaction.
- "workers.merited" (worker, source, kind, region_code, reason, quantity=1, points=None, actor=None): a worker earned
  points; sanxin.points posts them once per `source`, by its earning rule for `kind` × `quantity` unless `points` is
  given. Published by hazards ("hazard_valid", "hazard:<id>"), care ("care_checkin",
  "care_checkin:<activity>:worker:<worker>"), volunteers ("volunteer_hours", quantity = hours,
  "volunteer_record:<record>:worker:<worker>") and selections ("selection_award", points = the campaign's,
  "selection_award:<nomination>").
- "workers.merit_withdrawn" (source, reason, actor=None): the earning of `source` is withdrawn; sanxin.points posts a
  reversal once, never below a zero balance.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable

_handlers: dict[str, list[Callable]] = defaultdict(list)


def subscribe(event: str, handler: Callable) -> None:
    if handler not in _handlers[event]:
        _handlers[event].append(handler)


def unsubscribe(event: str, handler: Callable) -> None:
    if handler in _handlers[event]:
        _handlers[event].remove(handler)


def publish(event: str, **payload) -> None:
    for handler in list(_handlers[event]):
        handler(**payload)
