"""Erasing a registrant from the webhook deliveries (privacy requests and retention).

What a receiver already got is the organization's own copy, in its own systems; Convene's
copy goes: the data becomes ``erased: true``, the receiver's answer (which may echo the data)
is emptied, the link to the registration is cut, and deliveries not yet sent are stopped.
"""

import uuid

from webhooks.models import WebhookDelivery

NOT_SENT_NOTE = "Not sent: the registrant's data was erased."


def webhook_deliveries_erase_registration(*, public_id: uuid.UUID) -> int:
    """Scrub every delivery about the registration that had ``public_id`` (erasure gives it a
    new one); returns how many. Call inside the transaction that erases the registration."""
    deliveries = WebhookDelivery.objects.filter(registration_public_id=public_id)
    deliveries.filter(
        status__in=[WebhookDelivery.Status.QUEUED, WebhookDelivery.Status.SENDING]
    ).update(status=WebhookDelivery.Status.FAILED, last_error=NOT_SENT_NOTE, next_attempt_at=None)
    return deliveries.update(
        payload={"registration": {"erased": True}}, response_body="", registration_public_id=None
    )
