from django.conf import settings

from sanxin.core.commands import BaseCommand
from sanxin.core.crypto import write_key_file


class Command(BaseCommand):
    help = "生成个人信息加密主密钥文件（已存在则不覆盖）"

    def handle(self, *args, **options):
        path = settings.SANXIN_KEY_FILE
        if write_key_file(path):
            self.stdout.write(self.style.SUCCESS(f"已生成密钥文件 {path}（权限 600，请妥善备份，丢失将无法解密个人信息）"))
        else:
            self.stdout.write(f"密钥文件 {path} 已存在，未作改动")
