"""The API docs page in a real Chromium: Swagger UI renders under the site's strict CSP and
asks no other host for anything."""

from typing import Any

import pytest
from django.test import Client
from playwright.sync_api import Browser

from tests.e2e.conftest import browser  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_docs_page_renders_every_operation_from_this_site_only(
    browser: Browser,  # noqa: F811
    live_server: Any,
) -> None:
    context = browser.new_context()
    page = context.new_page()
    requested: list[str] = []
    refused: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text or "Refused" in message.text
            else None
        ),
    )

    page.goto(f"{live_server.url}/api/v1/docs")
    page.wait_for_selector(".opblock", timeout=15_000)

    schema = Client().get("/api/v1/openapi.json").json()
    operations = sum(len(item) for item in schema["paths"].values())
    assert operations == 22  # tests/api/test_schema.py lists them
    assert page.locator(".opblock").count() == operations
    foreign = [url for url in requested if not url.startswith(live_server.url)]
    assert foreign == []
    assert refused == []
    context.close()
