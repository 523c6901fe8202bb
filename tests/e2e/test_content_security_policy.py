"""The Content-Security-Policy breaks nothing: no page the browser opens reports a violation.

A violation shows up twice: as a ``securitypolicyviolation`` event in the page (recorded by
an init script, which Playwright injects outside the page's policy) and as a console error.
Both are collected on every page a person or an organizer opens.
"""

from collections.abc import Iterator

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pytest_django.live_server_helper import LiveServer

from events.models import Event, Membership
from registrations.services import registration_create
from tests.factories import EventFactory, MembershipFactory, QuestionFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 10_000
RECORD_VIOLATIONS = """
window.__cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.__cspViolations.push(`${event.violatedDirective}: ${event.blockedURI || "inline"}`);
});
"""


class Recorder:
    """The CSP violations of one browser context, from the page events and the console."""

    def __init__(self, context: BrowserContext) -> None:
        self.console: list[str] = []
        context.add_init_script(RECORD_VIOLATIONS)
        context.on("console", self._console)

    def _console(self, message: object) -> None:
        text = message.text  # type: ignore[attr-defined]
        if "Content Security Policy" in text or "Content-Security-Policy" in text:
            self.console.append(text)

    def violations(self, page: Page) -> list[str]:
        return [*page.evaluate("window.__cspViolations || []"), *self.console]


@pytest.fixture
def context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(timezone_id="Asia/Tehran", locale="en-US")
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


def visit(page: Page, recorder: Recorder, url: str) -> None:
    page.goto(url)
    page.wait_for_load_state("load")
    assert recorder.violations(page) == [], url


def test_a_person_registers_and_manages_without_a_policy_violation(
    context: BrowserContext, live_server: LiveServer
) -> None:
    event = EventFactory(title="Evening of readings", capacity=1)
    QuestionFactory(
        event=event,
        label="Which session?",
        kind="single_choice",
        choices="Morning\nEvening",
        required=True,
    )
    recorder = Recorder(context)
    page = context.new_page()

    visit(page, recorder, live_server.url + "/")
    # The organization's page, and the event page: link previews and JSON-LD are data.
    visit(page, recorder, live_server.url + event.organization.get_absolute_url())
    visit(page, recorder, live_server.url + event.get_absolute_url())
    # The zone field is filled in by static/js/timezone.js: the script ran.
    expect(page.get_by_label("Your time zone")).to_have_value("Asia/Tehran")
    page.get_by_label("Your name").fill("Ana")
    page.get_by_role("textbox", name="Email").fill("ana@example.org")
    page.get_by_label("Morning").check()
    page.locator("#register button[type=submit]").click()
    expect(page.get_by_role("heading", name="Your registration")).to_be_visible()
    assert recorder.violations(page) == [], "manage page"
    visit(page, recorder, page.url)
    visit(page, recorder, live_server.url + "/accounts/login/")


def test_the_workspace_pages_open_without_a_policy_violation(
    context: BrowserContext, live_server: LiveServer
) -> None:
    organizer = UserFactory(email="organizer@example.org")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    membership = MembershipFactory(user=organizer, role=Membership.Role.OWNER)
    event = EventFactory(organization=membership.organization, kind=Event.Kind.IN_PERSON)
    registration_create(event=event, name="Ana", email="ana@example.org", time_zone="Asia/Tehran")
    recorder = Recorder(context)
    page = context.new_page()
    visit(page, recorder, live_server.url + "/accounts/login/")
    page.get_by_label("Email").fill("organizer@example.org")
    page.get_by_label("Password").fill("correct horse battery")
    page.get_by_role("button", name="Sign in", exact=True).click()
    expect(page.get_by_role("heading", name="Your events")).to_be_visible()

    by_event = {"event_id": event.pk}
    by_organization = {"slug": membership.organization.slug}
    urls = [
        reverse("workspace:home"),
        reverse("workspace:event_create", kwargs={"organization_id": membership.organization.pk}),
        reverse("workspace:event_overview", kwargs=by_event),
        reverse("workspace:event_edit", kwargs=by_event),
        reverse("workspace:attendees", kwargs=by_event),
        reverse("workspace:checkin", kwargs=by_event),
        reverse("workspace:messages", kwargs=by_event),
        reverse("workspace:stats", kwargs=by_event),
        reverse("workspace:event_exports", kwargs=by_event),
        reverse("workspace:export", kwargs={**by_event, "format_name": "door-list"}),
        reverse("workspace:members", kwargs=by_organization),
        reverse("workspace:audit_log", kwargs=by_organization),
        reverse("workspace:attendance_upload", kwargs=by_event),
        reverse("workspace:follow_ups", kwargs=by_event),
        reverse("registrations:mine"),
        reverse("workspace:organization_create"),
        reverse("workspace:organization_settings", kwargs=by_organization),
        reverse("workspace:event_cohosts", kwargs=by_event),
    ]
    for url in urls:
        visit(page, recorder, live_server.url + url)
    # The door list's print stylesheet, a static file now, did load.
    visit(page, recorder, live_server.url + urls[9])
    assert page.locator("h1").evaluate("element => getComputedStyle(element).fontSize") != "32px"
