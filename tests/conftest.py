"""Shared fixtures, and the rule that service-needing tests skip locally but fail in CI.

Markers: ``postgres`` (DATABASE_URL points at PostgreSQL), ``redis`` (REDIS_URL set),
``browser`` (Debian's Chromium at /usr/bin/chromium) and ``gettext`` (xgettext, which
Django's makemessages runs). Without the service such a test skips
with the reason; with CONVENE_REQUIRE_SERVICES=1 (set by .ci/run) it fails instead.

``smtp_server`` is here, not in tests/notifications, because every email goes through the
outbox: account and invitation emails are tested against the same real server.
"""

import os
import shutil
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import cache, caches
from django.utils import translation

from tests.notifications.smtp import SmtpServer

CHROMIUM_PATH = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")


def _missing_service(marker: str) -> str | None:
    if marker == "postgres":
        engine = settings.DATABASES["default"]["ENGINE"]
        if "postgresql" not in engine:
            return "needs PostgreSQL: set DATABASE_URL=postgres://…"
    if marker == "redis" and not os.environ.get("REDIS_URL"):
        return "needs Redis: set REDIS_URL=redis://…"
    if marker == "browser" and not (os.path.exists(CHROMIUM_PATH) or shutil.which("chromium")):
        return f"needs Chromium at {CHROMIUM_PATH} (apt-get install chromium)"
    if marker == "gettext" and not shutil.which("xgettext"):
        return "needs GNU gettext's xgettext for makemessages (apt-get install gettext)"
    return None


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in ("postgres", "redis", "browser", "gettext"):
        if item.get_closest_marker(marker) is None:
            continue
        reason = _missing_service(marker)
        if reason is None:
            continue
        if os.environ.get("CONVENE_REQUIRE_SERVICES") == "1":
            pytest.fail(f"{reason} (CONVENE_REQUIRE_SERVICES=1 makes this a failure)")
        pytest.skip(reason)


@pytest.fixture(autouse=True)
def _clear_cache() -> Iterator[None]:
    """Rate-limit counters and cached event pages: every test starts with empty caches."""
    cache.clear()
    caches["pages"].clear()
    yield


@pytest.fixture(autouse=True)
def _default_language() -> Iterator[None]:
    """Every test starts in the default language: a request through LocaleMiddleware leaves
    its language active in the thread, which would carry a Persian request into the next
    test's exports or emails."""
    yield
    translation.deactivate()


@pytest.fixture
def smtp_server(settings: Any) -> Iterator[SmtpServer]:
    """A real SMTP server on loopback, and the project's SMTP backend pointed at it."""
    with SmtpServer() as server:
        settings.EMAIL_BACKEND = "notifications.smtp_backend.EmailBackend"
        settings.EMAIL_HOST = "127.0.0.1"
        settings.EMAIL_PORT = server.port
        settings.EMAIL_USE_TLS = False
        settings.EMAIL_HOST_USER = ""
        settings.EMAIL_HOST_PASSWORD = ""
        settings.EMAIL_TIMEOUT = 5
        yield server
