"""Production settings plus a bare "hello" view, for bench/load.py (never used by the product)."""

from courtyard.config.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
