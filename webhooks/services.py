"""Writes: endpoints registered and disabled, deliveries written with the change they report.

Deliveries are rows first, like the email outbox (docs/design.md, "The outbox"): written in
the transaction of the change, handed to Celery once it commits (``delay_on_commit``), and
found again by the dispatcher if the broker was away.
"""

from collections.abc import Iterable
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from events.models import Organization
from notifications.outbox import delay_on_commit
from webhooks.disabling import webhook_endpoint_disable
from webhooks.event_types import EVENT_TYPES, TEST_EVENT_TYPE, event_type
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.signing import new_secret
from webhooks.targets import UnsafeTarget, target_check


def _queue(deliveries: Iterable[WebhookDelivery]) -> None:
    from webhooks.tasks import send_webhook_delivery

    for delivery in deliveries:
        delay_on_commit(send_webhook_delivery, delivery.pk)


def _checked_event_types(event_types: list[str]) -> list[str]:
    """The known types, in the registry's order; ``ValidationError`` on ``event_types``."""
    unknown = sorted(set(event_types) - set(EVENT_TYPES))
    if unknown:
        raise ValidationError({"event_types": _("Unknown event types: %s") % ", ".join(unknown)})
    if not event_types:
        raise ValidationError({"event_types": _("Pick at least one event type.")})
    return [name for name in EVENT_TYPES if name in event_types]


def _check_url(url: str) -> None:
    try:
        target_check(url)
    except UnsafeTarget as refusal:
        raise ValidationError({"url": str(refusal)}) from None


def webhook_endpoint_create(
    *,
    organization: Organization,
    url: str,
    event_types: list[str],
    description: str = "",
    created_by: User | None = None,
) -> WebhookEndpoint:
    """Register an endpoint with a new secret; ``ValidationError`` by field if it may not be.

    The URL's host is resolved and checked now (docs/design.md, "Webhooks"); it is checked
    again before every attempt.
    """
    checked_types = _checked_event_types(event_types)
    _check_url(url)
    return WebhookEndpoint.objects.create(
        organization=organization,
        url=url,
        description=description.strip(),
        event_types=checked_types,
        secret=new_secret(),
        created_by=created_by,
    )


def webhook_endpoint_update(
    *,
    endpoint: WebhookEndpoint,
    url: str,
    event_types: list[str],
    description: str,
    enabled: bool,
) -> WebhookEndpoint:
    """Change an endpoint's URL, event types, description and whether it is sent to.

    A new URL is checked as at creation (docs/design.md, "Webhooks"). Deliveries already
    written keep their types and go to the new URL. Disabling it here fails its queued
    deliveries, as an automatic disabling does, but emails nobody: an owner did it.
    """
    checked_types = _checked_event_types(event_types)
    if url != endpoint.url:
        _check_url(url)
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        locked.url = url
        locked.event_types = checked_types
        locked.description = description.strip()
        locked.save(update_fields=["url", "event_types", "description"])
        if enabled and not locked.is_active:
            locked = webhook_endpoint_enable(endpoint=locked)
        elif not enabled and locked.is_active:
            webhook_endpoint_disable(
                endpoint=locked, reason=_("Disabled by an owner."), tell_owners=False
            )
            locked.refresh_from_db()
    return locked


def webhook_endpoint_rotate_secret(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Give the endpoint a new secret. For ``WEBHOOKS_SECRET_OVERLAP`` the old one signs
    too (a second signature in ``webhook-signature``), so messages keep verifying while the
    receiver switches to the new one (docs/webhooks.md, "Rotating the secret")."""
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        locked.previous_secret = locked.secret
        locked.previous_secret_expires_at = timezone.now() + timedelta(
            seconds=settings.WEBHOOKS_SECRET_OVERLAP
        )
        locked.secret = new_secret()
        locked.save(update_fields=["secret", "previous_secret", "previous_secret_expires_at"])
    return locked


def webhook_endpoint_delete(*, endpoint: WebhookEndpoint) -> None:
    """Remove an endpoint and its deliveries; nothing more is sent to it."""
    endpoint.delete()


def webhook_endpoint_enable(*, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    """Send to a disabled endpoint again, from new changes on (its failed deliveries can be
    replayed one by one)."""
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        locked.disabled_at = None
        locked.disabled_reason = ""
        locked.failing_since = None
        locked.save(update_fields=["disabled_at", "disabled_reason", "failing_since"])
    return locked


def webhook_deliveries_enqueue(
    *, organization_id: int, messages: list[tuple[str, dict[str, Any]]]
) -> list[WebhookDelivery]:
    """For each ``(event type, data)`` a delivery to every active endpoint of the
    organization that picked that type, in the current transaction; each is handed to a
    worker once it commits. One query when the organization has no endpoint."""
    endpoints = WebhookEndpoint.objects.filter(
        organization_id=organization_id, disabled_at__isnull=True
    ).only("pk", "event_types")
    deliveries = [
        WebhookDelivery(
            endpoint=endpoint,
            event_type=name,
            payload=data,
            registration_public_id=data.get("registration", {}).get("id"),
        )
        for endpoint in endpoints
        for name, data in messages
        if name in endpoint.event_types
    ]
    if deliveries:
        deliveries = WebhookDelivery.objects.bulk_create(deliveries)
        _queue(deliveries)
    return deliveries


def webhook_test_send(*, endpoint: WebhookEndpoint) -> WebhookDelivery:
    """A ``webhook.test`` message to one endpoint, whatever types it picked.

    Its data is a made-up example of the endpoint's first type, so a receiver can try its
    parsing too.
    """
    if not endpoint.is_active:
        raise ValidationError(_("This endpoint is disabled; enable it first."))
    example = event_type(endpoint.event_types[0]).example() if endpoint.event_types else {}
    with transaction.atomic():
        delivery = WebhookDelivery.objects.create(
            endpoint=endpoint,
            event_type=TEST_EVENT_TYPE,
            payload={"example_of": endpoint.event_types[:1], **example},
        )
        _queue([delivery])
    return delivery


def webhook_delivery_replay(*, delivery: WebhookDelivery) -> WebhookDelivery:
    """Send a delivery again as a new row: the same type, data and ``webhook-id`` (it is the
    same message, so a receiver that did handle it can tell)."""
    if not delivery.endpoint.is_active:
        raise ValidationError(_("This endpoint is disabled; enable it first."))
    with transaction.atomic():
        replay = WebhookDelivery.objects.create(
            endpoint=delivery.endpoint,
            event_type=delivery.event_type,
            message_id=delivery.message_id,
            payload=delivery.payload,
            # Still about that person: erasing them must find the replay too.
            registration_public_id=delivery.registration_public_id,
            replay_of=delivery,
        )
        _queue([replay])
    return replay
