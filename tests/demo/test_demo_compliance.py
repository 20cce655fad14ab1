"""After seed_demo the 三会一课 table is filled: the county officer sees rates and overdue meetings, the demo
secretary sees what is due this period and what is overdue on the home page."""

from pathlib import Path

from django.core.management import call_command
from django.test import Client


def test_seed_demo_fills_the_compliance_table_and_the_secretary_has_meetings_due(db, tmp_path: Path, settings):
    from sanxin.accounts.models import User
    from sanxin.life.compliance_figures import secretary_due
    from sanxin.life.models import ComplianceFact, ComplianceRecord

    settings.SANXIN_OTP_REQUIRED = False
    settings.SANXIN_DEMO = True
    settings.DATA_DIR = tmp_path
    call_command("seed_demo", password_file=str(tmp_path / "accounts.txt"))
    assert ComplianceRecord.objects.filter(held__gt=0).exists() and ComplianceRecord.objects.filter(overdue=True).exists()
    assert ComplianceFact.objects.exists()
    secretary = User.objects.get(username="secretary")
    due = secretary_due(user=secretary)
    assert due["due_count"] > 0 and due["overdue_count"] > 0
    client = Client()
    client.force_login(secretary)
    page = client.get("/").content.decode()
    assert "本期应开会议" in page and "已超期" in page
