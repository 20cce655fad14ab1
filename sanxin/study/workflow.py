"""The states of a study material: draft → published → withdrawn. Members see and mark only published ones."""

from __future__ import annotations

from sanxin.core.scope import region_in_scope
from sanxin.core.workflow import Transition, Workflow
from sanxin.study.models import MaterialStatus, StudyMaterial


def _has_content(material: StudyMaterial, *, actor, **data) -> str | None:
    if not (material.body.strip() or material.link or material.attachment_stored):
        return "学习资料须有正文、链接或附件之一，才能发布"
    return None


def _own_place(material: StudyMaterial, *, actor, **data) -> str | None:
    if actor is not None and not region_in_scope(actor, material.region_id):
        return f"学习资料“{material.title}”不是本单位范围内发布的，不能办理"
    return None


WORKFLOW = Workflow(
    model=StudyMaterial,
    transitions=[
        Transition(
            "publish",
            "发布",
            frozenset({MaterialStatus.DRAFT}),
            MaterialStatus.PUBLISHED,
            "study.manage",
            guards=(_own_place, _has_content),
            timestamp="published_at",
        ),
        Transition(
            "withdraw",
            "撤回",
            frozenset({MaterialStatus.PUBLISHED}),
            MaterialStatus.WITHDRAWN,
            "study.manage",
            guards=(_own_place,),
            timestamp="withdrawn_at",
            note_required="请填写撤回原因",
        ),
    ],
)
