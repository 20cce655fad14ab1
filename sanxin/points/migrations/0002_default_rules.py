"""The whole country's default earning rules (regions refine them on the rules page)."""

from django.db import migrations

DEFAULTS = [
    ("hazard_valid", 10, "随手拍隐患经核实有效，每件 10 分"),
    ("volunteer_hours", 5, "志愿服务每小时 5 分，不足一分不计"),
    ("care_checkin", 3, "参加关爱活动签到，每次 3 分"),
    ("selection_award", 100, "评选活动未定分值时，获奖 100 分"),
]


def seed(apps, schema_editor):
    EarningRule = apps.get_model("points", "EarningRule")
    for kind, points, note in DEFAULTS:
        EarningRule.objects.get_or_create(kind=kind, region_code="", defaults={"points": points, "active": True, "note": note})


def unseed(apps, schema_editor):
    apps.get_model("points", "EarningRule").objects.filter(region_code="").delete()


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial")]
    operations = [migrations.RunPython(seed, unseed)]
