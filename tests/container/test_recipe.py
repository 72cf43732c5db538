"""The container recipe: Containerfile, compose.yaml and the build context agree with each other and with
the project (uv pin, roles, health check, volumes). scripts/container-smoke.sh builds and runs the image;
these checks run everywhere, without podman."""

from __future__ import annotations

import fnmatch
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parents[2]
CONTAINERFILE = (ROOT / "Containerfile").read_text()
COMPOSE = yaml.safe_load((ROOT / "compose.yaml").read_text())
SERVICES = COMPOSE["services"]
APP_SERVICES = ("web", "worker")


def containerfile_env() -> dict[str, str]:
    """The ENV of the final stage (after the last FROM), continuation lines joined."""
    final = CONTAINERFILE.rsplit("\nFROM ", 1)[1].replace("\\\n", " ")
    env: dict[str, str] = {}
    for line in final.splitlines():
        if line.startswith("ENV "):
            env.update(dict(re.findall(r"(\w+)=(\S+)", line)))
    return env


def ignored(path: str, patterns: list[str]) -> bool:
    """.containerignore semantics: the last pattern that matches the path or one of its parents wins."""
    result = False
    parts = path.split("/")
    for pattern in patterns:
        negate = pattern.startswith("!")
        pattern = pattern.lstrip("!").rstrip("/")
        candidates = ["/".join(parts[: i + 1]) for i in range(len(parts))]
        glob = pattern.replace("**/", "")
        if any(fnmatch.fnmatch(c, pattern) or fnmatch.fnmatch(c.rsplit("/", 1)[-1], glob) for c in candidates):
            result = not negate
    return result


def ignore_patterns() -> list[str]:
    lines = (ROOT / ".containerignore").read_text().splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


def test_base_image_is_a_build_argument_defaulting_to_the_official_python_image():
    assert CONTAINERFILE.split("\nFROM ", 1)[0].count("ARG BASE=python:3.11-slim") == 1
    froms = re.findall(r"^FROM (\S+)", CONTAINERFILE, re.M)
    assert froms[0] == "${BASE}"
    # Every stage starts from the base (or a stage of it): nothing else is ever pulled.
    stages = set(re.findall(r"^FROM \S+ AS (\S+)", CONTAINERFILE, re.M))
    assert all(image == "${BASE}" or image in stages for image in froms)
    # A bare Debian base gets Python from apt; the official image keeps its own.
    assert "command -v python3" in CONTAINERFILE
    assert "python3-venv" in CONTAINERFILE


def test_uv_is_pinned_at_the_makefile_version_and_installs_the_lock_without_test_extras():
    makefile_uv = re.search(r"^UV_VERSION := (\S+)$", (ROOT / "Makefile").read_text(), re.M).group(1)
    assert re.search(r"^ARG UV_VERSION=(\S+)$", CONTAINERFILE, re.M).group(1) == makefile_uv
    syncs = re.findall(r"uv sync ([^\n]*)", CONTAINERFILE)
    assert syncs
    assert all("--frozen" in args for args in syncs)
    assert "--extra" not in CONTAINERFILE
    assert "--all-extras" not in CONTAINERFILE
    assert "--no-deps" in CONTAINERFILE  # the project's wheel adds nothing beyond the lock


def test_final_image_runs_as_a_non_root_user_with_a_health_check_and_the_entrypoint_roles():
    final = CONTAINERFILE.rsplit("\nFROM ", 1)[1]
    user = re.findall(r"^USER (\S+)$", final, re.M)
    assert user
    assert user[-1].split(":")[0] not in {"root", "0"}
    assert re.search(r"^EXPOSE 8000$", final, re.M)
    assert containerfile_env()["PORT"] == "8000"
    healthcheck = re.search(r"^HEALTHCHECK .*\n.*CMD (.*)$", final, re.M).group(1)
    assert "entrypoint.py" in healthcheck
    assert "healthcheck" in healthcheck
    assert "collectstatic" in final
    assert re.search(r'^ENTRYPOINT \[.*"/opt/courtyard/entrypoint.py"\]$', final, re.M)
    assert re.search(r'^CMD \["web"\]$', final, re.M)


def test_media_root_is_a_volume_and_static_files_are_outside_it():
    env = containerfile_env()
    volumes = re.findall(r'^VOLUME \["([^"]+)"\]$', CONTAINERFILE, re.M)
    assert volumes == [env["MEDIA_ROOT"]]
    assert not env["STATIC_ROOT"].startswith(env["COURTYARD_VAR_DIR"])


