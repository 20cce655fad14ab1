"""The industry dictionary (行业条线). Codes follow GB/T 4754-2017 where one fits."""

from django.db import migrations

INDUSTRIES = [
    ("6020", "快递"),
    ("6242", "外卖配送"),
    ("5412", "网约车"),
    ("543", "道路货运"),
    ("64", "互联网"),
    ("7231", "律师"),
    ("7241", "会计"),
    ("83", "教育培训"),
    ("51", "批发零售"),
    ("C", "制造业"),
    ("E", "建筑业"),
    ("K", "房地产与物业"),
    ("H", "住宿餐饮"),
    ("72", "商务服务"),
    ("80", "家政服务"),
    ("7281", "行业协会商会"),
    ("84", "卫生健康"),
    ("88", "文化体育娱乐"),
    ("J", "金融"),
    ("Z", "其他"),
]


def forward(apps, schema_editor):
    Industry = apps.get_model("regions", "Industry")
    for sort, (code, name) in enumerate(INDUSTRIES, start=1):
        Industry.objects.update_or_create(code=code, defaults={"name": name, "sort": sort})


def backward(apps, schema_editor):
    apps.get_model("regions", "Industry").objects.filter(code__in=[c for c, _ in INDUSTRIES]).delete()


class Migration(migrations.Migration):
    dependencies = [("regions", "0001_initial")]
    operations = [migrations.RunPython(forward, backward)]
