"""The outbox: every email is a row first, handed to Celery by the relay once committed.

A request only writes rows; it never talks to the broker. The relay process
(``notifications/relay.py``, ``manage.py outbox_relay``) publishes new rows in batches within
about a second of the commit, and keeps trying while the broker is away. The sweeper
(``notifications.sending.outbox_requeue_stuck``) is the safety net behind it.
"""

import uuid
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.db.models import QuerySet
from django.utils import timezone, translation

from notifications.models import KINDS_WITH_STORED_CONTENT, OutboxEmail
from notifications.relay import outbox_relay_on_commit
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
    """Write an email row in the current transaction; the relay hands it to Celery.

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
    outbox_relay_on_commit([email.pk])
    return email


def outbox_enqueue_rendered(
    *,
    kind: str,
    recipient: str,
    subject: str,
    text_body: str,
    html_body: str = "",
    language: str | None = None,
    context: dict[str, Any] | None = None,
) -> OutboxEmail:
    """Write an email rendered by the caller; the worker sends it as it is, once committed.

    For emails without a registration (``KINDS_WITH_STORED_CONTENT``): allauth's account
    emails and organization invitations. Render them in the request's language before
    calling; ``language`` defaults to the active one and is kept for the record. The bodies
    are dropped once the row is final (see ``notifications.sending``).
    """
    if kind not in KINDS_WITH_STORED_CONTENT:
        raise ValueError(f"{kind!r} emails are rendered by the worker; use outbox_enqueue.")
    if not (text_body or html_body):
        raise ValueError("An email needs a text or an HTML body.")
    email = OutboxEmail.objects.create(
        kind=kind,
        recipient=recipient,
        language=language or translation.get_language() or settings.LANGUAGE_CODE,
        context=context or {},
        subject=" ".join(subject.split())[:300],
        text_body=text_body,
        html_body=html_body,
        message_id=new_message_id(),
    )
    outbox_relay_on_commit([email.pk])
    return email


def outbox_withdraw_queued(*, emails: QuerySet[OutboxEmail], reason: str) -> int:
    """Withdraw those of ``emails`` that no worker has claimed yet; returns how many.

    For an email that no longer applies before it went out (a renewed or revoked invitation
    whose link no longer works). A row already ``sending`` is left to its worker. The stored
    bodies go with it, as with every final row.
    """
    return emails.filter(status=OutboxEmail.Status.QUEUED).update(
        status=OutboxEmail.Status.WITHDRAWN,
        last_error=reason,
        text_body="",
        html_body="",
        next_attempt_at=None,
        updated_at=timezone.now(),
    )


def outbox_email_for(
    *, kind: str, registration: Registration, context: dict[str, Any] | None = None
) -> OutboxEmail:
    """An unsaved row to the registration's address and language, for ``outbox_enqueue_bulk``."""
    return OutboxEmail(
        kind=kind,
        registration=registration,
        recipient=registration.email,
        language=registration.language,
        context=context or {},
        message_id=new_message_id(),
    )


def outbox_enqueue_bulk(*, emails: list[OutboxEmail]) -> list[int]:
    """Insert many unsaved rows in the current transaction; returns their ids.

    The relay hands them to Celery in batches of ``OUTBOX_BATCH_SIZE``, each sent over one
    SMTP connection.
    """
    ids = [email.pk for email in OutboxEmail.objects.bulk_create(emails, batch_size=500)]
    outbox_relay_on_commit(ids)
    return ids
