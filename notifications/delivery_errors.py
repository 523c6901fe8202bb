"""What an SMTP failure means for an outbox row: try again later, or give up; and when.

Used by the sender (notifications.sending) for every failed delivery.
"""

import random
import smtplib
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings


@dataclass(frozen=True)
class DeliveryError:
    transient: bool
    description: str


def classify_delivery_error(error: BaseException) -> DeliveryError:
    """Transient (retry later) or permanent (give up), with the server's answer if any.

    4xx replies, disconnects, timeouts and refused connections are transient; 5xx replies are
    permanent. Anything that is not about the network (a message that cannot be encoded)
    would fail the same way again, so it is permanent too.
    """
    if isinstance(error, SoftTimeLimitExceeded):
        return DeliveryError(True, "The send took longer than the task's time limit.")
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        code, answer = next(iter(error.recipients.values()), (0, b""))
        return _from_reply(code, answer, "RCPT")
    if isinstance(error, smtplib.SMTPResponseException):
        return _from_reply(error.smtp_code, error.smtp_error, type(error).__name__)
    if isinstance(error, smtplib.SMTPException | OSError):
        return DeliveryError(True, f"{type(error).__name__}: {error}")
    return DeliveryError(False, f"{type(error).__name__}: {error}")


def _from_reply(code: int, answer: bytes | str, stage: str) -> DeliveryError:
    text = answer.decode("utf-8", "replace") if isinstance(answer, bytes) else str(answer)
    return DeliveryError(not 500 <= code <= 599, f"{code} {text} ({stage})")


def retry_delay(attempts: int) -> float:
    """Seconds before the next try: exponential in the attempts so far, ±20 % jitter, capped.

    The jitter spreads retries of many rows that failed together (a server that said 421 to
    a whole batch) so they do not all come back in the same second.
    """
    delay = settings.OUTBOX_RETRY_BASE_DELAY * 2 ** max(attempts - 1, 0)
    return min(delay, settings.OUTBOX_RETRY_MAX_DELAY) * random.uniform(0.8, 1.2)
