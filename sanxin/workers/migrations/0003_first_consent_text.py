"""The first consent text (version 2026.1) every worker reads and accepts at registration (security.md 23)."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import migrations

BODY = """欢迎使用“三新党建工作平台”新就业群体服务。为了给您提供驿站查找、签到、诉求办理、积分和关爱活动等服务，我们需要处理您的个人信息。请您仔细阅读以下内容：

一、我们收集的信息：您的姓名、手机号码、职业、所属平台、所在站点或加盟商、工作区域，以及您在平台上的签到、诉求、随手拍和积分记录。

二、使用目的：仅用于为您提供上述服务、联系您办理诉求、统计服务阵地覆盖和服务人次，不用于与服务无关的用途，不向平台企业提供您的身份信息。

三、保存与保护：手机号码经国密算法加密保存；工作人员查看完整号码须有权限并留有审计记录。您连续 2 年未使用本服务的，您的信息将被自动删除。

四、您的权利：您可以随时在“我的”页面查看、更正、导出您的信息，或删除您的账号和全部信息；删除后相关诉求等记录中的您的身份信息会被匿名化处理。

五、如有疑问，可向您工作区域所在街道（社区）党组织咨询。"""

SENSITIVE = """您在提出诉求、随手拍时可能上传照片和所在位置，诉求内容可能涉及您的健康、工伤、劳动争议等情况，属于敏感个人信息。我们仅在办理您的诉求、核实隐患时使用这些信息，并只向负责办理的单位展示；您选择“对平台隐藏我的身份”时，平台企业看不到您的姓名和电话。如您不同意本条，请不要继续使用本服务；您可随时在“我的”页面删除账号和全部信息。"""


def write(apps, schema_editor):
    ConsentText = apps.get_model("workers", "ConsentText")
    ConsentText.objects.get_or_create(
        version="2026.1",
        defaults={"body": BODY, "sensitive_body": SENSITIVE, "published_at": datetime(2026, 1, 1, tzinfo=ZoneInfo("Asia/Shanghai"))},
    )


class Migration(migrations.Migration):
    dependencies = [("workers", "0002_employer_name")]
    operations = [migrations.RunPython(write, migrations.RunPython.noop)]
