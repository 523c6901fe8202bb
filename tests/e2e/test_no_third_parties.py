"""Nothing leaves the page for third parties: every request the event page and the
registration make goes to the site itself (docs/privacy.md)."""

from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Request, expect
from pytest_django.live_server_helper import LiveServer

from events.models import Event, PrivacyStatement
from registrations.models import Registration
from tests.factories import EventFactory, OrganizationFactory, QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_event_page_and_registration_request_nothing_from_other_hosts(
    browser: Browser, live_server: LiveServer
) -> None:
    organization = OrganizationFactory(name="Voices for Change", consent_required=True)
    PrivacyStatement.objects.create(
        organization=organization, language="en", url="https://policy.example.org/privacy"
    )
    event = EventFactory(organization=organization, kind=Event.Kind.WEBINAR)
    QuestionFactory(event=event, label="Where did you hear of us?")
    context = browser.new_context(timezone_id="Asia/Tehran", locale="fa-IR")
    context.set_default_timeout(10_000)
    page = context.new_page()
    requested: list[str] = []
    page.on("request", lambda request: requested.append(request_origin(request)))

    page.goto(live_server.url + event.get_absolute_url())
    page.locator("#id_name").fill("Ana")
    page.locator("#id_email").fill("ana@example.org")
    page.locator("#id_consent").check()
    page.locator("#register button[type=submit]").click()
    expect(page.locator(".badge")).to_be_visible()
    page.reload()
    context.close()

    own = origin(live_server.url)
    assert len(requested) >= 4  # pages, style sheet, script: the listener saw them
    assert set(requested) == {own}
    assert Registration.objects.filter(event=event).exists()


def request_origin(request: Request) -> str:
    return origin(request.url)


def origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
