"""Settings for the test suite: the production file, with a test key and a cheaper Argon2id."""

import os

os.environ["SANXIN_ENV_FILE"] = ""  # never the settings a `make run` in this checkout left in data/
os.environ.setdefault("SANXIN_DEBUG", "0")
os.environ.setdefault("SANXIN_SECRET_KEY", "test-secret-key-not-for-deployment-0123456789abcdefghijklmnop")
os.environ.setdefault("SANXIN_MASTER_KEY", "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff")
os.environ.setdefault("SANXIN_SECURE_COOKIES", "0")
os.environ.setdefault("SANXIN_SSL_REDIRECT", "0")
os.environ.setdefault("SANXIN_TEMPLATES_CHECKED", "1")  # a template that looks up a missing name fails its test

from config.settings import *  # noqa: F403

PASSWORD_HASHERS = ["tests.hashers.FastArgon2idHasher"]
ALLOWED_HOSTS = ["testserver", "127.0.0.1", "localhost"]
STORAGES["staticfiles"]["BACKEND"] = "django.contrib.staticfiles.storage.StaticFilesStorage"  # noqa: F405
WHITENOISE_USE_FINDERS = True
TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}
STATIC_ROOT.mkdir(parents=True, exist_ok=True)  # noqa: F405
