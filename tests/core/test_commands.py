"""Every management command of the project, run as an operator runs it: a failure ends with one Chinese line on
stderr and exit status 1, never a traceback or argparse's English usage (sanxin.core.commands)."""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import load_command_class

from sanxin.core.commands import BaseCommand

BASE_DIR = Path(settings.BASE_DIR)
COMMANDS = sorted(
    (path.parts[-4], path.stem) for path in BASE_DIR.glob("sanxin/*/management/commands/*.py") if not path.stem.startswith("_")
)
CHINESE = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def operator(tmp_path_factory):
    """A migrated SQLite database of its own (the test database is not visible to another process) and files to feed."""
    data = tmp_path_factory.mktemp("operator")
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.test_settings",
        "SANXIN_DATA_DIR": str(data),
        "DATABASE_URL": f"sqlite:///{data / 'db.sqlite3'}",
        "PYTHONWARNINGS": "ignore",
    }
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], cwd=BASE_DIR, env=env, check=True, capture_output=True, timeout=300)
    files = {
        "xls": data / "旧.xls",
        "nul_csv": data / "空字符.csv",
        "not_xlsx": data / "假.xlsx",
        "missing": data / "没有这个文件.xlsx",
        "existing": data / "已有.jsonl.gz",
    }
    files["xls"].write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512)
    from sanxin.orgs.importing import COLUMNS

    files["nul_csv"].write_text(",".join(c.header for c in COLUMNS) + "\n91360102MA35L5XK4B,名称\x00中间,私营企业,快递,360102002001\n")
    files["not_xlsx"].write_bytes(b"PK\x05\x06" + b"\x00" * 18)
    files["existing"].write_bytes(b"x")

    def manage(*args, **extra_env):
        return subprocess.run(
            [sys.executable, "manage.py", *(str(files[a[1:-1]]) if a.startswith("{") else a for a in args)],
            cwd=BASE_DIR,
            env={**env, **extra_env},
            capture_output=True,
            text=True,
            timeout=300,
        )

    return manage


def assert_one_chinese_line(done) -> str:
    lines = done.stderr.strip().splitlines()
    assert done.returncode == 1, (done.returncode, done.stderr[-3000:])
    assert len(lines) == 1, done.stderr[-3000:]
    assert CHINESE.search(lines[0]) and "Traceback" not in done.stderr, lines
    assert not lines[0].startswith(("CommandError", "usage", "Error")), lines
    return lines[0]


def test_the_commands_are_found():
    assert ("imports", "import_data") in COMMANDS and len(COMMANDS) >= 12


@pytest.mark.parametrize(("app", "name"), COMMANDS)
def test_every_command_is_built_on_the_project_base(app, name):
    assert issubclass(load_command_class(f"sanxin.{app}", name).__class__, BaseCommand)


@pytest.mark.parametrize(("app", "name"), COMMANDS)
def test_an_unknown_option_is_one_chinese_line(operator, app, name):
    line = assert_one_chinese_line(operator(name, "--no-such-option"))
    assert "无法识别的参数：--no-such-option" in line or "缺少参数" in line


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["import_data", "organizations", "{missing}"], "找不到文件"),
        (["import_data", "organizations", "{xls}"], "不支持 .xls（Excel 97-2003）格式，请在 Excel 中另存为 .xlsx"),
        (["import_data", "organizations", "{not_xlsx}"], "文件不是有效的 xlsx 文件（可能已损坏或是改了扩展名的其他格式）"),
        (["import_data", "organizations", "{nul_csv}"], "按“全部有效才导入”未写入任何数据"),
        (["import_data", "nonsense", "{xls}"], "参数 registry 的值“nonsense”不在可选范围内"),
        (["import_data", "organizations"], "缺少参数：file"),
        (["import_data", "organizations", "{nul_csv}", "--user", "nobody"], "账号“nobody”不存在或已停用"),
        (["compare_registry", "{missing}", "--region", "360102", "--out", "{existing}"], "找不到文件"),
        (["compare_registry", "{not_xlsx}", "--region", "999999", "--out", "{existing}"], "区划代码“999999”不存在"),
        (["purge_audit", "--before", "2026-13-45"], "格式不正确"),
        (["load_regions", "--province", "3"], "应为 2 位数字"),
        (["refresh_coverage", "--snapshot", "2026-99"], "格式不正确"),
        (["run_daily_jobs", "--every", "abc"], "参数 --every 的值“abc”格式不正确"),
        (["api_token", "create", "nobody"], "账号“nobody”不存在"),
        (["api_token", "revoke", "abc"], "格式不正确"),
        (["seed_demo"], "该数据库不是演示环境"),
        (["backup", "{existing}"], ""),
    ],
)
def test_bad_input_is_one_chinese_line(operator, args, expected):
    assert expected in assert_one_chinese_line(operator(*args))


def test_an_unexpected_error_is_one_chinese_line(operator, tmp_path):
    (tmp_path / "一个文件").write_text("不是目录")
    line = assert_one_chinese_line(operator("create_key_file", SANXIN_KEY_FILE=str(tmp_path / "一个文件" / "sanxin.key")))
    assert line.startswith("命令执行失败（") and "--traceback" in line


def test_a_file_over_200_mb_is_refused_before_it_is_read(operator, tmp_path):
    big = tmp_path / "大.csv"
    with big.open("wb") as handle:
        handle.truncate(200 * 1024 * 1024 + 1)  # sparse: takes no disk
    done = operator("import_data", "organizations", str(big))
    assert assert_one_chinese_line(done) == "文件超过 200 MB，请拆分后导入"


def test_rows_errors_go_to_stdout_and_the_verdict_to_stderr(operator):
    done = operator("import_data", "organizations", "{nul_csv}")
    assert "含有不可见的控制字符（NUL）" in done.stdout and "名称␀中间" in done.stdout
    assert_one_chinese_line(done)


def test_seed_demo_in_a_demo_database_without_regions_says_what_to_load(operator):
    assert "请先载入演示省份区划" in assert_one_chinese_line(operator("seed_demo", SANXIN_DEMO="1"))
