"""Reads for the workspace's webhook pages; scoping to members is the caller's (workspace)."""

import uuid

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from events.models import Organization
from webhooks.models import WebhookDelivery, WebhookEndpoint


def endpoints_of(organization: Organization) -> QuerySet[WebhookEndpoint]:
    return WebhookEndpoint.objects.filter(organization=organization)


def endpoint_of_or_404(organization: Organization, endpoint_id: int) -> WebhookEndpoint:
    return get_object_or_404(endpoints_of(organization), pk=endpoint_id)


def deliveries_of(endpoint: WebhookEndpoint) -> QuerySet[WebhookDelivery]:
    return endpoint.deliveries.all()


def delivery_of_or_404(endpoint: WebhookEndpoint, delivery_id: int) -> WebhookDelivery:
    return get_object_or_404(deliveries_of(endpoint), pk=delivery_id)


def deliveries_about_registration(public_id: uuid.UUID) -> QuerySet[WebhookDelivery]:
    """Every message that carried this registrant's data (replays included), oldest first,
    for their data download; erasure cuts the link, so an erased person has none."""
    return (
        WebhookDelivery.objects.filter(registration_public_id=public_id)
        .select_related("endpoint")
        .order_by("created_at", "id")
    )
