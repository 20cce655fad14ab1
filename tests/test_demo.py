from pathlib import Path

from sanxin.demo.accounts import seed_demo_accounts
from sanxin.demo.orgs import seed_demo_orgs
from sanxin.orgs.models import CensusCampaign, Organization, Todo
from sanxin.party.models import EstablishmentForm, PartyOrganization


def test_demo_seed_is_complete_and_idempotent(db, tmp_path: Path):
    seed_demo_accounts(tmp_path / "accounts.txt")
    created = seed_demo_orgs(tmp_path)
    assert created > 50
    assert seed_demo_orgs(tmp_path) == 0  # a second run adds nothing
    assert Organization.objects.filter(category="platform").exists()
    assert Organization.objects.filter(category="franchisee", parent__category="platform").exists()
    assert Organization.objects.filter(kind="social").exists()
    forms = set(PartyOrganization.objects.values_list("establishment_form", flat=True))
    assert {EstablishmentForm.STANDALONE, EstablishmentForm.JOINT, EstablishmentForm.INDUSTRY} <= forms
    assert CensusCampaign.objects.filter(status="active").exists() and Todo.objects.exists()
    assert (tmp_path / "demo-outside-registry.xlsx").stat().st_size > 1000
    # Real divisions: every organization sits in a real community of the demo counties.
    assert not Organization.objects.exclude(region__level=5).exists()
