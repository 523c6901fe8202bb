"""Celery tasks for reminders: thin wrappers around the dispatcher service."""

from celery import shared_task

from notifications.reminders.dispatch import reminders_dispatch_due

# A pass stops claiming after this long so it ends before beat starts the next one; if due
# reminders are left it hands over to a fresh pass at once (never a delayed task).
DISPATCH_TIME_BUDGET_SECONDS = 45.0


@shared_task(ignore_result=True)
def dispatch_due_reminders() -> int:
    """Run by Celery beat every minute: queue the emails of every due reminder."""
    result = reminders_dispatch_due(time_budget=DISPATCH_TIME_BUDGET_SECONDS)
    if result.more:
        dispatch_due_reminders.delay()
    return result.queued
