"""The production settings pass Django's deployment checklist and refuse to run without secrets."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

PROJECT_DIR = Path(__file__).resolve().parents[2]


def run_manage(*args: str, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {
        name: value
        for name, value in os.environ.items()
        if name
        not in {
            "SECRET_KEY",
            "ALLOWED_HOSTS",
            "DEBUG",
            "DJANGO_SETTINGS_MODULE",
            "TRUSTED_PROXY_COUNT",
        }
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=PROJECT_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_deploy_check_reports_no_issues() -> None:
    result = run_manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(48)[:50],
        ALLOWED_HOSTS="example.org",
    )

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_production_refuses_to_start_with_an_empty_or_short_secret_key() -> None:
    for weak_key in ("", "short-and-guessable"):
        result = run_manage(
            "check",
            DJANGO_SETTINGS_MODULE="config.settings.production",
            SECRET_KEY=weak_key,
            ALLOWED_HOSTS="example.org",
        )

        assert result.returncode != 0
        assert "SECRET_KEY must be at least 50 random characters" in result.stderr


def production_setting(name: str, **env: str) -> str:
    result = run_manage(
        "shell",
        "-c",
        f"from django.conf import settings; print(repr(settings.{name}))",
        DJANGO_SETTINGS_MODULE="config.settings.production",
        SECRET_KEY=secrets.token_urlsafe(48)[:50],
        ALLOWED_HOSTS="example.org",
        **env,
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_x_forwarded_for_is_not_trusted_unless_a_proxy_is_declared() -> None:
    """With no proxy in front, a client could write any X-Forwarded-For and dodge the limit."""
    assert production_setting("TRUSTED_PROXY_COUNT") == "0"
    assert production_setting("TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="1") == "1"
    assert production_setting("ALLAUTH_TRUSTED_PROXY_COUNT", TRUSTED_PROXY_COUNT="1") == "1"


def test_the_language_cookie_is_secure_http_only_and_same_site_lax() -> None:
    assert production_setting("LANGUAGE_COOKIE_SECURE") == "True"
    assert production_setting("LANGUAGE_COOKIE_HTTPONLY") == "True"
    assert production_setting("LANGUAGE_COOKIE_SAMESITE") == "'Lax'"
