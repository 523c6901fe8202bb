"""Attendee privacy (README: Attendee privacy): the public pages never tell whether an address
was already registered; the personal link goes only to the inbox."""

from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Organization
from notifications.models import OutboxEmail
from registrations.models import Registration
from registrations.selectors import registration_manage_token
from tests.factories import EventFactory, OrganizationFactory

pytestmark = pytest.mark.django_db


def private_event(**fields: Any) -> Event:
    event: Event = EventFactory(organization=OrganizationFactory(attendee_privacy=True), **fields)
    return event


def post_registration(client: Client, event: Event, email: str, name: str = "Ana Lima") -> Any:
    return client.post(
        reverse("registrations:register", kwargs={"slug": event.slug}),
        {"name": name, "email": email, "time_zone": "Asia/Tehran", "language": "en"},
    )


def comparable(response: Any) -> tuple[Any, ...]:
    """What a person typing an address can observe of the answer."""
    return (
        response.status_code,
        response["Location"],
        sorted(response.cookies.keys()),
        response.content,
    )


def test_a_new_and_a_known_address_get_the_same_answer() -> None:
    event = private_event()
    new = post_registration(Client(), event, "ana@example.org")
    # The first email went out long ago: the repeat is past the resend cooldown too.
    OutboxEmail.objects.update(created_at=timezone.now() - timedelta(hours=1))
    known = post_registration(Client(), event, "  ANA@example.org", name="Mallory")

    assert comparable(new) == comparable(known)
    assert new["Location"] == reverse("registrations:check_email", kwargs={"slug": event.slug})
    assert Registration.objects.count() == 1
    # Both times the details, with the personal link, went to the address itself.
    assert list(OutboxEmail.objects.values_list("recipient", "kind")) == [
        ("ana@example.org", "confirmation"),
        ("ana@example.org", "confirmation"),
    ]


def test_the_check_your_email_page_shows_no_registration_details(client: Client) -> None:
    event = private_event(capacity=1)
    response = post_registration(client, event, "ana@example.org")
    registration = Registration.objects.get()

    page = client.get(response["Location"]).content.decode()

    assert "Check your email" in page
    for secret in ("Ana Lima", registration_manage_token(registration), "secret-room", "waitlist"):
        assert secret not in page


def test_a_waitlisted_newcomer_lands_on_the_same_page() -> None:
    event = private_event(capacity=1)
    confirmed = post_registration(Client(), event, "ana@example.org")
    waitlisted = post_registration(Client(), event, "bo@example.org")
    assert comparable(confirmed) == comparable(waitlisted)
    assert [r.status for r in Registration.objects.order_by("id")] == ["confirmed", "waitlisted"]


def test_the_event_page_shows_no_seat_count_that_a_registration_would_change(
    client: Client,
) -> None:
    event = private_event(capacity=5)
    page = client.get(event.get_absolute_url()).content.decode()
    assert "seats left" not in page
    full = private_event(capacity=1)
    post_registration(Client(), full, "ana@example.org")
    assert "This event is full" in client.get(full.get_absolute_url()).content.decode()


def test_without_the_setting_a_new_registrant_sees_their_registration() -> None:
    event = EventFactory()
    response = post_registration(Client(), event, "ana@example.org")
    registration = Registration.objects.get()
    assert registration_manage_token(registration) in response["Location"]


def test_the_demo_campaign_keeps_attendance_private() -> None:
    call_command("seed_demo", stdout=StringIO())
    assert Organization.objects.get(slug="voices-for-change").attendee_privacy
