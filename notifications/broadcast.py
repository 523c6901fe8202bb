"""One email to many registrants: outbox rows written together, sent in batches."""

from collections.abc import Iterable
from functools import partial
from typing import Any

from django.db import transaction

from notifications.models import OutboxEmail
from notifications.outbox import new_message_id
from registrations.models import Registration

# Rows handed to one batch task: one SMTP connection sends them all.
SEND_BATCH_SIZE = 100
_INSERT_BATCH_SIZE = 500


def outbox_enqueue_many(
    *, kind: str, registrations: Iterable[Registration], context: dict[str, Any]
) -> list[int]:
    """Write one outbox row per registration in the current transaction; return their ids.

    Each row goes to the registration's own address and language. Once the transaction
    commits, the rows are handed to the worker in batches of ``SEND_BATCH_SIZE``.
    """
    from notifications.tasks import send_outbox_batch

    ids: list[int] = []
    pending: list[OutboxEmail] = []

    def flush() -> None:
        created = OutboxEmail.objects.bulk_create(pending)
        ids.extend(email.pk for email in created)
        pending.clear()

    for registration in registrations:
        pending.append(
            OutboxEmail(
                kind=kind,
                registration=registration,
                recipient=registration.email,
                language=registration.language,
                context=dict(context),
                message_id=new_message_id(),
            )
        )
        if len(pending) >= _INSERT_BATCH_SIZE:
            flush()
    if pending:
        flush()
    for start in range(0, len(ids), SEND_BATCH_SIZE):
        transaction.on_commit(
            partial(send_outbox_batch.delay, ids[start : start + SEND_BATCH_SIZE])
        )
    return ids
