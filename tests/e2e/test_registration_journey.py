"""A person registers in a real browser; the waitlist moves up when someone cancels."""

import re

import pytest
from allauth.account.models import EmailAddress
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from events.models import Event
from tests.factories import EventFactory, MembershipFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 10_000


def open_page(browser: Browser, time_zone: str) -> Page:
    context = browser.new_context(timezone_id=time_zone, locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def register(page: Page, event: Event, name: str, email: str) -> None:
    page.get_by_label("Your name").fill(name)
    page.get_by_role("textbox", name="Email").fill(email)
    page.locator("#register button[type=submit]").click()
    expect(page.get_by_role("heading", name="Your registration")).to_be_visible()


def test_register_fill_up_waitlist_and_promotion_after_a_cancellation(
    browser: Browser, live_server: LiveServer
) -> None:
    event = EventFactory(
        title="Evening of readings",
        kind=Event.Kind.IN_PERSON,
        capacity=2,
        time_zone="America/New_York",
        venue_name="Corner Bookstore",
        venue_address="120 Main Street",
        join_url="",
    )
    first = open_page(browser, "Asia/Tehran")

    first.goto(live_server.url + "/")
    first.get_by_role("link", name="Evening of readings").click()
    expect(first.get_by_text("2 seats left")).to_be_visible()
    expect(first.get_by_label("Your time zone")).to_have_value("Asia/Tehran")
    register(first, event, "Ana", "ana@example.org")

    expect(first.get_by_text("You're registered.")).to_be_visible()
    expect(first.locator(".badge")).to_have_text("Confirmed")
    manage_link = first.locator("code").inner_text()
    assert re.fullmatch(re.escape(live_server.url) + r"/r/[^/]+/", manage_link)
    expect(first.get_by_text("Asia/Tehran")).to_be_visible()
    first.goto(live_server.url + event.get_absolute_url())
    expect(first.get_by_text("1 seat left")).to_be_visible()

    second = open_page(browser, "Europe/Berlin")
    second.goto(live_server.url + event.get_absolute_url())
    register(second, event, "Bo", "bo@example.org")
    expect(second.locator(".badge")).to_have_text("Confirmed")

    third = open_page(browser, "America/Los_Angeles")
    third.goto(live_server.url + event.get_absolute_url())
    expect(third.get_by_text("This event is full — the waitlist is open.")).to_be_visible()
    expect(third.get_by_role("button", name="Join the waitlist")).to_be_visible()
    register(third, event, "Cyrus", "cyrus@example.org")
    expect(third.locator(".badge")).to_have_text("Waitlisted")
    expect(third.get_by_text("number 1 on the waitlist")).to_be_visible()
    expect(third.get_by_text("Corner Bookstore")).to_have_count(0)

    first.goto(manage_link)
    first.get_by_role("link", name="Cancel my registration").click()
    expect(first.get_by_role("heading", name="Cancel your registration?")).to_be_visible()
    first.get_by_role("button", name="Yes, cancel my registration").click()
    expect(first.get_by_text("Your registration has been cancelled.")).to_be_visible()
    expect(first.locator(".badge")).to_have_text("Cancelled")

    third.reload()
    expect(third.locator(".badge")).to_have_text("Confirmed")
    expect(third.get_by_text("Corner Bookstore")).to_be_visible()
    event.refresh_from_db()
    assert event.seats_taken == 2

    for page in (first, second, third):
        page.context.close()


def test_organizer_signs_in_with_email_and_password(
    browser: Browser, live_server: LiveServer
) -> None:
    organizer = UserFactory(email="organizer@example.org")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    membership = MembershipFactory(user=organizer)
    EventFactory(organization=membership.organization, title="Our webinar")
    page = open_page(browser, "Asia/Tehran")

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Sign in").click()
    page.get_by_label("Email").fill("organizer@example.org")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in", exact=True).click()

    expect(page.get_by_role("heading", name="Your events")).to_be_visible()
    expect(page.get_by_text("Our webinar")).to_be_visible()
    expect(page.get_by_role("button", name="Sign out")).to_be_visible()
    page.context.close()
