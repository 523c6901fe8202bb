"""Celery tasks: thin wrappers that take ids and call services.

The send tasks go to the ``mail`` queue (CELERY_TASK_ROUTES). They are ``acks_late`` with
``reject_on_worker_lost`` (settings): a worker that dies mid-task leaves the message to be
delivered again, and the sweeper catches whatever the broker does not give back.
"""

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings

from notifications.sending import (
    Outcome,
    SendingInterrupted,
    SendResult,
    outbox_requeue_stuck,
    outbox_send_many,
)


def _schedule_retries(results: list[SendResult]) -> None:
    for result in results:
        if result.outcome is Outcome.RETRY and result.retry_in is not None:
            send_outbox_email.apply_async((result.email_id,), countdown=result.retry_in)


def _send(email_ids: list[int]) -> None:
    try:
        results = outbox_send_many(email_ids=email_ids)
    except SendingInterrupted as interruption:
        _schedule_retries(interruption.results)
        if interruption.remaining:
            send_outbox_batch.delay(interruption.remaining)
        return
    except SoftTimeLimitExceeded:
        # Struck outside a send: try everything again (sent rows are skipped, and a row left
        # "sending" is the sweeper's).
        send_outbox_batch.delay(email_ids)
        return
    _schedule_retries(results)


# Time limits stay under OUTBOX_STUCK_AFTER (600 s by default), so the sweeper never takes a
# row from a task that is still running; EMAIL_TIMEOUT (30 s) bounds each SMTP step.
@shared_task(acks_late=True, soft_time_limit=60, time_limit=90)
def send_outbox_email(email_id: int) -> None:
    """Send one outbox row; a transient failure comes back later as a new task."""
    _send([email_id])


@shared_task(acks_late=True, soft_time_limit=300, time_limit=360)
def send_outbox_batch(email_ids: list[int]) -> None:
    """Send many outbox rows over one SMTP connection; each row retries or fails on its own."""
    _send(email_ids)


@shared_task(acks_late=True)
def requeue_stuck_outbox_emails() -> int:
    """The periodic sweeper (CELERY_BEAT_SCHEDULE): re-send rows whose task was lost."""
    ids = outbox_requeue_stuck()
    size = settings.OUTBOX_BATCH_SIZE
    for start in range(0, len(ids), size):
        send_outbox_batch.delay(ids[start : start + size])
    return len(ids)
