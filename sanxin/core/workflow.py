"""The one way an entity with states changes state.

An app writes its states' transition table in its workflow.py (a `Workflow` of `Transition`s) and its services
call `transition()`, which: checks the actor's capability, locks the row, checks the current state, runs the
rule guards (each a small function returning a Chinese reason to refuse, or None), sets the state and the
transition's timestamp and fields, writes a timeline event on the entity (shown on its page), audits with the
service's name and the old and new state, and notifies on commit. A refusal is a ValidationError in Chinese;
nothing is written.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.utils import timezone

from sanxin.core.audit import audit_record
from sanxin.core.guards import REFUSED, Refused
from sanxin.core.models import TimelineEvent
from sanxin.core.notifications import Message, notify

Guard = Callable[..., str | None]  # (obj, *, actor, **data) → a Chinese reason to refuse, or None


@dataclass(frozen=True)
class Transition:
    name: str
    label: str  # what the button says: 开始摸排
    source: frozenset[str]
    target: str
    capability: str | None  # None: only the system (a daily job, a reaction to another write) takes it
    guards: tuple[Guard, ...] = ()
    timestamp: str | None = None  # a field set to the moment (or the date, for a DateField)
    note_required: str = ""  # if set, the Chinese message asking for the note
    apply: Callable[..., None] | None = None  # (obj, *, actor, note, **data): fields beside the state
    notify: Callable[..., tuple[Iterable, Message] | None] | None = None  # (obj, *, actor) → recipients and message


@dataclass
class Workflow:
    model: type[models.Model]
    transitions: list[Transition]
    state_field: str = "status"
    by_name: dict[str, Transition] = field(init=False)

    def __post_init__(self):
        self.by_name = {t.name: t for t in self.transitions}

    def state_label(self, state: str) -> str:
        return dict(self.model._meta.get_field(self.state_field).choices).get(state, state)

    def available(self, obj, user) -> list[Transition]:
        """The transitions this user could take now (for the page's buttons; the guards decide on the way)."""
        state = getattr(obj, self.state_field)
        return [t for t in self.transitions if state in t.source and t.capability and user.can(t.capability)]


def transition(workflow: Workflow, obj, name: str, *, actor, action: str, note: str = "", **data):
    """Take transition `name` of `obj` for `actor` (None: the system); `action` is the calling service's name."""
    step = workflow.by_name[name]
    if actor is None and step.capability is not None:
        raise Refused("系统不能代替工作人员办理此事项")
    if actor is not None and (step.capability is None or not actor.can(step.capability)):
        raise Refused(REFUSED)
    note = (note or "").strip()
    if step.note_required and not note:
        raise ValidationError({"note": step.note_required})
    with transaction.atomic():
        locked = type(obj).objects.select_for_update().get(pk=obj.pk)
        current = getattr(locked, workflow.state_field)
        if current not in step.source:
            raise ValidationError(f"当前状态为“{workflow.state_label(current)}”，不能{step.label}")
        for guard in step.guards:
            reason = guard(locked, actor=actor, **data)
            if reason:
                raise ValidationError(reason)
        setattr(locked, workflow.state_field, step.target)
        if step.timestamp:
            stamp = locked._meta.get_field(step.timestamp)
            setattr(locked, step.timestamp, timezone.now() if isinstance(stamp, models.DateTimeField) else timezone.localdate())
        if step.apply:
            step.apply(locked, actor=actor, note=note, **data)
        locked.save()  # the row is locked: nobody else changed it meanwhile
        timeline_event(
            locked,
            actor=actor,
            transition=name,
            label=step.label,
            old=current,
            new=step.target,
            new_label=workflow.state_label(step.target),
            note=note,
        )
        audit_record(
            actor=actor,
            action=action,
            obj=locked,
            actor_name="" if actor is not None else "system",
            detail={"transition": name, "old": current, "new": step.target, **({"note": note} if note else {})},
        )
        if step.notify and (message := step.notify(locked, actor=actor)):
            recipients, content = message
            notify([user for user in recipients if user != actor], content)
    return locked


def timeline_event(obj, *, actor, transition: str, label: str, old: str, new: str, new_label: str, note: str = "") -> None:
    """One event on an entity's timeline: by a transition, or by a service writing a step of its own (a creation)."""
    TimelineEvent.objects.create(
        object_type=obj._meta.label_lower,
        object_id=str(obj.pk),
        transition=transition,
        label=label,
        from_state=old,
        to_state=new,
        to_state_label=new_label,
        actor=actor,
        actor_name=actor.display_name if actor is not None else "系统",
        note=note[:500],
    )


def timeline(obj) -> list[TimelineEvent]:
    return list(TimelineEvent.objects.filter(object_type=obj._meta.label_lower, object_id=str(obj.pk)).select_related("actor"))
