"""Endpoints that organizations register, and every message sent (or to be sent) to them.

docs/webhooks.md describes what a receiver sees; docs/design.md, "Webhooks", why it works so.
"""

import uuid
from datetime import datetime

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from events.models import Organization


def new_message_id() -> str:
    """The ``webhook-id`` of a message: the same on every attempt, so receivers can dedupe."""
    return f"msg_{uuid.uuid4().hex}"


class WebhookEndpoint(models.Model):
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="webhook_endpoints"
    )
    url = models.URLField(_("URL"), max_length=500)
    description = models.CharField(_("description"), max_length=200, blank=True)
    # "whsec_" + base64 of 32 random bytes (Standard Webhooks); shown to owners only.
    secret = models.CharField(max_length=100, editable=False)
    # After a rotation, the secret before it also signs until ``previous_secret_expires_at``,
    # so receivers can switch without refusing a message (docs/webhooks.md).
    previous_secret = models.CharField(max_length=100, blank=True, editable=False)
    previous_secret_expires_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Names from webhooks.event_types.EVENT_TYPES.
    event_types = models.JSONField(_("event types"), default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Since the first failed attempt after the last success; None while it answers well.
    failing_since = models.DateTimeField(null=True, blank=True)
    # Set when Convene stopped sending to it (answered 410, or failed for too long).
    disabled_at = models.DateTimeField(null=True, blank=True)
    disabled_reason = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.url

    @property
    def is_active(self) -> bool:
        return self.disabled_at is None

    def signing_secrets(self, now: datetime) -> list[str]:
        """The secrets each message is signed with: the current one, and the previous one
        while its overlap after a rotation lasts."""
        expires_at = self.previous_secret_expires_at
        if self.previous_secret and expires_at is not None and now < expires_at:
            return [self.secret, self.previous_secret]
        return [self.secret]


class WebhookDelivery(models.Model):
    """One message to one endpoint, written in the transaction of the change it reports.

    Lifecycle: ``queued`` → (claimed) ``sending`` → ``delivered``; a timeout, a connection
    error, a 5xx or a 429 puts it back to ``queued`` with ``next_attempt_at``; anything else,
    or the last attempt, makes it ``failed``.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        DELIVERED = "delivered", _("Delivered")
        FAILED = "failed", _("Failed")

    endpoint = models.ForeignKey(
        WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries"
    )
    event_type = models.CharField(max_length=64)
    message_id = models.CharField(max_length=64, default=new_message_id, db_index=True)
    # The message's "data"; the body is built from it with the type and the time of the change.
    payload = models.JSONField(default=dict)
    # The registration the message is about (its public id), so erasing the person finds it.
    registration_public_id = models.UUIDField(null=True, blank=True, db_index=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    response_status = models.PositiveSmallIntegerField(null=True, blank=True)
    # The start of the receiver's answer, for the workspace; never more than a few KB.
    response_body = models.TextField(blank=True)
    last_error = models.CharField(max_length=500, blank=True)
    replay_of = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="replays"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]
        verbose_name_plural = "webhook deliveries"

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint} ({self.status})"
