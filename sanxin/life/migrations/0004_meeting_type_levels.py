"""Which Party organization levels a meeting type is required of: 支部党员大会, 支部委员会 and 党小组会 are a
branch's meetings (党支部, 临时党支部); a 党委 or 党总支 does not owe them. The other types apply to every level."""

from django.db import migrations, models

BRANCH_ONLY = ("branch_general", "branch_committee", "group_meeting")
BRANCH_LEVELS = ["branch", "provisional"]


def set_branch_only(apps, schema_editor):
    types = apps.get_model("life", "MeetingType").objects.filter(code__in=BRANCH_ONLY)
    types.update(levels=BRANCH_LEVELS)
    # What a 党委 or 党总支 was counted for them goes: the facts are kept per Party organization level and meeting
    # type, so dropping those records and those facts leaves the rollups equal to a rebuild.
    stale = {"meeting_type__in": types, "org_level__in": ["committee", "general_branch"]}
    apps.get_model("life", "ComplianceRecord").objects.filter(**stale).delete()
    apps.get_model("life", "ComplianceFact").objects.filter(**stale).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("life", "0003_meeting_open_code"),
    ]

    operations = [
        migrations.AddField(
            model_name="meetingtype",
            name="levels",
            field=models.JSONField(blank=True, default=list, verbose_name="适用党组织层级"),
        ),
        migrations.RunPython(set_branch_only, migrations.RunPython.noop),
    ]
