"""Stopping an endpoint that is gone or has failed too long, and telling its owners.

Below ``webhooks.services`` and ``webhooks.sending``: the sender disables, and the services
queue the sender's task (docs/design.md, "Webhooks").
"""

from django.conf import settings
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from events.models import Membership
from notifications.models import OutboxEmail
from notifications.outbox import outbox_enqueue_rendered
from webhooks.models import WebhookDelivery, WebhookEndpoint


def webhook_endpoint_disable(
    *, endpoint: WebhookEndpoint, reason: str, tell_owners: bool = True
) -> bool:
    """Stop sending to an endpoint and (``tell_owners``) email its organization's owners;
    False if it already was disabled. Its queued deliveries fail."""
    with transaction.atomic():
        locked = WebhookEndpoint.objects.select_for_update().get(pk=endpoint.pk)
        if locked.disabled_at is not None:
            return False
        locked.disabled_at = timezone.now()
        locked.disabled_reason = reason[:300]
        locked.save(update_fields=["disabled_at", "disabled_reason"])
        locked.deliveries.filter(status=WebhookDelivery.Status.QUEUED).update(
            status=WebhookDelivery.Status.FAILED,
            next_attempt_at=None,
            last_error=_("Not sent: the endpoint was disabled."),
            updated_at=locked.disabled_at,
        )
        if tell_owners:
            _tell_owners_endpoint_disabled(locked)
    return True


def _tell_owners_endpoint_disabled(endpoint: WebhookEndpoint) -> None:
    owners = User.objects.filter(
        memberships__organization_id=endpoint.organization_id,
        memberships__role=Membership.Role.OWNER,
    ).order_by("pk")
    link = settings.SITE_URL + reverse(
        "workspace:webhook_endpoint",
        kwargs={"slug": endpoint.organization.slug, "endpoint_id": endpoint.pk},
    )
    # Written by a worker, with no request to take a language from: the organization's
    # default language, the one its owners chose (docs/design.md, "Organizations").
    language = endpoint.organization.language
    with translation.override(language):
        context = {"endpoint": endpoint, "organization": endpoint.organization, "link": link}
        subject = render_to_string("webhooks/disabled_email_subject.txt", context)
        text = render_to_string("webhooks/disabled_email.txt", context)
    for owner in owners:
        outbox_enqueue_rendered(
            kind=OutboxEmail.Kind.WEBHOOK_DISABLED,
            recipient=owner.email,
            subject=subject,
            text_body=text,
            language=language,
            context={"endpoint_id": endpoint.pk},
        )
