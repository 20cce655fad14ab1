import os
import subprocess
import sys

from django.conf import settings


def run_manage(*args, env_extra=None):
    # No settings a `make run` in this checkout may have left in data/sanxin.env, unless a test asks for them.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANXIN_", "DJANGO_"))} | {"SANXIN_ENV_FILE": ""}
    env.update(env_extra or {})
    return subprocess.run([sys.executable, "manage.py", *args], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR)


PRODUCTION = {
    "SANXIN_SECRET_KEY": "p" * 20 + "roduction-secret-key-with-enough-entropy-0123456789",
    "SANXIN_ALLOWED_HOSTS": "sanxin.example.gov.cn",
    "SANXIN_MASTER_KEY": "ab" * 32,
}


def test_check_deploy_passes_with_production_settings():
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env_extra=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_secret_key():
    result = run_manage("check", env_extra={"SANXIN_MASTER_KEY": "ab" * 32})
    assert result.returncode != 0
    assert "SANXIN_SECRET_KEY" in result.stderr


def test_security_headers(client_for):
    response = client_for("county").get("/")
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Request-ID"]


def test_no_missing_migrations():
    result = run_manage("makemigrations", "--check", "--dry-run", env_extra={"SANXIN_DEBUG": "1", "SANXIN_MASTER_KEY": "ab" * 32})
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_demo_settings_beside_the_data_make_the_readme_commands_work(tmp_path):
    """`make run` writes data/sanxin.env once; a command run in the checkout afterwards reads it (debug off)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANXIN_", "DJANGO_"))} | {"SANXIN_DATA_DIR": str(tmp_path)}
    written = subprocess.run([sys.executable, "scripts/demo_settings.py"], env=env, capture_output=True, text=True, cwd=settings.BASE_DIR)
    assert written.returncode == 0, written.stderr
    env_file = tmp_path / "sanxin.env"
    assert env_file.stat().st_mode & 0o777 == 0o600
    first = env_file.read_text(encoding="utf-8")
    subprocess.run([sys.executable, "scripts/demo_settings.py"], env=env, check=True, cwd=settings.BASE_DIR)
    assert env_file.read_text(encoding="utf-8") == first  # written once: the secret key stays
    probe = "from django.conf import settings as s; print(s.DEBUG, s.SANXIN_DEMO, s.SANXIN_OTP_REQUIRED, len(s.SECRET_KEY) > 40)"
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", probe],
        env=env | {"SANXIN_MASTER_KEY": "ab" * 32},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1].split() == ["False", "True", "False", "True"]
    overridden = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", probe],
        env=env | {"SANXIN_MASTER_KEY": "ab" * 32, "SANXIN_OTP_REQUIRED": "1"},
        capture_output=True,
        text=True,
        cwd=settings.BASE_DIR,
    )
    assert overridden.stdout.splitlines()[-1].split()[2] == "True"  # the environment wins over the file


def test_production_static_files_collect_and_a_page_renders_with_debug_off(tmp_path):
    env = PRODUCTION | {"SANXIN_STATIC_ROOT": str(tmp_path / "static"), "SANXIN_DATA_DIR": str(tmp_path)}
    result = run_manage("collectstatic", "--no-input", "-v", "0", env_extra=env)
    assert result.returncode == 0, result.stdout + result.stderr
    manifest = (tmp_path / "static" / "staticfiles.json").read_text()
    assert "bootstrap.min.css" in manifest
