"""The outbox: every email is a row first, handed to Celery by the relay once committed.

A request only writes rows; it never talks to the broker. The relay process
(``notifications/relay.py``, ``manage.py outbox_relay``) publishes new rows in batches within
about a second of the commit, and keeps trying while the broker is away. The sweeper
(``notifications.sending.outbox_requeue_stuck``) is the safety net behind it.

The relay imports the tasks where it publishes, never at module level: they sit above the
services they run (tasks → sending → rendering), and writing a row must not load the send
path (tests/test_import_layers.py keeps each app's modules free of loops).
"""

from typing import Any

from celery import Task
from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone, translation

from notifications.message_ids import new_message_id
from notifications.models import KINDS_WITH_STORED_CONTENT, OutboxEmail
from notifications.relay import outbox_relay_on_commit
from registrations.models import Registration


def delay_on_commit(task: Task, *args: Any) -> None:
    """``task.delay(*args)`` once the transaction commits; a broker error is logged, not raised.

    For work other than email (an export job): emails never publish from a request, the
    relay does. A closure, not ``functools.partial``: Django logs a failed robust callback
    by its ``__qualname__``, which a partial lacks, so the logging itself raised and the
    request failed after all (a registration answered 500 with the broker down).
    """

    def queue_task() -> None:
        task.delay(*args)

    transaction.on_commit(queue_task, robust=True)


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
