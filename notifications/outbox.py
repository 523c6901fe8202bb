"""The outbox: every email is a row first, queued for the worker when the transaction commits.

Queuing happens in ``transaction.on_commit(..., robust=True)``: the row is already committed,
so a broker that is down must not turn the user's request into an error. Such a row stays
``queued`` and the sweeper (``notifications.sending.outbox_requeue_stuck``) hands it to a
worker later.

The tasks are imported where they are queued, never at module level: they sit above the
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
from registrations.models import Registration


def delay_on_commit(task: Task, *args: Any) -> None:
    """``task.delay(*args)`` once the transaction commits; a broker error is logged, not raised.

    A closure, not ``functools.partial``: Django logs a failed robust callback by its
    ``__qualname__``, which a partial lacks, so the logging itself raised and the request
    failed after all (a registration answered 500 with the broker down).
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

    delay_on_commit(send_outbox_email, email.pk)
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
    from notifications.tasks import send_outbox_email

    delay_on_commit(send_outbox_email, email.pk)
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
    """Insert many unsaved rows in the current transaction; send them in batches on commit.

    Each batch of ``OUTBOX_BATCH_SIZE`` ids becomes one task that sends over one SMTP
    connection. Returns the ids.
    """
    from notifications.tasks import send_outbox_batch

    ids = [email.pk for email in OutboxEmail.objects.bulk_create(emails, batch_size=500)]
    size = settings.OUTBOX_BATCH_SIZE
    for start in range(0, len(ids), size):
        delay_on_commit(send_outbox_batch, ids[start : start + size])
    return ids
