"""The door page in a real Chromium on a phone-sized screen, with and without JavaScript."""

from collections.abc import Iterator

import pytest
from django.conf import settings
from django.test import Client

from events.models import Event
from registrations.models import Registration
from tests.conftest import CHROMIUM_PATH
from tests.factories import EventFactory, MembershipFactory, register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture
def door(live_server: object, monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[str, Event, str]]:
    """(server URL, an in-person event with three confirmed people, a session cookie)."""
    # Playwright's sync API runs an event loop in this thread; the ORM calls around it are
    # still synchronous.
    monkeypatch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    member = MembershipFactory().user
    event = EventFactory(
        organization=member.memberships.get().organization,
        kind=Event.Kind.IN_PERSON,
        venue_name="Corner Bookstore",
        join_url="",
        capacity=10,
    )
    for email, name in [
        ("shirin@example.org", "شیرین احمدی"),
        ("daniel@example.org", "Daniel Okafor"),
        ("ana@example.org", "Ana García"),
    ]:
        register(event, email, name=name)
    client = Client()
    client.force_login(member)
    yield live_server.url, event, client.cookies[settings.SESSION_COOKIE_NAME].value  # type: ignore[attr-defined]


def _browser_page(playwright: object, url: str, session: str, *, javascript: bool) -> object:
    browser = playwright.chromium.launch(executable_path=CHROMIUM_PATH, args=CHROMIUM_ARGS)  # type: ignore[attr-defined]
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, java_script_enabled=javascript
    )
    context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}])
    return context.new_page()


def test_typing_filters_and_a_tap_checks_in_without_reloading(
    door: tuple[str, Event, str],
) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, event, session = door
    with sync_playwright() as playwright:
        page = _browser_page(playwright, url, session, javascript=True)
        page.goto(f"{url}/manage/events/{event.pk}/checkin/")  # type: ignore[attr-defined]
        people = page.locator(".person-name")  # type: ignore[attr-defined]
        expect(people).to_have_count(3)
        page.fill("#checkin-q", "شیر")  # type: ignore[attr-defined]
        expect(people).to_have_text(["شیرین احمدی"])
        page.evaluate("window.reloaded = false")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Check in شیرین احمدی").click()  # type: ignore[attr-defined]
        expect(page.locator("[data-checkin-counts]")).to_contain_text("1 of 3 checked in")  # type: ignore[attr-defined]
        assert page.evaluate("window.reloaded") is False  # type: ignore[attr-defined]
        assert "q=" in page.url  # type: ignore[attr-defined]
    shirin = Registration.objects.get(email="shirin@example.org")
    assert shirin.checked_in_at is not None


def test_the_door_page_works_without_javascript(door: tuple[str, Event, str]) -> None:
    from playwright.sync_api import expect, sync_playwright

    url, event, session = door
    with sync_playwright() as playwright:
        page = _browser_page(playwright, url, session, javascript=False)
        page.goto(f"{url}/manage/events/{event.pk}/checkin/")  # type: ignore[attr-defined]
        page.fill("#checkin-q", "dan")  # type: ignore[attr-defined]
        page.get_by_role("button", name="Search").click()  # type: ignore[attr-defined]
        expect(page.locator(".person-name")).to_have_text(["Daniel Okafor"])  # type: ignore[attr-defined]
        page.get_by_role("button", name="Check in Daniel Okafor").click()  # type: ignore[attr-defined]
        expect(page.locator("[data-checkin-counts]")).to_contain_text("1 of 3 checked in")  # type: ignore[attr-defined]
        expect(page.get_by_role("button", name="Undo Daniel Okafor")).to_be_visible()  # type: ignore[attr-defined]
    assert Registration.objects.get(email="daniel@example.org").checked_in_at is not None
