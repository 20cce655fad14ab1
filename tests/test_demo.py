from pathlib import Path

from django.db.models import F

from sanxin.demo.accounts import seed_demo_accounts
from sanxin.demo.orgs import seed_demo_orgs
from sanxin.orgs.models import CensusCampaign, Organization, Todo
from sanxin.party.models import EstablishmentForm, PartyOrganization, PartyOrgLevel, SpecialKind


def test_demo_seed_is_complete_and_idempotent(db, tmp_path: Path):
    seed_demo_accounts(tmp_path / "accounts.txt")
    created = seed_demo_orgs(tmp_path)
    assert created > 50
    assert seed_demo_orgs(tmp_path) == 0  # a second run adds nothing
    assert Organization.objects.filter(category="platform").exists()
    assert Organization.objects.filter(category="franchisee", parent__category="platform").exists()
    assert Organization.objects.filter(kind="social").exists()
    # Every form of establishment, every level and every special kind is there to be seen.
    assert set(PartyOrganization.objects.values_list("establishment_form", flat=True)) == set(EstablishmentForm.values)
    assert set(PartyOrganization.objects.values_list("level", flat=True)) == set(PartyOrgLevel.values)
    specials = {kind for kinds in PartyOrganization.objects.values_list("special_kinds", flat=True) for kind in kinds}
    assert specials == set(SpecialKind.values)
    assert PartyOrganization.objects.filter(special_kinds__icontains="park", zone__kind="park").exists()
    assert CensusCampaign.objects.filter(status="active").exists() and Todo.objects.exists()
    assert (tmp_path / "demo-outside-registry.xlsx").stat().st_size > 1000
    # Real divisions: every organization sits in a real community of the demo counties.
    assert not Organization.objects.exclude(region__level=5).exists()
    # Party members are among the employees.
    assert not Organization.objects.filter(employees__lt=F("formal_members") + F("probationary_members")).exists()
    assert Organization.objects.filter(probationary_members__gt=0).exists()


def test_demo_outside_registry_shows_every_outcome(db, tmp_path: Path):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from sanxin.compare.models import Outcome
    from sanxin.compare.services import comparison_create, comparison_run
    from sanxin.regions.models import Region

    seed_demo_accounts(tmp_path / "accounts.txt")
    seed_demo_orgs(tmp_path)
    source = tmp_path / "demo-outside-registry.xlsx"
    upload = SimpleUploadedFile(source.name, source.read_bytes())
    comparison = comparison_run(comparison_create(actor=None, region=Region.objects.get(code="360102"), upload=upload).pk)
    assert all(comparison.counts[outcome] > 0 for outcome in Outcome.values), comparison.counts
    assert comparison.counts["review"] <= 3  # a short queue
