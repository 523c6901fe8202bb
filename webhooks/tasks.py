"""Celery tasks: thin wrappers that take ids and call ``webhooks.sending``.

On the default queue. A short retry comes back as a countdown task; a longer one is left to
the dispatcher (every minute from Celery beat), because on Redis a task delayed past the
broker's visibility timeout is delivered again and again (docs/design.md, "Webhooks").
"""

from celery import shared_task
from django.conf import settings

from webhooks.sending import Outcome, webhook_deliveries_due, webhook_delivery_send


# WEBHOOKS_TIMEOUT (10 s) bounds the request; the limits leave room for the database.
@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def send_webhook_delivery(delivery_id: int) -> None:
    """Make one attempt at a delivery; a short retry comes back as a new task."""
    result = webhook_delivery_send(delivery_id=delivery_id)
    if (
        result.outcome is Outcome.RETRY
        and result.retry_in is not None
        and result.retry_in <= settings.WEBHOOKS_COUNTDOWN_MAX
    ):
        send_webhook_delivery.apply_async((delivery_id,), countdown=result.retry_in)


@shared_task(acks_late=True)
def send_due_webhook_deliveries() -> int:
    """The dispatcher and sweeper (CELERY_BEAT_SCHEDULE): queue every delivery that is due."""
    ids = webhook_deliveries_due()
    for delivery_id in ids:
        send_webhook_delivery.delay(delivery_id)
    return len(ids)
