"""A new organizer starts on their own, in a real browser (issue 11's "Done when").

Sign up, confirm by the emailed link, create an organization with a logo, create and publish
an event, find it (and the logo) on the organization's page and in its calendar feed; invite
a second organization as co-host, whose owner follows the emailed link, accepts and exports
the attendee list; a third organization's member gets 404 on all of it.
"""

import io
import re
from pathlib import Path
from typing import Any

import icalendar
import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from PIL import Image
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from events.models import Event, Membership
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, register

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 15_000
PASSWORD = "a-long-new-pass"


def open_page(browser: Browser) -> Page:
    context = browser.new_context(timezone_id="Asia/Tehran", locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def sign_in(page: Page, base: str, email: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", name="Your events")).to_be_visible()


def owner_of(slug: str, email: str) -> None:
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    MembershipFactory(
        organization=OrganizationFactory(slug=slug, name=slug.title()),
        user=user,
        role=Membership.Role.OWNER,
    )


def logo_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGBA", (640, 480), (180, 40, 90, 255)).save(buffer, format="PNG")
    return buffer.getvalue()


def test_an_organizer_starts_on_their_own_and_cohosts(
    browser: Browser, live_server: LiveServer, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    base = live_server.url
    page = open_page(browser)

    # Sign up and confirm the address by the emailed link.
    page.goto(base + "/accounts/signup/")
    page.locator("#id_email").fill("founder@example.org")
    page.locator("#id_password1").fill(PASSWORD)
    page.locator("#id_password2").fill(PASSWORD)
    page.get_by_role("button", name="Sign Up").click()
    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    page.goto(base + "/accounts/confirm-email/" + link.group(0).split("/confirm-email/")[1])
    page.get_by_role("button", name="Confirm").click()
    page.goto(base + "/manage/")
    if "/accounts/login/" in page.url:  # whether confirming signs in is allauth's setting
        sign_in(page, base, "founder@example.org", PASSWORD)
    expect(page.get_by_role("heading", name="Your events")).to_be_visible()

    # Create the organization from the empty workspace.
    expect(page.get_by_text("You are not a member of any organization yet")).to_be_visible()
    page.get_by_role("link", name="Create an organization").click()
    page.locator("#id_name").fill("Voices for Change")
    page.locator("#id_slug").fill("voices")
    page.locator("#id_description").fill("Talks about the city.")
    page.locator("#id_time_zone").fill("Asia/Tehran")
    page.locator("#id_logo").set_input_files(
        {"name": "logo.png", "mimeType": "image/png", "buffer": logo_png()}
    )
    page.get_by_role("button", name="Create the organization").click()
    expect(page.get_by_text("Voices for Change is ready")).to_be_visible()

    # Create and publish an event.
    page.get_by_role("link", name="New event").click()
    page.locator("#id_title").fill("Poetry night")
    page.locator("#id_kind").select_option("in_person")
    page.locator("#id_time_zone").select_option("Asia/Tehran")
    page.locator("#id_starts_at").fill("2030-03-05T19:00")
    page.locator("#id_ends_at").fill("2030-03-05T21:00")
    page.locator("#id_venue_name").fill("Corner Bookstore")
    page.get_by_role("button", name="Save draft").click()
    page.get_by_role("button", name="Publish").click()
    expect(page.get_by_text("Published: registration is open.")).to_be_visible()
    event = Event.objects.get(title="Poetry night")

    # The public page lists it, and the calendar feed has it.
    page.goto(base + "/o/voices/")
    expect(page.get_by_role("link", name="Poetry night")).to_be_visible()
    # The logo was re-encoded, is served by the site and the browser shows it.
    logo = page.locator("img.organization-logo")
    expect(logo).to_be_visible()
    assert logo.evaluate("image => image.complete && image.naturalWidth") == 512
    feed = page.request.get(base + "/o/voices/calendar.ics")
    calendar = icalendar.Calendar.from_ical(feed.body())
    assert [str(vevent["SUMMARY"]) for vevent in calendar.walk("VEVENT")] == ["Poetry night"]
    register(event, "reader@example.org", name="Reader")

    # A second organization is invited as co-host; its owner accepts and exports.
    owner_of("bookshop", "bookshop@example.org")
    owner_of("rivals", "rival@example.org")
    page.goto(base + f"/manage/events/{event.pk}/cohosts/")
    page.locator("#id_slug").fill("bookshop")
    page.get_by_role("button", name="Invite").click()
    expect(page.get_by_text("Invited, not yet accepted")).to_be_visible()

    # Its owner is emailed a link to the invitation, and accepts there.
    (invitation,) = [message for message in mail.outbox if message.to == ["bookshop@example.org"]]
    link = re.search(r"https?://[^/\s]+(/manage/\S+/cohosting/\d+/)", invitation.body)
    assert link, invitation.body
    partner = open_page(browser)
    sign_in(partner, base, "bookshop@example.org", "correct horse battery")
    partner.goto(base + link.group(1))
    expect(partner.get_by_text("Voices for Change invites Bookshop to co-host")).to_be_visible()
    partner.get_by_role("button", name="Accept").click()
    expect(partner.get_by_text("You co-host Poetry night")).to_be_visible()
    exports = f"/manage/events/{event.pk}/exports/"
    partner.goto(base + exports)
    csv = partner.request.get(base + f"/manage/events/{event.pk}/export/csv/")
    assert csv.status == 200
    assert b"reader@example.org" in csv.body()

    # A third organization's member gets 404 on all of it.
    rival = open_page(browser)
    sign_in(rival, base, "rival@example.org", "correct horse battery")
    for path in (
        f"/manage/events/{event.pk}/",
        f"/manage/events/{event.pk}/attendees/",
        exports,
        f"/manage/events/{event.pk}/export/csv/",
        f"/manage/events/{event.pk}/checkin/",
        f"/manage/events/{event.pk}/cohosts/",
        "/manage/organizations/voices/settings/",
    ):
        assert rival.request.get(base + path).status == 404, path

    for each in (page, partner, rival):
        each.context.close()
