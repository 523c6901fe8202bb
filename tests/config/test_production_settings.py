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
        if name not in {"SECRET_KEY", "ALLOWED_HOSTS", "DEBUG", "DJANGO_SETTINGS_MODULE"}
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
