"""Reads for the workspace's webhook pages; scoping to members is the caller's (workspace)."""

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
