"""The outbox: every email is a row first, queued for the worker when the transaction commits."""

import uuid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db import transaction

from notifications.models import OutboxEmail
from registrations.models import Registration


def message_id_domain() -> str:
    """The Message-ID domain: the site's own host (a real domain, never localhost)."""
    return urlsplit(settings.SITE_URL).hostname or "convene.invalid"


def new_message_id() -> str:
    return f"<{uuid.uuid4()}@{message_id_domain()}>"


def outbox_enqueue(
    *,
    kind: str,
    registration: Registration | None,
    recipient: str | None = None,
    language: str | None = None,
    context: dict[str, Any] | None = None,
) -> OutboxEmail:
    """Write an email row in the current transaction; hand it to Celery once committed.

    ``recipient`` and ``language`` default to the registration's own.
    """
    if recipient is None:
        if registration is None:
            raise ValueError("An email needs a recipient or a registration.")
        recipient = registration.email
    email = OutboxEmail.objects.create(
        kind=kind,
        registration=registration,
        recipient=recipient,
        language=language or (registration.language if registration else "en"),
        context=context or {},
        message_id=new_message_id(),
    )
    from notifications.tasks import send_outbox_email

    transaction.on_commit(lambda: send_outbox_email.delay(email.pk))
    return email
