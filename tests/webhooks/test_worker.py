"""The whole path with a real Celery worker on Redis: a registration commits, the worker
sends the webhook, the receiver on loopback answers 500 once and then accepts the retry."""

from collections.abc import Callable

import pytest
from django.test import Client

from events.models import Organization
from tests.factories import EventFactory
from tests.notifications.smtp import wait_for
from tests.notifications.test_worker import Worker, smtp, start_worker  # noqa: F401 - fixtures
from tests.webhooks.receiver import Answer, Receiver
from webhooks.models import WebhookDelivery, WebhookEndpoint

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.redis,
    pytest.mark.django_db(transaction=True),
]


def test_a_worker_delivers_a_registration_and_retries_a_500(
    start_worker: Callable[[], Worker],  # noqa: F811 - the imported fixture
    subscribe: Callable[..., WebhookEndpoint],
    receiver: Receiver,
    organization: Organization,
    client: Client,
) -> None:
    worker = start_worker()
    subscribe(["registration.created"])
    receiver.answers = [Answer(500)]
    EventFactory(organization=organization, slug="poetry")

    response = client.post(
        "/events/poetry/register/",
        {"name": "Ana", "email": "ana@example.org", "time_zone": "Asia/Tehran", "language": "en"},
    )

    assert response.status_code == 302
    # The first retry waits about 5 seconds (WEBHOOKS_RETRY_DELAYS), as a Celery countdown.
    assert wait_for(lambda: len(receiver.received) == 2, timeout=30), worker.output()
    assert all(request.verified for request in receiver.received)
    assert receiver.received[1].message["data"]["registration"]["email"] == "ana@example.org"
    delivery = WebhookDelivery.objects.get()
    assert wait_for(lambda: WebhookDelivery.objects.get().status == "delivered")
    delivery.refresh_from_db()
    assert delivery.attempts == 2
