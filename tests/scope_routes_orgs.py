"""Scope-test routes of the orgs area; collected by tests/scope_registry.py.

The pickers' lookups are checked as kind "tree": every object of the world matches the query, and each
must appear exactly when the persona may see it.
"""

from django.urls import reverse

from sanxin.accounts.roles import Cap
from tests.scope_registry import CAMPAIGN, INSTRUCTOR, ORGANIZATION, PARTY_ORG, TODO, Route

ROUTES: list[Route] = [
    Route("orgs:organization_lookup", "tree", ORGANIZATION, Cap.ORGS_VIEW, list_url="/orgs/lookup/?field=parent&q=标记组织&limit=50"),
    Route(
        "orgs:organization_lookup",
        "detail",
        ORGANIZATION,
        Cap.ORGS_VIEW,
        url=lambda o: f"{reverse('orgs:organization_lookup')}?field=parent&pick={o.credit_code}",
    ),
    Route("orgs:instructor_export", "export", INSTRUCTOR, Cap.ORGS_VIEW, list_url="/instructors/export/"),
    Route(
        "orgs:instructor_work_export",
        "detail_export",
        INSTRUCTOR,
        Cap.ORGS_VIEW,
        url=lambda i: reverse("orgs:instructor_work_export", args=[i.pk]),
    ),
    Route("orgs:census_list_export", "export", CAMPAIGN, Cap.CENSUS_VIEW, list_url="/census/export/"),
    Route("orgs:todo_export", "export", TODO, Cap.ORGS_VIEW, list_url="/todos/export/"),
    Route("orgs:todo_close", "detail", TODO, Cap.ORGS_MANAGE, url=lambda t: reverse("orgs:todo_close", args=[t.pk])),
    Route("party:party_org_lookup", "tree", PARTY_ORG, Cap.PARTY_VIEW, list_url="/party/lookup/?field=parent&q=标记党支部&limit=50"),
    Route(
        "party:party_org_lookup",
        "detail",
        PARTY_ORG,
        Cap.PARTY_VIEW,
        url=lambda p: f"{reverse('party:party_org_lookup')}?field=parent&pick={p.pk}",
    ),
]
EXEMPT: dict[str, str] = {}
