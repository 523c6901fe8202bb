"""The token-free read of an organization's published events."""

import pytest
from django.core.cache import cache
from django.test import Client, override_settings

from events.models import Event, Organization
from tests.api.conftest import ApiWorld, assert_problem
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db


def test_anyone_sees_published_events_without_their_join_links(api_world: ApiWorld) -> None:
    EventFactory(organization=api_world.organization, title="Draft", status=Event.Status.DRAFT)

    response = Client().get("/api/v1/public/organizations/shahrzad/events")

    assert response.status_code == 200
    items = response.json()["items"]
    assert [item["title"] for item in items] == ["Evening of readings"]
    assert "join_url" not in items[0]
    assert "secret-room" not in response.content.decode()


def test_an_unknown_organization_is_a_404(api_world: ApiWorld) -> None:
    assert_problem(Client().get("/api/v1/public/organizations/nobody/events"), 404, "not_found")


def test_an_organization_awaiting_approval_is_a_404_as_on_its_page(api_world: ApiWorld) -> None:
    Organization.objects.filter(pk=api_world.organization.pk).update(
        status=Organization.Status.PENDING
    )

    response = Client().get("/api/v1/public/organizations/shahrzad/events")

    assert_problem(response, 404, "not_found")


def test_the_public_read_is_rate_limited_per_address(api_world: ApiWorld) -> None:
    cache.clear()
    client = Client()
    with override_settings(API_PUBLIC_RATE_LIMIT="2/m"):
        for _ in range(2):
            assert client.get("/api/v1/public/organizations/shahrzad/events").status_code == 200
        response = client.get("/api/v1/public/organizations/shahrzad/events")
    assert_problem(response, 429, "rate_limited")
    assert int(response["Retry-After"]) >= 1
