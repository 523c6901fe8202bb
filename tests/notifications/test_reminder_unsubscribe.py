"""One-click unsubscribe (RFC 8058): a mail client POSTs with no cookie and no CSRF token."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from notifications.models import ReminderOptOut, ScheduledReminder
from notifications.reminders.selectors import (
    reminder_unsubscribe_token,
    reminder_unsubscribe_url,
    reminder_unsubscribe_urls,
)
from registrations.models import Registration
from registrations.selectors import registration_manage_token
from tests.notifications.reminder_helpers import create_event, register

pytestmark = pytest.mark.django_db


@pytest.fixture
def registration() -> Registration:
    starts_at = timezone.now() + timedelta(days=3)
    event = create_event(
        title="Voices at dusk", starts_at=starts_at, ends_at=starts_at + timedelta(hours=1)
    )
    return register(event, "ana@example.org")


def url_for(registration: Registration) -> str:
    return f"/reminders/unsubscribe/{reminder_unsubscribe_token(registration)}/"


def test_the_link_in_the_email_is_the_absolute_unsubscribe_url(registration: Registration) -> None:
    assert reminder_unsubscribe_url(registration) == "https://convene.test" + url_for(registration)


def test_opening_the_link_asks_before_unsubscribing(registration: Registration) -> None:
    response = Client().get(url_for(registration))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Voices at dusk" in page
    assert "Stop reminders" in page
    assert '<form method="post">' in page
    assert not ReminderOptOut.objects.exists()


def test_one_click_post_without_cookie_or_csrf_token_unsubscribes_with_a_200(
    registration: Registration,
) -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post(url_for(registration), {"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    assert "You will get no more reminders for this event" in response.content.decode()
    assert ReminderOptOut.objects.filter(registration=registration).count() == 1
    assert set(
        ScheduledReminder.objects.filter(registration=registration).values_list("status", flat=True)
    ) == {"skipped"}


@pytest.mark.parametrize("method", ["get", "post"])
def test_the_page_gives_no_power_over_the_registration(
    registration: Registration, method: str
) -> None:
    """A forwarded reminder carries this link: it may stop reminders, never cancel."""
    page = getattr(Client(), method)(url_for(registration)).content.decode()

    assert registration_manage_token(registration) not in page
    assert "/manage/" not in page
    assert f'href="/events/{registration.event.slug}/"' in page


def test_unsubscribing_twice_is_harmless(registration: Registration) -> None:
    client = Client(enforce_csrf_checks=True)
    assert client.post(url_for(registration)).status_code == 200
    assert client.post(url_for(registration)).status_code == 200
    assert ReminderOptOut.objects.filter(registration=registration).count() == 1
    again = client.get(url_for(registration))
    assert "You will get no more reminders for this event" in again.content.decode()


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_bad_or_borrowed_token_is_a_404(registration: Registration, method: str) -> None:
    client = Client(enforce_csrf_checks=True)
    tampered = url_for(registration).replace("/unsubscribe/", "/unsubscribe/x")
    manage_token = registration_manage_token(registration)
    for url in (
        tampered,
        f"/reminders/unsubscribe/{manage_token}/",
        "/reminders/unsubscribe/nope/",
    ):
        assert getattr(client, method)(url).status_code == 404
    assert not ReminderOptOut.objects.exists()


def test_other_methods_are_refused(registration: Registration) -> None:
    assert Client().put(url_for(registration)).status_code == 405


def test_urls_built_for_a_whole_chunk_match_the_single_ones(registration: Registration) -> None:
    assert reminder_unsubscribe_urls([registration]) == {
        registration.pk: reminder_unsubscribe_url(registration)
    }
