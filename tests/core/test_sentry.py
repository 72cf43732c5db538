"""The optional Sentry hook: on with SENTRY_DSN, and no personal data leaves with an error report.

Run in a fresh interpreter: the settings module initializes the SDK, which patches Django process-wide.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

PROBE = """
import django, json, sentry_sdk
django.setup()
options = sentry_sdk.get_client().options
print(json.dumps({
    "dsn": options["dsn"], "send_default_pii": options["send_default_pii"],
    "max_request_body_size": options["max_request_body_size"],
    "include_local_variables": options["include_local_variables"],
    "integrations": sorted(sentry_sdk.get_client().integrations),
}))
"""


def run_probe(tmp_path, probe: str = PROBE, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        **os.environ, "DJANGO_SETTINGS_MODULE": "courtyard.config.settings", "COURTYARD_VAR_DIR": str(tmp_path), **env,
    }
    return subprocess.run(  # noqa: S603 - our own interpreter and probe
        [sys.executable, "-c", probe], env=environment, capture_output=True, text=True, timeout=60, check=False
    )


def test_sentry_is_enabled_by_the_dsn_and_sends_no_personal_data(tmp_path):
    result = run_probe(tmp_path, SENTRY_DSN="https://public@sentry.example.invalid/42")
    assert result.returncode == 0, result.stderr
    options = json.loads(result.stdout.strip().splitlines()[-1])
    assert options["dsn"] == "https://public@sentry.example.invalid/42"
    assert options["send_default_pii"] is False
    assert options["max_request_body_size"] == "never"
    assert options["include_local_variables"] is False
    assert {"django", "huey"} <= set(options["integrations"])


def test_without_a_dsn_nothing_is_sent(tmp_path):
    environment = {key: value for key, value in os.environ.items() if key != "SENTRY_DSN"}
    result = subprocess.run(  # noqa: S603
        [sys.executable, "-c", PROBE], env={**environment, "DJANGO_SETTINGS_MODULE": "courtyard.config.settings",
                                            "COURTYARD_VAR_DIR": str(tmp_path)},
        capture_output=True, text=True, timeout=60, check=False,
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout.strip().splitlines()[-1])["dsn"] is None


def test_a_dsn_without_the_sdk_stops_with_what_to_install(tmp_path):
    # A package folder that hides the installed SDK, as on an installation without the extra.
    hidden = tmp_path / "hide"
    (hidden / "sentry_sdk").mkdir(parents=True)
    (hidden / "sentry_sdk" / "__init__.py").write_text("raise ImportError('not installed')\n")
    result = run_probe(
        tmp_path, "import django; django.setup()",
        SENTRY_DSN="https://public@sentry.example.invalid/42", PYTHONPATH=str(hidden),
    )
    assert result.returncode != 0
    assert "pip install 'courtyard[sentry]'" in result.stderr
