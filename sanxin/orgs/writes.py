"""The one place organizations are stored: the form's services, the import and the comparison come here
with the fields of sanxin.orgs.models (REGISTRY_COLUMNS, EDITABLE_FIELDS). On PostgreSQL a large import
takes the set-based path of sanxin.orgs.importing_pg over the same column list."""

from __future__ import annotations

from django.utils import timezone

from sanxin.orgs.models import Organization

BATCH = 2000


def organizations_save(*, created: list[Organization], updated: list[Organization], fields: list[str]) -> list[Organization]:
    """Insert `created` and store `fields` of `updated` (their updated_at too); returns the created with their ids."""
    now = timezone.now()
    for organization in updated:
        organization.updated_at = now
    stored = Organization.objects.bulk_create(created, batch_size=BATCH)
    Organization.objects.bulk_update(updated, [*fields, "updated_at"], batch_size=BATCH)
    return stored
