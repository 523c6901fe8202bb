"""Owners' webhook actions, each audited in its own transaction (webhooks.services does the
work; docs/webhooks.md)."""

from django.db import transaction

from accounts.models import User
from events.models import Organization
from webhooks import services
from webhooks.models import WebhookDelivery, WebhookEndpoint
from workspace.audit import audit_record


def _record(actor: User, action: str, endpoint: WebhookEndpoint, **details: object) -> None:
    audit_record(
        actor=actor,
        action=action,
        organization=endpoint.organization,
        details={"endpoint_id": endpoint.pk, "url": endpoint.url, **details},
    )


def webhook_endpoint_add(
    *,
    actor: User,
    organization: Organization,
    url: str,
    event_types: list[str],
    description: str = "",
) -> WebhookEndpoint:
    with transaction.atomic():
        endpoint = services.webhook_endpoint_create(
            organization=organization,
            url=url,
            event_types=event_types,
            description=description,
            created_by=actor,
        )
        _record(actor, "webhook.endpoint_added", endpoint, event_types=endpoint.event_types)
    return endpoint


def webhook_endpoint_change(
    *,
    actor: User,
    endpoint: WebhookEndpoint,
    url: str,
    event_types: list[str],
    description: str,
    enabled: bool,
) -> WebhookEndpoint:
    with transaction.atomic():
        before = {"url": endpoint.url, "event_types": endpoint.event_types}
        changed = services.webhook_endpoint_update(
            endpoint=endpoint,
            url=url,
            event_types=event_types,
            description=description,
            enabled=enabled,
        )
        _record(
            actor,
            "webhook.endpoint_changed",
            changed,
            event_types=changed.event_types,
            enabled=changed.is_active,
            **({"previous_url": before["url"]} if before["url"] != changed.url else {}),
        )
    return changed


def webhook_endpoint_rotate_secret(*, actor: User, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    with transaction.atomic():
        rotated = services.webhook_endpoint_rotate_secret(endpoint=endpoint)
        _record(actor, "webhook.secret_rotated", rotated)
    return rotated


def webhook_endpoint_remove(*, actor: User, endpoint: WebhookEndpoint) -> None:
    with transaction.atomic():
        _record(actor, "webhook.endpoint_removed", endpoint)
        services.webhook_endpoint_delete(endpoint=endpoint)


def webhook_endpoint_enable(*, actor: User, endpoint: WebhookEndpoint) -> WebhookEndpoint:
    with transaction.atomic():
        enabled = services.webhook_endpoint_enable(endpoint=endpoint)
        _record(actor, "webhook.endpoint_enabled", enabled)
    return enabled


def webhook_test_send(*, actor: User, endpoint: WebhookEndpoint) -> WebhookDelivery:
    with transaction.atomic():
        delivery = services.webhook_test_send(endpoint=endpoint)
        _record(actor, "webhook.test_sent", endpoint, delivery_id=delivery.pk)
    return delivery


def webhook_delivery_replay(*, actor: User, delivery: WebhookDelivery) -> WebhookDelivery:
    with transaction.atomic():
        replay = services.webhook_delivery_replay(delivery=delivery)
        _record(
            actor,
            "webhook.delivery_replayed",
            delivery.endpoint,
            delivery_id=delivery.pk,
            event_type=delivery.event_type,
        )
    return replay
