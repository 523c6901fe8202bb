"""The admin refuses what the workspace refuses: non-https join links, odd capacities."""

import pytest
from django.test import Client
from django.urls import reverse

from events.models import Event, Organization
from tests.events.admin_formdata import event_form_data
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def event(organization: Organization) -> Event:
    return EventFactory(organization=organization, title="Town hall", capacity=50)


def change_url(event: Event) -> str:
    return reverse("admin:events_event_change", args=[event.pk])


@pytest.mark.parametrize(
    "join_url", ["ftp://example.com/x", "http://example.com/x", "javascript:alert(1)"]
)
def test_the_join_link_must_be_https(admin_client: Client, event: Event, join_url: str) -> None:
    response = admin_client.post(change_url(event), event_form_data(event, join_url=join_url))

    assert response.status_code == 200
    assert "join_url" in response.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.join_url == "https://meet.example.org/secret-room"


def test_a_new_event_with_an_http_join_link_is_not_added(
    admin_client: Client, event: Event
) -> None:
    response = admin_client.post(
        reverse("admin:events_event_add"),
        event_form_data(event, title="New", slug="new", join_url="http://example.com/x"),
    )

    assert response.status_code == 200
    assert "join_url" in response.context["adminform"].form.errors
    assert not Event.objects.filter(slug="new").exists()


@pytest.mark.parametrize("capacity", ["0", "1000001"])
def test_capacity_is_empty_or_between_one_and_a_million(
    admin_client: Client, event: Event, capacity: str
) -> None:
    response = admin_client.post(change_url(event), event_form_data(event, capacity=capacity))

    assert response.status_code == 200
    (message,) = response.context["adminform"].form.errors["capacity"]
    assert "9223372036854775807" not in message
    event.refresh_from_db()
    assert event.capacity == 50


def test_an_empty_capacity_means_unlimited(admin_client: Client, event: Event) -> None:
    response = admin_client.post(change_url(event), event_form_data(event, capacity=""))

    assert response.status_code == 302
    event.refresh_from_db()
    assert event.capacity is None
