"""Erasing a registrant also scrubs Convene's copies of the webhooks about them."""

import json
from collections.abc import Callable
from typing import Any

import pytest

from events.models import Organization
from tests.factories import EventFactory, register
from tests.webhooks.receiver import Answer, Receiver
from webhooks.models import WebhookDelivery, WebhookEndpoint
from workspace.services.privacy import registrant_data_export, registrant_erase
from workspace.services.webhooks import webhook_delivery_replay

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


def test_the_data_download_lists_the_webhooks_that_carried_the_person_replays_included(
    subscribe: Callable[..., WebhookEndpoint],
    receiver: Receiver,
    organization: Organization,
    owner: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscribe(["registration.created", "registration.cancelled"])
    event = EventFactory(organization=organization)
    with django_capture_on_commit_callbacks(execute=True):
        ana = register(event, "ana@example.org", name="Ana Secret")
        register(event, "bo@example.org", name="Bo")
    # As if the receiver had refused it: an owner sends it again.
    failed = WebhookDelivery.objects.get(registration_public_id=ana.public_id)
    WebhookDelivery.objects.filter(pk=failed.pk).update(status=WebhookDelivery.Status.FAILED)
    with django_capture_on_commit_callbacks(execute=True):
        webhook_delivery_replay(actor=owner, delivery=failed)

    data = registrant_data_export(registration=ana, actor=owner)

    assert [
        (row["endpoint_host"], row["event_type"], row["status"]) for row in data["webhooks"]
    ] == [
        ("127.0.0.1", "registration.created", "failed"),
        ("127.0.0.1", "registration.created", "delivered"),
    ]
    assert data["webhooks"][1]["delivered_at"] is not None
    assert "/hooks" not in json.dumps(data["webhooks"])

    registrant_erase(registration=ana, actor=owner)

    rows = str(list(WebhookDelivery.objects.values()))
    assert "ana@example.org" not in rows
    assert "Ana Secret" not in rows
    assert "bo@example.org" in rows
    ana.refresh_from_db()
    assert registrant_data_export(registration=ana, actor=owner)["webhooks"] == []
