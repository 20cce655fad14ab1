"""Write the demo's settings beside its key file (data/sanxin.env), once: `make run` and every
`python manage.py ...` in this checkout read them, so the README's commands work here as written.

The demo runs as production does (debug off, a real web server, manifest static files) with what a
laptop lacks switched off: HTTPS (plain http on 127.0.0.1) and the second factor (so every demo persona
can be tried at once). Plain Python: it runs before Django can start without a secret key.
"""

import os
import secrets
import sys
from pathlib import Path

DATA_DIR = Path(os.environ.get("SANXIN_DATA_DIR", Path(__file__).resolve().parent.parent / "data"))
SETTINGS = {
    "SANXIN_DEMO": "1",
    "SANXIN_OTP_REQUIRED": "0",
    "SANXIN_SECURE_COOKIES": "0",
    "SANXIN_SSL_REDIRECT": "0",
    "SANXIN_HSTS_SECONDS": "0",
    "SANXIN_ALLOWED_HOSTS": "127.0.0.1,localhost",
}


def main() -> int:
    path = DATA_DIR / "sanxin.env"
    if path.exists():
        return 0
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    lines = [
        "# 三新党建平台演示环境设置（make run 生成）。本目录下运行 python manage.py 时自动读取；",
        "# 环境变量中已有的同名设置优先。生产环境请勿使用本文件。",
        f"SANXIN_SECRET_KEY={secrets.token_urlsafe(48)}",
        *(f"{key}={value}" for key, value in SETTINGS.items()),
    ]
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write("\n".join(lines) + "\n")
    print(f"已生成演示环境设置 {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
