"""Chromium driven by Playwright against pytest-django's live server.

Debian's Chromium (/usr/bin/chromium) is used: Playwright's own browser download cannot reach
the internet here. One browser per module keeps the journey fast; each person gets their own
context (cookies, time zone).
"""

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.conftest import CHROMIUM_PATH

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def browser(django_db_setup: None) -> Iterator[Browser]:
    """One Chromium for the module, started after the test database exists.

    Playwright's sync API keeps an asyncio loop in this thread, and Django refuses ORM calls
    from a thread with a running loop; the tests' own calls are plain synchronous ones, so
    they are allowed for as long as the browser runs.
    """
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        chromium = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()
