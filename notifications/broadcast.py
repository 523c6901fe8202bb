"""One email to many registrants: outbox rows written together, sent in batches."""

from collections.abc import Iterable
from typing import Any

from notifications.outbox import outbox_email_for, outbox_enqueue_bulk
from registrations.models import Registration


def outbox_enqueue_many(
    *, kind: str, registrations: Iterable[Registration], context: dict[str, Any]
) -> list[int]:
    """Write one outbox row per registration in the current transaction; return their ids.

    Each row goes to the registration's own address and language. Once the transaction
    commits, the rows are handed to the worker in batches of ``OUTBOX_BATCH_SIZE``, each sent
    over one SMTP connection.
    """
    return outbox_enqueue_bulk(
        emails=[
            outbox_email_for(kind=kind, registration=registration, context=dict(context))
            for registration in registrations
        ]
    )
