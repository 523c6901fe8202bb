"""An organization's privacy statement and consent line on the registration form.

See docs/privacy.md.
"""

import csv
import io

import pytest
from django.test import Client
from django.urls import reverse

from events.models import Event, Organization, PrivacyStatement
from registrations.models import Registration
from tests.factories import EventFactory, MembershipFactory, OrganizationFactory
from tests.registrations.test_views import field_html, form_data, page_text, register_url

pytestmark = pytest.mark.django_db

CONSENT_LINE = (
    "I agree that Voices for Change keeps my name and email to send me this event&#x27;s details."
)


def registration_form(page: str) -> str:
    return page.split('<form method="post" action="/events/')[1].split("</form>")[0]


@pytest.fixture
def organization() -> Organization:
    return OrganizationFactory(name="Voices for Change", consent_required=True)


@pytest.fixture
def event(organization: Organization) -> Event:
    return EventFactory(organization=organization)


def test_the_form_asks_for_consent_when_the_organization_requires_it(
    client: Client, event: Event
) -> None:
    page = page_text(client.get(event.get_absolute_url()))

    consent = field_html(page, "consent")
    assert 'type="checkbox"' in consent
    assert CONSENT_LINE in consent


def test_no_consent_line_when_the_organization_asks_for_none(client: Client) -> None:
    event = EventFactory(organization=OrganizationFactory(consent_required=False))

    page = page_text(client.get(event.get_absolute_url()))

    assert 'name="consent"' not in page
    response = client.post(register_url(event), form_data())
    assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    assert (registration.consent_text, registration.consented_at) == ("", None)


def test_registering_without_ticking_consent_is_refused_next_to_the_box(
    client: Client, event: Event
) -> None:
    response = client.post(register_url(event), form_data())

    assert response.status_code == 400
    assert "Tick this box to register." in field_html(page_text(response), "consent")
    assert not Registration.objects.exists()


def test_consent_is_stored_as_shown_with_its_language_and_time(
    client: Client, event: Event
) -> None:
    response = client.post(register_url(event), form_data(consent="on"))

    assert response.status_code == 302
    registration = Registration.objects.get(event=event)
    assert registration.consent_text == (
        "I agree that Voices for Change keeps my name and email to send me this event's details."
    )
    assert registration.consent_language == "en"
    assert registration.consented_at is not None


def test_consent_shown_in_persian_is_stored_in_persian(client: Client, event: Event) -> None:
    client.cookies["django_language"] = "fa"

    client.post(register_url(event), form_data(consent="on"))

    assert Registration.objects.get(event=event).consent_language == "fa"


def test_the_privacy_statement_sits_beside_the_submit_button_in_the_pages_language(
    client: Client, event: Event, organization: Organization
) -> None:
    PrivacyStatement.objects.create(
        organization=organization, language="en", url="https://example.org/privacy"
    )
    PrivacyStatement.objects.create(organization=organization, language="fa", text="حریم خصوصی")

    english = page_text(client.get(event.get_absolute_url()))
    client.cookies["django_language"] = "fa"
    persian = page_text(client.get(event.get_absolute_url()))

    assert '<a href="https://example.org/privacy" rel="noopener">Privacy policy</a>' in (
        registration_form(english)
    )
    assert "حریم خصوصی" in registration_form(persian)
    assert "https://example.org/privacy" not in persian


def test_a_statement_in_one_language_only_is_shown_to_every_reader_marked_with_its_language(
    client: Client, event: Event, organization: Organization
) -> None:
    PrivacyStatement.objects.create(
        organization=organization, language="en", text="We keep little."
    )
    client.cookies["django_language"] = "fa"

    page = page_text(client.get(event.get_absolute_url()))

    assert '<div class="privacy-statement" lang="en" dir="auto">' in page
    assert "We keep little." in page


def test_the_attendee_list_and_exports_show_consent(client: Client, event: Event) -> None:
    client.post(register_url(event), form_data(consent="on"))
    organizer = MembershipFactory(organization=event.organization).user
    client.force_login(organizer)

    attendees = page_text(client.get(reverse("workspace:attendees", kwargs={"event_id": event.pk})))
    export = client.get(
        reverse("workspace:export", kwargs={"event_id": event.pk, "format_name": "csv"})
    )
    rows = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode("utf-8-sig"))))

    assert "Consent given" in attendees
    assert "keeps my name and email" in attendees
    header, row = rows
    consent_at = row[header.index("Consent given at (UTC)")]
    assert consent_at.endswith("+00:00")
    assert row[header.index("Consent given")].startswith("I agree that Voices for Change")


def test_exports_without_consent_have_no_consent_columns(client: Client) -> None:
    event = EventFactory(organization=OrganizationFactory(consent_required=False))
    client.post(register_url(event), form_data())
    client.force_login(MembershipFactory(organization=event.organization).user)

    export = client.get(
        reverse("workspace:export", kwargs={"event_id": event.pk, "format_name": "csv"})
    )

    header = b"".join(export.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert "Consent" not in header
