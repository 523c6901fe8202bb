"""Celery tasks: thin wrappers that take ids and call services."""

from celery import shared_task


@shared_task(acks_late=True, queue="mail")
def send_outbox_email(email_id: int) -> None:
    """Send one outbox row (implemented by the notifications work)."""
