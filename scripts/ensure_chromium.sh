#!/usr/bin/env bash
# Browser tests drive Debian's chromium (never a downloaded browser); install it when missing.
set -euo pipefail
if [ -x /usr/bin/chromium ]; then exit 0; fi
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null; then
  echo "安装 Debian chromium（浏览器测试需要）..."
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk >/dev/null
else
  echo "缺少 /usr/bin/chromium：请以 root 运行 apt-get install chromium fonts-noto-cjk" >&2
  exit 1
fi
