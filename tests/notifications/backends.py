"""An email backend for tests: the task's soft time limit strikes mid-send to one address."""

from collections.abc import Sequence
from typing import ClassVar

from celery.exceptions import SoftTimeLimitExceeded
from django.core.mail import EmailMessage
from django.core.mail.backends.locmem import EmailBackend

SLOW_RECIPIENT = "slow@example.org"


class TimeLimitStrikesBackend(EmailBackend):
    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        if any(SLOW_RECIPIENT in message.to for message in messages):
            # What billiard raises inside the task when soft_time_limit passes.
            raise SoftTimeLimitExceeded()
        return super().send_messages(messages)


DOOMED_RECIPIENT = "doomed@example.org"


class WorkerDiesBackend(EmailBackend):
    """The worker process is killed while talking to the server about one address."""

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        if any(DOOMED_RECIPIENT in message.to for message in messages):
            raise SystemExit("worker killed")
        return super().send_messages(messages)


class StatusRecordingBackend(EmailBackend):
    """Records, as each message is handed over, the status of every outbox row by id."""

    seen: ClassVar[dict[int, dict[int, str]]] = {}

    def send_messages(self, messages: Sequence[EmailMessage]) -> int:
        from notifications.models import OutboxEmail

        statuses = dict(OutboxEmail.objects.values_list("pk", "status"))
        for message in messages:
            row = OutboxEmail.objects.get(message_id=message.extra_headers["Message-ID"])
            StatusRecordingBackend.seen[row.pk] = statuses
        return super().send_messages(messages)
