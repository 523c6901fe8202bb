"""Celery tasks: thin wrappers that take ids and call services."""

from celery import shared_task


@shared_task(acks_late=True, queue="mail")
def send_outbox_email(email_id: int) -> None:
    """Send one outbox row (to be implemented by the outbox work)."""


@shared_task(acks_late=True, queue="mail")
def send_outbox_batch(email_ids: list[int]) -> None:
    """Send many outbox rows over one SMTP connection (to be implemented by the outbox work)."""
