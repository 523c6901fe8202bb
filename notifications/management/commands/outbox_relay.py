"""The outbox relay: hand new outbox rows to Celery until stopped (notifications/relay.py)."""

import signal
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from notifications.relay import outbox_relay_run


class Command(BaseCommand):
    help = (
        "Hand new outbox emails to Celery in batches: woken by PostgreSQL NOTIFY (a short "
        "poll on SQLite), retrying while the broker is away. Runs until SIGTERM or Ctrl-C."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        stopping = False

        def stop(signum: int, frame: FrameType | None) -> None:
            nonlocal stopping
            stopping = True

        signal.signal(signal.SIGTERM, stop)
        signal.signal(signal.SIGINT, stop)
        heartbeat = settings.OUTBOX_RELAY_HEARTBEAT
        heartbeat.parent.mkdir(parents=True, exist_ok=True)
        self.stdout.write("Outbox relay ready.")
        self.stdout.flush()
        outbox_relay_run(should_stop=lambda: stopping, heartbeat=heartbeat)
        self.stdout.write("Outbox relay stopped.")
