import os
import subprocess
import sys

from django.conf import settings


def run_manage(*args, env_extra=None):
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SANXIN_", "DJANGO_"))}
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
