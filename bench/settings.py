"""Settings of the pages benchmark: production settings (config.settings, read from the environment as in any
deployment) with one bench-only URL added, a bare Django JSON view to measure the pages beside. The production
URLs never get it."""

from config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
