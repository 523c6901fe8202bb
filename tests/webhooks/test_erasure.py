"""Erasing a registrant also scrubs Convene's copies of the webhooks about them."""

from collections.abc import Callable
from typing import Any

import pytest

from events.models import Organization
from tests.factories import EventFactory, register
from tests.webhooks.receiver import Answer, Receiver
from webhooks.models import WebhookDelivery, WebhookEndpoint
from workspace.services.privacy import registrant_erase

pytestmark = pytest.mark.django_db


def test_erasing_a_registrant_scrubs_their_deliveries_and_stops_unsent_ones(
    subscribe: Callable[..., WebhookEndpoint],
    receiver: Receiver,
    organization: Organization,
    owner: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscribe(["registration.created", "registration.confirmed"])
    receiver.answers = [Answer(200, body="got ana@example.org"), Answer(503)]
    event = EventFactory(organization=organization)
    with django_capture_on_commit_callbacks(execute=True):
        ana = register(event, "ana@example.org", name="Ana Secret")
        register(event, "bo@example.org", name="Bo")
    assert sorted(WebhookDelivery.objects.values_list("status", flat=True)) == [
        "delivered",
        "delivered",
        "delivered",
        "queued",
    ]

    about_ana = list(
        WebhookDelivery.objects.filter(registration_public_id=ana.public_id).values_list(
            "pk", flat=True
        )
    )
    assert len(about_ana) == 2

    registrant_erase(registration=ana, actor=owner)

    scrubbed = WebhookDelivery.objects.filter(pk__in=about_ana)
    for delivery in scrubbed:
        assert delivery.payload == {"registration": {"erased": True}}
        assert delivery.response_body == ""
        assert delivery.registration_public_id is None
    assert sorted(scrubbed.values_list("status", flat=True)) == ["delivered", "failed"]
    assert str(ana.public_id) not in str(list(WebhookDelivery.objects.values()))
    rows = str(list(WebhookDelivery.objects.values()))
    assert "ana@example.org" not in rows
    assert "Ana Secret" not in rows
    assert "bo@example.org" in rows
