"""The meeting code's uniqueness among the meetings not yet ended, held by the database: open_code (unique, NULL
once the meeting has ended). The meetings not ended yet claim their code; a clash left by the old check-then-write
gives the later meeting a fresh code."""

import secrets

from django.db import migrations, models
from django.utils import timezone


def claim_open_codes(apps, schema_editor):
    Meeting = apps.get_model("life", "Meeting")
    taken = set()
    for meeting in Meeting.objects.filter(ends_at__gte=timezone.now()).order_by("starts_at", "pk"):
        code = meeting.code
        while code in taken:
            code = f"{secrets.randbelow(10**6):06d}"
        taken.add(code)
        Meeting.objects.filter(pk=meeting.pk).update(code=code, open_code=code)


class Migration(migrations.Migration):
    dependencies = [
        ("life", "0002_compliance"),
    ]

    operations = [
        migrations.AddField(
            model_name="meeting",
            name="open_code",
            field=models.CharField(blank=True, editable=False, max_length=6, null=True, unique=True, verbose_name="未结束会议的会议码"),
        ),
        migrations.RunPython(claim_open_codes, migrations.RunPython.noop),
    ]
