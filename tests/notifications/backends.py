"""An email backend for tests: the task's soft time limit strikes mid-send to one address."""

from collections.abc import Sequence

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
