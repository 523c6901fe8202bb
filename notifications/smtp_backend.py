"""Django's SMTP backend, with the envelope addresses checked at a lower cost.

Django's backend runs ``sanitize_address`` (a full RFC 5322 parse, then IDNA and header
encoding) on the sender and on every recipient of every message: about a tenth of the CPU of
sending a reminder. This backend gives the same addresses for less:

* the sender is the same on every message, so its sanitized form is kept (per process);
* a recipient that is a plain ASCII address (a dot-atom local part, host name labels of
  letters, digits and hyphens, no display name) comes out of ``sanitize_address`` exactly as
  it went in, so it is passed through; any other address takes Django's own path.

tests/notifications/test_smtp_backend.py compares both shortcuts with ``sanitize_address``
and what this backend hands to smtplib with what Django's does, and fails once Django's
``_send`` is no longer the one copied here (docs/design.md, "Framework internals we override").
Set ``EMAIL_BACKEND = "notifications.smtp_backend.EmailBackend"`` (settings do when
EMAIL_HOST is set).
"""

import re
import smtplib
from functools import lru_cache

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends import smtp
from django.core.mail.message import sanitize_address

_ATOM = r"[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+"
_LABEL = r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
PLAIN_ADDRESS = re.compile(rf"{_ATOM}(?:\.{_ATOM})*@{_LABEL}(?:\.{_LABEL})*")


@lru_cache(maxsize=32)
def _sanitized_sender(address: str, encoding: str) -> str:
    return sanitize_address(address, encoding)


def sanitized_recipient(address: str | tuple[str, str], encoding: str) -> str:
    """``sanitize_address``, without its parse for a plain ASCII address."""
    if isinstance(address, str) and PLAIN_ADDRESS.fullmatch(address):
        return address
    return sanitize_address(address, encoding)


def sanitized_sender(address: str | tuple[str, str], encoding: str) -> str:
    """``sanitize_address`` of a sender, worked out once per process for each address."""
    if isinstance(address, str):
        return _sanitized_sender(address, encoding)
    return sanitize_address(address, encoding)


class EmailBackend(smtp.EmailBackend):
    def _send(self, email_message: EmailMessage) -> bool:
        # Django's own _send (5.2), with the two address shortcuts above.
        recipients = email_message.recipients()
        if not recipients:
            return False
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        from_email = sanitized_sender(email_message.from_email, encoding)
        envelope_to = [sanitized_recipient(address, encoding) for address in recipients]
        message = email_message.message()
        try:
            assert self.connection is not None  # send_messages opened it
            self.connection.sendmail(from_email, envelope_to, message.as_bytes(linesep="\r\n"))
        except smtplib.SMTPException:
            if not self.fail_silently:
                raise
            return False
        return True
