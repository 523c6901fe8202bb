"""Run one pass of the due-reminder dispatcher by hand (beat does it every minute)."""

from typing import Any

from django.core.management.base import BaseCommand

from notifications.reminders.dispatch import reminders_dispatch_due


class Command(BaseCommand):
    help = "Claim every due reminder, write its email to the outbox and queue the sending."

    def handle(self, *args: Any, **options: Any) -> None:
        result = reminders_dispatch_due()
        self.stdout.write(
            f"Queued {result.queued} reminder email(s); skipped {result.skipped} "
            "(too late or no longer wanted)."
        )
