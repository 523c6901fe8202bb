"""/my/registrations/ lists what was registered with the signed-in person's verified addresses."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.test import Client
from django.urls import reverse

from events.models import Event
from registrations.models import Registration
from registrations.selectors import registration_manage_token
from registrations.services import registration_cancel, registration_create
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db

MY_REGISTRATIONS = reverse("registrations:mine")


def register(event: Event, email: str) -> Registration:
    return registration_create(
        event=event, name="Ana", email=email, time_zone="Europe/Berlin"
    ).registration


def manage_url(registration: Registration) -> str:
    return reverse("registrations:manage", args=[registration_manage_token(registration)])


def test_lists_registrations_of_every_verified_address_with_manage_links(client: Client) -> None:
    user = UserFactory(email="ana@example.org")
    EmailAddress.objects.create(user=user, email="ana@example.org", verified=True, primary=True)
    EmailAddress.objects.create(user=user, email="ana.work@example.org", verified=True)
    EmailAddress.objects.create(user=user, email="ana.old@example.org", verified=False)
    home = register(EventFactory(title="Home address event"), " ANA@example.org ")
    work = register(EventFactory(title="Work address event"), "ana.work@example.org")
    cancelled = register(EventFactory(title="Cancelled one"), "ana@example.org")
    registration_cancel(registration=cancelled)
    unverified = register(EventFactory(title="Unverified address event"), "ana.old@example.org")
    stranger = register(EventFactory(title="Someone else's event"), "bob@example.org")
    client.force_login(user)

    page = client.get(MY_REGISTRATIONS).content.decode()

    for shown in (home, work, cancelled):
        assert shown.event.title in page
        assert manage_url(shown) in page
    assert "Cancelled" in page
    for hidden in (unverified, stranger):
        assert manage_url(hidden) not in page
    assert "Unverified address event" not in page
    assert reverse("account_email") in page  # where to add another address


def test_without_a_verified_address_it_says_how_to_verify(client: Client) -> None:
    user = UserFactory(email="ana@example.org")
    EmailAddress.objects.create(user=user, email="ana@example.org", verified=False, primary=True)
    registration = register(EventFactory(), "ana@example.org")
    client.force_login(user)

    page = client.get(MY_REGISTRATIONS).content.decode()

    assert "Verify your email address" in page
    assert manage_url(registration) not in page


def test_signed_out_visitors_are_sent_to_sign_in(client: Client) -> None:
    response = client.get(MY_REGISTRATIONS)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_two_addresses_registered_for_one_event_show_which_row_is_which(client: Client) -> None:
    user = UserFactory(email="ana@example.org")
    EmailAddress.objects.create(user=user, email="ana@example.org", verified=True, primary=True)
    EmailAddress.objects.create(user=user, email="ana.work@example.org", verified=True)
    event = EventFactory(title="Poetry night")
    home = register(event, "ana@example.org")
    work = register(event, "ana.work@example.org")
    client.force_login(user)

    page = client.get(MY_REGISTRATIONS).content.decode()

    cards = re.findall(r'<article class="card">(.*?)</article>', page, re.DOTALL)
    assert len(cards) == 2
    for registration in (home, work):
        (card,) = [card for card in cards if manage_url(registration) in card]
        assert f"Registered as <bdi>{registration.email}</bdi>" in card


def no_store(response: object) -> bool:
    directives = set(response["Cache-Control"].replace(" ", "").split(","))  # type: ignore[index]
    return {"private", "no-store"} <= directives


def test_personal_pages_are_kept_out_of_every_cache(client: Client) -> None:
    user = UserFactory(email="ana@example.org")
    EmailAddress.objects.create(user=user, email="ana@example.org", verified=True, primary=True)
    registration = register(EventFactory(), "ana@example.org")
    client.force_login(user)

    assert no_store(client.get(MY_REGISTRATIONS))
    assert no_store(client.get(manage_url(registration)))
    assert no_store(client.post(f"{manage_url(registration)}cancel/"))