def test_build_context_leaves_out_environments_data_and_history():
    patterns = ignore_patterns()
    for path in (".venv/bin/python", ".tools/bin/uv", "var/courtyard.sqlite3", ".git/HEAD", "var/media/a.png",
                 "src/courtyard/__pycache__/cli.cpython-311.pyc", "tests/test_urls_covered.py"):
        assert ignored(path, patterns), path
    # What the Containerfile copies must be in the context.
    copied = re.findall(r"^COPY (?!--from)(.+) \S+$", CONTAINERFILE, re.M)
    sources = [source for line in copied for source in line.split()]
    assert {"pyproject.toml", "uv.lock", "src", "container/entrypoint.py"} <= set(sources)
    for source in sources:
        assert (ROOT / source).exists(), source
        assert not ignored(source, patterns), source
    assert not ignored("src/courtyard/static/icons.svg", patterns)
    dockerignore = ROOT / ".dockerignore"
    assert dockerignore.resolve() == (ROOT / ".containerignore").resolve()


def test_ignore_matcher_follows_last_match_wins():
    # The helper above decides the previous test: it must tell an allowed path from an ignored one.
    assert ignored("a/b", ["*"])
    assert not ignored("a/b", ["*", "!a/"])
    assert ignored("a/b", ["*", "!a/", "a/b"])


def test_compose_has_postgres_redis_web_and_worker_with_health_checks():
    assert set(SERVICES) == {"postgres", "redis", "web", "worker"}
    assert SERVICES["postgres"]["image"].endswith("postgres:16")
    assert SERVICES["redis"]["image"].endswith("redis:7")
    for name, service in SERVICES.items():
        test = service["healthcheck"]["test"]
        assert test[0] in {"CMD", "CMD-SHELL"}, name
        assert len(test) > 1, name
    assert "pg_isready" in SERVICES["postgres"]["healthcheck"]["test"][1]


def test_compose_builds_the_app_from_the_containerfile_with_the_base_argument():
    for name in APP_SERVICES:
        build = SERVICES[name]["build"]
        assert (ROOT / build["context"] / build["dockerfile"]).resolve() == ROOT / "Containerfile"
        assert "python:3.11-slim" in build["args"]["BASE"]
    assert SERVICES["web"]["image"] == SERVICES["worker"]["image"]  # built once, used by both roles
    assert SERVICES["web"]["command"] == ["web"]
    assert SERVICES["worker"]["command"] == ["worker"]
    assert any(str(port).endswith(":8000") for port in SERVICES["web"]["ports"])


def test_compose_app_services_wait_for_healthy_database_and_redis_and_share_the_settings():
    for name in APP_SERVICES:
        service = SERVICES[name]
        assert service["depends_on"]["postgres"]["condition"] == "service_healthy"
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
        env = service["environment"]
        assert {"DATABASE_URL", "REDIS_URL", "SECRET_KEY", "ALLOWED_HOSTS", "SITE_URL"} <= set(env)
        assert "@postgres:5432/" in env["DATABASE_URL"]
        assert env["REDIS_URL"].startswith("redis://redis:6379/")
        assert ":?" in env["SECRET_KEY"]  # no default: compose refuses to start without one
    assert SERVICES["web"]["healthcheck"]["test"][-1] == "healthcheck"


def test_compose_volumes_keep_the_database_redis_and_media():
    assert set(COMPOSE["volumes"]) == {"postgres", "redis", "media"}
    assert "postgres:/var/lib/postgresql/data" in SERVICES["postgres"]["volumes"]
    assert "redis:/data" in SERVICES["redis"]["volumes"]
    media = f"media:{containerfile_env()['MEDIA_ROOT']}"
    for name in APP_SERVICES:
        assert media in SERVICES[name]["volumes"], name


@pytest.mark.parametrize(
    ("environment", "expected"),
    [({"STATIC_ROOT": "/opt/somewhere/static"}, "/opt/somewhere/static"), ({}, "VAR/static")],
)
def test_static_root_comes_from_the_environment(tmp_path, environment, expected):
    env = {k: v for k, v in os.environ.items() if k != "STATIC_ROOT"}
    env.update(environment, COURTYARD_VAR_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="courtyard.config.settings")
    script = "from django.conf import settings; print(settings.STATIC_ROOT)"
    out = subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    assert out.stdout.strip() == expected.replace("VAR", str(tmp_path))
