"""Production settings pass Django's deployment checks; development defaults visibly do not."""

from __future__ import annotations

import os
import secrets
import string
import subprocess
import sys
from pathlib import Path

import pytest

COURTYARD = Path(sys.executable).with_name("courtyard")


def production_env(tmp_path: Path, **overrides: str) -> dict[str, str]:
    alphabet = string.ascii_letters + string.digits + "!@#%^&*(-_=+)"
    env = {
        key: value for key, value in os.environ.items()
        if not key.startswith(("SECURE_", "SESSION_", "DJANGO_")) and key not in {"DEBUG", "SECRET_KEY", "SITE_URL"}
    }
    env.update(
        SECRET_KEY="".join(secrets.choice(alphabet) for _ in range(50)),
        ALLOWED_HOSTS="courtyard.example.com",
        SITE_URL="https://courtyard.example.com",
        SECURE_SSL_REDIRECT="1",
        SECURE_HSTS_SECONDS="31536000",
        SECURE_HSTS_INCLUDE_SUBDOMAINS="1",
        SECURE_HSTS_PRELOAD="1",
        DEBUG="0",
        COURTYARD_VAR_DIR=str(tmp_path / "var"),  # a fresh directory, as on a new server
        COURTYARD_TESTING="0",
    )
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    env.update(overrides)
    return env


def check_deploy(env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own command, arguments fixed above
        [str(COURTYARD), "check", "--deploy", "--fail-level", "WARNING"],
        env=env, cwd=cwd, capture_output=True, text=True, timeout=120,
    )


@pytest.mark.skipif(not COURTYARD.exists(), reason="the courtyard command is not installed in this environment")
def test_check_deploy_is_clean_with_production_settings(tmp_path):
    result = check_deploy(production_env(tmp_path), tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout
    assert "WARNINGS" not in result.stdout + result.stderr


@pytest.mark.skipif(not COURTYARD.exists(), reason="the courtyard command is not installed in this environment")
def test_check_deploy_flags_development_defaults(tmp_path):
    # The same check fails without the production environment: it is not silenced by something else.
    env = production_env(tmp_path, DEBUG="1", SITE_URL="http://127.0.0.1:8000", SECURE_HSTS_SECONDS="0")
    env.pop("SECRET_KEY")
    result = check_deploy(env, tmp_path)
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for check in ("security.W004", "security.W009", "security.W012", "security.W016", "security.W018"):
        assert check in output, check


def test_password_policy_in_settings(settings):
    validators = {v["NAME"].rsplit(".", 1)[-1]: v for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert validators["MinimumLengthValidator"]["OPTIONS"]["min_length"] >= 12
    assert "CommonPasswordValidator" in validators
    assert settings.SESSION_COOKIE_HTTPONLY
    assert settings.ACCOUNT_RATE_LIMITS["login_failed"]
